"""Discharge in a browser: the key worker tries to end Maja's stay and is refused, because no
place to live is arranged; Mette, her municipal caseworker, records the housing offer; the key
worker records the rest and the discharge is accepted. Maja, on her phone, reads the handover
summary, adds a comment and approves it; the PDF and the FHIR Bundle can then be downloaded.
Axe-core checks every page on the way, errors included."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.discharge.defaults import sync_default_items
from alongside.discharge.models import ChecklistEntry, DischargeOverride, HandoverComment
from alongside.people.models import Person, Stay, StayStatus
from alongside.plans.models import Goal, Origin
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    PageProblems,
    assert_accessible,
    log_in,
    screenshot,
)

OpenPage = Callable[..., tuple[Page, PageProblems]]

HOUSING = "A place to live is arranged"
HOUSING_OFFER = "Supported flat on Havnegade, from the municipal housing team"
MAJA_SAYS = "I would like the first visit to be in the afternoon, please."


def record(page: Page, label: str, status: str, details: str = "", date: str = "") -> None:
    group = page.get_by_role("group", name=label)
    group.get_by_label("Where this stands").select_option(status)
    if details:
        group.get_by_label("Details").fill(details)
    if date:
        group.get_by_label("Date").fill(date)


def key_worker_is_refused(page: Page, maja: int) -> None:
    log_in(page, "kasper")
    page.goto(f"/persons/{maja}/discharge/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Is Maja ready for discharge?")
    expect(page.get_by_role("region", name="Still open")).to_contain_text(HOUSING)
    assert_accessible(page)
    page.get_by_role("link", name="End the stay").click()
    page.get_by_role("button", name="End the stay").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The stay cannot end yet")
    expect(alert).to_contain_text(HOUSING)
    assert Stay.objects.get(person_id=maja, status=StayStatus.ACTIVE)
    assert_accessible(page)
    screenshot(page, "discharge-refused")


def caseworker_records_the_housing_offer(page: Page, maja: int) -> None:
    log_in(page, "mette")
    page.goto(f"/persons/{maja}/discharge/")
    assert_accessible(page)
    today = timezone.localdate().isoformat()
    record(page, HOUSING, "done", HOUSING_OFFER, today)
    page.get_by_role("button", name="Save the checklist").click()
    expect(page.get_by_role("status")).to_contain_text("The checklist is saved.")
    expect(page.get_by_role("group", name=HOUSING)).to_contain_text(HOUSING_OFFER)
    expect(page.get_by_role("region", name="Still open")).not_to_contain_text(HOUSING)
    entry = ChecklistEntry.objects.get(item__code="offer_housing", checklist__stay__person_id=maja)
    assert entry.recorded_by.username == "mette"
    assert_accessible(page)
    screenshot(page, "discharge-caseworker-housing")


def key_worker_completes_and_discharges(page: Page, maja: int) -> None:
    page.goto(f"/persons/{maja}/discharge/")
    today = timezone.localdate().isoformat()
    record(page, "Support in daily life is arranged", "done", "Home support twice a week")
    record(page, "Treatment or a daytime activity is arranged", "done", "The bakery workshop")
    record(page, "The person says yes to the plan", "done", "Maja: 'I am ready.'")
    record(page, "The crisis plan has been gone through again", "done", "Together on Monday")
    record(page, "A first follow-up contact is booked", "done", "Kasper phones", today)
    page.get_by_role("button", name="Save the checklist").click()
    expect(page.get_by_role("region", name="Still open")).to_contain_text(
        "Every required item is in place."
    )
    assert_accessible(page)
    page.get_by_role("link", name="End the stay").click()
    assert_accessible(page)
    page.get_by_role("button", name="End the stay").click()
    expect(page.get_by_role("status")).to_contain_text("The stay has ended.")
    assert not Stay.objects.filter(person_id=maja, status=StayStatus.ACTIVE).exists()
    assert not DischargeOverride.objects.exists()
    assert_accessible(page)

    page.get_by_role("link", name="Handover summary").click()
    page.get_by_role("button", name="Draft the summary").click()
    expect(page.get_by_role("status")).to_contain_text("The summary is drafted.")
    expect(page.get_by_role("region", name="Offers after discharge")).to_contain_text(HOUSING_OFFER)
    assert_accessible(page)
    screenshot(page, "handover-staff")


def maja_approves_on_her_phone(page: Page, maja: int, goal: str) -> None:
    log_in(page, "maja")
    page.goto(f"/persons/{maja}/discharge/handover/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your handover summary")
    expect(page.get_by_role("region", name="Goals, in the person's own words")).to_contain_text(
        goal
    )
    assert_accessible(page)
    page.get_by_label("Your comment").fill(MAJA_SAYS)
    page.get_by_role("button", name="Approve the summary").click()
    expect(page.get_by_role("status")).to_contain_text("You have approved the summary.")
    expect(page.get_by_role("region", name="The person's comments")).to_contain_text(MAJA_SAYS)
    assert HandoverComment.objects.get().text == MAJA_SAYS
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert_accessible(page)
    screenshot(page, "handover-approved-phone")

    pdf = page.request.get(f"/persons/{maja}/discharge/handover/pdf/")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    fhir = page.request.get(f"/persons/{maja}/discharge/handover/fhir/")
    assert fhir.status == 200
    assert fhir.headers["content-type"] == "application/fhir+json"
    types = {e["resource"]["resourceType"] for e in json.loads(fhir.body())["entry"]}
    assert {"Patient", "CareTeam", "CarePlan", "Goal"} <= types


def test_discharge_waits_for_housing_and_maja_approves_the_handover(
    open_page: OpenPage,
) -> None:
    sync_default_items()  # transactional tests before this one may have emptied the table
    maja = Person.objects.get(user__username="maja").pk
    goal = Goal.objects.filter(person_id=maja, origin=Origin.PERSON).order_by("pk").first()
    assert goal is not None
    staff_page, staff_problems = open_page(DESKTOP)
    key_worker_is_refused(staff_page, maja)
    caseworker_page, caseworker_problems = open_page(DESKTOP)
    caseworker_records_the_housing_offer(caseworker_page, maja)
    key_worker_completes_and_discharges(staff_page, maja)
    phone, phone_problems = open_page(PHONE)
    maja_approves_on_her_phone(phone, maja, goal.text)
    for problems in (staff_problems, caseworker_problems, phone_problems):
        assert problems.messages == []


def test_a_team_leader_adds_an_item_to_the_organisations_checklist(open_page: OpenPage) -> None:
    sync_default_items()
    page, problems = open_page(DESKTOP)
    log_in(page, "line")
    page.goto("/discharge/checklist-items/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Discharge checklist of")
    assert_accessible(page)
    page.get_by_label("Code").fill("gp_informed")
    page.get_by_label("Kind").select_option("follow_up")
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("alert")).to_contain_text("Write the item in each language.")
    assert_accessible(page)
    page.get_by_label("In English").fill("The GP knows")
    page.get_by_label("In Danish").fill("Egen læge ved det")
    page.get_by_label("In Japanese").fill("かかりつけ医が知っている")
    page.get_by_label("Required before discharge").uncheck()
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("status")).to_contain_text("The item is added.")
    # Hiding a required item is a service manager's decision; an optional one, hers.
    expect(page.locator("main")).to_contain_text("Only a service manager can decide to hide")
    page.get_by_role("button", name="Hide “The GP knows”").click()
    expect(page.get_by_role("button", name="Show “The GP knows” again")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "discharge-checklist-items")
    assert problems.messages == []
