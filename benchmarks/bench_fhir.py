"""Benchmark: a FHIR search returning 100 CarePlans with ``_include=CarePlan:goal`` against a bare
Django JSON view returning the same rows (persons and their goals, same access query, no FHIR).

Builds a synthetic world in a fresh database, gives one key worker a bearer token, then requests
each many times in-process (Django's test client: middleware, token lookup, access layer, audit
writes for the FHIR search) and prints the medians and the throughput ratio FHIR / bare.

    .venv/bin/python benchmarks/bench_fhir.py [--persons 2000] [--requests 30]
    .venv/bin/python benchmarks/bench_fhir.py --database-url postgres://u:p@127.0.0.1:5432/bench

A --database-url database is dropped and created again, unless --keep is given: then the world
of an earlier run is measured again (build it once with --build-only). The issue asks for 100,000
persons on PostgreSQL:

    .venv/bin/python benchmarks/bench_fhir.py --persons 100000 --build-only \
        --database-url postgres://alongside:alongside@127.0.0.1:5432/alongside_bench_fhir
    .venv/bin/python benchmarks/bench_fhir.py --keep --requests 30 \
        --database-url postgres://alongside:alongside@127.0.0.1:5432/alongside_bench_fhir

The FHIR and bare requests are timed in three interleaved rounds (so both see the same load on a
shared machine) and the median of the round medians is compared. --profile N prints a cProfile of
N more FHIR searches.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(__file__)))

from bench_pages import _configure, _say, add_database_arguments

urlpatterns: list[Any] = []


def bare_view(request: Any) -> Any:
    """The same rows as plain JSON: the key worker's first 100 persons and their goals."""
    from django.http import JsonResponse

    from alongside import access
    from alongside.network.scopes import Section
    from alongside.plans.models import Goal

    persons = list(access.visible_persons(request.user, Section.PLAN).order_by("pk")[:100])
    goals: dict[int, list[dict[str, Any]]] = {}
    for goal in Goal.objects.filter(person__in=persons).order_by("person_id", "created_at", "pk"):
        goals.setdefault(goal.person_id, []).append(
            {"id": str(goal.fhir_id), "text": goal.text, "status": goal.status}
        )
    rows = [{"id": str(p.fhir_id), "name": p.name, "goals": goals.get(p.pk, [])} for p in persons]
    return JsonResponse({"plans": rows})


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum would have them for a database in use (right after
    a bulk build PostgreSQL still thinks the tables are empty and picks nested loops)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def build(persons: int) -> None:
    """The synthetic world, and one key worker who sees every person with an active stay (their
    first 100 persons get two goals each, written through the services) and owns the bench
    application."""
    from django.core.management import call_command
    from django.utils import timezone
    from oauth2_provider.models import Application

    from alongside import access
    from alongside.accounts.models import User
    from alongside.audit.log import Actor
    from alongside.demo.synthetic import build_synthetic_world
    from alongside.network.scopes import Section
    from alongside.organisations import services as organisations
    from alongside.organisations.models import Role, StaffRole, Unit
    from alongside.plans import services as plans
    from alongside.plans.models import Origin

    _say("migrating ...")
    call_command("migrate", verbosity=0)
    _say(f"building {persons} synthetic persons ...")
    build_synthetic_world(persons, seed=1)
    _analyze()
    # The key worker who sees the most persons' plans.
    leads = StaffRole.objects.filter(role__in=[Role.KEY_WORKER, Role.TEAM_LEADER])
    user = max(
        (User.objects.get(pk=pk) for pk in leads.values_list("user_id", flat=True).distinct()[:20]),
        key=lambda u: access.visible_persons(u, Section.PLAN).count(),
    )
    # Enough persons for a page of 100: the user works in every unit with active stays.
    system = Actor.system()
    held = set(StaffRole.objects.filter(user=user).values_list("unit_id", flat=True))
    for unit in Unit.objects.exclude(pk__in=held):
        organisations.assign_role(
            system, user, unit, Role.KEY_WORKER, started_on=timezone.localdate()
        )
    _analyze()
    staff = Actor(user, Role.KEY_WORKER)
    for person in access.visible_persons(user, Section.PLAN).order_by("pk")[:100]:
        for number in (1, 2):
            plans.add_goal(staff, person, text=f"Goal {number}", origin=Origin.CLINICAL)
    Application.objects.create(
        name="bench",
        user=user,
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1/cb",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30)
    add_database_arguments(parser)
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="Also profile N FHIR searches with cProfile and print the top functions (stderr).",
    )
    args = parser.parse_args()
    _configure(args.database_url, keep=args.keep)

    import secrets
    from datetime import timedelta

    from django.conf import settings
    from django.test import Client
    from django.urls import include, path
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from alongside import access
    from alongside.network.scopes import Section
    from alongside.people.models import Person

    urlpatterns[:] = [path("bench/careplans", bare_view), path("", include("alongside.urls"))]
    settings.ROOT_URLCONF = __name__
    started = time.perf_counter()
    if not (args.keep and Application.objects.filter(name="bench").exists()):
        build(args.persons)
    _say(f"world ready in {time.perf_counter() - started:.0f} s")
    if args.build_only:
        return
    app = Application.objects.get(name="bench")
    user = app.user
    seen = access.visible_persons(user, Section.PLAN).count()
    token = secrets.token_urlsafe(24)
    AccessToken.objects.create(
        user=user,
        application=app,
        token=token,
        expires=timezone.now() + timedelta(hours=2),
        scope="user/*.read",
    )
    fhir = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    bare = Client()
    bare.force_login(user)
    url = "/fhir/R4/CarePlan?category=recovery&_include=CarePlan:goal&_count=100"
    body = fhir.get(url).json()
    plans = sum(1 for e in body.get("entry", []) if e["search"]["mode"] == "match")
    goals = sum(1 for e in body.get("entry", []) if e["search"]["mode"] == "include")
    persons = Person.objects.count()
    _say(
        f"user sees {seen} plans; the Bundle's total is {body.get('total')}; "
        f"a page holds {plans} CarePlans and {goals} Goals"
    )

    def timed(client: Client, target: str) -> float:
        for _ in range(3):
            assert client.get(target).status_code == 200
        samples = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(target)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        return statistics.median(samples)

    # Interleaved rounds, so both sides see the same load on a shared machine.
    fhir_medians, bare_medians = [], []
    for _ in range(3):
        fhir_medians.append(timed(fhir, url))
        bare_medians.append(timed(bare, "/bench/careplans"))
    fhir_median = statistics.median(fhir_medians)
    bare_median = statistics.median(bare_medians)
    print(f"persons: {persons}, database: {settings.DATABASES['default']['ENGINE']}")
    print(f"FHIR search (100 CarePlans + _include goals): median {fhir_median * 1000:.1f} ms")
    print(f"bare Django JSON view (same rows):           median {bare_median * 1000:.1f} ms")
    print(f"throughput ratio FHIR / bare: {bare_median / fhir_median:.2f}x")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile):
            fhir.get(url)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
