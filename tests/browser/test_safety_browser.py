"""Restrictive practice and shared decisions in a real browser: the key worker records a restraint
episode and the debrief with the person's own account; records a shared decision with two options;
the person marks their preference. axe-core on every page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.people.models import Person
from tests.browser.conftest import DESKTOP, PHONE, PageProblems, assert_accessible, log_in

OpenPage = Callable[..., tuple[Page, PageProblems]]


def _when(hours_ago: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def test_restraint_debrief_and_shared_decision(open_page: OpenPage) -> None:
    maja = Person.objects.get(user__username="maja").pk
    desk, desk_problems = open_page(DESKTOP)
    log_in(desk, "kasper")
    desk.goto(f"/workspace/persons/{maja}/")
    desk.get_by_role("link", name="Restrictive measures").click()
    desk.get_by_label("Measure", exact=True).select_option(label="Physical holding")
    desk.get_by_label("Started", exact=True).fill(_when(30))
    desk.get_by_label("Ended", exact=True).fill(_when(29.5))
    desk.get_by_label("Reason", exact=True).fill("Threw a chair towards another resident")
    desk.get_by_label("Less restrictive alternatives tried").fill("Talking; a quiet room")
    desk.get_by_role("button", name="Save").click()
    expect(desk.locator(".card").first).to_contain_text("Debrief due by")
    assert_accessible(desk)
    desk.get_by_role("link", name="Record the debrief").click()
    desk.get_by_label("The person's own account, in their words").fill(
        "Too many people around me. I needed space, not hands."
    )
    desk.get_by_label("What could prevent it next time").fill("Offer the garden first")
    desk.get_by_label("Should the crisis plan change? How?").fill("Add: give me space outside")
    desk.get_by_role("button", name="Save the debrief").click()
    expect(desk.locator(".card").first).to_contain_text("I needed space, not hands.")
    assert_accessible(desk)

    desk.goto(f"/persons/{maja}/crisis/decisions/")
    desk.get_by_label("The question", exact=True).fill("Try a new sleeping tablet?")
    desk.get_by_label("What matters to the person, in their words").fill("Not feeling slow at work")
    desk.get_by_label("Option 1", exact=True).fill("Try the new tablet")
    desk.get_by_label("Option 2", exact=True).fill("Keep as it is")
    desk.get_by_label("An advocate or peer supporter was offered").check()
    desk.get_by_role("button", name="Save").click()
    expect(desk.locator(".decision").first).to_contain_text("Try a new sleeping tablet?")
    assert_accessible(desk)

    phone, phone_problems = open_page(PHONE)
    log_in(phone, "maja")
    phone.get_by_role("link", name="Decisions made together").click()
    decision = phone.locator(".decision").first
    decision.get_by_label("Keep as it is").check()
    decision.get_by_role("button", name="Save my preference").click()
    expect(phone.locator(".decision").first).to_contain_text("Your preference")
    assert_accessible(phone)
    phone.goto(f"/persons/{maja}/crisis/restrictive/")
    expect(phone.locator("main")).to_contain_text("I needed space, not hands.")
    assert_accessible(phone)
    assert desk_problems.messages == []
    assert phone_problems.messages == []
