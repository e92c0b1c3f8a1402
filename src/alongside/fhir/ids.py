"""FHIR logical ids and references. Ids are UUIDs kept on the rows (``fhir_id``), never database
keys; resources with no row of their own take the id of the row they describe with a prefix
(``recovery-<person>``), or a UUIDv5 in the installation's namespace."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from alongside.fhir.models import Installation

RECOVERY_PLAN = "recovery"
CRISIS_PLAN = "crisis"


def _namespace() -> uuid.UUID:
    row = Installation.objects.order_by("pk").first()
    if row is None:
        try:
            with transaction.atomic():
                row = Installation.objects.create()
        except IntegrityError:  # pragma: no cover - a concurrent first request made it
            row = Installation.objects.order_by("pk").first()
    assert row is not None
    return row.namespace


def installation_namespace() -> uuid.UUID:
    """The installation's namespace (not cached: tests roll the row back)."""
    return _namespace()


def derived(kind: str, key: object) -> str:
    return str(uuid.uuid5(installation_namespace(), f"alongside:{kind}:{key}"))


def plan_id(kind: str, person_fhir_id: uuid.UUID | str) -> str:
    return f"{kind}-{person_fhir_id}"


def parse_plan_id(logical_id: str) -> tuple[str, str] | None:
    kind, _, rest = logical_id.partition("-")
    if kind not in (RECOVERY_PLAN, CRISIS_PLAN) or not is_uuid(rest):
        return None
    return kind, rest


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def ref(kind: str, logical_id: object) -> dict[str, str]:
    return {"reference": f"{kind}/{logical_id}"}
