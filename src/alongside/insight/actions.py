"""Improvement actions: a team chooses a theme or indicator and records what will change.

Team leaders of the unit and service managers of its organisation record and review them. The
owner is reminded on the review date by the reminder worker's round (``remind_due``). Actions are
drawn on the indicator's run chart in the month they were agreed.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.frameworks.models import Concept
from alongside.insight.indicators import BY_CODE
from alongside.insight.messages import ACTION_REVIEW_DUE
from alongside.insight.models import ImprovementAction
from alongside.notifications.services import notify
from alongside.organisations.models import Role, StaffRole, Unit


def may_lead(user: User, unit: Unit) -> bool:
    return (
        StaffRole.objects.current()
        .filter(user=user)
        .filter(
            Q(role=Role.TEAM_LEADER, unit=unit)
            | Q(role=Role.SERVICE_MANAGER, unit__organisation_id=unit.organisation_id)
        )
        .exists()
    )


def record_action(
    actor: Actor,
    unit: Unit,
    *,
    theme: str,
    what: str,
    owner: User,
    review_on: date,
    indicator: str = "",
    barrier: str = "",
    today: date | None = None,
) -> ImprovementAction:
    if actor.user is None or not may_lead(actor.user, unit):
        raise PermissionDenied("team leaders and service managers record improvement actions")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if indicator and indicator not in BY_CODE:
        errors["indicator"] = _("Choose one of the indicators.")
    if indicator and not theme:
        theme = BY_CODE[indicator].themes[0] if indicator in BY_CODE else ""
    if not Concept.objects.filter(code=theme, code__startswith="practice.", kind="theme").exists():
        errors["theme"] = _("Choose one of the practice themes.")
    if not what.strip():
        errors["what"] = _("Say what will change.")
    if review_on < today:
        errors["review_on"] = _("The review date cannot be in the past.")
    if barrier and not Concept.objects.filter(code=barrier, kind="barrier").exists():
        errors["barrier"] = _("Choose one of the barrier codes.")
    if (
        not StaffRole.objects.current()
        .filter(user=owner, unit__organisation_id=unit.organisation_id)
        .exists()
    ):
        errors["owner"] = _("The owner must work in this organisation.")
    if errors:
        raise ValidationError(errors)
    action = ImprovementAction.objects.create(
        unit=unit,
        theme=theme,
        indicator=indicator,
        what=what.strip(),
        owner=owner,
        review_on=review_on,
        barrier=barrier,
        created_by=actor.user,
    )
    record(actor, AuditAction.CREATE, obj=action)
    return action


def review_action(actor: Actor, action: ImprovementAction, *, note: str) -> ImprovementAction:
    if actor.user is None or not (
        actor.user.pk == action.owner_id or may_lead(actor.user, action.unit)
    ):
        raise PermissionDenied("the owner or a lead reviews an action")
    if not note.strip():
        raise ValidationError({"note": _("Say what happened and what the team learnt.")})
    action.reviewed_at = timezone.now()
    action.review_note = note.strip()
    action.save(update_fields=["reviewed_at", "review_note"])
    record(actor, AuditAction.UPDATE, obj=action, why="improvement action reviewed")
    return action


def remind_due(now: datetime | None = None) -> int:
    """Tell each owner once when their action's review date has come."""
    moment = now or timezone.now()
    due = list(
        ImprovementAction.objects.filter(
            reviewed_at__isnull=True,
            reminded_at__isnull=True,
            review_on__lte=timezone.localdate(moment),
        ).select_related("owner")
    )
    for action in due:
        notify(
            [action.owner],
            ACTION_REVIEW_DUE,
            {"date": action.review_on.isoformat(), "what": action.what[:200]},
            reverse("insight:unit", kwargs={"pk": action.unit_id}),
        )
    ImprovementAction.objects.filter(pk__in=[a.pk for a in due]).update(reminded_at=moment)
    return len(due)
