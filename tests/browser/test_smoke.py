"""Browser smoke tests: the person and the key worker log in, look around, by mouse and keyboard,
in three languages, with axe-core checking every page and the console free of CSP errors."""

from __future__ import annotations

import re
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


def test_person_logs_in_on_a_phone_and_sees_their_home(open_page: OpenPage) -> None:
    page, problems = open_page(PHONE)
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")
    assert_accessible(page)
    log_in(page, "maja")
    expect(page).to_have_url("/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Maja")
    network = page.get_by_role("region", name="Your network")
    expect(network.get_by_text("Kasper Lind")).to_be_visible()
    anders = network.locator(".card", has_text="Anders Holm")
    expect(anders.locator(".tag")).to_have_text(["Crisis plan"])
    # Nadia's network membership ended, but she still sees Maja's record because she works on
    # Maja's ward: the page says so, and why, rather than hiding her.
    nadia = network.locator(".card", has_text="Nadia Berg")
    expect(nadia).to_contain_text("works on your ward")
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    screenshot(page, "person-home-phone")
    assert problems.messages == []


def test_key_worker_finds_a_person_and_opens_their_overview(open_page: OpenPage) -> None:
    page, problems = open_page(DESKTOP)
    log_in(page, "kasper")
    expect(page).to_have_url("/workspace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    rows = page.locator("table.caseload tbody tr")
    # Seven persons on his ward, and one discharged 20 days ago (follow-up access, 30 days).
    expect(rows).to_have_count(8)
    assert_accessible(page)
    screenshot(page, "key-worker-caseload")

    # Live search through htmx: the table narrows without a page load.
    page.get_by_label("Find a person").fill("Maj")
    expect(rows).to_have_count(1)
    expect(page).to_have_url("/workspace/?q=Maj&sort=name")
    rows.get_by_role("link", name="Maja").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Maja")
    first_section = page.locator("main section").first
    expect(first_section).to_contain_text("I draw every day")
    matters = page.get_by_role("region", name="What matters to them")
    expect(matters).to_contain_text("Fixing bikes")  # her own card, in her own words
    expect(matters).to_contain_text("A small flat of my own near the harbour")
    assert_accessible(page)
    screenshot(page, "key-worker-overview")
    assert problems.messages == []


def test_caseload_works_by_keyboard_alone(open_page: OpenPage) -> None:
    page, problems = open_page(DESKTOP)
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("Username").focus()
    page.keyboard.type("kasper")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("demo-alongside")
    page.keyboard.press("Enter")
    # The skip link's #main fragment survives the redirect after login, as browsers do.
    expect(page).to_have_url(re.compile(r"/workspace/(#main)?$"))

    # Tab forward from the top of the page until the link to Bibi has focus, then open it.
    target = page.get_by_role("link", name="Bibi")
    for _ in range(30):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    expect(target).to_be_focused()
    outline = target.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bibi")
    assert problems.messages == []


def test_language_switch_in_danish_and_japanese(open_page: OpenPage) -> None:
    page, problems = open_page(PHONE)
    log_in(page, "maja")
    for language, heading, network in (
        ("da", "Hej Maja", "Dit netværk"),
        ("ja", "Maja", "支援ネットワーク"),
    ):
        page.get_by_label({"da": "Language", "ja": "Sprog"}[language]).select_option(language)
        page.locator(".language-form button").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.locator("#network-heading")).to_contain_text(network)
        assert_accessible(page)
        screenshot(page, f"person-home-{language}")
    assert problems.messages == []


def test_family_member_sees_only_whom_they_support(open_page: OpenPage) -> None:
    page, problems = open_page(PHONE)
    log_in(page, "anders")
    expect(page).to_have_url("/me/supporting/")
    card = page.locator(".card", has_text="Maja")
    expect(card.locator(".tag")).to_have_text(["Crisis plan"])
    assert_accessible(page)
    response = page.goto("/workspace/")
    assert response is not None
    assert response.status == 404
    assert_accessible(page)
    assert [m for m in problems.messages if "404" not in m] == []


def test_wrong_password_is_explained_and_announced(open_page: OpenPage) -> None:
    page, problems = open_page(PHONE)
    log_in(page, "maja", password="not-the-password")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("do not match")
    assert_accessible(page)
    assert problems.messages == []
