"""A network meeting in a browser: Kasper (key worker) plans a meeting with Maja and Mette, her
municipal caseworker; Maja's own goals open the agenda; he adds an action, first without an owner
(refused, the error announced), then owned by Mette. Mette logs in, finds it on her task list and
marks it done with the keyboard. Axe-core checks every page, errors included."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.meetings.models import Action
from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import Section
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

ACTION = "Ask the housing office about a flat near the harbour"
DONE = re.compile(rf"^Mark as done\s?: {ACTION}$")


def key_worker_plans_a_meeting(page: Page, maja: int) -> None:
    log_in(page, "kasper")
    page.goto(f"/persons/{maja}/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Network meetings with Maja")
    assert_accessible(page)
    page.get_by_role("link", name="Plan a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a meeting with Maja")
    assert_accessible(page)

    when = timezone.localtime() + timedelta(days=2)
    page.get_by_label("When", exact=True).fill(when.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Where", exact=True).fill("The garden room")
    page.get_by_label("What else the person wants to talk about").fill("Seeing Anders more")
    page.get_by_role("checkbox", name="Mette Juhl").check()
    page.get_by_role("button", name="Plan the meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Network meeting with Maja")
    agenda = page.get_by_role("region", name="Agenda")
    expect(agenda.locator("li").first).to_contain_text("Maja's point")
    expect(agenda).to_contain_text("Seeing Anders more")
    expect(page.get_by_role("region", name="Who takes part")).to_contain_text("Mette Juhl")
    assert_accessible(page)


def key_worker_adds_an_action_for_mette(page: Page) -> None:
    actions = page.get_by_role("region", name="Actions: who does what, by when")
    due = (timezone.localdate() + timedelta(days=9)).isoformat()
    actions.get_by_label("What will be done").fill(ACTION)
    actions.get_by_label("By when").fill(due)
    actions.get_by_role("button", name="Add the action").click()

    owner = page.get_by_label("Who does it")
    expect(owner).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Every action needs an owner.")
    expect(page.get_by_label("What will be done")).to_have_value(ACTION)
    assert_accessible(page)
    screenshot(page, "meeting-action-needs-owner")

    owner.select_option(label="Mette Juhl (Fjordby Municipality)")
    page.get_by_role("button", name="Add the action").click()
    actions = page.get_by_role("region", name="Actions: who does what, by when")
    expect(actions.locator(".card")).to_contain_text(ACTION)
    expect(actions.locator(".card")).to_contain_text("Mette Juhl")
    assert_accessible(page)
    screenshot(page, "meeting-key-worker")


def caseworker_marks_it_done(page: Page) -> None:
    log_in(page, "mette")
    page.goto("/meetings/tasks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My tasks")
    tasks = page.get_by_role("list", name="Open tasks, the earliest due first")
    expect(tasks).to_contain_text(ACTION)
    assert_accessible(page)
    screenshot(page, "tasks-caseworker")

    done = page.get_by_role("button", name=DONE)
    done.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Marked as done: {ACTION}")
    expect(page.get_by_role("region", name="Done recently")).to_contain_text(ACTION)
    expect(page.get_by_role("button", name=DONE)).to_have_count(0)
    assert_accessible(page)


SECTION_PAGES = {
    Section.PLAN: "/persons/{id}/plan/",
    Section.MEETINGS: "/persons/{id}/meetings/",
    Section.MEASURES: "/persons/{id}/measures/",
    Section.NOTES: "/persons/{id}/notes/",
    Section.CRISIS_PLAN: "/persons/{id}/crisis/",
}


def caseworker_sees_only_what_maja_allowed(page: Page, maja: int) -> None:
    """Each section page answers 200 if Maja gave Mette that section, and 404 if she did not."""
    membership = CareNetworkMembership.objects.get(person_id=maja, member__username="mette")
    allowed = set(membership.sections)
    assert Section.MEETINGS in allowed
    assert allowed != set(Section)
    for section, path in SECTION_PAGES.items():
        # The page's own request context carries Mette's session, without a console error per 404.
        response = page.request.get(path.format(id=maja))
        assert response.status == (200 if section in allowed else 404), (section, response.status)


def test_key_worker_plans_a_meeting_and_the_caseworker_does_her_action(
    open_page: OpenPage,
) -> None:
    maja = Person.objects.get(user__username="maja").pk
    staff_page, staff_problems = open_page(DESKTOP)
    key_worker_plans_a_meeting(staff_page, maja)
    key_worker_adds_an_action_for_mette(staff_page)
    assert staff_problems.messages == []

    phone, phone_problems = open_page(PHONE)
    caseworker_marks_it_done(phone)
    caseworker_sees_only_what_maja_allowed(phone, maja)
    assert phone_problems.messages == []

    action = Action.objects.get(text=ACTION)
    assert action.owner.username == "mette"
    assert action.done_by is not None
    assert action.done_by.username == "mette"
