"""Benchmark: the organisation insight dashboard's server time, against a raw SQL aggregate.

The dashboard reads only the rollup table (one row per unit, month and indicator), so its cost
depends on the rollups, not on how many persons there are. This script writes the rollups a
synthetic service would have: ``--persons`` persons spread over units of ``--unit-size`` persons
(default 500), in organisations of ``--units-per-org`` units, over 24 months and every indicator
in ``INDICATORS``. It times the organisation dashboard in-process (Django's test client: access
check, one rollup query, suppression, a run chart per indicator, template) for two sizes, and
compares with one raw SQL aggregate over the same rollup rows (SUM of numerator and denominator
by indicator and month).

    .venv/bin/python benchmarks/bench_insight.py [--persons 100000 1000000] [--requests 20]
    .venv/bin/python benchmarks/bench_insight.py --database-url postgres://u:p@127.0.0.1:5432/bench

A --database-url database is dropped and created again (on the same server) so runs repeat.
Writing the rollups of the larger world is the slow part, not the dashboard.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))


def _configure(database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ["ALONGSIDE_DEBUG"] = "0"
    os.environ["ALONGSIDE_ALLOWED_HOSTS"] = "testserver"
    os.environ["ALONGSIDE_DATA_DIR"] = tempfile.mkdtemp(prefix="alongside-bench-")
    if database_url:
        import psycopg

        parts = urlsplit(database_url)
        name = parts.path.lstrip("/")
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def months(count: int, last: date) -> list[date]:
    out = [last]
    while len(out) < count:
        previous = out[-1]
        out.append(date(previous.year - (previous.month == 1), (previous.month - 2) % 12 + 1, 1))
    return sorted(out)


def grow(persons: int, unit_size: int, units_per_org: int, periods: list[date], tag: str) -> Any:
    """Organisations, units and rollups for ``persons`` persons; returns the first organisation."""
    import random

    from django.utils import timezone

    from alongside.insight.indicators import INDICATORS
    from alongside.insight.models import IndicatorRollup
    from alongside.organisations.models import Organisation, Unit

    rng = random.Random(persons)  # noqa: S311 - synthetic figures
    now = timezone.now()
    units_needed = max(1, persons // unit_size)
    first = None
    made = 0
    while made < units_needed:
        index = made // units_per_org
        organisation = Organisation.objects.create(
            code=f"{tag}-org-{index}", name=f"Synthetic {tag} {index}", kind="hospital"
        )
        first = first or organisation
        batch = min(units_per_org, units_needed - made)
        units = Unit.objects.bulk_create(
            Unit(
                organisation=organisation,
                code=f"{tag}-u-{made + i}",
                name=f"Unit {made + i}",
                kind="ward",
            )
            for i in range(batch)
        )
        rows = []
        for unit in units:
            for period in periods:
                for indicator in INDICATORS:
                    denominator = float(unit_size if indicator.kind == "share" else unit_size * 30)
                    rows.append(
                        IndicatorRollup(
                            unit=unit,
                            period=period,
                            indicator=indicator.code,
                            numerator=float(rng.randint(0, int(denominator))),
                            denominator=denominator,
                            refreshed_at=now,
                        )
                    )
        IndicatorRollup.objects.bulk_create(rows, batch_size=5000)
        made += batch
        if index % 20 == 0:
            _say(f"  {tag}: {made}/{units_needed} units")
    return first


def time_dashboard(client: Any, url: str, requests: int) -> list[float]:
    client.get(url)  # warm: template and catalogue caches
    times = []
    for _request in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return times


def time_raw(organisation_id: int, first: date, requests: int) -> list[float]:
    from django.db import connection

    sql = (
        "SELECT r.indicator, r.period, SUM(r.numerator), SUM(r.denominator) "
        "FROM insight_indicatorrollup r JOIN organisations_unit u ON u.id = r.unit_id "
        "WHERE u.organisation_id = %s AND r.period >= %s GROUP BY r.indicator, r.period"
    )
    times = []
    with connection.cursor() as cursor:
        for _request in range(requests):
            started = time.perf_counter()
            cursor.execute(sql, [organisation_id, first])
            cursor.fetchall()
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--unit-size", type=int, default=500)
    parser.add_argument("--units-per-org", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    _configure(options.database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from alongside.accounts.services import create_user
    from alongside.audit.log import Actor
    from alongside.organisations import services as organisations
    from alongside.organisations.models import Role

    call_command("migrate", verbosity=0)
    periods = months(24, timezone.localdate().replace(day=1))
    vendor = (
        f"PostgreSQL {connection.pg_version}" if connection.vendor == "postgresql" else "SQLite"
    )
    print(f"insight dashboard benchmark on {vendor}, Python {platform.python_version()}")
    results = []
    built = 0
    for persons in sorted(options.persons):
        _say(f"writing rollups for {persons:,} persons")
        started = time.perf_counter()
        organisation = grow(
            persons - built, options.unit_size, options.units_per_org, periods, f"w{persons}"
        )
        built = persons
        _say(f"  written in {time.perf_counter() - started:.1f} s")
        manager = create_user(f"manager-{persons}", "bench-password-long")
        organisations.assign_role(
            Actor.system(),
            manager,
            organisation.units.first(),
            Role.SERVICE_MANAGER,
            started_on=date(2020, 1, 1),
        )
        client = Client()
        client.force_login(manager)
        url = reverse("insight:organisation", kwargs={"pk": organisation.pk})
        page = time_dashboard(client, url, options.requests)
        raw = time_raw(organisation.pk, periods[0], options.requests)
        results.append((persons, statistics.median(page), statistics.median(raw)))
    print(f"{'persons':>12} {'dashboard (median)':>20} {'raw SQL (median)':>18} {'ratio':>8}")
    for persons, page_time, raw_time in results:
        print(
            f"{persons:>12,} {page_time * 1000:>17.1f} ms {raw_time * 1000:>15.2f} ms "
            f"{page_time / raw_time:>8.1f}"
        )
    if len(results) >= 2:
        (small, small_time, _r1), (large, large_time, _r2) = results[0], results[-1]
        print(
            f"growth {small:,} -> {large:,} persons: x{large_time / small_time:.2f} "
            f"(persons x{large / small:.0f}); at most 1 s: {'yes' if large_time <= 1 else 'no'}"
        )


if __name__ == "__main__":
    main()
