"""Every write of the insight room: refreshing rollups, and an organisation's sharing choice.

``refresh`` recounts the months it is given (by default the current and the previous one, since
late entries land there) and replaces exactly those months' rows, so running it again changes
nothing and a backfill is just a longer list of months. The reminder worker and
``alongside insight refresh`` call it; pages never do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.insight import survey
from alongside.insight.indicators import INDICATORS, load_month, month_start, next_month
from alongside.insight.models import (
    IndicatorGroupRollup,
    IndicatorRollup,
    InsightSharing,
    SurveyResponse,
    SurveySide,
    SurveyTaken,
)
from alongside.measures.engine import check_answers
from alongside.measures.models import UnitSchedule
from alongside.organisations.models import CARE_ROLES, Organisation, Role, StaffRole, Unit
from alongside.people.models import Stay, StayStatus


def recent_months(today: date, count: int = 2) -> list[date]:
    months = [month_start(today)]
    while len(months) < count:
        months.append(month_start(months[-1] - timedelta(days=1)))
    return sorted(months)


def months_between(first: date, last: date) -> list[date]:
    months = []
    current = month_start(first)
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


def refresh(months: Iterable[date] | None = None, *, now: datetime | None = None) -> int:
    """Recount ``months`` for every indicator and unit; returns the number of rows written."""
    moment = now or timezone.now()
    chosen = sorted({month_start(m) for m in months}) if months is not None else None
    if chosen is None:
        chosen = recent_months(timezone.localtime(moment).date())
    written = 0
    for period in chosen:
        month = load_month(period)
        rows = [
            IndicatorRollup(
                unit_id=unit_id,
                period=period,
                indicator=indicator.code,
                numerator=numerator,
                denominator=denominator,
                refreshed_at=moment,
            )
            for indicator in INDICATORS
            for unit_id, (numerator, denominator) in indicator.count(month).items()
        ]
        groups = [
            IndicatorGroupRollup(
                unit_id=unit_id,
                period=period,
                indicator=indicator.code,
                group=group,
                count=count,
                refreshed_at=moment,
            )
            for indicator in INDICATORS
            if indicator.groups is not None
            for unit_id, counts in indicator.groups(month).items()
            for group, count in counts.items()
        ]
        with transaction.atomic():
            IndicatorRollup.objects.filter(period=period).delete()
            IndicatorRollup.objects.bulk_create(rows, batch_size=2000)
            IndicatorGroupRollup.objects.filter(period=period).delete()
            IndicatorGroupRollup.objects.bulk_create(groups, batch_size=2000)
        written += len(rows)
    return written


def set_sharing(
    actor: Actor, organisation: Organisation, *, team_leaders_see_organisation: bool
) -> InsightSharing:
    """A service manager of the organisation decides whether team leaders see every unit."""
    if actor.user is None or not (
        StaffRole.objects.current()
        .filter(user=actor.user, role=Role.SERVICE_MANAGER, unit__organisation=organisation)
        .exists()
    ):
        raise PermissionDenied("only a service manager of the organisation decides this")
    sharing, _created = InsightSharing.objects.update_or_create(
        organisation=organisation,
        defaults={
            "team_leaders_see_organisation": team_leaders_see_organisation,
            "updated_by": actor.user,
        },
    )
    record(actor, AuditAction.UPDATE, obj=sharing)
    return sharing


REFRESH_EVERY = timedelta(hours=1)


def refresh_if_due(now: datetime | None = None) -> int:
    """The reminder worker's hook: recount recent months when the rollups are an hour old."""
    moment = now or timezone.now()
    newest = (
        IndicatorRollup.objects.order_by("-refreshed_at")
        .values_list("refreshed_at", flat=True)
        .first()
    )
    if newest is not None and moment - newest < REFRESH_EVERY:
        return 0
    return refresh(now=moment)


def survey_unit(user: User, side: str) -> Unit | None:
    """Where the user answers for: a person's unit of their current stay; staff's care unit."""
    if side == SurveySide.PERSON:
        stay = (
            Stay.objects.filter(person__user=user, status=StayStatus.ACTIVE)
            .select_related("unit")
            .order_by("started_on", "id")
            .first()
        )
        return stay.unit if stay else None
    role = (
        StaffRole.objects.current()
        .filter(user=user, role__in=CARE_ROLES)
        .select_related("unit")
        .order_by("id")
        .first()
    )
    return role.unit if role else None


def survey_side(user: User) -> str | None:
    """Persons answer the person version; staff with a care role the staff version."""
    if survey_unit(user, SurveySide.PERSON) is not None:
        return SurveySide.PERSON
    if survey_unit(user, SurveySide.STAFF) is not None:
        return SurveySide.STAFF
    return None


def _scheduled(unit: Unit, side: str) -> bool:
    return UnitSchedule.objects.filter(
        unit=unit, audience=side, instrument__code=survey.instrument_code(side), active=True
    ).exists()


def survey_asked(user: User) -> str | None:
    """The side this user is asked to answer for: their unit has the survey scheduled for them
    (``measures.UnitSchedule``). None when nobody asks them."""
    side = survey_side(user)
    if side is None:
        return None
    unit = survey_unit(user, side)
    return side if unit is not None and _scheduled(unit, side) else None


def survey_due(user: User, today: date | None = None) -> bool:
    """Whether to show the survey in the navigation: asked on one of their units, and not yet
    answered this quarter. One query."""
    period = survey.quarter_start(today or timezone.localdate())
    stays = Stay.objects.filter(person__user=user, status=StayStatus.ACTIVE).values("unit_id")
    roles = StaffRole.objects.current().filter(user=user, role__in=CARE_ROLES).values("unit_id")
    answered = SurveyTaken.objects.filter(user=user, period=period, side=OuterRef("audience"))
    return (
        UnitSchedule.objects.filter(active=True)
        .filter(
            Q(audience=SurveySide.PERSON, unit_id__in=stays)
            | Q(audience=SurveySide.STAFF, unit_id__in=roles)
        )
        .filter(
            Q(audience=SurveySide.PERSON, instrument__code=survey.instrument_code("person"))
            | Q(audience=SurveySide.STAFF, instrument__code=survey.instrument_code("staff"))
        )
        .exclude(Exists(answered))
        .exists()
    )


def already_answered(user: User, side: str, today: date | None = None) -> bool:
    period = survey.quarter_start(today or timezone.localdate())
    return SurveyTaken.objects.filter(user=user, period=period, side=side).exists()


def answer_survey(
    actor: Actor, side: str, answers: dict[str, object], *, today: date | None = None
) -> None:
    """Keep the answers with the unit and quarter only, and remember that this user answered."""
    if actor.user is None:
        raise PermissionDenied("the survey is answered by someone")
    unit = survey_unit(actor.user, side)
    if unit is None or not _scheduled(unit, side):
        raise PermissionDenied("nobody asks this user to answer the survey")
    period = survey.quarter_start(today or timezone.localdate())
    checked = check_answers(survey.questionnaire(side), answers)
    scores = survey.to_scores(side, checked.typed)
    if not scores:
        raise ValidationError(_("Answer at least one question."))
    with transaction.atomic():
        taken, created = SurveyTaken.objects.get_or_create(
            user=actor.user, period=period, side=side
        )
        if not created:
            raise ValidationError(_("You have already answered this quarter. Thank you."))
        SurveyResponse.objects.create(
            unit=unit,
            period=period,
            side=side,
            version=str(survey.questionnaire(side)["version"]),
            answers=scores,
        )
        # The audit names who answered and when, never which answer is theirs.
        record(actor, AuditAction.CREATE, obj=taken, why="recovery-orientation survey answered")


def worker_round(now: datetime | None = None) -> None:
    """What the reminder worker does for insight each round: fresh rollups, due action reviews."""
    from alongside.insight.actions import remind_due

    refresh_if_due(now)
    remind_due(now)
