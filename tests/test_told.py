"""The person is told when something waits for her view, and staff are told when she answers:
stored as message codes, rendered in the reader's language; read one or all; preferences."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alongside.audit.log import Actor
from alongside.meetings import services as meetings
from alongside.notifications.models import Notification, NotificationPreference
from alongside.notifications.services import mark_all_read, mark_read, notify
from alongside.organisations.models import Role
from alongside.people import services as people
from alongside.plans import services as plans
from alongside.plans.models import Origin, Stance
from alongside.relationship import services as relationship
from alongside.relationship.models import CommentKind
from alongside.reminders.worker import run_round
from alongside.safety import register
from alongside.safety import services as safety
from alongside.safety.messages import CRISIS_VERSION_WAITS
from alongside.safety.restrictive import MeasureType
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def person(world: World) -> Actor:
    return Actor(world.users[Persona.P1], "person")


def codes_for(world: World, persona: Persona) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=world.users[persona]).values_list("code", flat=True)
    )


# The person is told ------------------------------------------------------------------------------


def test_a_staff_crisis_plan_version_tells_the_person_and_hers_tells_nobody(world: World) -> None:
    safety.save_version(key_worker(world), world.p1, {"what_helps": "A walk by the water"})
    assert codes_for(world, Persona.P1) == ["safety.crisis_version_waits"]
    (notice,) = Notification.objects.filter(recipient=world.users[Persona.P1])
    assert notice.params == {"name": "Key_Worker"}
    assert notice.url == reverse("safety:crisis_plan", args=[world.p1.pk])
    # Her own version waits for nobody: no second notice, and staff are not told either.
    safety.save_version(person(world), world.p1, {"what_helps": "Music and a walk"})
    assert Notification.objects.count() == 1


def test_the_notice_is_stored_as_a_code_and_shown_in_the_readers_language(world: World) -> None:
    safety.save_version(key_worker(world), world.p1, {"what_helps": "Quiet"})
    notice = Notification.objects.get()
    assert notice.text == ""  # no frozen sentence
    with translation.override("en"):
        english = notice.shown_text
    with translation.override("ja"):
        japanese = notice.shown_text
    with translation.override("da"):
        danish = notice.shown_text
    assert english.startswith("Key_Worker wrote a new version of your crisis plan")
    assert "Key_Worker" in japanese
    assert "クライシスプラン" in japanese
    assert "Key_Worker" in danish
    assert "kriseplan" in danish
    assert len({english, japanese, danish}) == 3


def test_a_clinical_goal_tells_the_person_and_her_own_goal_does_not(world: World) -> None:
    plans.add_goal(
        key_worker(world), world.p1, text="Sleep before midnight", origin=Origin.CLINICAL
    )
    assert codes_for(world, Persona.P1) == ["plans.goal_set"]
    plans.add_goal(person(world), world.p1, text="Visit my sister", origin=Origin.PERSON)
    assert Notification.objects.count() == 1


def test_disagreeing_with_a_goal_tells_staff_and_agreeing_does_not(world: World) -> None:
    plans.record_stance(person(world), world.service_goal, stance=Stance.AGREE)
    assert not Notification.objects.exists()
    plans.record_stance(
        person(world), world.service_goal, stance=Stance.DISAGREE, words="Not every day"
    )
    assert codes_for(world, Persona.KEY_WORKER) == ["plans.goal_disagreed"]
    assert codes_for(world, Persona.P1) == []
    # The caseworker (municipality) is not the goal's author nor a key worker: not told.
    assert codes_for(world, Persona.CASEWORKER) == []


def test_a_note_tells_the_person_unless_restricted(world: World) -> None:
    relationship.write_note(key_worker(world), world.p1, talked_about="The week ahead")
    assert codes_for(world, Persona.P1) == ["relationship.note_written"]
    relationship.write_note(
        key_worker(world),
        world.p1,
        talked_about="A safeguarding question",
        restricted_reason="Third-party information",
    )
    assert codes_for(world, Persona.P1) == ["relationship.note_written"]


def test_her_comment_and_correction_tell_the_notes_author(world: World) -> None:
    relationship.comment_on_note(
        person(world), world.note, kind=CommentKind.COMMENT, text="I also said I was tired"
    )
    relationship.comment_on_note(
        person(world), world.note, kind=CommentKind.CORRECTION, text="It was Sunday"
    )
    assert codes_for(world, Persona.KEY_WORKER) == [
        "relationship.note_commented",
        "relationship.note_corrected",
    ]
    assert codes_for(world, Persona.P1) == []  # she is not told of her own words


def test_a_restrictive_measure_tells_that_person_only(world: World) -> None:
    register.record_episode(
        key_worker(world),
        world.p1,
        world.ward,
        measure=MeasureType.objects.get(organisation=None, code="physical_holding"),
        started_at=timezone.now() - timedelta(hours=3),
        ended_at=timezone.now() - timedelta(hours=2),
        reason="A fall on the stairs",
        alternatives_tried="Talking; offering a seat",
    )
    assert codes_for(world, Persona.P1) == ["safety.measure_recorded"]
    assert codes_for(world, Persona.P2) == []


def test_a_shared_decision_tells_her_and_her_disagreement_tells_staff(world: World) -> None:
    decision = register.record_decision(
        key_worker(world),
        world.p1,
        question="Move to the open ward?",
        options=[("Move now", "More freedom", ""), ("Wait a week", "Time to settle", "")],
    )
    assert codes_for(world, Persona.P1) == ["safety.decision_recorded"]
    register.mark_without_agreement(person(world), decision, "Nobody asked me")
    assert codes_for(world, Persona.KEY_WORKER) == ["safety.decision_without_agreement"]


def test_a_meeting_tells_every_participant_but_the_planner(world: World) -> None:
    meeting = meetings.plan_meeting(
        key_worker(world),
        world.p1,
        meetings.MeetingPlan(
            planned_for=timezone.now() + timedelta(days=3),
            place="The garden room",
            participants=[world.users[Persona.KEY_WORKER], world.users[Persona.CASEWORKER]],
        ),
    )
    assert codes_for(world, Persona.P1) == ["meetings.own_planned"]
    assert codes_for(world, Persona.CASEWORKER) == ["meetings.planned"]
    assert codes_for(world, Persona.KEY_WORKER) == []
    due = timezone.localdate() + timedelta(days=10)
    meetings.add_action(
        key_worker(world),
        meeting,
        text="Ask about housing",
        owner=world.users[Persona.CASEWORKER],
        due_on=due,
    )
    assert codes_for(world, Persona.CASEWORKER) == ["meetings.action_given", "meetings.planned"]
    assert "meetings.action_added" in codes_for(world, Persona.P1)
    meetings.add_action(
        key_worker(world),
        meeting,
        text="Write my points",
        owner=world.users[Persona.P1],
        due_on=due,
    )
    assert codes_for(world, Persona.P1) == [
        "meetings.action_added",
        "meetings.own_action_given",
        "meetings.own_planned",
    ]
    # An action the owner gives themself tells nobody but the person.
    before = Notification.objects.count()
    meetings.add_action(
        key_worker(world),
        meeting,
        text="Book the room",
        owner=world.users[Persona.KEY_WORKER],
        due_on=due,
    )
    assert Notification.objects.count() == before + 1
    assert codes_for(world, Persona.KEY_WORKER) == []


def test_a_person_without_a_login_is_not_told_and_nothing_breaks(world: World) -> None:
    system = Actor.system()
    someone = people.register_person(system, name="Nor Login")
    safety.save_version(key_worker(world), someone, {"what_helps": "Tea"})
    assert not Notification.objects.exists()


# Reading, marking read, preferences ---------------------------------------------------------


def test_maja_reads_the_notice_in_her_page_language(world: World, client_as: ClientAs) -> None:
    safety.save_version(key_worker(world), world.p1, {"what_helps": "Quiet"})
    client = client_as(Persona.P1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    page = client.get(reverse("portal:me")).content.decode()
    with translation.override("ja"):
        expected = CRISIS_VERSION_WAITS.render({"name": "Key_Worker"})
    assert expected in page
    assert "wrote a new version" not in page


def test_marking_one_read_touches_only_ones_own(world: World, client_as: ClientAs) -> None:
    notify([world.users[Persona.P1]], CRISIS_VERSION_WAITS, {"name": "A"})
    notify([world.users[Persona.P2]], CRISIS_VERSION_WAITS, {"name": "B"})
    hers = Notification.objects.get(recipient=world.users[Persona.P1])
    his = Notification.objects.get(recipient=world.users[Persona.P2])
    # Someone else's notification: nothing changes, and the answer is the same as for one's own.
    other = client_as(Persona.P2).post(reverse("notifications:read", args=[hers.pk]))
    assert other.status_code == 302
    hers.refresh_from_db()
    assert hers.read_at is None
    response = client_as(Persona.P1).post(
        reverse("notifications:read", args=[hers.pk]), {"next": reverse("portal:me")}
    )
    assert response["Location"] == reverse("portal:me")
    hers.refresh_from_db()
    assert hers.read_at is not None
    first = hers.read_at
    assert mark_read(world.users[Persona.P1], hers.pk) is False  # the second time: no change
    hers.refresh_from_db()
    assert hers.read_at == first
    his.refresh_from_db()
    assert his.read_at is None


def test_marking_all_read(world: World, client_as: ClientAs) -> None:
    assert mark_all_read(world.users[Persona.P1]) == 0  # the empty case
    notify([world.users[Persona.P1], world.users[Persona.P2]], CRISIS_VERSION_WAITS, {"name": "A"})
    notify([world.users[Persona.P1]], CRISIS_VERSION_WAITS, {"name": "B"})
    client = client_as(Persona.P1)
    assert "Mark all as read" in client.get(reverse("portal:me")).content.decode()
    client.post(reverse("notifications:read_all"), {"next": "https://elsewhere.example/"})
    assert not Notification.objects.filter(
        recipient=world.users[Persona.P1], read_at__isnull=True
    ).exists()
    assert (
        Notification.objects.filter(recipient=world.users[Persona.P2], read_at__isnull=True).count()
        == 1
    )
    # Read notices stay on the full list, but leave the "for your attention" box.
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.count("wrote a new version of your crisis plan") == 2
    assert "For your attention" not in client.get(reverse("portal:me")).content.decode()


def test_the_list_is_empty_at_first_and_shows_the_choices(
    world: World, client_as: ClientAs
) -> None:
    page = client_as(Persona.CASEWORKER).get(reverse("notifications:list")).content.decode()
    assert "Nothing yet." in page
    assert re.search(r'<input type="checkbox" name="in_app"[^>]* checked', page)
    assert re.search(r'<input type="checkbox" name="email"[^>]* checked', page)


def test_in_app_off_means_nothing_new_is_listed(world: World, client_as: ClientAs) -> None:
    client = client_as(Persona.P1)
    response = client.post(reverse("notifications:list"), {"email": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.users[Persona.P1])
    assert (preference.in_app, preference.email) == (False, True)
    safety.save_version(key_worker(world), world.p1, {"what_helps": "Quiet"})
    assert not Notification.objects.exists()
    # Turned back on: told again.
    client.post(reverse("notifications:list"), {"in_app": "on", "email": "on"})
    safety.save_version(key_worker(world), world.p1, {"what_helps": "Music"})
    assert codes_for(world, Persona.P1) == ["safety.crisis_version_waits"]
    assert NotificationPreference.objects.filter(user=world.users[Persona.P1]).count() == 1


def test_the_reminder_worker_honours_email_off(world: World, client_as: ClientAs) -> None:
    for user in world.users.values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    client_as(Persona.KEY_WORKER).post(reverse("notifications:list"), {"in_app": "on"})
    run_round("w")
    mailed = {address for message in mail.outbox for address in message.to}
    assert "key_worker@example.org" not in mailed
    assert {"p1@example.org", "caseworker@example.org"} <= mailed  # the review's other parties
    # In the app she is still reminded of the review and the debrief.
    assert codes_for(world, Persona.KEY_WORKER) == ["reminders.debrief_due", "reminders.review_due"]


def test_dates_in_charts_follow_the_page_language() -> None:
    from datetime import date

    from alongside.measures.charts import format_day

    shown = {}
    for language in ("en", "da", "ja"):
        with translation.override(language):
            shown[language] = format_day(date(2026, 3, 4))
    assert shown == {"en": "03/04/2026", "da": "04.03.2026", "ja": "2026/03/04"}
