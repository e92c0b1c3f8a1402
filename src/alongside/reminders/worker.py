"""The reminder worker: claim due reminders with row locks, send each one, never twice.

One round: run the producers, **claim** a batch, then **send** each claimed reminder.

- Claiming happens in one transaction with ``select_for_update(skip_locked=True)``: on PostgreSQL
  a second worker skips the rows the first is claiming, and once the claim commits the lease
  (``claimed_until``) keeps them out of everyone else's claims. On SQLite, whose transactions are
  ``IMMEDIATE`` here, the whole claim runs under the database's write lock, one worker at a time.
- Sending happens in one transaction per reminder, which locks the row again and checks that this
  worker still holds the claim. The in-app notification and ``sent_at`` are written in that same
  transaction: a worker killed before the commit leaves neither, and the reminder is claimed again
  when the lease runs out. So **each in-app notification is created exactly once**.
- Email is not transactional. It is sent inside the transaction, before the commit: a crash after
  the mail left but before the commit sends it again on the retry (**email is at least once**).
  Every email of a reminder carries the same ``Message-ID`` (``Reminder.message_id``), so such a
  resend is recognisable as a duplicate by mail systems and by anyone who looks.

``ALONGSIDE_REMINDERS_TEST_CRASH`` is a test hook: ``after-claim`` kills the process right after
a claim commits, ``mid-send:N`` during the N-th send, after the notification and the email but
before the commit. It does nothing unless set.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alongside import access
from alongside.alerts import messages as alert_messages
from alongside.alerts.models import Alert
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.fhir import bulk as bulk_export
from alongside.insight import services as insight
from alongside.measures.queries import due_for_person
from alongside.measures.reliable import refresh_estimates
from alongside.meetings.models import Action
from alongside.network.scopes import Section
from alongside.notifications.messages import MessageKind, Params
from alongside.notifications.services import notify, wants_email
from alongside.people.models import Stay, StayStatus
from alongside.reminders import messages
from alongside.reminders.models import Reminder, ReminderKind
from alongside.reminders.producers import produce_all
from alongside.safety.restrictive import RestrictiveEpisode

log = logging.getLogger("alongside.reminders")

LEASE = timedelta(minutes=5)
BATCH = 50
# After this many failed attempts at email, the reminder is sent in the app only.
MAX_EMAIL_ATTEMPTS = 5
CRASH_HOOK = "ALONGSIDE_REMINDERS_TEST_CRASH"


@dataclass
class RoundResult:
    claimed: int = 0
    sent: int = 0
    cancelled: int = 0
    lost: int = 0


@dataclass(frozen=True)
class Message:
    """A reminder's message kind, its parameters and its link; rendered in the reader's language
    in the app, and in the recipient's language in the email."""

    kind: MessageKind
    params: Params
    url: str

    @property
    def text(self) -> str:
        return self.kind.render(self.params)


def _pending() -> Q:
    return Q(sent_at__isnull=True, cancelled_at__isnull=True)


def claim(worker: str, now: datetime, *, batch: int = BATCH, lease: timedelta = LEASE) -> list[int]:
    """Claim up to ``batch`` due reminders that nobody holds (or whose lease ran out)."""
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(_pending(), due_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(
                claimed_by=worker, claimed_until=now + lease, attempts=F("attempts") + 1
            )
    return ids


def _subject_id(reminder: Reminder) -> int:
    return int(reminder.subject.split(":", 1)[1])


def compose(reminder: Reminder) -> Message | None:
    """The words and link of a reminder, or ``None`` when it is no longer due or the recipient
    no longer has access to the person (then it is cancelled, not sent)."""
    grant = access.resolve_access(reminder.recipient, reminder.person_id)
    if grant is None:
        return None
    name = reminder.person.shown_name
    day = reminder.due_on.isoformat()
    pk = _subject_id(reminder)
    if reminder.kind == ReminderKind.REVIEW_DUE:
        if not Stay.objects.filter(
            pk=pk, status=StayStatus.ACTIVE, next_review_on=reminder.due_on
        ).exists():
            return None
        if grant.is_self:
            return Message(
                messages.OWN_REVIEW_DUE,
                {"date": day},
                reverse("reviews:reviews", kwargs={"person_id": reminder.person_id}),
            )
        return Message(
            messages.REVIEW_DUE,
            {"name": name, "date": day},
            reverse("workspace:person", kwargs={"person_id": reminder.person_id}),
        )
    if reminder.kind == ReminderKind.ACTION_DUE:
        action = Action.objects.filter(pk=pk, done_at__isnull=True).first()
        if action is None or not grant.allows(Section.MEETINGS):
            return None
        return Message(
            messages.ACTION_DUE,
            {"name": name, "date": day, "text": action.text},
            reverse("meetings_service:tasks"),
        )
    if reminder.kind == ReminderKind.ALERT_MISSED:
        still_open = Alert.objects.filter(pk=pk, acknowledged_at__isnull=True).exists()
        if not still_open or grant.is_self or not grant.allows(Section.MEASURES):
            return None
        return Message(
            alert_messages.ESCALATED,
            {"name": name, "date": day},
            reverse("alerts:now", kwargs={"person_id": reminder.person_id}),
        )
    if reminder.kind == ReminderKind.MEASURE_DUE:
        waiting = [
            item
            for item in due_for_person(reminder.person)
            if item.schedule.pk == pk and item.blocked_reason is None
        ]
        if not waiting or not grant.is_self:
            return None
        return Message(
            messages.MEASURE_DUE,
            {"instrument": waiting[0].instrument.name(get_language() or "en")},
            reverse("measures:home", kwargs={"person_id": reminder.person_id}),
        )
    if not RestrictiveEpisode.objects.filter(pk=pk, debrief__isnull=True).exists():
        return None
    return Message(
        messages.DEBRIEF_DUE,
        {"name": name, "date": day},
        reverse("safety:debrief", kwargs={"person_id": reminder.person_id, "episode_id": pk}),
    )


def _email(reminder: Reminder, message: Message) -> EmailMessage:
    base = str(getattr(settings, "ALONGSIDE_BASE_URL", "")).rstrip("/")
    body = "\n\n".join(
        [
            message.text,
            _("Open Alongside: %(link)s") % {"link": f"{base}{message.url}"},
            _("This is a reminder from Alongside. Reply to nobody; open the link instead."),
        ]
    )
    return EmailMessage(
        subject=_("Reminder: %(kind)s") % {"kind": reminder.get_kind_display()},
        body=body,
        to=[reminder.recipient.email],
        headers={"Message-ID": reminder.message_id},
    )


def _crash_point() -> tuple[str, int]:
    hook = os.environ.get(CRASH_HOOK, "")
    point, _sep, count = hook.partition(":")
    return point, int(count or 0)


def send_one(reminder_id: int, worker: str, now: datetime, sends_so_far: int) -> str:
    """Send one claimed reminder. Answers ``sent``, ``cancelled`` or ``lost`` (someone else
    holds it now, or it was already sent)."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("recipient", "person")
            .filter(_pending(), pk=reminder_id, claimed_by=worker)
            .first()
        )
        if reminder is None:
            return "lost"
        language = reminder.recipient.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            message = compose(reminder)
            if message is None:
                reminder.cancelled_at = now
                reminder.save(update_fields=["cancelled_at"])
                record(
                    Actor.system(),
                    AuditAction.UPDATE,
                    obj=reminder,
                    person_id=reminder.person_id,
                    why="cancelled: no longer due",
                )
                return "cancelled"
            notify([reminder.recipient], message.kind, message.params, message.url)
            if wants_email(reminder.recipient):
                try:
                    _email(reminder, message).send()
                except Exception:
                    if reminder.attempts < MAX_EMAIL_ATTEMPTS:
                        raise
                    log.exception("reminder %s: email gave up, sent in the app", reminder.pk)
        reminder.sent_at = now
        reminder.claimed_until = None
        reminder.save(update_fields=["sent_at", "claimed_until"])
        record(
            Actor.system(),
            AuditAction.UPDATE,
            obj=reminder,
            person_id=reminder.person_id,
            why="sent",
        )
        point, count = _crash_point()
        if point == "mid-send" and sends_so_far + 1 == count:
            os._exit(3)  # a kill before the commit: the notification and sent_at roll back
    return "sent"


def run_round(
    worker: str, *, now: datetime | None = None, batch: int = BATCH, lease: timedelta = LEASE
) -> RoundResult:
    moment = now or timezone.now()
    produce_all(moment)
    try:
        insight.worker_round(moment)
    except Exception:
        # Figures for learning must never hold up a reminder; the next round tries again.
        log.exception("insight rollups or action reviews failed this round")
    try:
        refresh_estimates(moment)
    except Exception:
        log.exception("measure reliability estimates failed this round")
    try:
        bulk_export.worker_round(worker)
    except Exception:
        log.exception("FHIR bulk exports failed this round")
    result = RoundResult()
    ids = claim(worker, moment, batch=batch, lease=lease)
    result.claimed = len(ids)
    if ids and _crash_point()[0] == "after-claim":
        os._exit(3)
    for reminder_id in ids:
        try:
            outcome = send_one(reminder_id, worker, timezone.now(), result.sent)
        except Exception:
            # Left claimed: tried again when the lease runs out.
            log.exception("reminder %s could not be sent", reminder_id)
            continue
        if outcome == "sent":
            result.sent += 1
        elif outcome == "cancelled":
            result.cancelled += 1
        else:
            result.lost += 1
    return result
