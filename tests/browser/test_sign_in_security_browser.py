"""The administration's sign-in security pages in a browser, by keyboard, checked with axe: the
administrator requires two-step verification, then makes a temporary password for a staff member
who forgot theirs; it is shown once, and the staff member must choose their own at login."""

from __future__ import annotations

import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, expect

from alongside.accounts.models import OrganisationSecurity, User
from alongside.accounts.services import create_user
from alongside.administration import services
from alongside.audit.log import Actor
from alongside.organisations import services as organisations
from alongside.organisations.models import Role
from tests.browser.conftest import DESKTOP, assert_accessible, log_in, screenshot

ADMIN = "sam.berg@region-north.example"
ADMIN_PASSWORD = "steady-harbour-lantern-42"
NEW_PASSWORD = "bright-kettle-meadow-31"


def test_administrator_sets_the_rule_and_a_temporary_password(
    browser: Browser, live_server: Any, frameworks_loaded: None
) -> None:
    organisation, admin_user = services.create_organisation_with_administrator(
        code="region-north",
        name="Region North Psychiatry",
        kind="hospital",
        admin_username=ADMIN,
        admin_name="Sam Berg",
        admin_email=ADMIN,
        admin_password=ADMIN_PASSWORD,
    )
    actor = Actor(admin_user, "service_admin")
    ward = services.create_unit(actor, organisation, code="north", name="North Ward", kind="ward")
    nurse = create_user("nadia", "forgotten-password-77", display_name="Nadia Holm")
    organisations.assign_role(
        Actor.system(), nurse, ward, Role.NURSE, started_on=timezone.localdate()
    )

    context = browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=live_server.url)  # type: ignore[arg-type]
    page = context.new_page()
    log_in(page, ADMIN, ADMIN_PASSWORD)

    # The rule, by keyboard.
    page.goto("/administration/security/")
    assert_accessible(page)
    expect(page.get_by_test_id("mfa-rule")).to_contain_text("optional")
    box = page.get_by_label("Staff must use two-step verification")
    expect(box).not_to_be_checked()
    box.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Staff must now use two-step verification.")
    assert OrganisationSecurity.objects.get(organisation=organisation).mfa_required
    # Switched off again for the rest of this test.
    page.get_by_label("Staff must use two-step verification").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("mfa-rule")).to_contain_text("optional")

    # A temporary password for Nadia, from her page under Staff.
    page.goto("/administration/staff/")
    page.get_by_role("link", name="Nadia Holm").click()
    page.get_by_role("link", name="Make a temporary password").click()
    assert_accessible(page)
    button = page.get_by_role("button", name="Make a temporary password")
    button.focus()
    page.keyboard.press("Enter")
    shown = page.get_by_label("Temporary password")
    expect(shown).to_be_visible()
    password = shown.input_value()
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", password), password
    assert_accessible(page)
    screenshot(page, "administration-temporary-password")
    # Shown once: opening the address again does not show it again.
    page.goto(page.url)
    expect(page.get_by_label("Temporary password")).to_have_count(0)
    context.close()

    # Nadia logs in with it and must choose her own before anything else.
    hers = browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=live_server.url)  # type: ignore[arg-type]
    nadia = hers.new_page()
    log_in(nadia, "nadia", password)
    nadia.goto("/workspace/")
    expect(nadia).to_have_url(re.compile(r"/accounts/password/$"))
    expect(nadia.get_by_role("status")).to_contain_text("Someone else chose your current password")
    assert_accessible(nadia)
    nadia.get_by_label(re.compile("current password", re.I)).fill(password)
    nadia.get_by_label(re.compile(r"^new password$", re.I)).fill(NEW_PASSWORD)
    nadia.get_by_label(re.compile("again", re.I)).fill(NEW_PASSWORD)
    nadia.get_by_role("button", name="Change password").click()
    nadia.goto("/workspace/")
    expect(nadia.get_by_role("heading", level=1)).to_have_text("My caseload")
    hers.close()
    nurse = User.objects.get(pk=nurse.pk)
    assert not nurse.must_change_password
    assert nurse.check_password(NEW_PASSWORD)
