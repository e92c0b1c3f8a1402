"""Every indicator against numbers worked out by hand (tests/insight_world.py explains the world).

March 2026, ward North: A to F have a stay all month (6 persons, 6 x 31 = 186 bed-days); X's stay
ended in February. Ward South: G (1 to 20 March, 19 bed-days, ended with an override) and H (10 to
25 March, 15 bed-days, ended without one).
"""

from __future__ import annotations

from datetime import date

import pytest

from alongside.discharge.models import DischargeOverride
from alongside.frameworks.models import Concept
from alongside.insight import exports
from alongside.insight.indicators import BY_CODE, INDICATORS, Domain
from alongside.insight.models import IndicatorGroupRollup, IndicatorRollup
from alongside.insight.queries import (
    Member,
    Scope,
    ScopeKind,
    group_figures,
    group_series,
    scope_figures,
)
from alongside.insight.services import months_between, recent_months, refresh
from alongside.people.models import Stay
from tests.insight_world import MARCH, InsightWorld, build_insight_world

pytestmark = pytest.mark.django_db

# indicator: (North numerator, North denominator, South numerator, South denominator)
EXPECTED: dict[str, tuple[float, float, float, float]] = {
    # A, B and C have a strength before April (D's is from April); G in South.
    "citizenship.strengths": (3, 6, 1, 2),
    # Only A's family member is still in the network at the end of March.
    "citizenship.network-beyond-services": (1, 6, 0, 2),
    # A's two decisions and B's one were recorded in March; two offered an advocate.
    "citizenship.advocate-offered": (2, 3, 0, 0),
    # A's second decision was carried out without agreement.
    "citizenship.without-agreement": (1, 3, 0, 0),
    # A, B, C reviewed in March (D on 28 February); A and C with the municipality.
    "organisation.reviews-with-municipality": (2, 3, 0, 0),
    # G and H left South in March; G's stay ended with an override.
    "organisation.discharge-offer-ready": (0, 0, 1, 2),
    # A, B and C had a measure started in March (D's was in February); bed-days as above.
    "organisation.restrictive-per-1000": (3, 186, 0, 34),
    # Of A's, B's and C's measures only A's was debriefed within 72 hours.
    "organisation.debrief-on-time": (1, 3, 0, 0),
    # A, B, C and D wrote an own goal before April (E's is from April).
    "personal.own-goal": (4, 6, 0, 2),
    # A agreed; B's newest stance disagrees; C gave none; D's "agree" came in April.
    "personal.not-endorsed": (3, 4, 0, 0),
    # A's peer worker is still there; B's left on 31 March at noon.
    "personal.peer-in-network": (1, 6, 0, 2),
    # A's newest version is unconfirmed, B's confirmed, C's confirmed in April; D's is from April.
    "personal.crisis-plan-confirmed": (1, 3, 0, 0),
    # Own goals ga, ga2, gb, gc, gd; ga has a helper, gc is served by a clinical goal.
    "relationship.own-goal-helped": (2, 5, 0, 0),
    # Active own goals ga, ga2, gb, gc; ga and gc were checked in on in March.
    "relationship.goal-check-ins": (2, 4, 0, 0),
    # 60 + 30 + 45 + 15 minutes in March among 6 persons (C's contact has no minutes).
    "relationship.time-together": (150, 6, 0, 2),
    # Written in March: A's two (confirmed; commented on), B's, and C's (confirmed in April).
    "relationship.notes-confirmed": (2, 4, 0, 0),
    # Comparable March check-ins: A 5 March (+2), A 20 March (-1), B 25 March (-3); G (-2).
    "relationship.chime-better": (1, 3, 0, 1),
    "relationship.chime-worse": (1, 3, 1, 1),
    # Due 6 March for A-F under the 60-day rule: A and D on time; G's and H's fall due later.
    "organisation.reviews-on-time": (2, 6, 0, 0),
    # G's stay ended with an override (housing open); H's without.
    "organisation.discharge-overrides": (0, 0, 1, 2),
    # North's March narratives that may be used: N1, N2 name a barrier or root, N3 does not.
    "organisation.narrative-barriers": (2, 3, 0, 0),
}

# indicator: unit -> group -> count, for March.
EXPECTED_GROUPS: dict[str, dict[str, dict[str, float]]] = {
    # N1 and N2 name a control barrier, N2 a safety one, N1 the hospital-confined root.
    "organisation.narrative-barriers": {
        "north": {
            "recovery.control": 2,
            "recovery.safety": 1,
            "recovery.roots.system.hospital-confined": 1,
        }
    },
    # G's override: "housing" open, the reason "not available in time".
    "organisation.discharge-overrides": {"south": {"housing": 1, "reason:not-in-time": 1}},
}

EXPECTED_VALUES = {
    "organisation.restrictive-per-1000": 16.1,  # 3 / 186 x 1,000 = 16.13
    "relationship.time-together": 25.0,  # 150 / 6
    "personal.not-endorsed": 75.0,  # 3 / 4, as a percentage
}


@pytest.fixture
def insight_world() -> InsightWorld:
    return build_insight_world()


def _rollups(world: InsightWorld) -> dict[tuple[str, int], tuple[float, float]]:
    return {
        (row.indicator, row.unit_id): (row.numerator, row.denominator)
        for row in IndicatorRollup.objects.filter(period=MARCH, unit__in=[world.north, world.south])
    }


def test_every_indicator_has_a_hand_computed_fixture() -> None:
    assert set(EXPECTED) == set(BY_CODE)


def test_at_least_two_indicators_per_domain() -> None:
    for domain in Domain:
        assert sum(1 for i in INDICATORS if i.domain is domain) >= 2


def test_every_indicator_names_real_practice_themes() -> None:
    for indicator in INDICATORS:
        assert Concept.objects.filter(code=indicator.domain.value).exists()
        for theme in indicator.themes:
            assert Concept.objects.filter(code=theme, parent__code__startswith="practice.").exists()


def test_indicators_match_the_hand_computed_numbers(insight_world: InsightWorld) -> None:
    refresh([MARCH])
    rollups = _rollups(insight_world)
    for code, (north_n, north_d, south_n, south_d) in EXPECTED.items():
        assert rollups[(code, insight_world.north.pk)] == (north_n, north_d), code
        assert rollups[(code, insight_world.south.pk)] == (south_n, south_d), code
    for code, value in EXPECTED_VALUES.items():
        n, d = rollups[(code, insight_world.north.pk)]
        assert BY_CODE[code].value(n, d) == value


def test_grouped_indicators_match_the_hand_computed_numbers(insight_world: InsightWorld) -> None:
    refresh([MARCH])
    units = {insight_world.north.pk: "north", insight_world.south.pk: "south"}
    found: dict[str, dict[str, dict[str, float]]] = {}
    for row in IndicatorGroupRollup.objects.filter(period=MARCH, unit__in=list(units)):
        found.setdefault(row.indicator, {}).setdefault(units[row.unit_id], {})[row.group] = (
            row.count
        )
    assert found == EXPECTED_GROUPS
    refresh([MARCH])  # again: the same rows, not twice as many
    assert IndicatorGroupRollup.objects.filter(period=MARCH, unit__in=list(units)).count() == 5


def test_grouped_counts_are_suppressed_on_the_dashboard(insight_world: InsightWorld) -> None:
    refresh([MARCH])
    scope = Scope(
        ScopeKind.UNIT,
        insight_world.north.pk,
        "North",
        (Member(insight_world.north.pk, "North", (insight_world.north.pk,)),),
    )
    rows = group_figures(scope, MARCH)["organisation.narrative-barriers"]
    assert [(row.code, row.count.value, row.count.shown) for row in rows] == [
        ("recovery.control", 2, None),  # under 5: hidden
        ("recovery.roots.system.hospital-confined", 1, None),
        ("recovery.safety", 1, None),
    ]
    assert rows[0].label == "Locus of control within oneself"  # the step's name from the frameworks
    assert group_figures(scope, date(2026, 2, 1)) == {}  # nothing refreshed for February


def test_grouped_counts_go_into_the_files_suppressed(insight_world: InsightWorld) -> None:
    refresh([MARCH])
    member = Member(insight_world.south.pk, "South", (insight_world.south.pk,))
    scope = Scope(ScopeKind.UNIT, insight_world.south.pk, "South", (member,))
    figures = [f for f in scope_figures(scope, today=MARCH) if f.indicator.groups is not None]
    table = exports.rows(scope, figures, group_series(scope, [MARCH]))
    grouped = [row for row in table if row["group"]]
    # South's one override had "housing" open, for the reason "not available in time": a count
    # of 1 each, hidden as under 5.
    assert [
        (r["indicator"], r["period"], r["group"], r["numerator"], r["hidden"]) for r in grouped
    ] == [
        ("organisation.discharge-overrides", "2026-03", "housing", None, "small"),
        ("organisation.discharge-overrides", "2026-03", "reason:not-in-time", None, "small"),
    ]
    assert exports.to_csv(table).decode().splitlines()[0].endswith(",hidden,group")


def test_refreshing_again_changes_nothing(insight_world: InsightWorld) -> None:
    refresh([MARCH])
    first = _rollups(insight_world)
    count = IndicatorRollup.objects.filter(period=MARCH).count()
    refresh([MARCH])
    assert _rollups(insight_world) == first
    assert IndicatorRollup.objects.filter(period=MARCH).count() == count


def test_refresh_is_incremental_by_month(insight_world: InsightWorld) -> None:
    refresh([date(2026, 2, 1), MARCH])
    february = IndicatorRollup.objects.get(
        period=date(2026, 2, 1), unit=insight_world.north, indicator="personal.own-goal"
    )
    # X was still on North in February; A and B had written an own goal by then (D too).
    assert (february.numerator, february.denominator) == (3, 7)
    refresh([MARCH])
    assert IndicatorRollup.objects.filter(
        pk=february.pk, refreshed_at=february.refreshed_at
    ).exists()


def test_a_unit_with_nobody_has_no_rows(insight_world: InsightWorld) -> None:
    refresh([date(2025, 6, 1)])
    assert not IndicatorRollup.objects.filter(
        period=date(2025, 6, 1), unit__in=[insight_world.north, insight_world.south]
    ).exists()


def test_recent_months_and_backfill_ranges() -> None:
    assert recent_months(date(2026, 1, 15)) == [date(2025, 12, 1), date(2026, 1, 1)]
    assert months_between(date(2025, 11, 20), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_the_page_totals_are_the_files_totals(insight_world: InsightWorld) -> None:
    """The page sums earlier months in the database and reads member rows for the latest month
    only; each month's total and its suppression must be what the files (every row) show."""
    refresh([date(2026, 2, 1), MARCH])
    now = IndicatorRollup.objects.filter(period=MARCH).first()
    assert now is not None
    # January by hand: North's 3 is hidden (under 5), so South's 40 is hidden too (secondary);
    # the total 43 is shown. December: 2 + 1 = 3, a total under 5, hidden.
    for period, north, south in ((date(2026, 1, 1), 3.0, 40.0), (date(2025, 12, 1), 2.0, 1.0)):
        for unit, numerator in ((insight_world.north, north), (insight_world.south, south)):
            IndicatorRollup.objects.create(
                unit=unit,
                period=period,
                indicator="personal.own-goal",
                numerator=numerator,
                denominator=50.0,
                refreshed_at=now.refreshed_at,
            )
    members = tuple(
        Member(unit.pk, unit.name, (unit.pk,))
        for unit in (insight_world.north, insight_world.south)
    )
    scope = Scope(ScopeKind.ORGANISATION, insight_world.organisation.pk, "Org", members)
    files = scope_figures(scope, today=MARCH, every_row=True)
    page = scope_figures(scope, today=MARCH, every_row=False)
    assert [f.series for f in page] == [f.series for f in files]
    for on_page, in_files in zip(page, files, strict=True):
        assert [c.rows for c in on_page.comparisons[:-1]] == [[]] * 3
        assert on_page.comparisons[-1] == in_files.comparisons[-1]
    own_goal = next(f for f in page if f.indicator.code == "personal.own-goal")
    january, december = own_goal.series[1][1], own_goal.series[0][1]
    assert (january.numerator.value, january.numerator.hidden) == (43.0, "")
    assert january.value == 43.0  # 43 of 100, as a share in per cent
    assert december.numerator.hidden == "small"
    assert december.value is None
    in_files = next(f for f in files if f.indicator.code == "personal.own-goal")
    hidden = [figure.numerator.hidden for _m, figure in in_files.comparisons[1].rows]
    assert hidden == ["small", "secondary"]  # North 3, South 40


def test_overrides_are_grouped_by_reason_code_too(insight_world: InsightWorld) -> None:
    """By hand, South in March: G's stay has its override (housing open, not available in time)
    and a second one (housing and gp open, the person declined); H's stay gets an override from
    before the codes (housing open, no code). Per stay each item and each reason counts once."""
    first = DischargeOverride.objects.get(reason_code="not-in-time")
    DischargeOverride.objects.create(
        stay=first.stay,
        reason_code="declined",
        open_items=["housing", "gp"],
        by=first.by,
        by_role="x",
    )
    h_stay = Stay.objects.get(person=insight_world.persons["H"])
    DischargeOverride.objects.create(
        stay=h_stay, reason="Left early", open_items=["housing"], by=first.by, by_role="x"
    )
    refresh([MARCH])
    rollups = IndicatorGroupRollup.objects.filter(
        period=MARCH, unit=insight_world.south, indicator="organisation.discharge-overrides"
    )
    assert {row.group: row.count for row in rollups} == {
        "housing": 2,  # G and H
        "gp": 1,  # G
        "reason:not-in-time": 1,  # G
        "reason:declined": 1,  # G, again a stay and not an override row
    }
    total = IndicatorRollup.objects.get(
        period=MARCH, unit=insight_world.south, indicator="organisation.discharge-overrides"
    )
    assert (total.numerator, total.denominator) == (2, 2)  # both stays ended with an override
    member = Member(insight_world.south.pk, "South", (insight_world.south.pk,))
    scope = Scope(ScopeKind.UNIT, insight_world.south.pk, "South", (member,))
    labels = {
        row.code: row.label
        for row in group_figures(scope, MARCH)["organisation.discharge-overrides"]
    }
    assert labels["reason:declined"] == "Reason: The person declined what was offered"
    assert labels["reason:not-in-time"] == ("Reason: What was offered was not available in time")
