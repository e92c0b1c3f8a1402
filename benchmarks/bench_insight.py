"""Benchmark: the organisation insight dashboard's server time, against a raw SQL aggregate.

The dashboard reads only the rollup tables (one row per unit, month and indicator; one per group
for the grouped indicators), so its cost depends on the rollups of the organisation shown, not on
how many persons the service has. This script writes the rollups a synthetic world would have
(the person tables stay empty: no page reads them): ``--persons`` persons spread over units of
``--unit-size`` persons (default 500), in organisations of ``--units-per-org`` units (default 20),
over 24 months, every indicator in ``INDICATORS`` and ``GROUPS`` groups per grouped indicator.
A larger world has more organisations, so the rollup tables grow with it; the organisation timed
(the first one written for each size) keeps its 20 units.

It times that organisation's dashboard in-process (Django's test client: session, access check,
the rollup queries, suppression, a run chart per indicator, template) and one raw SQL aggregate
over the same rollup rows (SUM of numerator and denominator by indicator and month), for each
size, then prints both times, the growth from the smaller to the larger world, and each size's
ratio to the raw SQL, with the load average (the machine may be shared: ratios within one run
travel across load, absolute milliseconds do not).

    .venv/bin/python benchmarks/bench_insight.py [--persons 100000 1000000] [--requests 20]
    .venv/bin/python benchmarks/bench_insight.py --database-url postgres://u:p@127.0.0.1:5432/bench

A --database-url database is dropped and created again (on the same server) so runs repeat;
``--reuse`` keeps it and writes only the sizes not written yet (to time again after a change).
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


def _configure(database_url: str | None, *, reuse: bool = False) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ["ALONGSIDE_DEBUG"] = "0"
    os.environ["ALONGSIDE_ALLOWED_HOSTS"] = "testserver"
    os.environ["ALONGSIDE_DATA_DIR"] = tempfile.mkdtemp(prefix="alongside-bench-")
    if database_url and not reuse:
        import psycopg

        parts = urlsplit(database_url)
        name = parts.path.lstrip("/")
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


# Groups counted per grouped indicator, unit and month.
GROUPS = 6


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
    from alongside.insight.models import IndicatorGroupRollup, IndicatorRollup
    from alongside.organisations.models import Organisation, Unit

    rng = random.Random(persons)  # noqa: S311 - synthetic figures
    grouped = [indicator for indicator in INDICATORS if indicator.groups is not None]
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
        # The grouped indicators' counts by group (a barrier's step, an open discharge item).
        IndicatorGroupRollup.objects.bulk_create(
            (
                IndicatorGroupRollup(
                    unit=unit,
                    period=period,
                    indicator=indicator.code,
                    group=f"group-{number}",
                    count=float(rng.randint(0, 40)),
                    refreshed_at=now,
                )
                for unit in units
                for period in periods
                for indicator in grouped
                for number in range(GROUPS)
            ),
            batch_size=5000,
        )
        made += batch
        if index % 20 == 0:
            _say(f"  {tag}: {made}/{units_needed} units")
    return first


def time_dashboard(client: Any, url: str, requests: int) -> tuple[list[float], list[float]]:
    """Wall time of each request (Python and the database), and the Python process's CPU time."""
    client.get(url)  # warm: template and catalogue caches
    times, cpu = [], []
    for _request in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200
    return times, cpu


def analyse_tables() -> None:
    """Fresh planner statistics after the bulk write, as autovacuum would gather on a live
    server (without them PostgreSQL sorts instead of hashing the aggregate)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE insight_indicatorrollup, insight_indicatorgrouprollup, organisations_unit"
            )


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


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
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    options = parser.parse_args()
    _configure(options.database_url, reuse=options.reuse)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from alongside.accounts.models import User
    from alongside.accounts.services import create_user
    from alongside.audit.log import Actor
    from alongside.organisations import services as organisations
    from alongside.organisations.models import Organisation, Role

    call_command("migrate", verbosity=0)
    periods = months(24, timezone.localdate().replace(day=1))
    vendor = (
        f"PostgreSQL {connection.pg_version}" if connection.vendor == "postgresql" else "SQLite"
    )
    print(f"insight dashboard benchmark on {vendor}, Python {platform.python_version()}")
    results = []
    built = 0
    for persons in sorted(options.persons):
        organisation = Organisation.objects.filter(code=f"w{persons}-org-0").first()
        if organisation is None:
            _say(f"writing rollups for {persons:,} persons")
            started = time.perf_counter()
            organisation = grow(
                persons - built, options.unit_size, options.units_per_org, periods, f"w{persons}"
            )
            analyse_tables()
            _say(f"  written in {time.perf_counter() - started:.1f} s")
            manager = create_user(f"manager-{persons}", "bench-password-long")
            organisations.assign_role(
                Actor.system(),
                manager,
                organisation.units.first(),
                Role.SERVICE_MANAGER,
                started_on=date(2020, 1, 1),
            )
        else:
            _say(f"reusing the rollups written for {persons:,} persons")
            manager = User.objects.get(username=f"manager-{persons}")
        built = persons
        client = Client()
        client.force_login(manager)
        url = reverse("insight:organisation", kwargs={"pk": organisation.pk})
        before = load()
        page, cpu = time_dashboard(client, url, options.requests)
        raw = time_raw(organisation.pk, periods[0], options.requests)
        results.append(
            (
                persons,
                statistics.median(page),
                statistics.median(cpu),
                statistics.median(raw),
                f"{before} / {load()}",
            )
        )
    print(
        f"{'persons':>12} {'dashboard (median)':>20} {'of it Python CPU':>18} "
        f"{'raw SQL (median)':>18} {'ratio':>7}  load average (1, 5, 15 min) before / after"
    )
    for persons, page_time, cpu_time, raw_time, loads in results:
        print(
            f"{persons:>12,} {page_time * 1000:>17.1f} ms {cpu_time * 1000:>15.1f} ms "
            f"{raw_time * 1000:>15.2f} ms {page_time / raw_time:>7.1f}  {loads}"
        )
    if len(results) >= 2:
        small, small_time, _c1, small_raw, _l1 = results[0]
        large, large_time, _c2, large_raw, _l2 = results[-1]
        print(
            f"growth {small:,} -> {large:,} persons (x{large / small:.0f}): dashboard "
            f"x{large_time / small_time:.2f}, raw SQL x{large_raw / small_raw:.2f}; "
            f"dashboard at most 1 s at {large:,}: {'yes' if large_time <= 1 else 'no'}"
        )


if __name__ == "__main__":
    main()
