"""Writes to organisations: organisations, units and the roles staff hold in them."""

from __future__ import annotations

from datetime import date

from alongside.accounts.models import User
from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.validation import validated
from alongside.organisations.models import Organisation, Role, StaffRole, Unit


def create_organisation(actor: Actor, *, code: str, name: str, kind: str) -> Organisation:
    organisation = validated(Organisation(code=code, name=name, kind=kind))
    organisation.save()
    record(actor, AuditAction.CREATE, obj=organisation)
    return organisation


def create_unit(
    actor: Actor, organisation: Organisation, *, code: str, name: str, kind: str
) -> Unit:
    unit = validated(Unit(organisation=organisation, code=code, name=name, kind=kind))
    unit.save()
    record(actor, AuditAction.CREATE, obj=unit)
    return unit


def update_unit(actor: Actor, unit: Unit, *, name: str, kind: str) -> Unit:
    unit.name = name
    unit.kind = kind
    validated(unit, exclude=["organisation"])
    unit.save(update_fields=["name", "kind"])
    record(actor, AuditAction.UPDATE, obj=unit, why="name,kind")
    return unit


def assign_role(
    actor: Actor,
    user: User,
    unit: Unit,
    role: Role,
    *,
    started_on: date,
    ended_on: date | None = None,
) -> StaffRole:
    staff_role = validated(
        StaffRole(user=user, unit=unit, role=role, started_on=started_on, ended_on=ended_on)
    )
    staff_role.save()
    record(actor, AuditAction.CREATE, obj=staff_role)
    return staff_role


def end_role(actor: Actor, staff_role: StaffRole, *, ended_on: date) -> StaffRole:
    staff_role.ended_on = ended_on
    validated(staff_role, exclude=["user", "unit"])
    staff_role.save(update_fields=["ended_on"])
    record(actor, AuditAction.END, obj=staff_role)
    return staff_role
