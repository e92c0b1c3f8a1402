"""Access declarations for the insight dashboards (see access_matrix.py).

Insight is for team leaders, service managers and analysts. Among the personas only the analyst
holds one of these roles (in Ward A), and analysts see every scope: the start page, every unit,
every organisation and all organisations together, and their tables as CSV and Parquet. Persons,
family, caseworkers and care staff get 404. Changing what team leaders may see is a service
manager's choice; no persona is one, so all get 404 (tests/test_insight_pages.py covers a team
leader and a service manager).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from alongside.insight.models import ExtractApproval
from tests.access_declarations import Declaration, P, only
from tests.personas import World


def ward(world: World) -> dict[str, Any]:
    return {"pk": world.ward.pk}


def hospital(world: World) -> dict[str, Any]:
    return {"pk": world.hospital.pk}


def ward_csv(world: World) -> dict[str, Any]:
    return {"pk": world.ward.pk, "fmt": "csv"}


def hospital_parquet(world: World) -> dict[str, Any]:
    return {"pk": world.hospital.pk, "fmt": "parquet"}


ANALYST = [P.ANALYST]


def _an_approval(world: World) -> int:
    """An approval recorded before the request (so a write check's snapshot includes it)."""
    found = ExtractApproval.objects.first()
    if found is None:
        found = ExtractApproval.objects.create(
            reference="REC-1",
            approved_by="Ethics committee",
            purpose="Research",
            approved_on=date(2026, 1, 1),
            recorded_by=world.users[P.ANALYST],
        )
    return found.pk


INSIGHT: dict[str, Declaration] = {
    "insight:home": Declaration("get", only(ANALYST)),
    "insight:all": Declaration("get", only(ANALYST)),
    "insight:all-table": Declaration("get", only(ANALYST), kwargs=lambda world: {"fmt": "csv"}),
    "insight:organisation": Declaration("get", only(ANALYST), kwargs=hospital),
    "insight:organisation-table": Declaration("get", only(ANALYST), kwargs=hospital_parquet),
    "insight:unit": Declaration("get", only(ANALYST), kwargs=ward),
    "insight:unit-table": Declaration("get", only(ANALYST), kwargs=ward_csv),
    "insight:sharing": Declaration(
        "post", only([]), kwargs=hospital, data=lambda world: {"share": "on"}, writes=True
    ),
}

INSIGHT_ALSO: list[tuple[str, Declaration]] = [
    (
        "insight:unit",
        Declaration("get", only(ANALYST), kwargs=lambda world: {"pk": world.other_ward.pk}),
    ),
    (
        "insight:organisation",
        Declaration("get", only(ANALYST), kwargs=lambda world: {"pk": world.municipality.pk}),
    ),
]

# The survey is answered by persons with a stay and by staff with a care role on a unit whose team
# leader asks them (measures.UnitSchedule); no unit of the personas world asks, so everyone gets
# 404 (tests/test_insight_survey_schedule.py asks Ward A and covers who then sees it). The gap
# page belongs with the unit's dashboard.
INSIGHT["insight:survey"] = Declaration("get", only([]))
# Asking a unit is its team leader's or a service manager's choice; no persona is either.
INSIGHT["insight:survey-schedule"] = Declaration(
    "post", only([]), kwargs=ward, data=lambda world: {"ask_person": "on"}, writes=True
)
INSIGHT["insight:gap"] = Declaration("get", only(ANALYST), kwargs=ward)

# Improvement actions belong to team leaders and service managers of the unit; no persona is one.
INSIGHT["insight:add-action"] = Declaration(
    "post", only([]), kwargs=ward, data=lambda world: {"what": "x"}, writes=True
)
INSIGHT["insight:review-action"] = Declaration(
    "post",
    only([]),
    kwargs=lambda world: {"action_id": 999999},
    data=lambda world: {"note": "x"},
    writes=True,
)

# The pseudonymised extract is for analysts. In the personas world every group of age band, sex
# and unit is smaller than 5, so the analyst's run is refused (a redirect back with the reason).
INSIGHT["insight:extract"] = Declaration("get", only(ANALYST))
INSIGHT["insight:extract-run"] = Declaration(
    "post",
    only(ANALYST, ok=302),
    kwargs=lambda world: {"approval_id": _an_approval(world), "fmt": "csv"},
    writes=True,
)
