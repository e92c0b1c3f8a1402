"""Insight in a browser: Line, a team leader, finds Insight in the navigation and reads her ward's
run charts and their tables, in English and in Danish; a service manager of the same organisation
compares the units side by side, downloads the tables as CSV, and reads the page in Danish too.
Axe-core checks every page, the console stays free of CSP errors, and screenshots are saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.accounts.services import create_user
from alongside.audit.log import Actor
from alongside.demo.content import DEMO_PASSWORD
from alongside.insight.services import refresh
from alongside.measures.models import UnitSchedule
from alongside.organisations import services as organisations
from alongside.organisations.models import Role, Unit
from tests.browser.conftest import PageProblems, assert_accessible, log_in, screenshot

OpenPage = Callable[..., tuple[Page, PageProblems]]


def _rollups() -> None:
    today = timezone.localdate()
    refresh([today - timedelta(days=60), today - timedelta(days=30), today])


def _to_danish(page: Page) -> None:
    page.locator("#language-choice").select_option("da")
    page.locator(".language-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")


def test_team_leader_reads_her_wards_run_charts_in_english_and_danish(
    open_page: OpenPage,
) -> None:
    _rollups()
    page, problems = open_page()
    log_in(page, "line")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insight").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service insight")
    assert_accessible(page)
    page.get_by_role("link", name="Unit: Special Department S2 (long stays)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Special Department S2")
    expect(page.get_by_role("heading", name="Working relationship")).to_be_visible()
    indicator = page.get_by_role("article", name="Persons with a goal in their own words")
    expect(indicator.locator("svg")).to_be_visible()
    indicator.get_by_text("Show the numbers as a table").click()
    expect(indicator.get_by_role("table")).to_contain_text("Month")
    # One unit only: the other unit of her organisation is not offered.
    expect(page.get_by_text("Unit: Community Team North")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "insight-team-leader")

    # She asks her ward's persons to answer the survey each quarter, by keyboard.
    page.get_by_label("Persons with a stay on this unit").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Persons with a stay on this unit")).to_be_checked()
    page.locator("form.insight-sharing button").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved. Who is asked changes from now on.")).to_be_visible()
    expect(page.get_by_label("Persons with a stay on this unit")).to_be_checked()
    expect(page.get_by_label("Staff with a care role on this unit")).not_to_be_checked()
    assert UnitSchedule.objects.filter(
        unit__name="Special Department S2 (long stays)", audience="person", active=True
    ).exists()
    assert_accessible(page)

    _to_danish(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indsigt:")
    expect(
        page.get_by_role("article", name="Personer med et mål med deres egne ord")
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "insight-team-leader-da")
    assert problems.messages == []


def test_service_manager_compares_units_and_downloads_the_tables(open_page: OpenPage) -> None:
    ward = Unit.objects.get(code="fjordby-s2")
    manager = create_user("sara", DEMO_PASSWORD, display_name="Sara Holm", preferred_language="en")
    organisations.assign_role(
        Actor.system(), manager, ward, Role.SERVICE_MANAGER, started_on=date(2024, 1, 1)
    )
    _rollups()
    page, problems = open_page()
    log_in(page, "sara")
    page.goto("/insight/")
    page.get_by_role("link", name="Organisation: Fjordby Mental Health Centre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fjordby Mental Health Centre")
    indicator = page.get_by_role("article", name="Time together per person")
    side_by_side = indicator.get_by_role("table").last
    expect(side_by_side).to_contain_text("Community Team North")
    expect(side_by_side).to_contain_text("All together")
    assert_accessible(page)
    screenshot(page, "insight-service-manager")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    path = download.value.path()
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        header = handle.readline()
    assert header.startswith("scope,indicator,domain,period,member")

    _to_danish(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indsigt:")
    expect(page.get_by_text("Alle tilsammen").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "insight-service-manager-da")
    assert problems.messages == []
