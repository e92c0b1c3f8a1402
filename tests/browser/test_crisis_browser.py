"""The crisis plan in a real browser: the person writes and confirms it; an on-call clinician of
the same hospital, outside the network, finds it by breaking the glass with a reason; the person
sees that access on their own page. axe-core on every page."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    PageProblems,
    assert_accessible,
    log_in,
    screenshot,
)

OpenPage = Callable[..., tuple[Page, PageProblems]]
REASON = "Found distressed in the car park at night; checking her wishes before we act"


def test_break_the_glass_journey(open_page: OpenPage) -> None:
    phone, phone_problems = open_page(PHONE)
    log_in(phone, "maja")
    phone.get_by_role("link", name="Open my crisis plan").click()
    assert_accessible(phone)
    phone.get_by_role("link", name="Write the crisis plan").click()
    phone.get_by_label("My early signs").fill("I stop drawing and stay in bed")
    phone.get_by_label("What helps me").fill("A quiet room and a cup of tea with Anders")
    phone.get_by_label("What makes things worse: please don't").fill(
        "Please don't hold me down or raise your voice"
    )
    phone.get_by_role("button", name="Save this version").click()
    expect(phone.get_by_role("region", name="Version 1")).to_contain_text("Confirmed on")
    assert_accessible(phone)

    desk, desk_problems = open_page(DESKTOP)
    log_in(desk, "sofie")  # community team, same hospital, not in Maja's network
    desk.get_by_role("link", name="Emergency: find a crisis plan").click()
    desk.get_by_label("Name").fill("Maja")
    desk.get_by_role("button", name="Search").click()
    assert_accessible(desk)
    desk.get_by_role("link", name="Open Maja's crisis plan").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Emergency access")
    assert_accessible(desk)
    desk.get_by_role("button", name="Open the crisis plan").click()
    expect(desk.get_by_role("alert")).to_contain_text("Say why you need to open")
    desk.get_by_label("Why do you need to open this crisis plan now?").fill(REASON)
    desk.get_by_role("button", name="Open the crisis plan").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Crisis plan: Maja")
    expect(desk.locator("main")).to_contain_text("Please don't hold me down")
    assert_accessible(desk)
    screenshot(desk, "crisis-emergency-view")

    phone.goto("/me/")
    openings = phone.get_by_role("region", name="Your crisis plan")
    expect(openings).to_contain_text("Sofie Krogh")
    expect(openings).to_contain_text(REASON)
    expect(phone.get_by_role("region", name="For your attention")).to_contain_text(
        "opened the crisis plan in an emergency"
    )
    assert_accessible(phone)
    screenshot(phone, "crisis-person-sees-access")
    assert phone_problems.messages == []
    assert desk_problems.messages == []
