"""Measures in a browser: Maja, on her phone, sees the CHIME check-in waiting for her, answers
it and sees her chart straight away, with the change since last month marked in words (our own
check-in: "better by 2 or more", no claim about chance until the service has enough answers);
her key worker, on a desktop, sees the same trend and marker, compares two dates on the CHIME
chart, and finds nothing else due. Axe-core checks every page; screenshots are saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.measures import services
from alongside.measures.definitions import current_version, sync_instruments
from alongside.measures.models import Instrument, Response
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

PROCESSES = {
    "How connected have you felt to other people lately?": "6",
    "How hopeful do you feel about your future?": "7",
    "How much do you feel like yourself, rather than a diagnosis?": "6",
    "How meaningful does your everyday life feel?": "5",
    "How much do you feel in charge of your own life?": "6",
}


def fits_the_phone(page: Page) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= PHONE["width"]


def a_month_ago_maja_answered_and_a_check_in_is_waiting(maja: Person) -> None:
    sync_instruments()  # transactional tests empty the tables the data migration filled
    chime = Instrument.objects.get(code="chime_checkin")
    version = current_version(chime)
    assert version is not None
    assert maja.user is not None
    earlier = dict.fromkeys(["connectedness", "hope", "identity", "meaning", "empowerment"], 3)
    services.submit_response(
        Actor(maja.user, "person"),
        maja,
        version,
        earlier,
        authored_at=timezone.now() - timedelta(days=30),
    )
    services.schedule_measure(
        Actor(User.objects.get(username="kasper"), "key_worker"),
        maja,
        chime,
        kind="every_n_weeks",
        every_weeks=4,
    )


def maja_answers_on_her_phone(page: Page, maja: int) -> None:
    log_in(page, "maja")
    page.goto(f"/persons/{maja}/measures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How I am doing")
    waiting = page.get_by_role("region", name="Waiting for you")
    expect(waiting).to_contain_text("CHIME check-in")
    assert fits_the_phone(page)
    assert_accessible(page)
    screenshot(page, "measures-waiting-phone")

    waiting.get_by_role("link", name="CHIME check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CHIME check-in")
    # She answers on her own: there is no "together with staff" box for her.
    expect(page.get_by_label("Completed together with staff")).to_have_count(0)
    for question, value in PROCESSES.items():
        page.get_by_role("group", name=question).get_by_label(value, exact=True).check()
    page.get_by_label("What would help right now?").fill("A walk by the fjord on Sunday")
    assert fits_the_phone(page)
    assert_accessible(page)
    screenshot(page, "measures-answer-phone")
    page.get_by_role("button", name="Save my answers").click()

    # Her own results first, straight away.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results: CHIME check-in")
    scores = page.get_by_role("region", name="Scores")
    expect(scores).to_contain_text("Overall")
    expect(scores).to_contain_text("6")
    assert_accessible(page)
    screenshot(page, "measures-result-phone")

    page.get_by_role("link", name="See the scores over time").click()
    overall = page.get_by_role("img", name="CHIME check-in: Overall")
    expect(overall).to_be_visible()
    expect(overall.locator(".change-better")).to_have_count(1)
    expect(overall).to_contain_text("Better by 2 or more")
    page.get_by_text("Show the numbers as a table").first.click()
    table = page.get_by_role("table").first
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").last).to_contain_text("Better by 2 or more")
    assert fits_the_phone(page)
    assert_accessible(page)
    screenshot(page, "measures-trend-phone")

    page.get_by_role("link", name="How I am doing").click()
    expect(page.get_by_role("region", name="Waiting for you")).to_contain_text(
        "Nothing is waiting for you right now."
    )
    expect(page.get_by_role("img", name="CHIME check-in: Overall")).to_be_visible()
    assert_accessible(page)


def key_worker_sees_the_same_trend(page: Page, maja: int) -> None:
    log_in(page, "kasper")
    page.goto(f"/persons/{maja}/measures/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maja")
    assert_accessible(page)
    page.get_by_role("link", name="All scores over time: CHIME check-in").click()
    overall = page.get_by_role("img", name="CHIME check-in: Overall")
    expect(overall.locator(".change-better")).to_have_count(1)
    expect(overall).to_contain_text("Better by 2 or more")
    expect(page.get_by_role("list", name="Key").first).to_contain_text(
        "Triangle pointing up: better by 2 or more"
    )
    expect(page.get_by_text("says nothing about chance").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "measures-trend-key-worker")

    page.goto(f"/persons/{maja}/measures/")
    page.get_by_role("link", name="Compare two dates").click()
    radar = page.get_by_role("img", name="CHIME check-in")
    expect(radar).to_be_visible()
    expect(radar.locator(".radar-first .point")).to_have_count(5)
    page.get_by_text("Show the numbers as a table").click()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(5)
    expect(page.get_by_role("row", name="Hope")).to_contain_text("+4")
    assert_accessible(page)
    screenshot(page, "measures-chime-compare")

    page.goto("/measures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures due")
    expect(page.get_by_role("region", name="Overdue")).to_contain_text("Nothing is overdue.")
    assert_accessible(page)

    page.goto(f"/persons/{maja}/measures/schedule/")
    expect(page.get_by_role("region", name="Scheduled now")).to_contain_text("CHIME check-in")
    assert_accessible(page)


def test_maja_checks_in_on_her_phone_and_her_key_worker_sees_the_change(
    open_page: OpenPage,
) -> None:
    person = Person.objects.get(user__username="maja")
    a_month_ago_maja_answered_and_a_check_in_is_waiting(person)

    phone, phone_problems = open_page(PHONE)
    maja_answers_on_her_phone(phone, person.pk)
    assert phone_problems.messages == []
    newest = Response.objects.filter(person=person).first()
    assert newest is not None
    assert newest.together_with_staff is False

    desk, desk_problems = open_page(DESKTOP)
    key_worker_sees_the_same_trend(desk, person.pk)
    assert desk_problems.messages == []


def test_a_question_appears_when_an_answer_makes_it_relevant(open_page: OpenPage) -> None:
    """PHQ-9's last question applies only when an earlier answer is above 0: htmx asks the server
    (the engine decides, as it does when saving), and keyboard focus stays where it was."""
    sync_instruments()
    version = current_version(Instrument.objects.get(code="phq9"))
    assert version is not None
    version.wording_loaded = True  # as if a licence holder had loaded it
    version.save(update_fields=["wording_loaded"])
    maja = Person.objects.get(user__username="maja").pk

    page, problems = open_page(DESKTOP)
    log_in(page, "kasper")
    page.goto(f"/persons/{maja}/measures/phq9/answer/")
    last = page.get_by_role("group", name="Item 10")
    expect(last).to_be_hidden()
    assert_accessible(page)

    page.get_by_role("group", name="Item 1", exact=True).get_by_label("2", exact=True).check()
    expect(last).to_be_visible()
    focused: str = page.evaluate("document.activeElement && document.activeElement.id")
    assert focused == "id_q1_2"
    for n in range(2, 10):
        page.get_by_role("group", name=f"Item {n}", exact=True).get_by_label(
            "0", exact=True
        ).check()
    last.get_by_label("1", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the answers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results of Maja")
    expect(page.get_by_role("region", name="Scores")).to_contain_text("2")
    assert_accessible(page)
    assert problems.messages == []
    saved = Response.objects.get(person_id=maja, instrument__code="phq9")
    assert saved.together_with_staff is True
