"""Demo content for the measures and meetings rooms: Tobias's check-ins and a network meeting.

Tobias (not Maja, whom the browser journeys start from scratch) has answered the CHIME check-in
three times, with a reliable change between the last two, and a check-in every four weeks is
scheduled. A network meeting with his key worker and his municipal caseworker was held three
weeks ago; one of its actions, for the key worker, is due in a few days. Written by us, fictional.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from alongside.accounts.models import User
from alongside.audit.log import Actor
from alongside.measures import services as measures
from alongside.measures.definitions import current_version
from alongside.measures.models import Instrument
from alongside.meetings import services as meetings
from alongside.meetings.models import MeetingStatus
from alongside.people.models import Person

CHECK_INS = [
    (70, {"connectedness": 3, "hope": 2, "identity": 4, "meaning": 3, "empowerment": 2}),
    (40, {"connectedness": 4, "hope": 3, "identity": 4, "meaning": 3, "empowerment": 3}),
    (6, {"connectedness": 6, "hope": 6, "identity": 5, "meaning": 5, "empowerment": 5}),
]


def add_demo_coordination() -> None:
    tobias = Person.objects.get(user__username="tobias")
    assert tobias.user is not None
    kasper = User.objects.get(username="kasper")
    mette = User.objects.get(username="mette")
    as_tobias = Actor(tobias.user, "person")
    as_kasper = Actor(kasper, "key_worker")
    now = timezone.now()

    chime = Instrument.objects.get(code="chime_checkin")
    version = current_version(chime)
    if version is not None:
        for days_ago, answers in CHECK_INS:
            measures.submit_response(
                as_tobias, tobias, version, answers, authored_at=now - timedelta(days=days_ago)
            )
        measures.schedule_measure(
            as_kasper,
            tobias,
            chime,
            kind="every_n_weeks",
            every_weeks=4,
            first_due_on=timezone.localdate() + timedelta(days=22),
        )

    meeting = meetings.plan_meeting(
        as_kasper,
        tobias,
        meetings.MeetingPlan(
            planned_for=now - timedelta(days=21),
            place="Ward S2, the garden room",
            participants=[kasper, mette],
            person_points=[
                "A place of my own near my brother",
                "Getting back to the football club",
            ],
            other_points=["What support the municipality can offer after discharge"],
        ),
    )
    meetings.update_record(
        as_kasper,
        meeting,
        version=meeting.version,
        planned_for=meeting.planned_for,
        place=meeting.place,
        status=MeetingStatus.HELD,
        person_summary="I want to live near my brother and train with the club again in spring.",
    )
    meetings.record_decision(
        as_kasper, meeting, text="Apply for a supported flat in the north of town."
    )
    meetings.add_action(
        as_kasper,
        meeting,
        text="Ask the football club about the spring training times",
        owner=kasper,
        due_on=timezone.localdate() + timedelta(days=3),
    )
