"""Single sign-on with OpenID Connect, against a real provider (django-oauth-toolkit) running in its
own process: a known staff member is logged in; an unknown subject is refused and no account is
made."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import User
from alongside.audit.models import AuditAction, AuditEvent
from tests.oidc_provider.running import PROVIDER_ID, Provider, run_provider
from tests.personas import Persona, World

pytestmark = pytest.mark.django_db
CALLBACK = f"/accounts/oidc/{PROVIDER_ID}/login/callback/"
PROVIDER_PASSWORD = "provider-password-1"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with run_provider(
        tmp_path_factory.mktemp("oidc"),
        redirect_uris=[f"http://testserver{CALLBACK}"],
        users=[
            {"username": "key_worker", "email": "kw@ward.example", "password": PROVIDER_PASSWORD},
            {"username": "stranger", "email": "who@else.example", "password": PROVIDER_PASSWORD},
        ],
    ) as running:
        yield running


@pytest.fixture
def sso(provider: Provider, settings: object) -> Provider:
    settings.SOCIALACCOUNT_PROVIDERS = provider.app_settings()  # type: ignore[attr-defined]
    settings.SSO_CLAIM = "preferred_username"  # type: ignore[attr-defined]
    settings.SSO_USER_FIELD = "username"  # type: ignore[attr-defined]
    return provider


class _CsrfToken(HTMLParser):
    token = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name") == "csrfmiddlewaretoken":
            self.token = named.get("value") or ""


def _sign_in_at_provider(authorize_url: str, username: str) -> str:
    """What the browser does at the provider; returns where the provider sends it back."""
    browser = requests.Session()
    to_login = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert to_login.status_code == 302
    login_url = requests.compat.urljoin(authorize_url, to_login.headers["Location"])
    page = browser.get(login_url, timeout=10)
    parser = _CsrfToken()
    parser.feed(page.text)
    next_url = dict(p.split("=", 1) for p in urlsplit(login_url).query.split("&"))["next"]
    signed_in = browser.post(
        login_url,
        data={
            "username": username,
            "password": PROVIDER_PASSWORD,
            "csrfmiddlewaretoken": parser.token,
            "next": requests.utils.unquote(next_url),
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    authorized = browser.get(
        requests.compat.urljoin(login_url, signed_in.headers["Location"]),
        allow_redirects=False,
        timeout=10,
    )
    assert authorized.status_code == 302, authorized.text[:500]
    return str(authorized.headers["Location"])


def _single_sign_on(client: Client, username: str) -> object:
    start = client.post(reverse("openid_connect_login", args=[PROVIDER_ID]))
    assert start.status_code == 302
    back = _sign_in_at_provider(start["Location"], username)
    parts = urlsplit(back)
    assert parts.path == CALLBACK
    return client.get(f"{parts.path}?{parts.query}")


def test_a_staff_member_signs_in_through_the_provider(sso: Provider, world: World) -> None:
    users_before = User.objects.count()
    client = Client()
    response = _single_sign_on(client, "key_worker")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert int(client.session["_auth_user_id"]) == world.users[Persona.KEY_WORKER].pk
    assert client.get(reverse("home"))["Location"] == reverse("workspace:caseload")
    assert client.get(reverse("workspace:caseload")).status_code == 200
    assert User.objects.count() == users_before
    link = SocialAccount.objects.get(user=world.users[Persona.KEY_WORKER])
    assert link.provider == PROVIDER_ID
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN, actor_id=world.users[Persona.KEY_WORKER].pk
    ).exists()
    # The second time, the link made the first time is used.
    client.post(reverse("accounts:logout"))
    again = Client()
    _single_sign_on(again, "key_worker")
    assert int(again.session["_auth_user_id"]) == world.users[Persona.KEY_WORKER].pk
    assert SocialAccount.objects.count() == 1


def test_an_unknown_subject_is_refused_and_no_account_is_made(sso: Provider, world: World) -> None:
    users_before = User.objects.count()
    client = Client()
    response = _single_sign_on(client, "stranger")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "No account for this sign-in" in response.content.decode()  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, why__startswith="single sign-on"
    ).exists()


def test_sso_counts_as_the_second_factor_when_configured(
    sso: Provider, world: World, settings: object
) -> None:
    from alongside.accounts import services
    from alongside.audit.log import Actor

    services.set_mfa_required(Actor.system(), world.hospital, True)
    client = Client()
    _single_sign_on(client, "key_worker")
    assert client.get(reverse("workspace:caseload")).status_code == 200
    settings.SSO_SATISFIES_MFA = False  # type: ignore[attr-defined]
    assert client.get(reverse("workspace:caseload"))["Location"] == reverse("mfa_activate_totp")


def test_the_login_page_offers_the_organisations_sign_in(sso: Provider, world: World) -> None:
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Log in with Test identity provider" in page
    assert reverse("openid_connect_login", args=[PROVIDER_ID]) in page


def test_without_configuration_there_is_no_sign_in_button(world: World) -> None:
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Log in with" not in page


def test_only_the_login_page_lets_forms_go_to_the_provider(sso: Provider, world: World) -> None:
    """The browser applies form-action to the redirect to the provider."""
    csp = Client().get(reverse("accounts:login"))["Content-Security-Policy"]
    assert f"form-action 'self' {sso.url.rsplit('/o', 1)[0]}" in csp
    assert "script-src 'self'" in csp
    other = Client().get(reverse("account_reset_password"))["Content-Security-Policy"]
    assert "form-action 'self';" in other
