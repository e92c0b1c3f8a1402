"""`alongside insight refresh [--since YYYY-MM]`: the command an operator runs after an import or to
backfill the rollups."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from alongside.insight.models import IndicatorRollup
from alongside.insight.services import months_between
from tests.personas import World


def _refresh(*args: str) -> str:
    out = StringIO()
    call_command("insight", "refresh", *args, stdout=out)
    return out.getvalue()


def test_refresh_recounts_the_recent_months_and_repeating_it_changes_nothing(world: World) -> None:
    said = _refresh()
    rows = IndicatorRollup.objects.count()
    assert rows > 0
    assert said.strip() == f"{rows} rollup rows written."
    months = set(IndicatorRollup.objects.values_list("period", flat=True))
    assert len(months) <= 2  # the current month and the one before
    before = sorted(
        IndicatorRollup.objects.values_list("unit_id", "period", "indicator", "numerator")
    )
    again = _refresh()
    assert again == said
    after = sorted(
        IndicatorRollup.objects.values_list("unit_id", "period", "indicator", "numerator")
    )
    assert after == before


def test_refresh_since_a_month_backfills_every_month_until_now(world: World) -> None:
    today = timezone.localdate()
    first = today.replace(year=today.year - 1, day=1)
    _refresh("--since", first.strftime("%Y-%m"))
    months = set(IndicatorRollup.objects.values_list("period", flat=True))
    assert months == set(months_between(first, today))


@pytest.mark.parametrize("since", ["2026-13", "last year", "2026/01", ""])
def test_refresh_refuses_a_month_it_cannot_read(world: World, since: str) -> None:
    if since == "":
        # An empty --since means "not given": the recent months are recounted.
        assert "rollup rows written" in _refresh("--since", since)
        return
    with pytest.raises(CommandError, match="YYYY-MM"):
        _refresh("--since", since)
    assert IndicatorRollup.objects.count() == 0
