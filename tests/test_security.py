"""Security basics: headers, no inline script, no CDN, login throttling, cookies, language."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import LoginAttempt
from tests.personas import PASSWORD, Persona, World

PAGES = [
    (Persona.ANONYMOUS, "accounts:login", False),
    (Persona.KEY_WORKER, "workspace:caseload", False),
    (Persona.KEY_WORKER, "workspace:person", True),
    (Persona.P1, "portal:me", False),
    (Persona.FAMILY, "portal:supporting", False),
]


def _get(client: Client, name: str, world: World, with_person: bool) -> str:
    url = reverse(name, args=[world.p1.pk]) if with_person else reverse(name)
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    return response.content.decode()


@pytest.mark.parametrize(("persona", "name", "with_person"), PAGES)
def test_pages_have_no_inline_script_style_or_external_assets(
    persona: Persona,
    name: str,
    with_person: bool,
    world: World,
    client_as: Callable[[Persona], Client],
) -> None:
    html = _get(client_as(persona), name, world, with_person)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page shell loads htmx"
    for attributes, body in scripts:
        assert 'src="/static/' in attributes
        assert body.strip() == ""
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


def test_throttle_locks_an_account_after_repeated_failures(world: World) -> None:
    client = Client()
    url = reverse("accounts:login")
    for _ in range(settings.LOGIN_THROTTLE_MAX_PER_ACCOUNT):
        response = client.post(url, {"username": "p1", "password": "not-it"})
        assert response.status_code == 200
        assert "do not match" in response.content.decode()
    locked = client.post(url, {"username": "p1", "password": PASSWORD})
    assert locked.status_code == 200
    assert "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    other = Client().post(url, {"username": "p2", "password": PASSWORD})
    assert other.status_code == 302


def test_throttle_by_address_spans_accounts(world: World, settings: object) -> None:
    settings.LOGIN_THROTTLE_MAX_PER_ADDRESS = 3  # type: ignore[attr-defined]
    client = Client(REMOTE_ADDR="10.9.8.7")
    url = reverse("accounts:login")
    for name in ("a", "b", "c"):
        client.post(url, {"username": name, "password": "x"})
    locked = client.post(url, {"username": "p1", "password": PASSWORD})
    assert "Too many failed attempts" in locked.content.decode()
    assert LoginAttempt.objects.filter(address="10.9.8.7", succeeded=False).count() == 3


def test_successful_login_goes_home_and_then_to_the_persons_page(world: World) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "p1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("portal:me")


def test_logout_needs_post(world: World, client_as: Callable[[Persona], Client]) -> None:
    client = client_as(Persona.P1)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("portal:me")).status_code == 302


def test_sessions_live_in_the_database_and_cookies_are_guarded() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.X_FRAME_OPTIONS == "DENY"


def test_csrf_is_enforced_on_login() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_language_choice_is_remembered_on_the_account(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.P1)
    response = client.post(reverse("accounts:language"), {"language": "ja", "next": "/me/"})
    assert response["Location"] == "/me/"
    world.users[Persona.P1].refresh_from_db()
    assert world.users[Persona.P1].preferred_language == "ja"
    page = client.get(reverse("portal:me")).content.decode()
    assert '<html lang="ja">' in page


def test_language_choice_refuses_foreign_redirects(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    response = client_as(Persona.P1).post(
        reverse("accounts:language"), {"language": "da", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_unknown_language_is_ignored(world: World, client_as: Callable[[Persona], Client]) -> None:
    client_as(Persona.P1).post(reverse("accounts:language"), {"language": "xx"})
    world.users[Persona.P1].refresh_from_db()
    assert world.users[Persona.P1].preferred_language == ""


def test_preferred_language_applies_at_login(world: World) -> None:
    user = world.users[Persona.P2]
    user.preferred_language = "da"
    user.save()
    client = Client()
    client.post(reverse("accounts:login"), {"username": "p2", "password": PASSWORD})
    assert '<html lang="da">' in client.get(reverse("portal:me")).content.decode()


def test_password_change_applies_the_validators(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    client = client_as(Persona.P1)
    url = reverse("accounts:password")
    weak = client.post(
        url, {"oldpassword": PASSWORD, "password1": "12345678", "password2": "12345678"}
    )
    assert weak.status_code == 200
    body = weak.content.decode()
    assert "too short" in body
    assert "entirely numeric" in body
    strong = "a-long-and-unusual-phrase"
    done = client.post(url, {"oldpassword": PASSWORD, "password1": strong, "password2": strong})
    assert done.status_code == 302
    world.users[Persona.P1].refresh_from_db()
    assert world.users[Persona.P1].check_password(strong)
