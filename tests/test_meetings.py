"""Network meetings: the person's priorities first, actions with owners across organisations,
the owner's task list, and a meeting record that never loses anyone's words."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.audit.log import Actor
from alongside.audit.models import AuditAction, AuditEvent
from alongside.meetings import services
from alongside.meetings.models import Action, NetworkMeeting
from alongside.meetings.queries import candidates_for
from alongside.network import services as network
from alongside.organisations.models import Role
from alongside.plans import services as plans
from alongside.plans.models import Origin
from tests.personas import Persona, World

ClientAs = Callable[[Persona], Client]


def key_worker(world: World) -> Actor:
    return Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)


def plan(world: World, *, days: int = 1, **extra: object) -> NetworkMeeting:
    fields: dict[str, object] = {
        "planned_for": timezone.now() + timedelta(days=days),
        "place": "The garden room",
        "participants": [world.users[Persona.KEY_WORKER], world.users[Persona.CASEWORKER]],
        "goals": [world.own_goal],
        **extra,
    }
    return services.plan_meeting(key_worker(world), world.p1, services.MeetingPlan(**fields))  # type: ignore[arg-type]


def meeting_url(world: World, meeting: NetworkMeeting) -> str:
    return reverse("meetings:meeting", kwargs={"person_id": world.p1.pk, "meeting_id": meeting.pk})


def page(response: Any) -> str:
    return html.unescape(str(response.content.decode()))


def test_the_persons_own_goals_and_points_open_the_agenda(world: World) -> None:
    meeting = plan(
        world,
        other_points=["Medication review"],
        person_points=["My sister's birthday"],
    )
    services.add_agenda_item(key_worker(world), meeting, text="Bus money", raised_by_person=True)
    services.add_agenda_item(key_worker(world), meeting, text="Ward rules", raised_by_person=False)
    agenda = [(item.text, item.raised_by_person) for item in meeting.agenda.all()]
    assert agenda == [
        ("Cook for my sister again", True),
        ("My sister's birthday", True),
        ("Bus money", True),
        ("Medication review", False),
        ("Ward rules", False),
    ]


def test_plan_form_suggests_only_the_persons_own_goals(world: World, client_as: ClientAs) -> None:
    response = client_as(Persona.KEY_WORKER).get(
        reverse("meetings:plan", kwargs={"person_id": world.p1.pk})
    )
    assert "Cook for my sister again" in page(response)
    assert world.service_goal.origin == Origin.CLINICAL
    assert "Take medication every day" not in page(response)


def test_participants_are_network_members_who_may_see_meetings(world: World) -> None:
    invited = {c.user for c in candidates_for(world.p1)}
    assert world.users[Persona.CASEWORKER] in invited
    assert world.users[Persona.FAMILY] not in invited  # crisis plan only
    assert world.users[Persona.EXPIRED_MEMBER] not in invited
    with pytest.raises(ValidationError) as refused:
        plan(world, participants=[world.users[Persona.P2]])
    assert "participants" in refused.value.message_dict


def test_caseworker_owns_an_action_and_completes_it_from_the_task_list(
    world: World, client_as: ClientAs
) -> None:
    meeting = plan(world)
    caseworker = world.users[Persona.CASEWORKER]
    due = timezone.localdate() + timedelta(days=7)
    response = client_as(Persona.KEY_WORKER).post(
        meeting_url(world, meeting),
        {
            "form": "action",
            "action-text": "Ask the housing office about a flat",
            "action-owner": str(caseworker.pk),
            "action-due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(meeting=meeting)
    assert (action.owner, action.due_on, action.person_id) == (caseworker, due, world.p1.pk)

    as_caseworker = client_as(Persona.CASEWORKER)
    tasks_url = reverse("meetings_service:tasks")
    assert "Ask the housing office about a flat" in page(as_caseworker.get(tasks_url))
    assert "Ask the housing office" not in page(client_as(Persona.KEY_WORKER).get(tasks_url))

    assert as_caseworker.post(tasks_url, {"action": str(action.pk)}).status_code == 302
    action.refresh_from_db()
    assert action.done_at is not None
    assert action.done_by == caseworker
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(action.pk), actor_id=caseworker.pk, why="done"
    ).exists()
    after = page(as_caseworker.get(tasks_url))
    assert "Done recently" in after
    assert "Mark as done: Ask the housing office" not in after


def test_only_the_owner_marks_an_action_done(world: World, client_as: ClientAs) -> None:
    meeting = plan(world)
    action = services.add_action(
        key_worker(world),
        meeting,
        text="Phone the bakery",
        owner=world.users[Persona.CASEWORKER],
        due_on=timezone.localdate() + timedelta(days=2),
    )
    with pytest.raises(PermissionDenied):
        services.complete_action(key_worker(world), action)
    response = client_as(Persona.KEY_WORKER).post(
        reverse("meetings_service:tasks"), {"action": str(action.pk)}
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.done_at is None


def test_overdue_actions_are_flagged_in_words(world: World, client_as: ClientAs) -> None:
    meeting = plan(world, days=-10)
    for text, days in [("Send the forms", -3), ("Book the viewing", 4)]:
        services.add_action(
            key_worker(world),
            meeting,
            text=text,
            owner=world.users[Persona.CASEWORKER],
            due_on=timezone.localdate() + timedelta(days=days),
        )
    body = page(client_as(Persona.CASEWORKER).get(reverse("meetings_service:tasks")))
    assert "1 is overdue." in body
    cards = {card.split("</p>")[0]: card for card in body.split('<p class="card-title">')[1:]}
    assert "Overdue" in cards["Send the forms"]
    assert "task-overdue" in body
    assert "Overdue" not in cards["Book the viewing"]


def test_action_without_owner_is_refused_with_a_clear_error(
    world: World, client_as: ClientAs
) -> None:
    meeting = plan(world)
    response = client_as(Persona.KEY_WORKER).post(
        meeting_url(world, meeting),
        {
            "form": "action",
            "action-text": "Find a gym",
            "action-owner": "",
            "action-due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Every action needs an owner." in page(response)
    assert 'aria-invalid="true"' in page(response)
    assert not Action.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        ("", "Give the date it is due."),
        ("2026-02-31", "Enter a date, for example"),
        ("yesterday", "Enter a date, for example"),
        ("before", "The due date cannot be before the meeting."),
    ],
)
def test_invalid_due_dates_are_refused(
    world: World, client_as: ClientAs, due_on: str, message: str
) -> None:
    meeting = plan(world, days=3)
    if due_on == "before":
        due_on = timezone.localdate().isoformat()
    response = client_as(Persona.KEY_WORKER).post(
        meeting_url(world, meeting),
        {
            "form": "action",
            "action-text": "Find a gym",
            "action-owner": str(world.users[Persona.CASEWORKER].pk),
            "action-due_on": due_on,
        },
    )
    assert response.status_code == 200
    assert message in page(response)
    assert not Action.objects.filter(meeting=meeting).exists()


def test_action_owner_must_take_part(world: World) -> None:
    meeting = plan(world, participants=[world.users[Persona.KEY_WORKER]])
    with pytest.raises(ValidationError) as refused:
        services.add_action(
            key_worker(world),
            meeting,
            text="Call the GP",
            owner=world.users[Persona.CASEWORKER],
            due_on=timezone.localdate() + timedelta(days=3),
        )
    assert refused.value.message_dict["owner"] == [
        "The owner must be someone taking part in the meeting."
    ]


def test_an_invalid_meeting_date_is_refused(world: World, client_as: ClientAs) -> None:
    response = client_as(Persona.P1).post(
        reverse("meetings:plan", kwargs={"person_id": world.p1.pk}),
        {"planned_for": "2026-13-45T10:00", "place": "Home"},
    )
    assert response.status_code == 200
    assert "Enter a date and time" in page(response)
    assert not NetworkMeeting.objects.exists()


def test_stale_meeting_save_is_refused_and_nothing_is_lost(
    world: World, client_as: ClientAs
) -> None:
    meeting = plan(world)
    url = meeting_url(world, meeting)

    def record(client: Client, version: int, summary: str) -> Any:
        return client.post(
            url,
            {
                "form": "record",
                "record-version": str(version),
                "record-planned_for": timezone.localtime(meeting.planned_for).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
                "record-place": "The garden room",
                "record-status": "held",
                "record-person_summary": summary,
            },
        )

    first = "I want to look at flats near the harbour."
    mine = "I felt listened to. The flat comes first, then work."
    assert record(client_as(Persona.KEY_WORKER), 1, first).status_code == 302
    response = record(client_as(Persona.P1), 1, mine)
    body = page(response)
    assert response.status_code == 200
    assert "Someone else saved this meeting while you were editing it" in body
    assert mine in body
    assert first in body
    assert 'name="record-version" value="2"' in body
    meeting.refresh_from_db()
    assert (meeting.person_summary, meeting.version) == (first, 2)

    # Having seen both, the person saves again on top of the current version.
    assert record(client_as(Persona.P1), 2, f"{first} {mine}").status_code == 302
    meeting.refresh_from_db()
    assert meeting.person_summary == f"{first} {mine}"
    assert meeting.summary_by == world.users[Persona.P1]


def test_family_without_meetings_scope_gets_404(world: World, client_as: ClientAs) -> None:
    meeting = plan(world)
    family = client_as(Persona.FAMILY)
    assert (
        family.get(reverse("meetings:list", kwargs={"person_id": world.p1.pk})).status_code == 404
    )
    assert family.get(meeting_url(world, meeting)).status_code == 404


def test_an_owner_who_lost_access_no_longer_sees_the_task(
    world: World, client_as: ClientAs
) -> None:
    meeting = plan(world)
    services.add_action(
        key_worker(world),
        meeting,
        text="Send the application",
        owner=world.users[Persona.CASEWORKER],
        due_on=timezone.localdate() + timedelta(days=2),
    )
    network.end_membership(Actor.system(), world.caseworker_membership)
    body = page(client_as(Persona.CASEWORKER).get(reverse("meetings_service:tasks")))
    assert "Send the application" not in body


def test_task_list_costs_the_same_queries_with_more_actions(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(Persona.CASEWORKER)
    url = reverse("meetings_service:tasks")

    def add(count: int, person_goal: str) -> None:
        goal = plans.add_goal(
            Actor(world.users[Persona.P1], "person"),
            world.p1,
            text=person_goal,
            origin=Origin.PERSON,
        )
        meeting = plan(world, goals=[goal])
        for number in range(count):
            services.add_action(
                key_worker(world),
                meeting,
                text=f"{person_goal}: step {number}",
                owner=world.users[Persona.CASEWORKER],
                due_on=timezone.localdate() + timedelta(days=2 + number % 5),
            )

    add(2, "Swim again")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(40, "Learn to drive")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert page(response).count('<p class="card-title">Learn to drive: step') == 40
    assert len(many) == len(few)
