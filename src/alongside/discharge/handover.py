"""The handover summary: drafted by staff from the plan, commented on and approved by the person.

The draft is a snapshot (``drafted_from``) of the plan as it was: the person's own goals and
steps in their words, strengths, what matters (the latest card sort), which crisis plan version
is current, the network and the offers on the checklist. The crisis plan's text is not copied:
it is shared only with those the person allows to see it.

Only the person approves, and only the version they read (``version``). Any change by staff
(a new draft, edited text) needs a new approval before anything can be exported. The person's
comments are kept verbatim, each as its own row, and never edited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.discharge import messages
from alongside.discharge.models import (
    MAX_TEXT,
    EntryStatus,
    HandoverComment,
    HandoverSummary,
    ItemKind,
)
from alongside.discharge.queries import checklist_state
from alongside.network.models import CareNetworkMembership
from alongside.notifications.services import notify
from alongside.people.models import Stay
from alongside.plans.models import GoalStatus, Origin, Pile, Strength
from alongside.plans.queries import goals_queryset, latest_card_sort
from alongside.safety.models import CrisisPlanVersion


class StaleSummary(Exception):
    """The summary changed after this page was opened. Nothing was written."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"summary is at version {current_version}")
        self.current_version = current_version


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _card_labels(placements: list[Any]) -> list[dict[str, str]]:
    labels = []
    for placement in placements:
        if placement.card is None:
            text = placement.own_label
            labels.append({"en": text, "da": text, "ja": text, "own": "yes"})
        else:
            card = placement.card
            labels.append({"en": card.label_en, "da": card.label_da, "ja": card.label_ja})
    return labels


def build_snapshot(stay: Stay) -> dict[str, Any]:
    """The plan as it is now, as plain JSON: what a handover summary is drafted from."""
    person = stay.person
    goals = []
    for goal in goals_queryset(person.pk).filter(origin=Origin.PERSON):
        if goal.status == GoalStatus.LET_GO:
            continue
        goals.append(
            {
                "id": goal.pk,
                "text": goal.text,
                "status": goal.status,
                "written_by_person": person.user_id is not None
                and goal.author_id == person.user_id,
                "steps": [
                    {
                        "text": step.text,
                        "who_helps": step.who_helps,
                        "due_on": _iso(step.due_on),
                        "done": step.done_at is not None,
                    }
                    for step in goal.steps.all()
                ],
            }
        )
    sort, piles = latest_card_sort(person.pk)
    crisis = CrisisPlanVersion.objects.filter(person=person).order_by("-number").first()
    members = (
        CareNetworkMembership.objects.active_at(timezone.now())
        .filter(person=person)
        .select_related("member", "organisation")
        .order_by("started_at", "pk")
    )
    state = checklist_state(stay)
    return {
        "person": {
            "name": person.name,
            "preferred_name": person.preferred_name,
            "birth_date": _iso(person.date_of_birth),
        },
        "stay": {
            "unit": stay.unit.name,
            "organisation": stay.unit.organisation.name,
            "started_on": _iso(stay.started_on),
            "ended_on": _iso(stay.ended_on),
        },
        "goals": goals,
        "strengths": [
            {"kind": s.kind, "text": s.text}
            for s in Strength.objects.filter(person=person).order_by("kind", "created_at", "pk")
        ],
        "what_matters": {
            "a_lot": _card_labels(piles[Pile.A_LOT.value]),
            "somewhat": _card_labels(piles[Pile.SOMEWHAT.value]),
            "sorted_on": _iso(sort.created_at.date()) if sort is not None else None,
        },
        "crisis_plan": (
            {
                "number": crisis.number,
                "written_on": _iso(crisis.created_at.date()),
                "confirmed_by_person": crisis.confirmed_at is not None,
            }
            if crisis is not None
            else None
        ),
        "network": [
            {
                "name": m.member.shown_name,
                "role": m.role,
                "organisation": m.organisation.name if m.organisation is not None else "",
            }
            for m in members
        ],
        "offers": [
            {
                "code": row.item.code,
                "status": row.status,
                "details": row.entry.details if row.entry is not None else "",
                "date": _iso(row.entry.date) if row.entry is not None else None,
            }
            for row in state.rows
            if row.item.kind == ItemKind.MUNICIPAL_OFFER and row.status != EntryStatus.OPEN
        ],
    }


def _is_person(actor: Actor, stay: Stay) -> bool:
    return actor.user is not None and actor.user.pk == stay.person.user_id


def _require_staff(actor: Actor, stay: Stay) -> None:
    if actor.user is None or _is_person(actor, stay):
        raise PermissionDenied("the summary is drafted by staff")


def _require_person(actor: Actor, stay: Stay) -> None:
    if not _is_person(actor, stay):
        raise PermissionDenied("only the person themself")


def draft_summary(actor: Actor, stay: Stay) -> HandoverSummary:
    """Draft the summary from the plan as it is now, or draft it again. Staff only. A new draft
    needs the person's approval again; their comments stay."""
    _require_staff(actor, stay)
    assert actor.user is not None
    snapshot = build_snapshot(stay)
    now = timezone.now()
    with transaction.atomic():
        summary = HandoverSummary.objects.select_for_update().filter(stay=stay).first()
        if summary is None:
            summary = HandoverSummary.objects.create(
                stay=stay,
                drafted_from=snapshot,
                drafted_by=actor.user,
                drafted_role=actor.role,
                drafted_at=now,
            )
            action = AuditAction.CREATE
        else:
            summary.drafted_from = snapshot
            summary.drafted_by = actor.user
            summary.drafted_role = actor.role
            summary.drafted_at = now
            summary.version += 1
            summary.save()
            action = AuditAction.UPDATE
        record(actor, action, obj=summary, person_id=stay.person_id, why="handover draft")
    if stay.person.user is not None:
        notify([stay.person.user], messages.HANDOVER_READY)
    return summary


def edit_staff_text(
    actor: Actor, summary: HandoverSummary, *, text: str, version: int
) -> HandoverSummary:
    """Staff's own words in the summary. Refused with ``StaleSummary`` if it changed meanwhile."""
    _require_staff(actor, summary.stay)
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"staff_text": _("Please keep this to %(limit)s characters.") % {"limit": MAX_TEXT}}
        )
    with transaction.atomic():
        current = HandoverSummary.objects.select_for_update().get(pk=summary.pk)
        if current.version != version:
            raise StaleSummary(current.version)
        current.staff_text = text
        current.version += 1
        current.save(update_fields=["staff_text", "version", "updated_at"])
        record(actor, AuditAction.UPDATE, obj=current, person_id=current.stay.person_id)
    return current


def comment(actor: Actor, summary: HandoverSummary, *, text: str) -> HandoverComment:
    """The person's comment, kept exactly as written. Only the person comments."""
    _require_person(actor, summary.stay)
    assert actor.user is not None
    if not text.strip():
        raise ValidationError({"comment": _("Please write your comment.")})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"comment": _("Please keep this to %(limit)s characters.") % {"limit": MAX_TEXT}}
        )
    note = HandoverComment.objects.create(
        summary=summary,
        text=text,
        author=actor.user,
        author_role=actor.role,
        on_version=summary.version,
    )
    record(actor, AuditAction.CREATE, obj=note, person_id=summary.stay.person_id)
    return note


def approve(
    actor: Actor, summary: HandoverSummary, *, version: int, comment_text: str = ""
) -> HandoverSummary:
    """The person approves the version they read, with an optional comment. Only the person."""
    _require_person(actor, summary.stay)
    with transaction.atomic():
        current = HandoverSummary.objects.select_for_update().get(pk=summary.pk)
        if current.version != version:
            raise StaleSummary(current.version)
        if comment_text.strip():
            comment(actor, current, text=comment_text)
        current.approved_by_person_at = timezone.now()
        current.approved_version = current.version
        current.approved_in_person_with = None
        current.approved_in_person_role = ""
        current.save(update_fields=[*APPROVAL_FIELDS, "updated_at"])
        record(
            actor,
            AuditAction.UPDATE,
            obj=current,
            person_id=current.stay.person_id,
            why=f"approved version {current.version}",
        )
    return current


APPROVAL_FIELDS = [
    "approved_by_person_at",
    "approved_version",
    "approved_in_person_with",
    "approved_in_person_role",
]


def may_approve_in_person(stay: Stay) -> bool:
    """Staff record an approval given in person only for a person without a login of their
    own; a person with a login approves it themself."""
    user = stay.person.user
    return user is None or not user.is_active


def approve_in_person(
    actor: Actor,
    summary: HandoverSummary,
    *,
    version: int,
    person_present: bool,
    said: str = "",
) -> HandoverSummary:
    """The person approves the version read through together, in person, with a staff member
    who records it. ``said`` is the person's comment as they say it, written down verbatim and
    kept as theirs (``said_in_person``). Recorded as such, never as the person's own login."""
    stay = summary.stay
    _require_staff(actor, stay)
    assert actor.user is not None
    if not may_approve_in_person(stay):
        raise PermissionDenied("a person with a login approves on their own login")
    if not person_present:
        raise ValidationError(
            {
                "person_present": _(
                    "Only when the person is with you, has heard the summary and approves it."
                )
            }
        )
    if len(said) > MAX_TEXT:
        raise ValidationError(
            {"said": _("Please keep this to %(limit)s characters.") % {"limit": MAX_TEXT}}
        )
    with transaction.atomic():
        current = HandoverSummary.objects.select_for_update().get(pk=summary.pk)
        if current.version != version:
            raise StaleSummary(current.version)
        if said.strip():
            note = HandoverComment.objects.create(
                summary=current,
                text=said,
                author=actor.user,
                author_role=actor.role,
                on_version=current.version,
                said_in_person=True,
            )
            record(actor, AuditAction.CREATE, obj=note, person_id=stay.person_id, why="in person")
        current.approved_by_person_at = timezone.now()
        current.approved_version = current.version
        current.approved_in_person_with = actor.user
        current.approved_in_person_role = actor.role
        current.save(update_fields=[*APPROVAL_FIELDS, "updated_at"])
        record(
            actor,
            AuditAction.UPDATE,
            obj=current,
            person_id=stay.person_id,
            why=f"approved together with the person, in person, version {current.version}",
        )
    return current
