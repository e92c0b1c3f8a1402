"""A passkey as the second step, in Chromium with a virtual authenticator (Chrome DevTools
Protocol, WebAuthn domain): a staff member whose organisation requires two-step verification adds
a passkey instead of an authenticator app, logs out, logs in with the password and passes the
second step with the passkey; a wrong or missing passkey does not let anyone in.

The relying party id is the host the browser sees (``localhost`` for the live server; an IP
address is not a valid one). Passkeys are a second factor here, not a login of their own
(``MFA_PASSKEY_LOGIN_ENABLED`` is off): the username and password, with their throttling and
audit, stay the first step for everyone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from playwright.sync_api import CDPSession, Page, expect

from alongside.accounts.services import set_mfa_required
from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.demo.content import DEMO_PASSWORD
from alongside.organisations.models import StaffRole
from tests.browser.conftest import PageProblems, assert_accessible, log_in, screenshot

AUTHENTICATOR_OPTIONS = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def virtual_authenticator(page: Page) -> tuple[CDPSession, str]:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable", {"enableUI": False})
    added: dict[str, Any] = session.send(
        "WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR_OPTIONS}
    )
    return session, str(added["authenticatorId"])


def credentials(session: CDPSession, authenticator_id: str) -> list[dict[str, Any]]:
    found: dict[str, Any] = session.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator_id}
    )
    return list(found["credentials"])


def test_staff_member_adds_a_passkey_and_passes_the_second_step_with_it(
    open_page: Callable[..., tuple[Page, PageProblems]],
) -> None:
    kasper_role = StaffRole.objects.select_related("unit__organisation", "user").get(
        user__username="kasper", ended_on__isnull=True
    )
    kasper = kasper_role.user
    set_mfa_required(Actor.system(), kasper_role.unit.organisation, True)
    page, problems = open_page()
    session, authenticator = virtual_authenticator(page)

    # Required and not set up: the first page leads to two-step verification.
    log_in(page, "kasper")
    assert "localhost" in page.url, "WebAuthn needs a host name; an IP address is no RP id"
    page.goto("/workspace/")
    expect(page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))

    # A passkey instead of an authenticator app; adding it asks for the password again.
    page.goto("/accounts/2fa/webauthn/add/")
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    assert_accessible(page)
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    screenshot(page, "passkey-added")
    stored = Authenticator.objects.get(user=kasper, type=Authenticator.Type.WEBAUTHN)
    assert stored.data["name"] == "Work laptop"
    [credential] = credentials(session, authenticator)
    assert credential["rpId"] == "localhost"
    # A second factor, not a passkey login: allauth asks for a non-discoverable credential.
    assert credential["isResidentCredential"] is False
    # The passkey satisfies the organisation's rule: the caseload opens.
    page.goto("/workspace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()

    # Logging in again: the password, then the passkey.
    log_in(page, "kasper")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_accessible(page)
    used_before = credential["signCount"]
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    page.goto("/workspace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    [after] = credentials(session, authenticator)
    assert after["signCount"] > used_before
    assert AuditEvent.objects.filter(actor_id=kasper.pk, action=AuditAction.LOGIN).count() >= 2
    assert problems.messages == []


def test_without_the_passkey_the_second_step_is_not_passed(
    open_page: Callable[..., tuple[Page, PageProblems]],
) -> None:
    page, _problems = open_page()
    session, authenticator = virtual_authenticator(page)
    log_in(page, "kasper")
    page.goto("/accounts/2fa/webauthn/add/")
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_label("Password").press("Enter")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()

    # Another browser: the password is right, but its authenticator holds no passkey of his.
    other, _other_problems = open_page()
    virtual_authenticator(other)
    log_in(other, "kasper")
    expect(other).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    other.get_by_role("button", name="Use a security key").click()
    other.wait_for_timeout(1500)
    other.goto("/workspace/")
    assert "/workspace/" not in other.url or "/accounts/" in other.url
    expect(other.get_by_role("heading", level=1)).not_to_have_text("My caseload")
    session.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator})
