"""Writes to an organisation's discharge checklist: adding its own items and hiding or showing
items. Team leaders and service managers do this for their organisation; the default set is
changed only with the ``discharge_items`` command.

Hiding a default item for one organisation stores a hidden copy of it for that organisation, so
the default set and every other organisation stay as they were. Entries already recorded on a
stay's checklist are kept.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.discharge.models import TEXT_LANGUAGES, ChecklistItemTemplate, ItemKind
from alongside.organisations.models import Organisation, Role, StaffRole

CONFIG_ROLES = (Role.TEAM_LEADER, Role.SERVICE_MANAGER)
CODE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


def configured_organisation(user_id: int) -> tuple[Organisation, str] | None:
    """The organisation whose checklist this user configures (the first where they lead a
    unit), with the role they do it in."""
    role = (
        StaffRole.objects.current()
        .filter(user_id=user_id, role__in=CONFIG_ROLES)
        .select_related("unit__organisation")
        .order_by("unit__organisation__name", "pk")
        .first()
    )
    return (role.unit.organisation, role.role) if role is not None else None


def _require_leader(actor: Actor, organisation: Organisation) -> None:
    if actor.user is None or not (
        StaffRole.objects.current()
        .filter(user=actor.user, role__in=CONFIG_ROLES, unit__organisation=organisation)
        .exists()
    ):
        raise PermissionDenied("team leaders and service managers configure the checklist")


def items_of(organisation: Organisation) -> list[ChecklistItemTemplate]:
    """Every item as this organisation sees it, hidden ones included, in order."""
    rows = list(
        ChecklistItemTemplate.objects.filter(organisation__isnull=True)
        | ChecklistItemTemplate.objects.filter(organisation=organisation)
    )
    chosen: dict[str, ChecklistItemTemplate] = {}
    for item in sorted(rows, key=lambda i: i.organisation_id is not None):
        chosen[item.code] = item
    return sorted(chosen.values(), key=lambda i: (i.position, i.code))


def add_item(
    actor: Actor,
    organisation: Organisation,
    *,
    code: str,
    kind: str,
    labels: dict[str, str],
    required: bool,
) -> ChecklistItemTemplate:
    _require_leader(actor, organisation)
    errors: dict[str, str] = {}
    if not CODE.match(code):
        errors["code"] = _(
            "Use small letters, digits and underscores, starting with a letter (2 to 64)."
        )
    elif any(item.code == code for item in items_of(organisation)):
        errors["code"] = _("There is already an item with this code.")
    if kind not in ItemKind.values:
        errors["kind"] = _("Choose what kind of item this is.")
    for language in TEXT_LANGUAGES:
        if not labels.get(language, "").strip():
            errors[f"label_{language}"] = _("Write the item in each language.")
    if errors:
        raise ValidationError(errors)
    last = max((item.position for item in items_of(organisation)), default=0)
    item = ChecklistItemTemplate.objects.create(
        organisation=organisation,
        code=code,
        kind=kind,
        required=required,
        position=last + 10,
        **{f"label_{lang}": labels[lang].strip() for lang in TEXT_LANGUAGES},
    )
    record(actor, AuditAction.CREATE, obj=item, why=f"discharge item for {organisation.code}")
    return item


def decides_required_items(actor: Actor, organisation: Organisation) -> bool:
    """Hiding a required item is a decision for a service manager of the organisation."""
    return (
        actor.user is not None
        and StaffRole.objects.current()
        .filter(user=actor.user, role=Role.SERVICE_MANAGER, unit__organisation=organisation)
        .exists()
    )


def set_hidden(
    actor: Actor, organisation: Organisation, *, code: str, hidden: bool, reason: str = ""
) -> ChecklistItemTemplate:
    """Hide or show an item for the organisation. A required item is hidden only by a service
    manager, with the reason recorded beside it and in the audit log."""
    _require_leader(actor, organisation)
    own = ChecklistItemTemplate.objects.filter(organisation=organisation, code=code).first()
    if own is None:
        default = ChecklistItemTemplate.objects.filter(organisation=None, code=code).first()
        if default is None:
            raise ValidationError(_("There is no such item."))
        own = default
        own.pk = None
        own._state.adding = True
        own.organisation = organisation
    reason = reason.strip()
    if hidden and own.required:
        if not decides_required_items(actor, organisation):
            raise ValidationError(
                {"reason": _("Only a service manager can decide to hide a required item.")}
            )
        if not reason:
            raise ValidationError(
                {"reason": _("Say why this required item is not needed in your organisation.")}
            )
    if len(reason) > 1000:
        raise ValidationError({"reason": _("Keep the reason under 1000 characters.")})
    own.active = not hidden
    own.hidden_reason = reason if hidden else ""
    own.hidden_by = actor.user if hidden else None
    own.hidden_at = timezone.now() if hidden else None
    own.save()
    why = f"{'hidden' if hidden else 'shown'} for {organisation.code}"
    record(actor, AuditAction.UPDATE, obj=own, why=f"{why}: {reason}" if reason else why)
    return own
