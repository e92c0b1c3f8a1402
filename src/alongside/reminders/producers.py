"""Producers: find what is due and create one reminder per (kind, subject, due date, recipient).

They run at the start of every worker round and may run as often as anyone likes: the unique
constraint on ``Reminder`` and ``bulk_create(ignore_conflicts=True)`` make them idempotent, also
when two workers produce at the same moment.

- **review_due**: an active stay whose ``next_review_on`` is within ``REVIEW_LEAD`` (or past), to
  every party of the review: the person (with a login), their key workers (network key workers
  and key workers of the unit they stay in) and the municipality (network members from a
  municipality who see the plan);
- **action_due**: an open meeting action due within ``ACTION_LEAD`` (or overdue), to its owner;
- **debrief_due**: a restrictive measure without a debrief whose debrief falls due within
  ``DEBRIEF_LEAD`` (or is overdue), to whoever recorded it and the person's key workers;
- **measure_due**: a scheduled questionnaire that is due (or overdue) and may be sent, to the
  person themself, who answers it on their own page;
- **alert_missed**: an alert (``alerts``) nobody acknowledged by its deadline, to the team leaders
  of the unit it was raised in. Each alert is escalated once: it is marked escalated in the same
  round, and an alert whose unit has no team leader waits for the next round.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from alongside.alerts.models import Alert
from alongside.alerts.services import mark_escalated
from alongside.measures.queries import due_for_staff
from alongside.meetings.models import Action
from alongside.notifications.recipients import key_worker_ids, municipality_member_ids
from alongside.organisations.models import Role, StaffRole
from alongside.people.models import Person, Stay, StayStatus
from alongside.reminders.models import Reminder, ReminderKind
from alongside.safety.restrictive import DEFAULT_DEBRIEF_HOURS, DebriefRule, RestrictiveEpisode

REVIEW_LEAD = timedelta(days=14)
ACTION_LEAD = timedelta(days=2)
DEBRIEF_LEAD = timedelta(hours=24)
# Debriefs of measures that ended longer ago than this are left to the register's own overview.
DEBRIEF_LOOKBACK = timedelta(days=30)


key_workers = key_worker_ids


def _save(reminders: list[Reminder]) -> None:
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True, batch_size=500)


def produce_review_reminders(now: datetime) -> None:
    horizon = timezone.localdate(now) + REVIEW_LEAD
    stays = list(
        Stay.objects.filter(
            status=StayStatus.ACTIVE, next_review_on__isnull=False, next_review_on__lte=horizon
        ).values_list("pk", "person_id", "next_review_on")
    )
    person_ids = {person_id for _pk, person_id, _on in stays}
    workers = key_worker_ids(person_ids, now)
    for person_id, user_ids in municipality_member_ids(person_ids, now).items():
        workers[person_id] |= user_ids
    for person_id, user_id in Person.objects.filter(
        pk__in=person_ids, user__isnull=False, user__is_active=True
    ).values_list("pk", "user_id"):
        workers[person_id].add(user_id)
    _save(
        [
            Reminder(
                kind=ReminderKind.REVIEW_DUE,
                subject=f"stay:{pk}",
                due_on=review_on,
                recipient_id=user_id,
                person_id=person_id,
                due_at=now,
            )
            for pk, person_id, review_on in stays
            if review_on is not None
            for user_id in sorted(workers.get(person_id, ()))
        ]
    )


def produce_action_reminders(now: datetime) -> None:
    horizon = timezone.localdate(now) + ACTION_LEAD
    _save(
        [
            Reminder(
                kind=ReminderKind.ACTION_DUE,
                subject=f"action:{pk}",
                due_on=due_on,
                recipient_id=owner_id,
                person_id=person_id,
                due_at=now,
            )
            for pk, owner_id, person_id, due_on in Action.objects.filter(
                done_at__isnull=True, due_on__lte=horizon
            ).values_list("pk", "owner_id", "person_id", "due_on")
        ]
    )


def produce_debrief_reminders(now: datetime) -> None:
    hours = dict(DebriefRule.objects.values_list("organisation_id", "hours"))
    longest = max([DEFAULT_DEBRIEF_HOURS, *hours.values()])
    episodes = list(
        RestrictiveEpisode.objects.filter(
            Q(debrief__isnull=True),
            ended_at__gte=now - DEBRIEF_LOOKBACK - timedelta(hours=longest),
            ended_at__lte=now,
        ).values_list("pk", "person_id", "recorded_by_id", "ended_at", "unit__organisation_id")
    )
    due = [
        (pk, person_id, recorder, ended + timedelta(hours=hours.get(org, DEFAULT_DEBRIEF_HOURS)))
        for pk, person_id, recorder, ended, org in episodes
    ]
    due = [row for row in due if row[3] - DEBRIEF_LEAD <= now and row[3] >= now - DEBRIEF_LOOKBACK]
    workers = key_workers((row[1] for row in due), now)
    _save(
        [
            Reminder(
                kind=ReminderKind.DEBRIEF_DUE,
                subject=f"episode:{pk}",
                due_on=timezone.localdate(deadline),
                recipient_id=user_id,
                person_id=person_id,
                due_at=now,
            )
            for pk, person_id, recorder, deadline in due
            for user_id in sorted({recorder, *workers.get(person_id, ())})
        ]
    )


def produce_measure_reminders(now: datetime) -> None:
    due = due_for_staff(
        Person.objects.filter(user__isnull=False, user__is_active=True), timezone.localdate(now)
    )
    _save(
        [
            Reminder(
                kind=ReminderKind.MEASURE_DUE,
                subject=f"schedule:{item.schedule.pk}",
                due_on=item.due_on,
                recipient_id=item.person.user_id,
                person_id=item.person.pk,
                due_at=now,
            )
            for item in due
            if item.blocked_reason is None and item.person.user_id is not None
        ]
    )


def produce_alert_escalations(now: datetime) -> None:
    missed = list(
        Alert.objects.filter(
            acknowledged_at__isnull=True,
            escalated_at__isnull=True,
            acknowledge_by__lte=now,
            unit__isnull=False,
        ).values_list("pk", "person_id", "unit_id", "acknowledge_by")
    )
    leaders: dict[int, set[int]] = {}
    for unit_id, user_id in (
        StaffRole.objects.current()
        .filter(unit_id__in={row[2] for row in missed}, role=Role.TEAM_LEADER, user__is_active=True)
        .values_list("unit_id", "user_id")
    ):
        leaders.setdefault(unit_id, set()).add(user_id)
    told = [row for row in missed if leaders.get(row[2])]
    _save(
        [
            Reminder(
                kind=ReminderKind.ALERT_MISSED,
                subject=f"alert:{pk}",
                due_on=timezone.localdate(deadline),
                recipient_id=user_id,
                person_id=person_id,
                due_at=now,
            )
            for pk, person_id, unit_id, deadline in told
            for user_id in sorted(leaders[unit_id])
        ]
    )
    mark_escalated([row[0] for row in told], now)


def produce_all(now: datetime | None = None) -> int:
    """Run every producer; answers how many reminders are waiting to be sent."""
    moment = now or timezone.now()
    produce_review_reminders(moment)
    produce_action_reminders(moment)
    produce_debrief_reminders(moment)
    produce_measure_reminders(moment)
    produce_alert_escalations(moment)
    return Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).count()
