"""Accounts and identity: throttling behind a proxy, normalised usernames, password change and
reset, temporary passwords, session timeouts and logging out everywhere, two-step verification."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from alongside.accounts import services
from alongside.accounts.models import LoginAttempt, OrganisationSecurity, User
from alongside.accounts.sessions import SEEN, STARTED
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from tests.personas import PASSWORD, Persona, World

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def full_width(text: str) -> str:
    """The full-width form of ASCII letters and digits (U+FF01 onwards), as some keyboards type."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


THROTTLED = "Too many failed attempts"


def _login(client: Client, username: str, password: str) -> str:
    response = client.post(LOGIN, {"login": username, "password": password})
    if response.status_code == 302:
        return "in" if "_auth_user_id" in client.session else response["Location"]
    body = response.content.decode()
    return "throttled" if THROTTLED in body else "refused"


def _fail_until_locked(client: Client, username: str) -> None:
    for _ in range(settings.LOGIN_THROTTLE_MAX_PER_ACCOUNT):
        assert _login(client, username, "not-it") == "refused"


# Client address and throttling


def test_two_clients_behind_one_proxy_are_throttled_separately(
    world: World, settings: object
) -> None:
    settings.TRUSTED_PROXIES = 1  # type: ignore[attr-defined]
    settings.LOGIN_THROTTLE_MAX_PER_ADDRESS = 3  # type: ignore[attr-defined]
    proxy = "10.0.0.2"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    for name in ("a", "b", "c"):
        assert _login(first, name, "x") == "refused"
    assert _login(first, "p1", PASSWORD) == "throttled"
    # The other client behind the same proxy is not affected.
    assert _login(second, "p1", PASSWORD) == "in"
    addresses = set(LoginAttempt.objects.values_list("address", flat=True))
    assert addresses == {"203.0.113.7", "198.51.100.9"}
    # The audit log names the client, not the proxy.
    assert set(
        AuditEvent.objects.filter(action=AuditAction.LOGIN).values_list("address", flat=True)
    ) == {"198.51.100.9"}


def test_without_trusted_proxies_a_forged_header_is_ignored(world: World) -> None:
    client = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    _login(client, "p1", "wrong")
    assert LoginAttempt.objects.get().address == "192.0.2.1"


def test_only_the_proxys_own_entry_is_trusted(world: World, settings: object) -> None:
    """A client can put anything left of the proxy's entry; with one trusted proxy, only the
    rightmost entry counts."""
    settings.TRUSTED_PROXIES = 1  # type: ignore[attr-defined]
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.8")
    _login(client, "p1", "wrong")
    assert LoginAttempt.objects.get().address == "203.0.113.8"


def test_a_lock_holds_for_one_account_and_address_not_for_everyone(world: World) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    _fail_until_locked(attacker, "p1")
    assert _login(attacker, "p1", PASSWORD) == "throttled"
    # The person, from their own address, still logs in.
    assert _login(Client(REMOTE_ADDR="198.51.100.20"), "p1", PASSWORD) == "in"


@pytest.mark.parametrize(
    "variant", ["p1 ", " p1", "p1\t", "\tp1", "P1", full_width("p1"), f" {full_width('P1')} "]
)
def test_username_variants_share_the_lock_and_the_account(world: World, variant: str) -> None:
    client = Client(REMOTE_ADDR="203.0.113.5")
    _fail_until_locked(client, "p1")
    assert _login(client, variant, PASSWORD) == "throttled"
    # From elsewhere, the variant is the same account.
    other = Client(REMOTE_ADDR="198.51.100.5")
    assert _login(other, variant, PASSWORD) == "in"
    assert int(other.session["_auth_user_id"]) == world.users[Persona.P1].pk


def test_kasper_variants_do_not_bypass_a_lock(db: None) -> None:
    kasper = services.create_user("kasper", PASSWORD)
    client = Client(REMOTE_ADDR="203.0.113.77")
    _fail_until_locked(client, "kasper")
    for variant in ("kasper ", " kasper", "kasper\t", full_width("kasper")):
        assert _login(client, variant, PASSWORD) == "throttled", variant
        assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.filter(username="kasper").count() == (
        settings.LOGIN_THROTTLE_MAX_PER_ACCOUNT
    )
    other = Client(REMOTE_ADDR="198.51.100.77")
    assert _login(other, full_width("kasper"), PASSWORD) == "in"
    assert int(other.session["_auth_user_id"]) == kasper.pk


def test_failed_login_and_login_are_audited(world: World) -> None:
    client = Client()
    _login(client, "p1", "wrong")
    _login(client, "p1", PASSWORD)
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.why == "username: p1"
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN, actor_id=world.users[Persona.P1].pk
    ).exists()


def test_password_change_is_throttled(world: World, client_as: Callable[[Persona], Client]) -> None:
    client = client_as(Persona.P1)
    url = reverse("accounts:password")
    new = "a-long-and-unusual-phrase"
    for _ in range(settings.LOGIN_THROTTLE_MAX_PER_ACCOUNT):
        response = client.post(url, {"oldpassword": "guess", "password1": new, "password2": new})
        assert response.status_code == 200
        assert THROTTLED not in response.content.decode()
    locked = client.post(url, {"oldpassword": PASSWORD, "password1": new, "password2": new})
    assert THROTTLED in locked.content.decode()
    world.users[Persona.P1].refresh_from_db()
    assert world.users[Persona.P1].check_password(PASSWORD)


# Password reset


def test_password_reset_answers_the_same_whether_the_address_exists(world: World) -> None:
    user = world.users[Persona.KEY_WORKER]
    user.email = "kw@example.org"
    user.save()
    url = reverse("account_reset_password")
    known = Client().post(url, {"email": "kw@example.org"})
    unknown = Client().post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kw@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link is not None
    client = Client()
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new = "a-long-and-unusual-phrase"
    done = client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # The link works once.
    again = Client().get(link.group(1), follow=True)
    assert "no longer valid" in again.content.decode()


def _reset_limits(settings: object, rate: str) -> None:
    settings.ACCOUNT_RATE_LIMITS = {  # type: ignore[attr-defined]
        **settings.ACCOUNT_RATE_LIMITS,  # type: ignore[attr-defined]
        "reset_password": rate,
    }


def test_password_reset_is_throttled_per_email(world: World, settings: object) -> None:
    _reset_limits(settings, "100/h/ip,2/h/key")
    url = reverse("account_reset_password")
    one = Client(REMOTE_ADDR="203.0.113.1")
    assert one.post(url, {"email": "a@example.org"}).status_code == 302
    assert one.post(url, {"email": "A@example.org "}).status_code == 302
    assert one.post(url, {"email": "a@example.org"}).status_code == 429
    # The same email from another address is refused too; another email is not.
    other = Client(REMOTE_ADDR="203.0.113.2")
    assert other.post(url, {"email": "a@example.org"}).status_code == 429
    assert other.post(url, {"email": "b@example.org"}).status_code == 302


def test_password_reset_is_throttled_per_address(world: World, settings: object) -> None:
    _reset_limits(settings, "3/h/ip,100/h/key")
    url = reverse("account_reset_password")
    one = Client(REMOTE_ADDR="203.0.113.1")
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        assert one.post(url, {"email": email}).status_code == 302
    assert one.post(url, {"email": "d@example.org"}).status_code == 429
    other = Client(REMOTE_ADDR="203.0.113.2")
    assert other.post(url, {"email": "d@example.org"}).status_code == 302


# Temporary passwords


def test_a_temporary_password_must_be_changed_before_anything_else(world: World) -> None:
    user = world.users[Persona.KEY_WORKER]
    services.set_temporary_password(Actor.system(), user, "given-by-someone-else")
    client = Client()
    assert _login(client, "key_worker", "given-by-someone-else") == "in"
    caseload = client.get(reverse("workspace:caseload"))
    assert caseload["Location"] == reverse("accounts:password")
    assert client.get(reverse("accounts:password")).status_code == 200
    new = "my-own-chosen-words"
    changed = client.post(
        reverse("accounts:password"),
        {"oldpassword": "given-by-someone-else", "password1": new, "password2": new},
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("workspace:caseload")).status_code == 200


def test_an_own_password_is_not_flagged(world: World) -> None:
    assert not User.objects.filter(must_change_password=True).exists()


# Sessions


def test_staff_session_ends_after_idle_time(
    world: World, client_as: Callable[[Persona], Client], settings: object
) -> None:
    client = client_as(Persona.KEY_WORKER)
    assert client.get(reverse("workspace:caseload")).status_code == 200
    session = client.session
    session[SEEN] = time.time() - settings.SESSION_TIMEOUTS["staff"]["idle"] - 5  # type: ignore[attr-defined]
    session.save()
    response = client.get(reverse("workspace:caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_the_same_idle_time_keeps_a_persons_session(
    world: World, client_as: Callable[[Persona], Client], settings: object
) -> None:
    settings.SESSION_TIMEOUTS = {  # type: ignore[attr-defined]
        "staff": {"idle": 60, "absolute": 3600},
        "person": {"idle": 600, "absolute": 7200},
    }
    person = client_as(Persona.P1)
    staff = client_as(Persona.KEY_WORKER)
    for client in (person, staff):
        session = client.session
        session[SEEN] = time.time() - 120
        session.save()
    assert person.get(reverse("portal:me")).status_code == 200
    assert staff.get(reverse("workspace:caseload")).status_code == 302


def test_absolute_timeout_ends_an_active_session(
    world: World, client_as: Callable[[Persona], Client], settings: object
) -> None:
    client = client_as(Persona.P1)
    session = client.session
    session[STARTED] = time.time() - settings.SESSION_TIMEOUTS["person"]["absolute"] - 5  # type: ignore[attr-defined]
    session.save()
    assert client.get(reverse("portal:me")).status_code == 302


def test_log_out_everywhere_ends_every_session(
    world: World, client_as: Callable[[Persona], Client]
) -> None:
    phone = client_as(Persona.P1)
    laptop = client_as(Persona.P1)
    someone_else = client_as(Persona.P2)
    assert laptop.get(reverse("accounts:security")).status_code == 200
    response = phone.post(reverse("accounts:end_sessions"))
    assert response["Location"] == reverse("accounts:login")
    assert phone.get(reverse("portal:me")).status_code == 302
    assert laptop.get(reverse("portal:me")).status_code == 302
    assert someone_else.get(reverse("portal:me")).status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.END, object_id=str(world.users[Persona.P1].pk)
    ).exists()
    # Logging in again works.
    assert _login(Client(), "p1", PASSWORD) == "in"


# Two-step verification


def _totp(secret: str, at: float | None = None) -> str:
    """RFC 6238, computed here rather than by the library under test."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _confirm_password(client: Client) -> None:
    """Adding a second factor asks for the password again first."""
    setup = reverse("mfa_activate_totp")
    response = client.get(setup)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    confirmed = client.post(response["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302


def _require_mfa(world: World) -> None:
    services.set_mfa_required(Actor.system(), world.hospital, True)


def test_staff_of_an_organisation_requiring_mfa_are_led_to_set_it_up(world: World) -> None:
    _require_mfa(world)
    client = Client()
    assert _login(client, "key_worker", PASSWORD) == "in"
    response = client.get(reverse("workspace:caseload"))
    assert response["Location"] == reverse("mfa_activate_totp")
    _confirm_password(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    # Staff of the municipality (not requiring it) and persons go on as before.
    caseworker = Client()
    _login(caseworker, "caseworker", PASSWORD)
    assert caseworker.get(reverse("workspace:caseload")).status_code == 200
    person = Client()
    _login(person, "p1", PASSWORD)
    assert person.get(reverse("portal:me")).status_code == 200


def test_totp_enrolment_then_login_asks_for_the_code(world: World) -> None:
    _require_mfa(world)
    client = Client()
    _login(client, "key_worker", PASSWORD)
    _confirm_password(client)
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = client.session["mfa.totp.secret"]
    assert secret in page  # shown for typing into an app, next to the QR code
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    enrolled = client.post(reverse("mfa_activate_totp"), {"code": _totp(secret)})
    assert enrolled.status_code == 302
    assert client.get(reverse("workspace:caseload")).status_code == 200
    # The secret is not stored in plain text.
    stored = Authenticator.objects.get(
        user=world.users[Persona.KEY_WORKER], type=Authenticator.Type.TOTP
    )
    assert secret not in str(stored.data)
    assert stored.data["secret"].startswith("fernet:")
    client.post(reverse("accounts:logout"))

    # Logging in now asks for a code after the password.
    cache.clear()  # codes are single use within their 30 seconds; start a fresh window
    again = Client()
    step = _login(again, "key_worker", PASSWORD)
    assert step == reverse("mfa_authenticate")
    assert "_auth_user_id" not in again.session
    refused = again.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in again.session
    accepted = again.post(reverse("mfa_authenticate"), {"code": _totp(secret)})
    assert accepted.status_code == 302
    assert again.get(reverse("workspace:caseload")).status_code == 200


def test_mfa_rule_is_recorded_per_organisation(world: World) -> None:
    _require_mfa(world)
    assert OrganisationSecurity.objects.get(organisation=world.hospital).mfa_required
    assert not OrganisationSecurity.objects.filter(organisation=world.municipality).exists()
    assert AuditEvent.objects.filter(object_type="accounts.OrganisationSecurity").count() == 1
