"""Her side of every record, in a browser: Maja reads the time-together log, answers an
agreement, writes her own account of a restrictive measure and adds an option to a decision;
Kasper sees each beside his record. axe-core on every page, errors included."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.organisations.models import Role
from alongside.people.models import Person, Stay, StayStatus
from alongside.safety import choice, register
from alongside.safety.agreements import Aim
from alongside.safety.restrictive import MeasureType, sync_default_measure_types
from tests.browser.conftest import DESKTOP, PHONE, PageProblems, assert_accessible, log_in

OpenPage = Callable[..., tuple[Page, PageProblems]]


def records_about_maja() -> Person:
    sync_default_measure_types()
    maja = Person.objects.get(user__username="maja")
    kasper = Actor(User.objects.get(username="kasper"), Role.KEY_WORKER)
    stay = Stay.objects.get(person=maja, status=StayStatus.ACTIVE)
    choice.record_agreement(
        kasper,
        maja,
        topic="Leave at weekends",
        person_aim=Aim.KEEP,
        service_requirement="Back on the ward by eight",
        review_on=timezone.localdate() + timedelta(days=30),
    )
    register.record_episode(
        kasper,
        maja,
        stay.unit,
        measure=MeasureType.objects.get(organisation=None, code="physical_holding"),
        started_at=timezone.now() - timedelta(days=2, hours=1),
        ended_at=timezone.now() - timedelta(days=2),
        reason="A fall on the stairs during an argument",
        alternatives_tried="Talking; a quiet room",
    )
    register.record_decision(
        kasper,
        maja,
        question="Move to the open ward?",
        options=[("Move now", "More freedom", ""), ("Wait a week", "Time to settle", "")],
    )
    return maja


def test_her_side_of_every_record(open_page: OpenPage) -> None:
    maja = records_about_maja().pk
    phone, problems = open_page(PHONE)
    log_in(phone, "maja")

    phone.goto(f"/persons/{maja}/together/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Our time together")
    expect(phone.get_by_role("button", name="Save")).to_have_count(0)
    assert_accessible(phone)

    phone.goto(f"/persons/{maja}/crisis/agreements/")
    phone.get_by_role("link", name="Agree, say no, or comment", exact=False).click()
    assert_accessible(phone)
    phone.get_by_role("button", name="Save my answer").click()
    expect(phone.get_by_role("alert")).to_contain_text("Choose your answer.")
    assert_accessible(phone)
    phone.get_by_label("I have something to say about it").check()
    phone.get_by_label("In your own words").fill("Eight is early on Saturdays.")
    phone.get_by_role("button", name="Save my answer").click()
    expect(phone.get_by_role("status")).to_contain_text("Your answer is saved")
    expect(phone.locator("main")).to_contain_text("Eight is early on Saturdays.")
    assert_accessible(phone)

    phone.goto(f"/persons/{maja}/crisis/restrictive/")
    phone.get_by_role("link", name="Write your own account", exact=False).click()
    assert_accessible(phone)
    phone.get_by_label("What happened, in your own words").fill("Nobody told me why.")
    phone.get_by_role("button", name="Save my account").click()
    expect(phone.get_by_role("status")).to_contain_text("Your account is saved")
    assert_accessible(phone)

    phone.goto(f"/persons/{maja}/crisis/decisions/")
    phone.get_by_role("link", name="Add an option of your own", exact=False).click()
    assert_accessible(phone)
    phone.get_by_label("Your option").fill("Try the open ward for the days only")
    phone.get_by_role("button", name="Add my option").click()
    expect(phone.get_by_role("status")).to_contain_text("Your option is added")
    expect(phone.locator("main")).to_contain_text("Try the open ward for the days only")
    assert_accessible(phone)

    desk, desk_problems = open_page(DESKTOP)
    log_in(desk, "kasper")
    desk.goto(f"/persons/{maja}/crisis/agreements/")
    expect(desk.locator("main")).to_contain_text("Eight is early on Saturdays.")
    assert_accessible(desk)
    desk.goto(f"/persons/{maja}/crisis/restrictive/")
    expect(desk.locator("main")).to_contain_text("The person's own account, written by them")
    assert_accessible(desk)
    desk.goto(f"/persons/{maja}/crisis/decisions/")
    expect(desk.locator("main")).to_contain_text("Added by the person")
    assert_accessible(desk)
    desk.goto("/notifications/")
    expect(desk.locator("main")).to_contain_text("added an option to the decision")
    assert_accessible(desk)
    assert problems.messages == []
    assert desk_problems.messages == []
