"""Every write of alerts: raising them when a measure response is saved, acknowledging them, and
marking them escalated (the reminder worker's producer sends the escalation itself).

``raise_for_response`` runs inside ``measures.services.submit_response``'s transaction, so a
response and its alerts are saved together or not at all. Only a recent response that is the
person's newest answer to that measure raises an alert: an imported answer from last year is
history, not something to act on today.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.alerts import messages
from alongside.alerts.models import Alert, AlertKind
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.measures.models import Response, Score
from alongside.measures.reliable import rules_for
from alongside.measures.scoring import ScaleScore, reliable_change, risk_hits
from alongside.notifications.recipients import key_workers, the_person
from alongside.notifications.services import notify
from alongside.organisations.models import CARE_ROLES, Role, StaffRole
from alongside.people.models import Stay, StayStatus

# A response authored longer ago than this raises no alert (see the module's docstring).
RECENT = timedelta(days=14)


def hours_for(kind: str) -> int:
    if kind == AlertKind.RISK_ITEM:
        return int(getattr(settings, "ALERT_HOURS_RISK", 4))
    return int(getattr(settings, "ALERT_HOURS_NOT_ON_TRACK", 72))


def _previous_score(response: Response, scale: str) -> float | None:
    found = (
        Score.objects.filter(
            person_id=response.person_id,
            instrument_id=response.instrument_id,
            scale=scale,
            value__isnull=False,
            answered_at__lte=response.authored_at,
        )
        .exclude(response_id=response.pk)
        .order_by("-answered_at", "-response_id")
        .values_list("value", flat=True)
        .first()
    )
    return None if found is None else float(found)


def _is_newest(response: Response) -> bool:
    return (
        not Response.objects.filter(
            person_id=response.person_id,
            instrument_id=response.instrument_id,
            authored_at__gt=response.authored_at,
        )
        .exclude(pk=response.pk)
        .exists()
    )


def detect(
    response: Response, scores: Mapping[str, ScaleScore], answers: Mapping[str, object]
) -> list[tuple[str, str, dict[str, object]]]:
    """(kind, subject, params) of every alert this response raises; writes nothing."""
    scoring = response.version.scoring
    found: list[tuple[str, str, dict[str, object]]] = []
    for hit in risk_hits(scoring, answers):
        params = {
            "instrument": response.instrument.code,
            "item": hit.item,
            "value": hit.value,
            "at_least": hit.at_least,
        }
        found.append((AlertKind.RISK_ITEM, hit.code, params))
    rules = rules_for(response.instrument, scoring)
    for scale in scoring.get("scales", []):
        code = str(scale["code"])
        rule = rules.get(code)
        current = scores[code].value if code in scores else None
        if rule is None or rule.threshold is None or current is None:
            continue
        previous = _previous_score(response, code)
        change = reliable_change(
            previous,
            current,
            rule.threshold,
            higher_is_better=bool(scale.get("higher_is_better", True)),
        )
        if change == "worse" and previous is not None:
            params = {
                "instrument": response.instrument.code,
                "scale": code,
                "previous": previous,
                "current": current,
                "threshold": round(rule.threshold, 2),
                "basis": rule.basis.value,
                "alpha": None if rule.alpha is None else round(rule.alpha, 3),
                "n": rule.n,
            }
            found.append((AlertKind.NOT_ON_TRACK, code, params))
    return found


def _care_team(alert: Alert) -> list[User]:
    """Her key workers; with none, the team leaders of her unit, so someone is always told."""
    team = key_workers(alert.person)
    if team or alert.unit_id is None:
        return team
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=StaffRole.objects.current()
            .filter(unit_id=alert.unit_id, role=Role.TEAM_LEADER)
            .values("user_id"),
        )
    )


def raise_for_response(
    response: Response,
    scores: Mapping[str, ScaleScore],
    answers: Mapping[str, object],
    *,
    now: datetime | None = None,
) -> list[Alert]:
    """Raise (and tell the care team and the person about) the alerts a saved response needs."""
    moment = now or timezone.now()
    if response.authored_at < moment - RECENT or not _is_newest(response):
        return []
    found = detect(response, scores, answers)
    if not found:
        return []
    stay = (
        Stay.objects.filter(person_id=response.person_id, status=StayStatus.ACTIVE)
        .order_by("-started_on", "-pk")
        .first()
    )
    alerts = []
    with transaction.atomic():
        for kind, subject, params in found:
            alert, created = Alert.objects.get_or_create(
                response=response,
                kind=kind,
                subject=subject,
                defaults={
                    "person_id": response.person_id,
                    "params": params,
                    "unit_id": stay.unit_id if stay else None,
                    "raised_at": moment,
                    "acknowledge_by": moment + timedelta(hours=hours_for(kind)),
                },
            )
            if not created:
                continue
            alerts.append(alert)
            record(
                Actor.system(),
                AuditAction.CREATE,
                obj=alert,
                person_id=response.person_id,
                why=f"alert raised: {kind} {subject}",
            )
        if alerts:
            _tell(alerts, response)
    return alerts


def _tell(alerts: list[Alert], response: Response) -> None:
    person = alerts[0].person
    url = reverse("alerts:now", kwargs={"person_id": person.pk})
    day = timezone.localdate(response.authored_at).isoformat()
    risk = any(a.kind == AlertKind.RISK_ITEM for a in alerts)
    worse = next((a for a in alerts if a.kind == AlertKind.NOT_ON_TRACK), None)
    name = person.shown_name
    team = _care_team(alerts[0])
    if risk:
        notify(team, messages.RISK_ITEM, {"name": name, "date": day}, url)
    elif worse is not None:
        threshold = worse.params.get("threshold")
        points: int | float | None = None
        if isinstance(threshold, int | float):
            # "2 points", not "2.0 points".
            points = int(threshold) if float(threshold).is_integer() else threshold
        notify(team, messages.NOT_ON_TRACK, {"name": name, "date": day, "points": points}, url)
    notify(the_person(person), messages.OWN_TOLD, {"date": day}, url)


def acknowledge(actor: Actor, alert: Alert) -> Alert:
    """Care staff say they have seen the alert and are responding. Once only: a second
    acknowledgement (someone else was quicker) is refused and names who did it."""
    if actor.user is None or actor.role not in CARE_ROLES:
        raise PermissionDenied("alerts are acknowledged by care staff")
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.acknowledged_at is not None:
            raise ValidationError(
                {"__all__": _("This alert has already been acknowledged.")}, code="acknowledged"
            )
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor.user
        locked.acknowledged_role = actor.role
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_role"])
        record(
            actor, AuditAction.UPDATE, obj=locked, person_id=locked.person_id, why="acknowledged"
        )
    return locked


def mark_escalated(alert_ids: list[int], now: datetime) -> int:
    """Called by the reminder worker's producer once it has made the escalation reminders."""
    with transaction.atomic():
        chosen = list(
            Alert.objects.select_for_update()
            .filter(pk__in=alert_ids, escalated_at__isnull=True, acknowledged_at__isnull=True)
            .values_list("pk", "person_id")
        )
        Alert.objects.filter(pk__in=[pk for pk, _p in chosen]).update(escalated_at=now)
        for pk, person_id in chosen:
            record(
                Actor.system(),
                AuditAction.UPDATE,
                object_type="alerts.Alert",
                object_id=str(pk),
                person_id=person_id,
                why="escalated to the unit's team leaders: not acknowledged in time",
            )
    return len(chosen)
