"""Small things seen on the way: at 320 px no heading runs off the screen (the restrictive practice
register in Danish, the handover page); after a form is saved, focus goes to the success message,
and after a refused one to the list of errors, so a phone user hears it at once."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.discharge.defaults import sync_default_items
from alongside.people.models import Person
from tests.browser.conftest import PageProblems, assert_accessible, log_in, screenshot

OpenPage = Callable[..., tuple[Page, PageProblems]]
NARROW = {"width": 320, "height": 640}

OVERFLOWING = """() => [...document.querySelectorAll('h1, h2, h3')]
  .filter(h => h.scrollWidth > h.clientWidth + 1 || h.getBoundingClientRect().right > 321)
  .map(h => h.textContent.trim())"""


def choose_language(page: Page, language: str) -> None:
    page.locator("#language-choice").select_option(language)
    page.locator(".language-form button").click()
    page.wait_for_load_state()


def test_headings_fit_at_320_px(open_page: OpenPage) -> None:
    sync_default_items()
    maja = Person.objects.get(user__username="maja").pk
    page, problems = open_page(NARROW)
    log_in(page, "kasper")
    choose_language(page, "da")
    for path, name in (
        (f"/persons/{maja}/crisis/restrictive/", "restrictive-da"),
        (f"/persons/{maja}/discharge/handover/", "handover-da"),
        ("/notifications/", "notifications-da"),
    ):
        page.goto(path)
        assert page.evaluate(OVERFLOWING) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], path
        screenshot(page, f"narrow-{name}")
    choose_language(page, "en")
    page.goto(f"/persons/{maja}/discharge/handover/")
    assert page.evaluate(OVERFLOWING) == []
    assert problems.messages == []


def test_focus_goes_to_the_message_after_saving_and_to_the_errors_after_a_refusal(
    open_page: OpenPage,
) -> None:
    page, problems = open_page(NARROW)
    log_in(page, "maja")
    page.goto("/notifications/")
    page.get_by_role("button", name="Save").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Your choices are saved.")
    expect(status).to_be_focused()
    assert_accessible(page)

    maja = Person.objects.get(user__username="maja").pk
    page.goto(f"/persons/{maja}/crisis/new-version/")
    for box in page.locator("main textarea").all():
        box.fill("")
    page.get_by_role("button", name="Save this version").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Write at least one part of the plan.")
    expect(alert).to_be_focused()
    assert_accessible(page)
    assert problems.messages == []
