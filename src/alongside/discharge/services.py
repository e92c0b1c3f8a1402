"""Writes for discharge: recording the checklist and ending a stay.

The checklist is saved as a whole, with the ``version`` the form started from. If someone saved
in between, ``StaleChecklist`` is raised and nothing is written, so the page can show the
submitted values again beside what was saved meanwhile. Ending a stay is refused while required
items are open, unless a reason is given; that reason and the items open at the time are kept
(``DischargeOverride``) so a service can learn how often, and why, people leave without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alongside.administration.queries import administers
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.discharge.models import (
    MAX_DETAILS,
    ChecklistEntry,
    ChecklistItemTemplate,
    DischargeChecklist,
    DischargeOverride,
    EntryStatus,
    ItemKind,
    OverrideReason,
)
from alongside.discharge.queries import checklist_state, items_for, may_end_stay
from alongside.people import services as people
from alongside.people.models import Stay, StayStatus

# A date on the checklist further ahead than this is almost certainly a typing mistake.
FURTHEST_AHEAD = timedelta(days=2 * 365)


class StaleChecklist(Exception):
    """Someone saved the checklist after this form was opened. Nothing was written."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"checklist is at version {current_version}")
        self.current_version = current_version


@dataclass(frozen=True)
class EntryInput:
    status: str
    details: str = ""
    date: date | None = None


def field_name(code: str, part: str) -> str:
    """The form field for one part (status, details, date) of one item."""
    return f"{code}-{part}"


def _check_entry(
    item: ChecklistItemTemplate, value: EntryInput, stay: Stay, errors: dict[str, str]
) -> None:
    if value.status not in EntryStatus.values:
        errors[field_name(item.code, "status")] = _("Choose where this stands.")
        return
    if len(value.details) > MAX_DETAILS:
        errors[field_name(item.code, "details")] = _(
            "Please keep this to %(limit)s characters."
        ) % {"limit": MAX_DETAILS}
    if value.date is not None:
        if value.date < stay.started_on:
            errors[field_name(item.code, "date")] = _(
                "This date is before the stay started (%(date)s)."
            ) % {"date": date_format(stay.started_on, "DATE_FORMAT")}
        elif value.date > timezone.localdate() + FURTHEST_AHEAD:
            errors[field_name(item.code, "date")] = _(
                "This date is more than two years away. Please check it."
            )
    details = value.details.strip()
    if value.status == EntryStatus.NOT_NEEDED and not details:
        errors[field_name(item.code, "details")] = _("Say why this is not needed.")
    if value.status != EntryStatus.DONE:
        return
    if item.kind == ItemKind.MUNICIPAL_OFFER and not details:
        errors[field_name(item.code, "details")] = _(
            "Say which offer it is, and from which municipal service."
        )
    if item.kind == ItemKind.FOLLOW_UP and value.date is None:
        errors[field_name(item.code, "date")] = _("Give the date of the first follow-up contact.")


def _changed(entry: ChecklistEntry | None, value: EntryInput) -> bool:
    if entry is None:
        return value.status != EntryStatus.OPEN or bool(value.details.strip()) or bool(value.date)
    return (entry.status, entry.details, entry.date) != (
        value.status,
        value.details.strip(),
        value.date,
    )


def save_checklist(
    actor: Actor, stay: Stay, *, version: int, entries: dict[str, EntryInput]
) -> DischargeChecklist:
    """Record where the items stand. ``entries`` maps item codes to what the form says; codes
    not given stay as they are. Refused with ``StaleChecklist`` when ``version`` is not the
    saved one, and with a field-keyed ``ValidationError`` for bad values."""
    if actor.user is None or actor.user.pk == stay.person.user_id:
        raise PermissionDenied("the checklist is recorded by staff")
    if stay.status != StayStatus.ACTIVE:
        raise ValidationError(_("This stay has ended, so its checklist can no longer change."))
    items = {item.code: item for item in items_for(stay)}
    errors: dict[str, str] = {}
    for code, value in entries.items():
        if code in items:
            _check_entry(items[code], value, stay, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        checklist, _created = DischargeChecklist.objects.get_or_create(stay=stay)
        checklist = DischargeChecklist.objects.select_for_update().get(pk=checklist.pk)
        if checklist.version != version:
            raise StaleChecklist(checklist.version)
        existing = {e.item.code: e for e in checklist.entries.select_related("item")}
        now = timezone.now()
        changed: list[str] = []
        for code, value in entries.items():
            item = items.get(code)
            if item is None or not _changed(existing.get(code), value):
                continue
            ChecklistEntry.objects.update_or_create(
                checklist=checklist,
                item=item,
                defaults={
                    "status": value.status,
                    "details": value.details.strip(),
                    "date": value.date,
                    "recorded_by": actor.user,
                    "recorded_role": actor.role,
                    "recorded_at": now,
                },
            )
            changed.append(code)
        if changed:
            checklist.version += 1
            checklist.updated_by = actor.user
            checklist.save(update_fields=["version", "updated_by", "updated_at"])
            record(
                actor,
                AuditAction.UPDATE,
                obj=checklist,
                person_id=stay.person_id,
                why=",".join(changed),
            )
    return checklist


def _check_end_date(stay: Stay, ended_on: date | None) -> date:
    if ended_on is None:
        raise ValidationError({"ended_on": _("Give the date the stay ends.")})
    if ended_on < stay.started_on:
        raise ValidationError(
            {
                "ended_on": _("The stay cannot end before it started (%(date)s).")
                % {"date": date_format(stay.started_on, "DATE_FORMAT")}
            }
        )
    if ended_on > timezone.localdate():
        raise ValidationError(
            {"ended_on": _("The end date cannot be in the future. Record it on the day.")}
        )
    return ended_on


def discharge(
    actor: Actor,
    stay: Stay,
    *,
    ended_on: date | None,
    override_reason: str = "",
    override_code: str = "",
) -> Stay:
    """End the stay as a discharge. Refused while required checklist items are open, unless
    ``override_code`` (an ``OverrideReason``, chosen by staff, never assumed) says why it ends
    anyway; ``override_reason`` adds words, and is needed with "other". The override is kept
    with the open items."""
    if actor.user is None or not (
        may_end_stay(actor.user.pk, stay) or administers(actor.user.pk, stay.unit.organisation_id)
    ):
        raise PermissionDenied("only staff of the stay's unit (or its administrator) end a stay")
    if stay.status != StayStatus.ACTIVE:
        raise ValidationError(_("This stay has already ended."))
    end = _check_end_date(stay, ended_on)
    reason = override_reason.strip()
    if len(reason) > MAX_DETAILS:
        raise ValidationError(
            {
                "override_reason": _("Please keep this to %(limit)s characters.")
                % {"limit": MAX_DETAILS}
            }
        )
    open_items = checklist_state(stay).open_required
    code = override_code.strip()
    if open_items and code not in OverrideReason.values:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "The stay cannot end yet. Still open: %(items)s. Record these on the "
                    "checklist first, or choose a reason for ending the stay without them."
                )
                % {"items": "; ".join(item.label for item in open_items)}
            }
        )
    if open_items and code == OverrideReason.OTHER and not reason:
        raise ValidationError(
            {"override_reason": _("Please say in a few words what the reason is.")}
        )
    with transaction.atomic():
        if open_items:
            override = DischargeOverride.objects.create(
                stay=stay,
                reason_code=code,
                reason=reason,
                open_items=[item.code for item in open_items],
                by=actor.user,
                by_role=actor.role,
            )
            record(
                actor,
                AuditAction.CREATE,
                obj=override,
                person_id=stay.person_id,
                why=f"discharge with open items ({code}): " + ",".join(override.open_items),
            )
        return people.end_stay(actor, stay, ended_on=end)
