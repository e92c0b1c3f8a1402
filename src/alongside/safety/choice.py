"""Writes for agreements, test results, and requests for an advocate or peer supporter."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.notifications.services import notify
from alongside.organisations.models import CARE_ROLES, StaffRole
from alongside.people.models import Person, StayStatus
from alongside.relationship.services import write_note
from alongside.safety import messages
from alongside.safety.agreements import (
    Agreement,
    Aim,
    RightsInfo,
    SupportKind,
    SupportRequest,
    TestResult,
)


def record_agreement(
    actor: Actor,
    person: Person,
    *,
    topic: str,
    person_aim: Aim,
    service_requirement: str,
    review_on: date | None,
    person_words: str = "",
    person_will: str = "",
    service_will: str = "",
    if_not_kept: str = "",
) -> Agreement:
    errors: dict[str, str] = {}
    if not topic.strip():
        errors["topic"] = _("Say what the agreement is about.")
    if not service_requirement.strip():
        errors["service_requirement"] = _("Write the service's requirement in plain words.")
    if review_on is None or review_on < timezone.localdate():
        errors["review_on"] = _("Give a review date that is not in the past.")
    if errors or review_on is None:
        raise ValidationError(errors)
    assert actor.user is not None
    agreement = Agreement.objects.create(
        person=person,
        topic=topic.strip(),
        person_aim=person_aim,
        person_words=person_words,
        service_requirement=service_requirement,
        person_will=person_will,
        service_will=service_will,
        if_not_kept=if_not_kept,
        review_on=review_on,
        recorded_by=actor.user,
        recorded_role=actor.role,
    )
    record(actor, AuditAction.CREATE, obj=agreement, person_id=person.pk)
    return agreement


def record_test_result(
    actor: Actor,
    agreement: Agreement,
    *,
    kind: str,
    result: str,
    taken_at: datetime,
    talked_about: str,
    person_words: str = "",
    agreed: str = "",
) -> TestResult:
    """A test result is recorded only together with the follow-up conversation note."""
    errors: dict[str, str] = {}
    if not kind.strip() or not result.strip():
        errors["result"] = _("Give the test and its result.")
    if taken_at > timezone.now():
        errors["taken_at"] = _("A test can only be recorded once it has been taken.")
    if not talked_about.strip():
        errors["talked_about"] = _("A result is recorded only with the conversation about it.")
    if errors:
        raise ValidationError(errors)
    assert actor.user is not None
    with transaction.atomic():
        note = write_note(
            actor,
            agreement.person,
            talked_about=talked_about,
            person_words=person_words,
            agreed=agreed,
        )
        outcome = TestResult.objects.create(
            agreement=agreement,
            kind=kind.strip(),
            result=result.strip(),
            taken_at=taken_at,
            conversation=note,
            recorded_by=actor.user,
            recorded_role=actor.role,
        )
        record(actor, AuditAction.CREATE, obj=outcome, person_id=agreement.person_id)
    return outcome


def rights_for(person: Person, language: str) -> list[RightsInfo]:
    """Rights texts of the organisations of the person's active stays, in their language
    (English where an organisation has no text in it)."""
    organisation_ids = list(
        person.stays.filter(status=StayStatus.ACTIVE).values_list(
            "unit__organisation_id", flat=True
        )
    )
    texts = RightsInfo.objects.filter(organisation_id__in=organisation_ids).select_related(
        "organisation"
    )
    chosen: dict[int, RightsInfo] = {}
    for info in texts:
        if info.language == language or (
            info.language == "en" and info.organisation_id not in chosen
        ):
            chosen[info.organisation_id] = info
    return list(chosen.values())


def ask_for_support(
    actor: Actor, person: Person, *, kind: SupportKind, message: str
) -> SupportRequest:
    """The person asks for an advocate or peer supporter; staff of their unit are told."""
    if actor.user is None or actor.user.pk != person.user_id:
        raise PermissionDenied("only the person asks")
    with transaction.atomic():
        request = SupportRequest.objects.create(person=person, kind=kind, message=message)
        record(actor, AuditAction.CREATE, obj=request, person_id=person.pk)
        units = person.stays.filter(status=StayStatus.ACTIVE).values("unit_id")
        staff = [
            role.user
            for role in StaffRole.objects.current()
            .filter(unit_id__in=units, role__in=CARE_ROLES)
            .select_related("user")
        ]
        notify(
            staff,
            messages.ASKS_FOR_ADVOCATE if kind == SupportKind.ADVOCATE else messages.ASKS_FOR_PEER,
            {"name": person.shown_name},
            reverse("safety:rights", args=[person.pk]),
        )
    return request


def answer_request(actor: Actor, request: SupportRequest, answer: str) -> SupportRequest:
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer the person will read.")})
    request.answer = answer
    request.answered_at = timezone.now()
    request.answered_by = actor.user
    request.save(update_fields=["answer", "answered_at", "answered_by"])
    record(actor, AuditAction.UPDATE, obj=request, person_id=request.person_id, why="answered")
    if request.person.user is not None:
        notify(
            [request.person.user],
            messages.REQUEST_ANSWERED,
            url=reverse("safety:rights", args=[request.person_id]),
        )
    return request
