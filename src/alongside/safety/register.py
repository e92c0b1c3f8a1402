"""Writes and figures for the restrictive practice register.

Unit figures count episodes and hours per 1,000 bed-days over a period, and the share of
episodes with a debrief. Counts below ``SMALL_NUMBER`` are suppressed (shown as "fewer than 5"),
so figures support learning without exposing individuals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.notifications.recipients import key_workers, the_person
from alongside.notifications.services import notify
from alongside.organisations.models import Unit
from alongside.people.models import Person, Stay, StayKind
from alongside.safety import messages
from alongside.safety.decisions import DecisionOption, SharedDecision
from alongside.safety.restrictive import (
    DEFAULT_DEBRIEF_HOURS,
    Debrief,
    DebriefRule,
    MeasureType,
    RestrictiveEpisode,
)

SMALL_NUMBER = 5


def record_episode(
    actor: Actor,
    person: Person,
    unit: Unit,
    *,
    measure: MeasureType,
    started_at: datetime,
    ended_at: datetime,
    reason: str,
    alternatives_tried: str,
    staff_involved: str = "",
) -> RestrictiveEpisode:
    errors: dict[str, str] = {}
    if ended_at <= started_at:
        errors["ended_at"] = _("The end must be after the start.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the measure.")
    if not alternatives_tried.strip():
        errors["alternatives_tried"] = _("Say which less restrictive alternatives were tried.")
    if errors:
        raise ValidationError(errors)
    assert actor.user is not None
    with transaction.atomic():
        overlapping = RestrictiveEpisode.objects.select_for_update().filter(
            person=person, measure=measure, started_at__lt=ended_at, ended_at__gt=started_at
        )
        if overlapping.exists():
            raise ValidationError(
                {"started_at": _("This overlaps another measure of the same type for this person.")}
            )
        episode = RestrictiveEpisode(
            person=person,
            unit=unit,
            measure=measure,
            started_at=started_at,
            ended_at=ended_at,
            reason=reason,
            alternatives_tried=alternatives_tried,
            staff_involved=staff_involved,
            recorded_by=actor.user,
            recorded_role=actor.role,
        )
        episode.full_clean()
        episode.save()
        record(actor, AuditAction.CREATE, obj=episode, person_id=person.pk)
        notify(
            the_person(person),
            messages.MEASURE_RECORDED,
            {"date": timezone.localdate(started_at).isoformat()},
            reverse("safety:episodes", args=[person.pk]),
        )
    return episode


def debrief_hours(unit: Unit) -> int:
    """The organisation's rule for how soon a debrief is due, or the default of 72 hours."""
    rule = DebriefRule.objects.filter(organisation_id=unit.organisation_id).first()
    return rule.hours if rule else DEFAULT_DEBRIEF_HOURS


def debrief_due(episode: RestrictiveEpisode, hours: int | None = None) -> datetime:
    return episode.ended_at + timedelta(hours=hours or debrief_hours(episode.unit))


def record_debrief(
    actor: Actor,
    episode: RestrictiveEpisode,
    *,
    held_at: datetime,
    person_account: str,
    prevention: str = "",
    crisis_plan_change: str = "",
) -> Debrief:
    errors: dict[str, str] = {}
    if held_at < episode.started_at:
        errors["held_at"] = _("A debrief cannot be dated before the measure.")
    if held_at > timezone.now():
        errors["held_at"] = _("A debrief can only be recorded once it has been held.")
    if not person_account.strip():
        errors["person_account"] = _("Write the person's own account, in their words.")
    if hasattr(episode, "debrief"):
        errors["held_at"] = _("This measure already has a debrief.")
    if errors:
        raise ValidationError(errors)
    assert actor.user is not None
    debrief = Debrief.objects.create(
        episode=episode,
        held_at=held_at,
        person_account=person_account,
        prevention=prevention,
        crisis_plan_change=crisis_plan_change,
        recorded_by=actor.user,
        recorded_role=actor.role,
    )
    record(actor, AuditAction.CREATE, obj=debrief, person_id=episode.person_id)
    return debrief


def overdue_debriefs(unit: Unit, *, now: datetime | None = None) -> list[RestrictiveEpisode]:
    moment = now or timezone.now()
    cutoff = moment - timedelta(hours=debrief_hours(unit))
    return list(
        RestrictiveEpisode.objects.filter(unit=unit, debrief__isnull=True, ended_at__lt=cutoff)
        .select_related("person", "measure")
        .order_by("ended_at")
    )


@dataclass(frozen=True)
class Figure:
    """A count, or None when it is suppressed as a small number."""

    value: float | None
    suppressed: bool


@dataclass(frozen=True)
class UnitFigures:
    bed_days: int
    episodes: Figure
    hours: Figure
    episodes_per_1000: Figure
    hours_per_1000: Figure
    debriefed_share: Figure


def _bed_days(unit: Unit, start: date, end: date) -> int:
    """Inpatient bed-days in the unit within [start, end): each day a stay covered counts once."""
    total = 0
    for started_on, ended_on in Stay.objects.filter(
        unit=unit, kind=StayKind.INPATIENT, started_on__lt=end
    ).values_list("started_on", "ended_on"):
        first = max(started_on, start)
        last = min(ended_on or end, end)
        total += max(0, (last - first).days)
    return total


def unit_figures(unit: Unit, start: date, end: date) -> UnitFigures:
    tz = timezone.get_current_timezone()
    episodes = list(
        RestrictiveEpisode.objects.filter(
            unit=unit,
            started_at__gte=datetime.combine(start, datetime.min.time(), tzinfo=tz),
            started_at__lt=datetime.combine(end, datetime.min.time(), tzinfo=tz),
        ).select_related("debrief")
    )
    count = len(episodes)
    hours = sum(episode.hours for episode in episodes)
    debriefed = sum(1 for episode in episodes if hasattr(episode, "debrief"))
    bed_days = _bed_days(unit, start, end)
    small = count < SMALL_NUMBER

    def shown(value: float) -> Figure:
        return Figure(None, True) if small else Figure(value, False)

    return UnitFigures(
        bed_days=bed_days,
        episodes=shown(count),
        hours=shown(round(hours, 1)),
        episodes_per_1000=shown(round(count / bed_days * 1000, 2) if bed_days else 0.0),
        hours_per_1000=shown(round(hours / bed_days * 1000, 2) if bed_days else 0.0),
        debriefed_share=shown(round(debriefed / count, 3) if count else 0.0),
    )


# Shared decisions -----------------------------------------------------------------------------


def record_decision(
    actor: Actor,
    person: Person,
    *,
    question: str,
    options: list[tuple[str, str, str]],
    what_matters: str = "",
    decision: str = "",
    decided_by: str = "",
    present: str = "",
    advocate_offered: bool = False,
    advocate_took_part: bool = False,
    review_on: date | None = None,
) -> SharedDecision:
    """Record a decision made together. ``options`` are (name, pros, cons); two at least."""
    chosen = [(n.strip(), p, c) for n, p, c in options if n.strip()]
    errors: dict[str, str] = {}
    if not question.strip():
        errors["question"] = _("Write the question the decision is about.")
    if len(chosen) < 2:
        errors["option_1"] = _("Describe at least two options: a decision needs a choice.")
    if advocate_took_part and not advocate_offered:
        errors["advocate_took_part"] = _("An advocate can only take part once one was offered.")
    if review_on is not None and review_on < timezone.localdate():
        errors["review_on"] = _("The review date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    assert actor.user is not None
    with transaction.atomic():
        record_ = SharedDecision.objects.create(
            person=person,
            question=question.strip(),
            what_matters=what_matters,
            decision=decision,
            decided_by=decided_by,
            present=present,
            advocate_offered=advocate_offered,
            advocate_took_part=advocate_took_part,
            review_on=review_on,
            recorded_by=actor.user,
            recorded_role=actor.role,
        )
        DecisionOption.objects.bulk_create(
            DecisionOption(decision=record_, position=i, name=n, pros=p, cons=c)
            for i, (n, p, c) in enumerate(chosen)
        )
        record(actor, AuditAction.CREATE, obj=record_, person_id=person.pk)
        notify(
            the_person(person, unless=actor.user),
            messages.DECISION_RECORDED,
            {"question": record_.question},
            reverse("safety:decisions", args=[person.pk]),
        )
    return record_


def _require_person(actor: Actor, decision: SharedDecision) -> None:
    if actor.user is None or actor.user.pk != decision.person.user_id:
        raise PermissionDenied("only the person")


def mark_preference(actor: Actor, decision: SharedDecision, option: DecisionOption) -> None:
    _require_person(actor, decision)
    if option.decision_id != decision.pk:
        raise ValidationError(_("Choose one of this decision's options."))
    decision.preferred = option
    decision.save(update_fields=["preferred"])
    record(actor, AuditAction.UPDATE, obj=decision, person_id=decision.person_id, why="preference")


def mark_without_agreement(actor: Actor, decision: SharedDecision, words: str) -> None:
    """The person says the decision was made without their agreement. It stays visible."""
    _require_person(actor, decision)
    decision.without_agreement_at = timezone.now()
    decision.without_agreement_words = words
    decision.save(update_fields=["without_agreement_at", "without_agreement_words"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=decision,
        person_id=decision.person_id,
        why="made without my agreement",
    )
    notify(
        key_workers(decision.person, besides=[decision.recorded_by]),
        messages.DECISION_WITHOUT_AGREEMENT,
        {"name": decision.person.shown_name, "question": decision.question},
        reverse("safety:decisions", args=[decision.person_id]),
    )
