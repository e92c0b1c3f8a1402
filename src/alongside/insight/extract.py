"""Pseudonymised record-level extracts for research and registries.

One row per stay: a pseudonym, the unit, the kind of stay, start and end month, age band and sex,
and counts (own goals, goals set by others, restrictive measures, reviews). Never a name, an
identifier, a date of birth, a day, or any free text.

- **A key per extract**: the pseudonym is an HMAC of the person's id under a random key made for
  this extract and then thrown away, so it is stable within the extract and different across
  extracts, and nobody can go back from it.
- **Dates coarsened** to months; age in 10-year bands; sex from the CPR number's last digit when a
  CPR identifier is recorded (odd: male, even: female), else "unknown".
- **k-anonymity**: every combination of age band, sex and unit must hold at least ``k`` persons
  (default 5), or the extract is refused, saying how many combinations are too small.
- Only an analyst runs it, and only under a recorded approval; each run is recorded and audited.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.audit.log import Actor, record
from alongside.audit.models import AuditAction
from alongside.core.csv_safe import safe_cell
from alongside.insight.models import ExtractApproval, ExtractRun
from alongside.organisations.models import Role, StaffRole
from alongside.people.models import IdentifierSystem, PersonIdentifier, Stay, StayStatus
from alongside.plans.models import Goal, Origin
from alongside.reviews.models import Review
from alongside.safety.restrictive import RestrictiveEpisode

DEFAULT_K = 5
COLUMNS = [
    "pseudonym",
    "unit",
    "stay_kind",
    "start_month",
    "end_month",
    "age_band",
    "sex",
    "own_goals",
    "goals_set_by_others",
    "restrictive_measures",
    "reviews",
]


def is_analyst(actor: Actor) -> bool:
    return actor.user is not None and (
        StaffRole.objects.current().filter(user=actor.user, role=Role.ANALYST).exists()
    )


def record_approval(
    actor: Actor, *, reference: str, approved_by: str, purpose: str, approved_on: date
) -> ExtractApproval:
    if not is_analyst(actor):
        raise PermissionDenied("only analysts record extract approvals")
    errors: dict[str, str] = {}
    for field, value in (
        ("reference", reference),
        ("approved_by", approved_by),
        ("purpose", purpose),
    ):
        if not value.strip():
            errors[field] = _("This is needed.")
    if approved_on > timezone.localdate():
        errors["approved_on"] = _("An approval cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    assert actor.user is not None
    approval = ExtractApproval.objects.create(
        reference=reference.strip(),
        approved_by=approved_by.strip(),
        purpose=purpose.strip(),
        approved_on=approved_on,
        recorded_by=actor.user,
    )
    record(actor, AuditAction.CREATE, obj=approval)
    return approval


def age_band(born: date | None, on: date) -> str:
    if born is None:
        return "unknown"
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    low = (years // 10) * 10
    return f"{low}-{low + 9}"


def sex_from_cpr(value: str) -> str:
    digits = [c for c in value if c.isdigit()]
    if len(digits) != 10:
        return "unknown"
    return "male" if int(digits[-1]) % 2 else "female"


def pseudonym(key: bytes, person_id: int) -> str:
    return hmac.new(key, str(person_id).encode(), hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Extract:
    run: ExtractRun
    rows: list[dict[str, Any]]


def _counts(model: Any, field: str, **filters: Any) -> dict[int, int]:
    return dict(
        model.objects.filter(**filters)
        .values_list(field)
        .annotate(n=Count("pk"))
        .values_list(field, "n")
    )


def run_extract(actor: Actor, approval: ExtractApproval, *, k: int = DEFAULT_K) -> Extract:
    if not is_analyst(actor):
        raise PermissionDenied("only analysts run extracts")
    assert actor.user is not None
    stays = list(
        Stay.objects.exclude(status=StayStatus.PLANNED)
        .select_related("unit", "person")
        .order_by("person_id", "started_on", "id")
    )
    sexes = {
        person_id: sex_from_cpr(value)
        for person_id, value in PersonIdentifier.objects.filter(
            system=IdentifierSystem.DK_CPR
        ).values_list("person_id", "value")
    }
    own = _counts(Goal, "person_id", origin=Origin.PERSON)
    others = _counts(Goal, "person_id", origin__in=[Origin.CLINICAL, Origin.SERVICE])
    episodes = _counts(RestrictiveEpisode, "person_id")
    reviews = _counts(Review, "person_id")
    key = secrets.token_bytes(32)  # this extract's key; never stored
    rows = []
    groups: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for stay in stays:
        band = age_band(stay.person.date_of_birth, stay.started_on)
        sex = sexes.get(stay.person_id, "unknown")
        groups[(band, sex, stay.unit.code)].add(stay.person_id)
        rows.append(
            {
                "pseudonym": pseudonym(key, stay.person_id),
                "unit": stay.unit.code,
                "stay_kind": stay.kind,
                "start_month": stay.started_on.strftime("%Y-%m"),
                "end_month": stay.ended_on.strftime("%Y-%m") if stay.ended_on else "",
                "age_band": band,
                "sex": sex,
                "own_goals": own.get(stay.person_id, 0),
                "goals_set_by_others": others.get(stay.person_id, 0),
                "restrictive_measures": episodes.get(stay.person_id, 0),
                "reviews": reviews.get(stay.person_id, 0),
            }
        )
    small = sum(1 for persons in groups.values() if len(persons) < k)
    if small:
        raise ValidationError(
            ngettext(
                "Refused: %(count)s combination of age band, sex and unit has fewer than %(k)s "
                "persons, so someone could be singled out.",
                "Refused: %(count)s combinations of age band, sex and unit have fewer than %(k)s "
                "persons, so someone could be singled out.",
                small,
            )
            % {"count": small, "k": k}
        )
    run = ExtractRun.objects.create(approval=approval, run_by=actor.user, rows=len(rows), k=k)
    record(actor, AuditAction.CREATE, obj=run, why=f"pseudonymised extract under {approval}")
    return Extract(run, rows)


SCHEMA = pa.schema([(name, pa.int64() if name in COLUMNS[7:] else pa.string()) for name in COLUMNS])


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


def to_parquet(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), buffer)
    return buffer.getvalue()
