"""Alerts in a browser: Maja's check-in is worse than last time, so saving it raises an alert.
She sees her crisis plan first and that her care team was told; Kasper, her key worker, sees the
alert on his caseload and acknowledges it by keyboard. A second alert nobody acknowledges is
escalated by the reminder worker's round (with a clock past its deadline) to Line, the team
leader, who sees it. Axe-core checks every page; screenshots are saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.alerts.models import Alert
from alongside.audit.log import Actor
from alongside.measures import services
from alongside.measures.definitions import current_version, sync_instruments
from alongside.measures.models import Instrument
from alongside.people.models import Person
from alongside.reminders.worker import run_round
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    PageProblems,
    assert_accessible,
    log_in,
    screenshot,
)

OpenPage = Callable[..., tuple[Page, PageProblems]]
PROCESSES = [
    "How connected have you felt to other people lately?",
    "How hopeful do you feel about your future?",
    "How much do you feel like yourself, rather than a diagnosis?",
    "How meaningful does your everyday life feel?",
    "How much do you feel in charge of your own life?",
]
CODES = ["connectedness", "hope", "identity", "meaning", "empowerment"]


def answer_chime(maja: Person, level: int, days_ago: float = 0) -> None:
    version = current_version(Instrument.objects.get(code="chime_checkin"))
    assert version is not None
    assert maja.user is not None
    services.submit_response(
        Actor(maja.user, "person"),
        maja,
        version,
        dict.fromkeys(CODES, level),
        authored_at=timezone.now() - timedelta(days=days_ago),
    )


def maja_answers_worse_on_her_phone(page: Page, maja: int) -> None:
    log_in(page, "maja")
    page.goto(f"/persons/{maja}/measures/chime_checkin/answer/")
    for question in PROCESSES:
        page.get_by_role("group", name=question).get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results: CHIME check-in")

    page.goto("/me/")
    panel = page.get_by_role("region", name="What to do now")
    expect(panel).to_contain_text("shared with your care team")
    assert_accessible(page)
    panel.get_by_role("link", name="My crisis plan and what to do now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What to do now")
    expect(page.get_by_text("shared with your care team")).to_be_visible()
    plan = page.get_by_role("region", name="My crisis plan")
    expect(plan).to_be_visible()
    # Her crisis plan comes first, before the alerts.
    headings = page.get_by_role("heading", level=2).all_text_contents()
    assert headings[0] == "My crisis plan"
    expect(page.get_by_role("button", name="Acknowledge: I am responding")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "alerts-what-to-do-now-phone")


def kasper_acknowledges(page: Page, maja: int) -> None:
    log_in(page, "kasper")
    page.goto("/workspace/")
    row = page.get_by_role("row").filter(has_text="Maja")
    badge = row.get_by_role("link", name="1 alert to acknowledge")
    expect(badge).to_be_visible()
    assert_accessible(page)
    screenshot(page, "alerts-caseload")
    badge.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("What to do now")
    waiting = page.get_by_role("region", name="Alerts waiting for a response")
    expect(waiting).to_contain_text("worse than last time, from 7 to 3")
    expect(waiting).to_contain_text("a size we chose, not a claim about chance")
    assert_accessible(page)
    screenshot(page, "alerts-what-to-do-now-staff")
    button = waiting.get_by_role("button", name="Acknowledge: I am responding")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("region", name="Alerts waiting for a response")).to_contain_text(
        "Nothing is waiting."
    )
    expect(page.get_by_role("region", name="Acknowledged")).to_contain_text("Kasper")
    assert_accessible(page)
    page.goto("/workspace/")
    expect(
        page.get_by_role("row").filter(has_text="Maja").get_by_role("link", name="alert")
    ).to_have_count(0)


def line_sees_the_escalation(page: Page, maja: int) -> None:
    log_in(page, "line")
    page.goto("/notifications/")
    expect(page.get_by_text("Nobody acknowledged an alert about Maja").first).to_be_visible()
    assert_accessible(page)
    page.goto(f"/persons/{maja}/now/")
    waiting = page.get_by_role("region", name="Alerts waiting for a response")
    expect(waiting).to_contain_text("Escalated to the team leader")
    assert_accessible(page)
    screenshot(page, "alerts-escalated-team-leader")


def test_an_alert_is_raised_shown_acknowledged_and_another_escalated(
    open_page: OpenPage,
) -> None:
    sync_instruments()  # transactional tests empty the tables the data migration filled
    maja = Person.objects.get(user__username="maja")
    answer_chime(maja, 7, days_ago=2)

    phone, phone_problems = open_page(PHONE)
    maja_answers_worse_on_her_phone(phone, maja.pk)
    assert phone_problems.messages == []
    assert Alert.objects.filter(person=maja, acknowledged_at__isnull=True).count() == 1

    desk, desk_problems = open_page(DESKTOP)
    kasper_acknowledges(desk, maja.pk)
    assert desk_problems.messages == []

    answer_chime(maja, 1)
    missed = Alert.objects.get(person=maja, acknowledged_at__isnull=True)
    run_round("browser-test", now=missed.acknowledge_by + timedelta(minutes=1))
    run_round("browser-test", now=missed.acknowledge_by + timedelta(hours=2))
    missed.refresh_from_db()
    assert missed.escalated_at is not None

    leader, leader_problems = open_page(DESKTOP)
    line_sees_the_escalation(leader, maja.pk)
    assert leader_problems.messages == []
