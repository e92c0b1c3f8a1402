"""Reads of the insight room: who may see which scope, and the dashboard's figures from rollups.

Scopes: a unit, an organisation, or every organisation. Analysts see every scope; a service
manager sees their organisation and its units; a team leader sees their own unit, and every unit
of the organisation when it shares that (``InsightSharing``). Anyone else gets 404, exactly as for
a scope that does not exist. No scope reads a person table: only ``IndicatorRollup`` rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import Case, F, IntegerField, Sum, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.insight.indicators import INDICATORS, REASON_GROUP, Indicator, month_start
from alongside.insight.models import (
    IndicatorGroupRollup,
    IndicatorRollup,
    InsightSharing,
    SurveyResponse,
)
from alongside.insight.suppression import Cell, Hidden, column, primary
from alongside.insight.survey import ThemeGap, gaps, theme_of_items
from alongside.measures.charts import format_number
from alongside.organisations.models import Organisation, Role, StaffRole, Unit


class ScopeKind(StrEnum):
    UNIT = "unit"
    ORGANISATION = "organisation"
    ALL = "all"


@dataclass(frozen=True)
class Member:
    """One row compared side by side: a unit (in an organisation) or an organisation (in all)."""

    pk: int
    name: str
    unit_ids: tuple[int, ...]


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    pk: int
    name: str
    members: tuple[Member, ...]

    @property
    def unit_ids(self) -> list[int]:
        return [unit_id for member in self.members for unit_id in member.unit_ids]


@dataclass(frozen=True)
class Readable:
    everything: bool
    organisations: frozenset[int]
    units: frozenset[int]
    # The organisations where the user is a service manager (who may change their sharing).
    managed: frozenset[int] = frozenset()


def readable(user: User) -> Readable:
    roles = list(
        StaffRole.objects.current()
        .filter(role__in=[Role.ANALYST, Role.SERVICE_MANAGER, Role.TEAM_LEADER], user=user)
        .values_list("role", "unit_id", "unit__organisation_id")
    )
    managed = frozenset(org for role, _u, org in roles if role == Role.SERVICE_MANAGER)
    if any(role == Role.ANALYST for role, _u, _o in roles):
        return Readable(True, frozenset(), frozenset(), managed)
    organisations = set(managed)
    leading = {org for role, _u, org in roles if role == Role.TEAM_LEADER}
    if leading:
        organisations |= set(
            InsightSharing.objects.filter(
                organisation_id__in=leading, team_leaders_see_organisation=True
            ).values_list("organisation_id", flat=True)
        )
    units = {unit for role, unit, _o in roles if role == Role.TEAM_LEADER}
    units |= set(
        Unit.objects.filter(organisation_id__in=organisations).values_list("pk", flat=True)
    )
    return Readable(False, frozenset(organisations), frozenset(units), managed)


def may_read_insight(user: User) -> bool:
    rights = readable(user)
    return rights.everything or bool(rights.units)


def _unit_member(unit: Unit) -> Member:
    return Member(unit.pk, unit.name, (unit.pk,))


def open_scope(user: User, kind: str, pk: int = 0, rights: Readable | None = None) -> Scope:
    """The scope, or Http404 when it does not exist or the user may not see it. ``rights``:
    ``readable(user)`` when the caller has it already."""
    rights = rights or readable(user)
    if kind == ScopeKind.UNIT:
        unit = Unit.objects.filter(pk=pk).first()
        if unit is None or not (rights.everything or unit.pk in rights.units):
            raise Http404()
        return Scope(ScopeKind.UNIT, unit.pk, unit.name, (_unit_member(unit),))
    if kind == ScopeKind.ORGANISATION:
        organisation = Organisation.objects.filter(pk=pk).first()
        if organisation is None or not (
            rights.everything or organisation.pk in rights.organisations
        ):
            raise Http404()
        units = Unit.objects.filter(organisation=organisation).order_by("name")
        return Scope(
            ScopeKind.ORGANISATION,
            organisation.pk,
            organisation.name,
            tuple(_unit_member(unit) for unit in units),
        )
    if kind == ScopeKind.ALL and rights.everything:
        unit_ids: dict[int, list[int]] = defaultdict(list)
        for unit_id, organisation_id in Unit.objects.values_list("pk", "organisation_id"):
            unit_ids[organisation_id].append(unit_id)
        members = tuple(
            Member(organisation.pk, organisation.name, tuple(unit_ids[organisation.pk]))
            for organisation in Organisation.objects.order_by("name")
        )
        return Scope(ScopeKind.ALL, 0, _("All organisations"), members)
    raise Http404()


@dataclass(frozen=True)
class ScopeLink:
    kind: ScopeKind
    pk: int
    name: str


def scope_links(user: User, rights: Readable | None = None) -> list[ScopeLink]:
    """The scopes to offer on the insight start page."""
    rights = rights or readable(user)
    links: list[ScopeLink] = []
    if rights.everything:
        links.append(ScopeLink(ScopeKind.ALL, 0, _("All organisations")))
        organisations = Organisation.objects.order_by("name")
        units = Unit.objects.select_related("organisation").order_by("organisation__name", "name")
    else:
        organisations = Organisation.objects.filter(pk__in=rights.organisations).order_by("name")
        units = Unit.objects.filter(pk__in=rights.units).order_by("organisation__name", "name")
    links += [ScopeLink(ScopeKind.ORGANISATION, o.pk, o.name) for o in organisations]
    links += [ScopeLink(ScopeKind.UNIT, u.pk, u.name) for u in units]
    return links


# Figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One numerator, denominator and value, each possibly hidden."""

    numerator: Cell
    denominator: Cell
    value: float | None  # None when hidden or without a denominator

    @property
    def hidden(self) -> bool:
        return bool(self.numerator.hidden or self.denominator.hidden)


def figure(indicator: Indicator, numerator: Cell, denominator: Cell) -> Figure:
    if numerator.hidden or denominator.hidden:
        return Figure(numerator, denominator, None)
    return Figure(numerator, denominator, indicator.value(numerator.value, denominator.value))


@dataclass(frozen=True)
class Comparison:
    """Members side by side for one indicator and period, with the scope's total."""

    period: date
    rows: list[tuple[Member, Figure]]
    total: Figure


@dataclass(frozen=True)
class IndicatorFigures:
    indicator: Indicator
    series: list[tuple[date, Figure]]  # the scope's total month by month
    comparisons: list[Comparison]  # month by month, members side by side


def periods(first: date, last: date) -> list[date]:
    out = []
    current = month_start(first)
    while current <= last:
        out.append(current)
        current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def compare(indicator: Indicator, members: list[tuple[Member, float, float]]) -> Comparison:
    """Suppress one period's side-by-side table (primary, secondary, and shares with them)."""
    numerators, numerator_total = column(
        [n for _m, n, _d in members], counted=indicator.numerator_is_count
    )
    denominators, denominator_total = column([d for _m, _n, d in members])
    shown = [
        (member, figure(indicator, numerators[i], denominators[i]))
        for i, (member, _n, _d) in enumerate(members)
    ]
    return Comparison(date.min, shown, figure(indicator, numerator_total, denominator_total))


def scope_figures(
    scope: Scope, *, months: int = 24, today: date | None = None, every_row: bool = True
) -> list[IndicatorFigures]:
    """Every indicator for the scope, from the rollups only, whatever the scope's size.

    One query. For the files (``every_row``) it reads every unit's rows, so each month has its
    side-by-side table. For the page, only the latest month is compared member by member, so the
    database groups that month by unit and sums every earlier month over the scope: about 20
    rows per indicator, whatever the number of units and months. A total without its column is
    suppressed by ``single``, which hides exactly what ``column`` hides in a total: under 5, or
    the column's single hidden cell when it is the only cell (then the total is that cell, under 5
    already). So the page and the files show the same totals.
    """
    last = month_start(today or timezone.localdate())
    first = last
    for _step in range(months - 1):
        first = month_start(first - timedelta(days=1))
    member_of = {unit_id: member for member in scope.members for unit_id in member.unit_ids}
    rollups = IndicatorRollup.objects.filter(
        unit_id__in=list(member_of), period__gte=first, period__lte=last
    )
    totals: dict[tuple[str, date], tuple[float, float]] = {}
    sums: dict[tuple[str, date, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    seen: set[date] = set()
    if every_row:
        rows = rollups.values_list("indicator", "period", "unit_id", "numerator", "denominator")
    else:
        # One query: the latest month grouped by unit, every earlier month summed over the scope
        # (the unit key is NULL there, so those rows are the scope's totals).
        latest_unit = Case(When(period=last, then=F("unit_id")), output_field=IntegerField())
        rows = (
            rollups.annotate(latest_unit=latest_unit)
            .values("indicator", "period", "latest_unit")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
            .values_list("indicator", "period", "latest_unit", "n", "d")
        )
    for code, period, unit_id, numerator, denominator in rows:
        seen.add(period)
        if unit_id is None:
            totals[(code, period)] = (numerator or 0.0, denominator or 0.0)
            continue
        entry = sums[(code, period, member_of[unit_id].pk)]
        entry[0] += numerator or 0.0
        entry[1] += denominator or 0.0
    shown_periods = periods(min(seen), last) if seen else []
    with_rows = set(shown_periods if every_row else shown_periods[-1:])
    out = []
    for indicator in INDICATORS:
        comparisons = []
        for period in shown_periods:
            if period in with_rows:
                members: list[tuple[Member, float, float]] = []
                for member in scope.members:
                    numerator, denominator = sums.get(
                        (indicator.code, period, member.pk), (0.0, 0.0)
                    )
                    members.append((member, numerator, denominator))
                comparison = compare(indicator, members)
                comparisons.append(Comparison(period, comparison.rows, comparison.total))
            else:
                numerator, denominator = totals.get((indicator.code, period), (0.0, 0.0))
                total = single(indicator, numerator, denominator)
                comparisons.append(Comparison(period, [], total))
        series = [(c.period, c.total) for c in comparisons]
        out.append(IndicatorFigures(indicator, series, comparisons))
    return out


@dataclass(frozen=True)
class GroupRow:
    code: str
    label: str
    count: Cell


def _group_labels(kind: str, codes: set[str]) -> dict[str, str]:
    from alongside.discharge.models import ChecklistItemTemplate, OverrideReason
    from alongside.frameworks.models import Concept

    if kind == "concept":
        return {c.code: c.name for c in Concept.objects.filter(code__in=codes)}
    labels: dict[str, str] = {
        REASON_GROUP + reason.value: _("Reason: %(reason)s") % {"reason": reason.label}
        for reason in OverrideReason
        if REASON_GROUP + reason.value in codes
    }
    # The default item's label first; an organisation's own item only where there is no default.
    for item in ChecklistItemTemplate.objects.filter(code__in=codes).order_by(
        "-organisation_id", "pk"
    ):
        if item.organisation_id is None or item.code not in labels:
            labels[item.code] = item.label
    return labels


def group_figures(scope: Scope, period: date) -> dict[str, list[GroupRow]]:
    """Per grouped indicator, the scope's counts by group in one month (see ``group_series``)."""
    return group_series(scope, [period]).get(period, {})


def group_series(scope: Scope, chosen: Sequence[date]) -> dict[date, dict[str, list[GroupRow]]]:
    """Per month and grouped indicator, the scope's counts by group, suppressed as a column
    (under 5 hidden, and the smallest other cell when one hidden cell could be worked out from
    the indicator's total). One query over the group rollups, plus one for the labels."""
    sums: dict[tuple[date, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for period, code, group, count in IndicatorGroupRollup.objects.filter(
        unit_id__in=scope.unit_ids, period__in=list(chosen)
    ).values_list("period", "indicator", "group", "count"):
        sums[(period, code)][group] += count
    kinds = {i.code: i.group_kind for i in INDICATORS if i.groups is not None}
    labels: dict[str, dict[str, str]] = {}
    for kind in set(kinds.values()):
        codes = {g for (_p, code), found in sums.items() if kinds.get(code) == kind for g in found}
        labels[kind] = _group_labels(kind, codes) if codes else {}
    out: dict[date, dict[str, list[GroupRow]]] = defaultdict(dict)
    for (period, code), found in sorted(sums.items()):
        if code not in kinds:
            continue
        groups = sorted(found)
        cells, _total = column([found[group] for group in groups])
        out[period][code] = [
            GroupRow(group, labels[kinds[code]].get(group, group), cell)
            for group, cell in zip(groups, cells, strict=True)
        ]
    return dict(out)


def single(indicator: Indicator, numerator: float, denominator: float) -> Figure:
    return figure(
        indicator, primary(numerator, counted=indicator.numerator_is_count), primary(denominator)
    )


def cell_text(cell: Cell) -> str:
    if cell.hidden is Hidden.SMALL:
        return _("fewer than 5")
    if cell.hidden is Hidden.SECONDARY:
        return _("hidden")
    return format_number(cell.value)


def survey_gaps(scope: Scope, period: date) -> list[ThemeGap]:
    """The gap per theme for the scope's units in one quarter, from the anonymous answers."""
    rows = [
        (side, answers)
        for side, answers in SurveyResponse.objects.filter(
            unit_id__in=scope.unit_ids, period=period
        ).values_list("side", "answers")
    ]
    themes = list(theme_of_items("person").values())
    return gaps(rows, themes)
