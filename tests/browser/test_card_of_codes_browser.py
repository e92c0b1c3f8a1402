"""The card of codes in a browser: Maja opens her card page from her network page, prints a card
by keyboard (a PDF download), and the page then counts the codes without showing them. Her key
worker cannot print one without saying she is there. Axe-core checks each page, errors included."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.network.models import CardCode, ConfirmationCard
from alongside.people.models import Person
from tests.browser.conftest import PHONE, PageProblems, assert_accessible, log_in, screenshot

OpenPage = Callable[..., tuple[Page, PageProblems]]


def test_maja_prints_her_card_of_codes_by_keyboard(open_page: OpenPage) -> None:
    page, problems = open_page(PHONE)
    log_in(page, "maja")
    page.get_by_role("link", name="Choose who sees what").click()
    page.get_by_role("link", name="My card of codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My card of codes")
    expect(page.get_by_text("You have no card yet.")).to_be_visible()
    assert_accessible(page)

    button = page.get_by_role("button", name="Print a new card (PDF)")
    button.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "card-of-codes.pdf"
    card = ConfirmationCard.objects.get(person__user__username="maja")
    assert CardCode.objects.filter(card=card, used_at__isnull=True).count() == 10

    page.reload()
    expect(page.get_by_text("10 codes left.")).to_be_visible()
    width: int = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert_accessible(page)
    screenshot(page, "card-of-codes-phone")
    assert problems.messages == []


def test_staff_must_say_she_is_there_to_print_her_card(open_page: OpenPage) -> None:
    page, problems = open_page()
    log_in(page, "kasper")
    maja = Person.objects.get(user__username="maja")
    page.goto(f"/persons/{maja.pk}/network/card/")
    page.get_by_role("button", name="Print a new card (PDF)").click()
    expect(page.get_by_role("alert")).to_contain_text("tick the box")
    assert not ConfirmationCard.objects.exists()
    assert_accessible(page)
    assert problems.messages == []
