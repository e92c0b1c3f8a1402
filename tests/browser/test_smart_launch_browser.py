"""A SMART standalone patient launch, end to end in the browser, and a practitioner launch with
the patient picker (a key worker chooses Maja; axe-checked).

A small test client app (a plain HTTP server on 127.0.0.1, a public client) starts the launch
with PKCE, the browser logs Maja in and shows our consent page (axe-checked), Maja allows, the app
exchanges the code for a token at the token endpoint and reads her Patient and Goals from the FHIR
API, and shows them. Refusing gives the app no code.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from oauth2_provider.models import Application
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageProblems, assert_accessible, log_in, screenshot

OpenPage = Callable[..., tuple[Page, PageProblems]]


class ClientApp:
    """The app: /launch sends the browser to authorize; /callback trades the code and reads."""

    def __init__(self, fhir_base: str) -> None:
        self.fhir_base = fhir_base
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.client_id = ""
        self.verifier = secrets.token_urlsafe(48)
        self.state = secrets.token_urlsafe(8)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        app = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _send(self, status: int, body: str, location: str = "") -> None:
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body.encode())

            def do_GET(self) -> None:
                parsed = urllib.parse.urlparse(self.path)
                query = urllib.parse.parse_qs(parsed.query)
                if parsed.path == "/launch":
                    self._send(302, "", app.authorize_url())
                elif parsed.path == "/callback":
                    self._send(200, app.callback(query))
                else:
                    self._send(404, "not found")

        return Handler

    def configuration(self) -> Any:
        url = f"{self.fhir_base}/.well-known/smart-configuration"
        return json.load(urllib.request.urlopen(url))  # noqa: S310  # the live server, http

    def authorize_url(self) -> str:
        config = self.configuration()
        digest = hashlib.sha256(self.verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": f"{self.url}/callback",
            "scope": "launch/patient patient/*.read",
            "state": self.state,
            "aud": self.fhir_base,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{config['authorization_endpoint']}?{urllib.parse.urlencode(query)}"

    def callback(self, query: dict[str, list[str]]) -> str:
        if "code" not in query or query.get("state") != [self.state]:
            error = html.escape(query.get("error", ["no code"])[0])
            page = "<html lang='en'><title>App</title><h1>Not connected</h1>"
            return f"{page}<p id='error'>{error}</p></html>"
        config = self.configuration()
        form = urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": query["code"][0],
                "redirect_uri": f"{self.url}/callback",
                "client_id": self.client_id,
                "code_verifier": self.verifier,
            }
        ).encode()
        token = json.load(urllib.request.urlopen(config["token_endpoint"], data=form))  # noqa: S310

        def read(path: str) -> Any:
            request = urllib.request.Request(  # noqa: S310
                f"{self.fhir_base}/{path}",
                headers={"Authorization": f"Bearer {token['access_token']}"},
            )
            return json.load(urllib.request.urlopen(request))  # noqa: S310

        patient = read(f"Patient/{token['patient']}")
        goals = read("Goal")
        names = "".join(
            f"<li>{html.escape(e['resource']['description']['text'])}</li>"
            for e in goals.get("entry", [])
        )
        name = html.escape(patient["name"][0]["text"])
        page = "<html lang='en'><title>App</title>"
        return f"{page}<h1 id='name'>{name}</h1><ul id='goals'>{names}</ul></html>"

    def __enter__(self) -> ClientApp:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *args: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def client_app(live_server: Any) -> Iterator[ClientApp]:
    with ClientApp(f"{live_server.url}/fhir/R4") as app:
        app.client_id = Application.objects.create(
            name="Recovery companion",
            client_type=Application.CLIENT_PUBLIC,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=f"{app.url}/callback",
            algorithm="",
        ).client_id
        yield app


def test_standalone_patient_launch_in_the_browser(
    open_page: OpenPage, client_app: ClientApp
) -> None:
    page, problems = open_page()
    log_in(page, "maja")
    page.goto(f"{client_app.url}/launch")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recovery companion")
    assert_accessible(page)
    screenshot(page, "smart-consent")
    page.get_by_role("button", name="Allow", exact=True).press("Enter")
    expect(page.locator("#name")).to_contain_text("Maja")
    expect(page.locator("#goals li").first).to_be_visible()
    assert not [m for m in problems.messages if "Content Security Policy" in m]


def test_refusing_gives_the_app_nothing(open_page: OpenPage, client_app: ClientApp) -> None:
    page, _problems = open_page()
    log_in(page, "maja")
    page.goto(f"{client_app.url}/launch")
    page.get_by_role("button", name="Do not allow").click()
    expect(page.locator("#error")).to_have_text("access_denied")


def test_practitioner_launch_with_the_patient_picker(
    open_page: OpenPage, client_app: ClientApp
) -> None:
    page, problems = open_page()
    log_in(page, "kasper")
    page.goto(f"{client_app.url}/launch")
    picker = page.get_by_label("Whose record should the app work with?")
    expect(picker).to_be_visible()
    expect(picker).to_have_value("")  # nobody chosen beforehand
    assert_accessible(page)
    screenshot(page, "smart-consent-picker")
    # Allowing without a choice is refused by the browser (required) and by the server.
    picker.focus()
    maja = picker.locator("option", has_text="Maja").first.get_attribute("value")
    assert maja
    picker.select_option(maja)
    page.get_by_role("button", name="Allow", exact=True).press("Enter")
    expect(page.locator("#name")).to_contain_text("Maja")
    assert not [m for m in problems.messages if "Content Security Policy" in m]
