"""Writes to reviews: the organisation's review rule, recording a review, the person's own view.

Recording a review moves the stay's ``next_review_on`` to the latest review's date plus the rule's
interval, so ``Stay.next_review_on`` is always the next due date (the caseload, the due list, the
person's page and the reminder worker all read it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.validation import validated
from alongside.organisations.models import Organisation, Role, StaffRole
from alongside.people.models import Person, Stay, StayStatus
from alongside.plans.models import Goal
from alongside.reviews.models import DEFAULT_INTERVAL_DAYS, Review, ReviewRule, ReviewView

RULE_ROLES = (Role.TEAM_LEADER, Role.SERVICE_MANAGER)


@dataclass(frozen=True)
class RuleValues:
    interval_days: int
    must_include_municipality: bool


DEFAULT_RULE = RuleValues(interval_days=DEFAULT_INTERVAL_DAYS, must_include_municipality=True)


def rule_for(organisation_id: int) -> RuleValues:
    """The organisation's rule, or the default: jointly with the municipality every 90 days."""
    rule = ReviewRule.objects.filter(organisation_id=organisation_id).first()
    if rule is None:
        return DEFAULT_RULE
    return RuleValues(rule.interval_days, rule.must_include_municipality)


def led_organisations(actor: Actor) -> list[Organisation]:
    """The organisations in which the actor leads a unit (team leader or service manager)."""
    if actor.user is None:
        return []
    led = StaffRole.objects.current().filter(user=actor.user, role__in=RULE_ROLES)
    return list(Organisation.objects.filter(units__staff_roles__in=led).distinct().order_by("name"))


def set_rule(
    actor: Actor,
    organisation: Organisation,
    *,
    interval_days: int | None,
    must_include_municipality: bool,
) -> ReviewRule:
    """Set how often the organisation reviews plans. Only its team leaders and managers may."""
    if organisation not in led_organisations(actor):
        raise PermissionDenied("only a team leader of the organisation sets its review rule")
    if interval_days is None:
        raise ValidationError({"interval_days": _("Give the number of days between reviews.")})
    rule = ReviewRule.objects.filter(organisation=organisation).first() or ReviewRule(
        organisation=organisation
    )
    rule.interval_days = interval_days
    rule.must_include_municipality = must_include_municipality
    rule.updated_by = actor.user
    validated(rule, exclude=["organisation"] if rule.pk else None)
    rule.save()
    record(
        actor,
        AuditAction.UPDATE,
        obj=rule,
        why=f"every {interval_days} days; municipality={must_include_municipality}",
    )
    return rule


@dataclass(frozen=True)
class PartyView:
    party_name: str
    organisation: str
    role: str
    view: str


def _check_dates(stay: Stay, held_on: date | None, today: date) -> dict[str, str]:
    if held_on is None:
        return {"held_on": _("Give the date the review was held.")}
    if held_on > today:
        return {"held_on": _("A review can only be recorded once it has been held.")}
    if held_on < stay.started_on:
        return {"held_on": _("The review cannot be before the stay started.")}
    return {}


def record_review(
    actor: Actor,
    person: Person,
    stay: Stay,
    *,
    held_on: date | None,
    person_went_well: str,
    person_matters_now: str,
    agreed_changes: str = "",
    goals: Iterable[Goal] = (),
    views: Iterable[PartyView] = (),
    municipality_took_part: bool = False,
    today: date | None = None,
) -> Review:
    """Record a joint review held with the person, and move the stay's next review date on."""
    if actor.user is None:
        raise PermissionDenied("a review is recorded by someone who was there")
    today = today or timezone.localdate()
    if stay.person_id != person.pk or stay.status != StayStatus.ACTIVE:
        raise ValidationError({"stay": _("Choose one of the person's current stays.")})
    errors = _check_dates(stay, held_on, today)
    if not (person_went_well.strip() or person_matters_now.strip()):
        errors["person_went_well"] = _(
            "Write the person's own view first: what went well, or what matters now. "
            "If they chose not to say, write that."
        )
    rule = rule_for(stay.unit.organisation_id)
    if rule.must_include_municipality and not municipality_took_part:
        errors["municipality_took_part"] = _(
            "This organisation's rule is a joint review with the municipality. "
            "Record the review once the municipality has taken part."
        )
    chosen = list(goals)
    if any(goal.person_id != person.pk for goal in chosen):
        errors["goals"] = _("Choose goals from this person's plan.")
    parties = [v for v in views if v.party_name.strip() or v.view.strip()]
    if any(not (v.party_name.strip() and v.view.strip()) for v in parties):
        errors["views"] = _("Each party needs a name and their view.")
    if errors:
        raise ValidationError(errors)
    assert held_on is not None
    with transaction.atomic():
        latest = Review.objects.filter(stay=stay).aggregate(latest=Max("held_on"))["latest"]
        anchor = max(held_on, latest) if latest else held_on
        review = validated(
            Review(
                person=person,
                stay=stay,
                held_on=held_on,
                person_went_well=person_went_well.strip(),
                person_matters_now=person_matters_now.strip(),
                agreed_changes=agreed_changes.strip(),
                municipality_took_part=municipality_took_part,
                next_review_on=anchor + timedelta(days=rule.interval_days),
                recorded_by=actor.user,
                recorded_role=actor.role,
            )
        )
        review.save()
        review.goals_reviewed.set(chosen)
        ReviewView.objects.bulk_create(
            ReviewView(
                review=review,
                party_name=v.party_name.strip()[:150],
                organisation=v.organisation.strip()[:200],
                role=v.role.strip()[:150],
                view=v.view.strip(),
                written_by=actor.user,
                written_role=actor.role,
            )
            for v in parties
        )
        stay.next_review_on = review.next_review_on
        stay.save(update_fields=["next_review_on"])
        record(
            actor,
            AuditAction.CREATE,
            obj=review,
            person_id=person.pk,
            why=f"held {held_on:%Y-%m-%d}; {len(parties)} party views; {len(chosen)} goals",
        )
        record(
            actor,
            AuditAction.UPDATE,
            obj=stay,
            person_id=person.pk,
            why=f"next review {review.next_review_on:%Y-%m-%d} (every {rule.interval_days} days)",
        )
    return review


def add_person_view(actor: Actor, review: Review, *, view: str) -> ReviewView:
    """The person adds their own view to a review, afterwards. Kept beside the record as theirs."""
    person = review.person
    if actor.user is None or actor.user.pk != person.user_id:
        raise PermissionDenied("only the person adds their own view")
    if not view.strip():
        raise ValidationError({"view": _("Please write your view.")})
    added = validated(
        ReviewView(
            review=review,
            by_person=True,
            party_name=person.shown_name[:150],
            view=view.strip(),
            written_by=actor.user,
            written_role=actor.role,
        )
    )
    added.save()
    record(actor, AuditAction.CREATE, obj=added, person_id=person.pk)
    return added
