"""axe-core on the safety pages no journey test visits, as the person and as staff."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alongside.organisations.models import Unit
from alongside.people.models import Person
from tests.browser.conftest import DESKTOP, PHONE, PageProblems, assert_accessible, log_in

OpenPage = Callable[..., tuple[Page, PageProblems]]


def test_safety_pages_have_no_axe_violations(open_page: OpenPage) -> None:
    maja = Person.objects.get(user__username="maja").pk
    ward = Unit.objects.get(code="fjordby-s2").pk

    phone, phone_problems = open_page(PHONE)
    log_in(phone, "maja")
    for path, heading in (
        (f"/persons/{maja}/crisis/new-version/", "Crisis plan: a new version"),
        (f"/persons/{maja}/crisis/agreements/", "Agreements"),
        (f"/persons/{maja}/crisis/rights/", "Your rights and support"),
        (f"/persons/{maja}/crisis/decisions/", "Decisions made together"),
        (f"/persons/{maja}/crisis/restrictive/", "Restrictive measures used with me"),
    ):
        phone.goto(path)
        expect(phone.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(phone)
    phone.get_by_role("link", name="My page").click()
    phone.goto(f"/persons/{maja}/crisis/rights/")
    phone.get_by_label("Who would you like?").select_option("peer")
    phone.get_by_role("button", name="Ask").click()
    expect(phone.locator("main")).to_contain_text("Waiting for an answer")
    assert_accessible(phone)

    desk, desk_problems = open_page(DESKTOP)
    log_in(desk, "kasper")
    for path in (
        f"/persons/{maja}/crisis/agreements/",
        f"/persons/{maja}/crisis/rights/",
        f"/persons/{maja}/crisis/new-version/",
    ):
        desk.goto(path)
        assert_accessible(desk)

    lead, lead_problems = open_page(DESKTOP)
    log_in(lead, "line")
    lead.get_by_role(
        "link", name="Restrictive practice: Special Department S2 (long stays)"
    ).click()
    expect(lead).to_have_url(f"/crisis/units/{ward}/restrictive-practice/")
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Restrictive practice")
    assert_accessible(lead)
    assert phone_problems.messages == []
    assert desk_problems.messages == []
    assert lead_problems.messages == []
