"""The care network in a browser: Maja, on her phone, opens her network page, lets her caseworker
see her measures using only the keyboard, and the page says so in plain words. Her key worker
records a plan review with her view first. Axe-core checks each page, errors included."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.network.models import CareNetworkMembership
from alongside.people.models import Person
from alongside.reviews.models import Review
from tests.browser.conftest import PHONE, PageProblems, assert_accessible, log_in, screenshot

OpenPage = Callable[..., tuple[Page, PageProblems]]


def test_person_lets_the_caseworker_see_measures_by_keyboard_on_a_phone(
    open_page: OpenPage,
) -> None:
    page, problems = open_page(PHONE)
    log_in(page, "maja")
    page.get_by_role("link", name="Choose who sees what").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My network")
    mette = page.get_by_role("region", name="Mette Juhl")
    expect(mette).to_contain_text("Mette Juhl cannot see: Crisis plan, Measures, Notes.")
    assert_accessible(page)

    choices = mette.get_by_role("group", name="What Mette Juhl can see")
    measures = choices.get_by_role("checkbox", name="Measures")
    expect(measures).not_to_be_checked()
    measures.focus()
    page.keyboard.press("Space")
    expect(measures).to_be_checked()
    page.keyboard.press("Tab")  # Notes
    page.keyboard.press("Tab")  # the save button
    save = mette.get_by_role("button", name="Save what Mette Juhl can see")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(
        "Saved. Mette Juhl can now see: Recovery plan, Meetings, Measures."
    )
    mette = page.get_by_role("region", name="Mette Juhl")
    expect(mette).to_contain_text("Mette Juhl can see: Recovery plan, Meetings, Measures.")
    expect(mette).to_contain_text("Mette Juhl cannot see: Crisis plan, Notes.")
    membership = CareNetworkMembership.objects.get(
        person__user__username="maja", member__username="mette", ended_at__isnull=True
    )
    assert membership.sees_measures
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert_accessible(page)
    screenshot(page, "network-person-phone")
    assert problems.messages == []


def test_key_worker_records_a_review_with_the_persons_view_first(open_page: OpenPage) -> None:
    page, problems = open_page(PHONE)
    log_in(page, "kasper")
    maja = Person.objects.get(user__username="maja")
    page.goto(f"/persons/{maja.pk}/reviews/")
    expect(page.get_by_text("Due in 9 days")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record a review").click()
    assert_accessible(page)

    # A date in the future is refused beside the field, and announced.
    page.get_by_label("Date of the review").fill("2999-01-01")
    page.get_by_label("What went well, in the person's own words").fill("I fixed two bikes")
    page.get_by_label("The municipality took part").check()
    page.get_by_role("button", name="Save the review").click()
    held_on = page.get_by_label("Date of the review")
    expect(held_on).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("once it has been held")
    assert_accessible(page)

    held_on.fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_role("region", name="Maja's view")).to_contain_text("I fixed two bikes")
    assert_accessible(page)
    screenshot(page, "review-recorded")
    assert Review.objects.filter(person=maja).count() == 1
    assert problems.messages == []
