"""The plan, end to end in a real browser: the person sorts cards, writes a goal with two steps and
checks in; the key worker sees it, sets a clinical goal, logs time together and writes a note with
the person; the person comments on the note, disagrees with the clinical goal, the side-by-side
view shows the disagreement, and the person downloads the PDF, whose text is checked. axe-core
checks every page on the way."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from alongside.people.models import Person
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    PageProblems,
    assert_accessible,
    log_in,
    screenshot,
)

OpenPage = Callable[..., tuple[Page, PageProblems]]
GOAL = "Find a flat near the harbour"
CLINICAL_GOAL = "Join the ward's morning meeting"


def person_sorts_cards_and_writes_a_goal(page: Page) -> None:
    log_in(page, "maja")
    page.get_by_role("link", name="Open my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    assert_accessible(page)
    # The demo gives Maja an earlier sort; a new person would see "Start the card sort".
    page.get_by_role("link", name=re.compile("Start the card sort|Sort the cards again")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What matters to me")
    assert_accessible(page)
    page.get_by_role("group", name="A home").get_by_label("Matters a lot").check()
    page.get_by_role("group", name="Family").get_by_label("Matters a lot").check()
    page.get_by_role("group", name="Work").get_by_label("Matters somewhat").check()
    page.get_by_label("What is on the card").first.fill("Drawing birds")
    page.get_by_role("button", name="Save my cards").click()

    matters = page.get_by_role("region", name="What matters to me")
    expect(matters.locator(".chip", has_text="A home")).to_be_visible()
    expect(matters.locator(".chip", has_text="Drawing birds")).to_be_visible()

    page.get_by_role("link", name="Write a goal").click()
    assert_accessible(page)
    page.get_by_label("The goal, in your own words").fill(GOAL)
    page.get_by_label("Hope and optimism", exact=False).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(GOAL)

    next_week = (timezone.localdate() + timedelta(days=7)).isoformat()
    for text, who, due in (
        ("Look at flats online", "Kasper", ""),
        ("Visit the housing office", "Mette", next_week),
    ):
        page.get_by_label("Next small step").fill(text)
        page.get_by_label("Who helps").fill(who)
        if due:
            page.get_by_label("By when (optional)").fill(due)
        page.get_by_role("button", name="Add step").click()
        expect(page.get_by_role("region", name="Small next steps")).to_contain_text(text)

    page.get_by_label("How far along are you?", exact=False).fill("3")
    page.get_by_label("Anything to add? (optional)").fill("Just starting")
    page.get_by_role("button", name="Save how it is going").click()
    expect(page.get_by_role("region", name="How is it going?")).to_contain_text("3/10")
    assert_accessible(page)
    screenshot(page, "plan-goal-phone")


def key_worker_sees_the_goal_and_sets_a_clinical_goal(page: Page, person_id: int) -> None:
    log_in(page, "kasper")
    page.get_by_role("link", name="Maja", exact=True).click()
    overview = page.get_by_role("region", name="What matters to them")
    expect(overview).to_contain_text("A home")
    expect(overview).to_contain_text(GOAL)
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/persons/{person_id}/plan/$"))
    expect(page.get_by_role("region", name="Their own goals")).to_contain_text(GOAL)
    assert_accessible(page)
    page.get_by_role("link", name="Set a clinical or service goal").click()
    page.get_by_label("The goal, in your own words").fill(CLINICAL_GOAL)
    page.get_by_label("Whose goal is this?").select_option("clinical")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CLINICAL_GOAL)
    page.get_by_label(GOAL).check()
    page.get_by_role("button", name="Save links").click()
    expect(page.get_by_role("region", name="What Maja thinks of this goal")).to_contain_text(GOAL)
    assert_accessible(page)

    page.goto(f"/workspace/persons/{person_id}/")
    page.get_by_role("link", name="Time together").click()
    page.get_by_label("What did you do together?").fill("Fixed a bike in the workshop")
    page.get_by_label("For how long (minutes)").fill("90")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("region", name="Recently")).to_contain_text(
        "Fixed a bike in the workshop"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Notes", exact=True).click()
    page.get_by_label("What we talked about").fill("Flats near the harbour and the housing office")
    page.get_by_label("What the person said, in their own words").fill(
        "I want a window where I can see the boats"
    )
    page.get_by_label("What we agreed").fill("Kasper phones the housing office on Monday")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".note").first).to_contain_text("Not seen by Maja yet")
    assert_accessible(page)
    screenshot(page, "notes-key-worker")


def person_comments_on_the_note(page: Page, person_id: int) -> None:
    page.goto("/me/")
    page.get_by_role("link", name="Notes about me").click()
    page.locator(".note").first.get_by_role("link").click()
    expect(page.locator(".note")).to_contain_text("I want a window where I can see the boats")
    page.get_by_label("Is this a comment or a correction?").select_option("correction")
    page.get_by_label("Your words").fill("I also said: near a bus stop")
    page.get_by_role("button", name="Add my comment").click()
    expect(page.locator(".comment")).to_contain_text("I also said: near a bus stop")
    page.get_by_role("button", name="This is right").click()
    expect(page.locator(".note")).to_contain_text("Confirmed by Maja")
    assert_accessible(page)
    screenshot(page, "note-person-phone")


def person_disagrees_and_side_by_side_shows_it(page: Page, person_id: int) -> None:
    page.goto(f"/persons/{person_id}/plan/")
    page.get_by_role("link", name=CLINICAL_GOAL).click()
    page.get_by_label("My view of this goal").select_option("disagree")
    page.get_by_label("In your own words (optional)").fill("Mornings are hard for me")
    page.get_by_role("button", name="Save my view").click()
    expect(page.get_by_role("region", name="What do you think of this goal?")).to_contain_text(
        "Mornings are hard for me"
    )
    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("link", name="Whose goal is it? All goals side by side").click()
    clinical = page.get_by_role("region", name="Clinical team's goals")
    expect(clinical).to_contain_text(CLINICAL_GOAL)
    expect(clinical).to_contain_text("I disagree")
    expect(clinical).to_contain_text("Maja has not agreed to this goal.")
    assert_accessible(page)
    screenshot(page, "plan-side-by-side-phone")


def person_downloads_the_pdf(page: Page, person_id: int) -> None:
    page.goto(f"/persons/{person_id}/plan/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    data = Path(download.value.path()).read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    for expected in (GOAL, "Look at flats online", "A home", CLINICAL_GOAL, "Mornings are hard"):
        assert expected in text, expected


def test_plan_journey(open_page: OpenPage) -> None:
    maja_id = Person.objects.get(user__username="maja").pk
    phone, phone_problems = open_page(PHONE)
    person_sorts_cards_and_writes_a_goal(phone)

    desk, desk_problems = open_page(DESKTOP)
    key_worker_sees_the_goal_and_sets_a_clinical_goal(desk, maja_id)

    person_comments_on_the_note(phone, maja_id)
    person_disagrees_and_side_by_side_shows_it(phone, maja_id)
    person_downloads_the_pdf(phone, maja_id)
    assert phone_problems.messages == []
    assert desk_problems.messages == []
