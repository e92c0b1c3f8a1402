"""The pseudonymised extract: analysts only, under a recorded approval, a new key each time,
months not dates, no free text, and refused when a small group could single someone out."""

from __future__ import annotations

import csv
import io
from datetime import date

import pyarrow.parquet as pq
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from alongside.audit.log import Actor
from alongside.insight import extract
from alongside.insight.models import ExtractApproval, ExtractRun
from alongside.organisations.models import Role
from alongside.people.models import IdentifierSystem, PersonIdentifier
from tests.insight_world import build_insight_world
from tests.personas import Persona, World


def _approval(world: World) -> ExtractApproval:
    return extract.record_approval(
        Actor(world.users[Persona.ANALYST], Role.ANALYST),
        reference="REC-2026-14",
        approved_by="Regional research ethics committee",
        purpose="Recovery-oriented practice across wards",
        approved_on=date(2026, 1, 10),
    )


def test_age_bands_and_sex_from_cpr() -> None:
    assert extract.age_band(date(1990, 6, 15), date(2026, 6, 14)) == "30-39"
    assert extract.age_band(date(1990, 6, 15), date(2026, 6, 15)) == "30-39"
    assert extract.age_band(date(1996, 6, 15), date(2026, 6, 14)) == "20-29"
    assert extract.age_band(None, date(2026, 1, 1)) == "unknown"
    assert extract.sex_from_cpr("010190-1235") == "male"
    assert extract.sex_from_cpr("0101901234") == "female"
    assert extract.sex_from_cpr("12") == "unknown"


def test_only_analysts_record_approvals_and_run_extracts(world: World) -> None:
    approval = _approval(world)
    key_worker = Actor(world.users[Persona.KEY_WORKER], Role.KEY_WORKER)
    with pytest.raises(PermissionDenied):
        extract.run_extract(key_worker, approval, k=1)
    with pytest.raises(PermissionDenied):
        extract.record_approval(
            key_worker, reference="x", approved_by="y", purpose="z", approved_on=date(2026, 1, 1)
        )


def test_small_groups_refuse_the_extract(world: World) -> None:
    approval = _approval(world)
    with pytest.raises(ValidationError) as caught:
        extract.run_extract(Actor(world.users[Persona.ANALYST], Role.ANALYST), approval)
    assert "fewer than 5" in caught.value.messages[0]
    assert not ExtractRun.objects.exists()


def test_a_new_key_each_extract_months_not_dates_and_no_text(world: World) -> None:
    build_insight_world()
    PersonIdentifier.objects.create(
        person=world.p1, system=IdentifierSystem.DK_CPR, value="0101901235"
    )
    analyst = Actor(world.users[Persona.ANALYST], Role.ANALYST)
    approval = _approval(world)
    first = extract.run_extract(analyst, approval, k=1)
    second = extract.run_extract(analyst, approval, k=1)
    assert set(first.rows[0]) == set(extract.COLUMNS)
    # Stable within an extract: a person's two stays share a pseudonym (here: one each, so
    # pseudonyms are unique); different across extracts.
    p1_first = {r["pseudonym"] for r in first.rows if r["sex"] == "male"}
    p1_second = {r["pseudonym"] for r in second.rows if r["sex"] == "male"}
    assert len(p1_first) == 1
    assert p1_first != p1_second
    text = repr(first.rows)
    for forbidden in ("Pia", "Ejby", "0101901235", "Cook for my sister", "1990-01-01"):
        assert forbidden not in text
    assert all(len(r["start_month"]) == 7 for r in first.rows)  # YYYY-MM
    assert ExtractRun.objects.filter(approval=approval).count() == 2


def test_files_and_pages(world: World, client_as: object) -> None:
    approval = _approval(world)
    analyst = Client()
    analyst.force_login(world.users[Persona.ANALYST])
    page = analyst.get(reverse("insight:extract")).content.decode()
    assert "REC-2026-14" in page
    refused = analyst.post(
        reverse("insight:extract-run", kwargs={"approval_id": approval.pk, "fmt": "csv"})
    )
    assert refused.status_code == 302  # small groups: refused, with the reason shown
    made = extract.run_extract(Actor(world.users[Persona.ANALYST], Role.ANALYST), approval, k=1)
    rows = list(csv.DictReader(io.StringIO(extract.to_csv(made.rows).decode())))
    table = pq.read_table(io.BytesIO(extract.to_parquet(made.rows)))
    assert table.num_rows == len(rows) == len(made.rows)
