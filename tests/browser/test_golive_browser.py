"""A go-live in a browser, from an empty database: the first service administrator imports the
CSV files (a dry run, then for real), requires two-step verification of its staff, invites a
nurse, who accepts the link, sets a password and is led to set up an authenticator app (the test
reads the secret on the page and computes the code itself); the administrator registers and
admits a person and prints the activation code; the person activates their login on a
phone-sized window and sees their page; the nurse sees the person on the caseload; ending the
nurse's role removes the access on the next request. Axe-core checks every administration page
on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Browser, BrowserContext, Page, expect

from alongside.administration import services
from alongside.organisations.models import StaffRole, Unit
from alongside.people.models import Person
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, screenshot
from tests.totp import fresh_totp

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ADMIN_EMAIL = "sam.berg@region-north.example"
ADMIN_PASSWORD = "steady-harbour-lantern-42"
NURSE_PASSWORD = "quiet-orchard-bicycle-17"
PERSON_PASSWORD = "my-own-sunny-window-8"


@pytest.fixture
def region(frameworks_loaded: None) -> None:
    """What `alongside create_organisation` leaves behind: one organisation, one administrator."""
    services.create_organisation_with_administrator(
        code="region-north",
        name="Region North Psychiatry",
        kind="hospital",
        admin_username=ADMIN_EMAIL,
        admin_name="Sam Berg",
        admin_email=ADMIN_EMAIL,
        admin_password=ADMIN_PASSWORD,
    )


@pytest.fixture
def contexts(browser: Browser, live_server: Any) -> Iterator[dict[str, BrowserContext]]:
    made = {
        "admin": browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=live_server.url),  # type: ignore[arg-type]
        "nurse": browser.new_context(viewport=DESKTOP, locale="en-GB", base_url=live_server.url),  # type: ignore[arg-type]
        "person": browser.new_context(viewport=PHONE, locale="en-GB", base_url=live_server.url),  # type: ignore[arg-type]
    }
    yield made
    for context in made.values():
        context.close()


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def import_file(page: Page, name: str, created: int) -> None:
    page.goto("/administration/import/")
    page.get_by_label("CSV file").set_input_files(str(EXAMPLES / name))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_test_id("import-counts")).to_contain_text(f"{created} to create")
    assert_accessible(page)
    page.get_by_role("button", name="Import for real").click()
    expect(page.get_by_role("status")).to_contain_text("The file is imported.")


def test_a_service_goes_live(region: None, contexts: dict[str, BrowserContext]) -> None:
    admin = contexts["admin"].new_page()
    log_in(admin, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(admin.get_by_role("heading", level=1)).to_have_text("Running Region North Psychiatry")
    assert_accessible(admin)

    # 1. The go-live import: units, staff, persons with stays; each checked first.
    import_file(admin, "units.csv", 3)
    screenshot(admin, "golive-import-units")
    import_file(admin, "staff.csv", 3)
    import_file(admin, "persons.csv", 3)
    assert Unit.objects.filter(organisation__code="region-north").count() == 3
    assert Person.objects.count() == 3
    for address in ("/administration/units/", "/administration/staff/", "/administration/persons/"):
        admin.goto(address)
        assert_accessible(admin)
    expect(admin.locator("main")).to_contain_text("Signe Mølgaard Dahl")

    # 2. Staff must use two-step verification, set on the administration's own page.
    admin.get_by_role("link", name="Sign-in security").click()
    assert_accessible(admin)
    admin.get_by_label("Staff must use two-step verification").check()
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_role("status")).to_contain_text("Staff must now use two-step verification.")
    expect(admin.get_by_test_id("mfa-rule")).to_contain_text("staff must use")

    # 3. Invite a nurse to North Ward.
    admin.goto("/administration/staff/invite/")
    assert_accessible(admin)
    admin.get_by_label("Name", exact=True).fill("Nadia Holm")
    admin.get_by_label("Email").fill("nadia.holm@region-north.example")
    first_role = admin.get_by_role("group", name="Role", exact=True)
    first_role.get_by_label("Unit").select_option(label="North Ward")
    first_role.get_by_label("Role").select_option("nurse")
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Invitation sent")
    link = admin.get_by_label("Invitation link").input_value()

    # 4. The nurse accepts the link and sets a password; before anything else she sets up an
    # authenticator app, then lands on her caseload.
    nurse = contexts["nurse"].new_page()
    nurse.goto(link)
    assert_accessible(nurse)
    nurse.get_by_label("Choose a password").fill(NURSE_PASSWORD)
    nurse.get_by_label("The same password again").fill(NURSE_PASSWORD)
    nurse.get_by_role("button", name="Set my password").click()
    # Adding a second factor asks for the password once more.
    expect(nurse).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    expect(nurse.locator(".messages")).to_contain_text("two-step verification")
    nurse.get_by_label("Password").fill(NURSE_PASSWORD)
    nurse.get_by_label("Password").press("Enter")
    expect(nurse).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert_accessible(nurse)
    screenshot(nurse, "golive-nurse-totp")
    # Nowhere else to go until it is done: the caseload leads back here (with a new secret).
    nurse.goto("/workspace/")
    expect(nurse).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = nurse.get_by_label("Authenticator secret").input_value()
    assert len(secret) >= 16
    wrong = "000000" if fresh_totp(secret) != "000000" else "111111"
    nurse.get_by_label("Authenticator code").fill(wrong)
    nurse.get_by_role("button", name="Activate").click()
    expect(nurse.get_by_text("Incorrect code.", exact=True)).to_be_visible()
    # A wrong code keeps the same secret, so the app set up from it still works.
    assert nurse.get_by_label("Authenticator secret").input_value() == secret
    nurse.get_by_label("Authenticator code").fill(fresh_totp(secret))
    nurse.get_by_role("button", name="Activate").click()
    nurse.wait_for_url(lambda url: "/accounts/2fa/totp/activate/" not in url)
    assert Authenticator.objects.filter(
        user__username="nadia.holm@region-north.example", type=Authenticator.Type.TOTP
    ).exists()
    nurse.goto("/")
    expect(nurse.get_by_role("heading", level=1)).to_have_text("My caseload")
    expect(nurse.locator("main")).to_contain_text("Signe")

    # 5. The administrator registers and admits a person, and prints the activation code.
    admin.goto("/administration/persons/new/")
    assert_accessible(admin)
    admin.get_by_label("Full name").fill("Emil Krogh")
    admin.get_by_label("Preferred name").fill("Emil")
    admin.get_by_label("CPR number").fill("241198-1236")
    admin.get_by_role("button", name="Register").click()
    expect(admin.get_by_role("status")).to_contain_text("Emil is registered.")
    assert_accessible(admin)
    admit = admin.get_by_role("region", name="Admit")
    admit.get_by_label("Unit").select_option(label="North Ward")
    admit.get_by_role("button", name="Admit").click()
    expect(admin.get_by_role("status")).to_contain_text("The stay has started.")
    admin.get_by_role("link", name="Give an activation code").click()
    assert_accessible(admin)
    admin.get_by_role("button", name="Make the code").click()
    code = admin.get_by_test_id("activation-code").inner_text()
    expect(admin.locator("figure.activation-qr svg")).to_be_visible()
    assert_accessible(admin)
    screenshot(admin, "golive-activation-sheet")
    admin.emulate_media(media="print")
    expect(admin.locator(".site-header")).to_be_hidden()
    admin.emulate_media(media="screen")

    # 6. Emil activates his login on his own phone and sees his page.
    person = contexts["person"].new_page()
    person.goto("/activate/")
    assert_accessible(person)
    person.get_by_label("Your activation code").fill(code.lower().replace("-", " "))
    person.get_by_role("button", name="Continue").click()
    person.get_by_label("Choose a password").fill(PERSON_PASSWORD)
    person.get_by_label("The same password again").fill(PERSON_PASSWORD)
    person.get_by_role("button", name="Set my password").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Hello, Emil")
    screenshot(person, "golive-person-phone")

    # 7. The nurse sees Emil on her caseload.
    nurse.goto("/workspace/")
    expect(nurse.locator("main")).to_contain_text("Emil")
    emil = Person.objects.get(name="Emil Krogh")
    nurse.goto(f"/workspace/persons/{emil.pk}/")
    expect(nurse.get_by_role("heading", level=1)).to_contain_text("Emil")

    # 8. The administrator ends her role; the next request finds no access.
    role = StaffRole.objects.get(user__username="nadia.holm@region-north.example")
    admin.goto(f"/administration/staff/{role.user_id}/")
    assert_accessible(admin)
    admin.get_by_role("button", name="End Nurse in North Ward").click()
    expect(admin.get_by_role("status")).to_contain_text("The role has ended.")
    response = nurse.goto(f"/workspace/persons/{emil.pk}/")
    assert response is not None
    assert response.status == 404
