"""Every write to network meetings: plan, agenda, the record (versioned), decisions and actions.

Who may write is decided by the views from the access grant (the person, or staff); the rules that
belong to the data live here: the person's points come first on the agenda, an action has an owner
who takes part in the meeting and a due date not before the meeting, only the owner marks their
action done, and a save of the meeting record that started from an older version is refused
(``StaleMeeting``), so nobody's words are silently overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.meetings import messages
from alongside.meetings.models import (
    MAX_SHORT_TEXT,
    MAX_TEXT,
    Action,
    AgendaItem,
    Decision,
    MeetingStatus,
    NetworkMeeting,
    Participant,
)
from alongside.meetings.queries import Candidate, candidates_for
from alongside.notifications.messages import Params
from alongside.notifications.recipients import the_person
from alongside.notifications.services import notify
from alongside.people.models import Person
from alongside.plans.models import Goal, Origin

# How far from today a meeting may be planned or recorded, and an action be due.
MEETING_WINDOW = timedelta(days=366)
ACTION_HORIZON = timedelta(days=2 * 366)


class StaleMeeting(ValidationError):
    """The meeting record changed since the form was opened. ``current`` is what is saved now."""

    def __init__(self, current: NetworkMeeting) -> None:
        super().__init__(
            _(
                "Someone else saved this meeting while you were editing it. Nothing was "
                "changed. Your text and the saved text are both shown below: combine them and "
                "save again."
            ),
            code="stale",
        )
        self.current = current


@dataclass(frozen=True)
class MeetingPlan:
    planned_for: datetime | None
    place: str
    participants: Sequence[User]
    goals: Sequence[Goal] = ()
    person_points: Sequence[str] = ()
    other_points: Sequence[str] = ()


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionDenied("meetings are written by people, not the system")
    return actor.user


def _check_when(planned_for: datetime | None, errors: dict[str, str]) -> None:
    if planned_for is None:
        errors["planned_for"] = _("Give the date and time of the meeting.")
    elif abs(planned_for - timezone.now()) > MEETING_WINDOW:
        errors["planned_for"] = _("Choose a date within a year from today.")


def _points(lines: Iterable[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


def plan_meeting(actor: Actor, person: Person, plan: MeetingPlan) -> NetworkMeeting:
    """A meeting with the person and the network members chosen. The person always takes part;
    their own goals and points open the agenda."""
    author = _user(actor)
    errors: dict[str, str] = {}
    _check_when(plan.planned_for, errors)
    candidates = {c.user.pk: c for c in candidates_for(person, planner=author)}
    if any(user.pk not in candidates for user in plan.participants):
        errors["participants"] = _(
            "Only the person and members of their network who may see meetings can take part."
        )
    if any(goal.person_id != person.pk or goal.origin != Origin.PERSON for goal in plan.goals):
        errors["goals"] = _("Only the person's own goals can be suggested from the plan.")
    points = [*_points(plan.person_points), *_points(plan.other_points)]
    if any(len(point) > MAX_SHORT_TEXT for point in points):
        errors["other_points"] = _("Keep each agenda point under 300 characters.")
    if len(plan.place) > 200:
        errors["place"] = _("Keep the place under 200 characters.")
    if errors:
        raise ValidationError(errors)
    assert plan.planned_for is not None
    with transaction.atomic():
        meeting = NetworkMeeting.objects.create(
            person=person,
            planned_for=plan.planned_for,
            place=plan.place.strip(),
            planned_by=author,
            planned_role=actor.role,
        )
        Participant.objects.create(
            meeting=meeting,
            user=person.user,
            name=person.shown_name,
            role="person",
            is_person=True,
        )
        chosen = {user.pk for user in plan.participants} - {person.user_id}
        Participant.objects.bulk_create(
            _participant(meeting, candidates[pk]) for pk in sorted(chosen)
        )
        items = [
            AgendaItem(
                meeting=meeting, text=goal.text[:MAX_SHORT_TEXT], raised_by_person=True, goal=goal
            )
            for goal in plan.goals
        ]
        items += [
            AgendaItem(meeting=meeting, text=t, raised_by_person=True)
            for t in _points(plan.person_points)
        ]
        items += [AgendaItem(meeting=meeting, text=t) for t in _points(plan.other_points)]
        for order, item in enumerate(items):
            item.order = order
            item.added_by = author
            item.added_role = actor.role
        AgendaItem.objects.bulk_create(items)
        record(actor, AuditAction.CREATE, obj=meeting, person_id=person.pk)
        _tell_of_meeting(meeting, author, [candidates[pk].user for pk in sorted(chosen)])
    return meeting


def _tell_of_meeting(meeting: NetworkMeeting, planner: User, others: Sequence[User]) -> None:
    """Everyone taking part is told, except whoever planned it."""
    url = reverse("meetings:meeting", args=[meeting.person_id, meeting.pk])
    day = timezone.localdate(meeting.planned_for).isoformat()
    notify(
        the_person(meeting.person, unless=planner), messages.OWN_MEETING_PLANNED, {"date": day}, url
    )
    notify(
        [user for user in others if user.pk != planner.pk],
        messages.MEETING_PLANNED,
        {"name": meeting.person.shown_name, "date": day},
        url,
    )


def _participant(meeting: NetworkMeeting, candidate: Candidate) -> Participant:
    return Participant(
        meeting=meeting,
        user=candidate.user,
        name=candidate.user.shown_name,
        organisation=candidate.organisation,
        role=candidate.role,
    )


def add_agenda_item(
    actor: Actor, meeting: NetworkMeeting, *, text: str, raised_by_person: bool
) -> AgendaItem:
    author = _user(actor)
    words = text.strip()
    if not words:
        raise ValidationError({"text": _("Write the agenda point.")})
    if len(words) > MAX_SHORT_TEXT:
        raise ValidationError({"text": _("Keep each agenda point under 300 characters.")})
    last = meeting.agenda.order_by("-order").values_list("order", flat=True).first()
    item = AgendaItem.objects.create(
        meeting=meeting,
        text=words,
        raised_by_person=raised_by_person,
        order=(last or 0) + 1,
        added_by=author,
        added_role=actor.role,
    )
    record(actor, AuditAction.CREATE, obj=item, person_id=meeting.person_id)
    return item


def update_record(
    actor: Actor,
    meeting: NetworkMeeting,
    *,
    version: int,
    planned_for: datetime | None,
    place: str,
    status: str,
    person_summary: str,
) -> NetworkMeeting:
    """Save time, place, status and the person's summary, if nobody saved since ``version``."""
    author = _user(actor)
    errors: dict[str, str] = {}
    _check_when(planned_for, errors)
    if status not in MeetingStatus.values:
        errors["status"] = _("Choose planned, held or cancelled.")
    if len(person_summary) > MAX_TEXT:
        errors["person_summary"] = _("Keep the summary under 4000 characters.")
    if len(place) > 200:
        errors["place"] = _("Keep the place under 200 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = NetworkMeeting.objects.select_for_update().get(pk=meeting.pk)
        if current.version != version:
            raise StaleMeeting(current)
        summary_changed = current.person_summary != person_summary
        NetworkMeeting.objects.filter(pk=meeting.pk).update(
            planned_for=planned_for,
            place=place.strip(),
            status=status,
            person_summary=person_summary,
            summary_by=author if summary_changed else current.summary_by,
            summary_role=actor.role if summary_changed else current.summary_role,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        record(actor, AuditAction.UPDATE, obj=current, person_id=current.person_id)
    meeting.refresh_from_db()
    return meeting


def record_decision(actor: Actor, meeting: NetworkMeeting, *, text: str) -> Decision:
    author = _user(actor)
    words = text.strip()
    if not words:
        raise ValidationError({"text": _("Write what was decided.")})
    if len(words) > MAX_TEXT:
        raise ValidationError({"text": _("Keep the decision under 4000 characters.")})
    decision = Decision.objects.create(
        meeting=meeting, text=words, recorded_by=author, recorded_role=actor.role
    )
    record(actor, AuditAction.CREATE, obj=decision, person_id=meeting.person_id)
    return decision


def add_action(
    actor: Actor,
    meeting: NetworkMeeting,
    *,
    text: str,
    owner: User | None,
    due_on: date | None,
) -> Action:
    """An action agreed in the meeting: who does it (a participant), and by when."""
    author = _user(actor)
    errors: dict[str, str] = {}
    words = text.strip()
    if not words:
        errors["text"] = _("Write what will be done.")
    elif len(words) > MAX_SHORT_TEXT:
        errors["text"] = _("Keep the action under 300 characters.")
    if owner is None:
        errors["owner"] = _("Choose who will do this. Every action needs an owner.")
    elif not meeting.participants.filter(user=owner).exists():
        errors["owner"] = _("The owner must be someone taking part in the meeting.")
    meeting_day = timezone.localdate(meeting.planned_for)
    if due_on is None:
        errors["due_on"] = _("Give the date it is due.")
    elif due_on < meeting_day:
        errors["due_on"] = _("The due date cannot be before the meeting.")
    elif due_on > meeting_day + ACTION_HORIZON:
        errors["due_on"] = _("Choose a due date within two years of the meeting.")
    if errors:
        raise ValidationError(errors)
    assert owner is not None
    assert due_on is not None
    action = Action.objects.create(
        meeting=meeting,
        person_id=meeting.person_id,
        text=words,
        owner=owner,
        due_on=due_on,
        created_by=author,
        created_role=actor.role,
    )
    record(actor, AuditAction.CREATE, obj=action, person_id=meeting.person_id)
    _tell_of_action(action, author)
    return action


def _tell_of_action(action: Action, author: User) -> None:
    """The owner is told the action is theirs; the person is told of every action in their
    meeting (unless they wrote it, or own it and are told that already)."""
    person = action.meeting.person
    params: Params = {
        "name": person.shown_name,
        "date": action.due_on.isoformat(),
        "text": action.text,
    }
    url = reverse("meetings:meeting", args=[person.pk, action.meeting_id])
    owner = action.owner
    if owner.pk != author.pk:
        if owner.pk == person.user_id:
            notify([owner], messages.OWN_ACTION_GIVEN, params, url)
        else:
            notify([owner], messages.ACTION_GIVEN, params, url)
    if owner.pk != person.user_id:
        notify(the_person(person, unless=author), messages.ACTION_ADDED, params, url)


def complete_action(actor: Actor, action: Action) -> Action:
    """The owner marks their action done. Doing it twice changes nothing."""
    author = _user(actor)
    if author.pk != action.owner_id:
        raise PermissionDenied("only the owner marks an action done")
    with transaction.atomic():
        updated = Action.objects.filter(pk=action.pk, done_at__isnull=True).update(
            done_at=timezone.now(), done_by=author
        )
        if updated:
            record(actor, AuditAction.UPDATE, obj=action, person_id=action.person_id, why="done")
    action.refresh_from_db()
    return action
