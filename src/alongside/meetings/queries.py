"""Reads for the meeting pages and the task list, each in a fixed number of queries.

Callers have already opened the person through ``alongside.access``; ``tasks_for`` filters by
``access.visible_persons`` itself, so an owner whose access ended no longer sees the action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from alongside import access
from alongside.accounts.models import User
from alongside.meetings.models import Action, NetworkMeeting, Participant
from alongside.network.models import CareNetworkMembership
from alongside.network.scopes import Section
from alongside.people.models import Person
from alongside.plans.models import Goal, GoalStatus, Origin


@dataclass(frozen=True)
class Candidate:
    """Someone who may be invited: an active network member who may see meetings."""

    user: User
    organisation: str
    role: str


def candidates_for(person: Person, *, planner: User | None = None) -> list[Candidate]:
    """Active network members of any organisation whose scope includes meetings, and the planner
    (who may work in the person's unit without being a network member)."""
    memberships = (
        CareNetworkMembership.objects.active_at(timezone.now())
        .filter(person=person, sees_meetings=True)
        .select_related("member", "organisation")
        .order_by("member__display_name", "pk")
    )
    found: dict[int, Candidate] = {}
    for membership in memberships:
        if membership.member_id not in found:
            found[membership.member_id] = Candidate(
                membership.member,
                membership.organisation.name if membership.organisation else "",
                membership.role,
            )
    if planner is not None and planner.pk not in found and planner.pk != person.user_id:
        found[planner.pk] = Candidate(planner, "", "staff")
    return list(found.values())


def suggested_goals(person: Person) -> list[Goal]:
    """The person's own active goals: offered as the first points on a new meeting's agenda."""
    return list(
        Goal.objects.filter(person=person, origin=Origin.PERSON, status=GoalStatus.ACTIVE).order_by(
            "created_at", "pk"
        )
    )


def meetings_for(person: Person) -> list[NetworkMeeting]:
    return list(NetworkMeeting.objects.filter(person=person).order_by("-planned_for", "-pk"))


def meeting_in_full(meeting_id: int) -> NetworkMeeting:
    """One meeting with its agenda, participants, decisions and actions (five queries)."""
    return (
        NetworkMeeting.objects.select_related("summary_by")
        .prefetch_related(
            "agenda",
            Prefetch("participants", queryset=Participant.objects.select_related("user")),
            "decisions",
            Prefetch("actions", queryset=Action.objects.select_related("owner", "done_by")),
        )
        .get(pk=meeting_id)
    )


def owner_choices(meeting: NetworkMeeting) -> list[tuple[str, str]]:
    """Participants with a login, who may own an action, as form choices."""
    return [
        (str(p.user_id), f"{p.name} ({p.organisation})" if p.organisation else p.name)
        for p in meeting.participants.all()
        if p.user_id is not None
    ]


@dataclass(frozen=True)
class Task:
    action: Action
    overdue: bool


def open_tasks(user: User, *, today: date | None = None) -> list[Task]:
    """Actions the user owns and has not done, across every person they may still see meetings
    of, oldest due first. Three queries however many there are (persons, actions, none else)."""
    day = today or timezone.localdate()
    visible = access.visible_persons(user, Section.MEETINGS, include_self=True)
    actions: QuerySet[Action] = (
        Action.objects.filter(owner=user, done_at__isnull=True, person__in=visible)
        .select_related("person", "meeting")
        .order_by("due_on", "pk")
    )
    return [Task(action, action.due_on < day) for action in actions]


def done_recently(user: User, *, limit: int = 10) -> list[Action]:
    visible = access.visible_persons(user, Section.MEETINGS, include_self=True)
    return list(
        Action.objects.filter(owner=user, done_at__isnull=False, person__in=visible)
        .select_related("person")
        .order_by("-done_at", "-pk")[:limit]
    )
