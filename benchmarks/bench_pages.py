"""Benchmark: server time of the plan page and the caseload against the raw SQL they run.

Builds a large synthetic world (default 10,000 persons) plus one person with 500 plan entries in a
fresh database, then requests each page many times in-process (Django's test client: view,
access check, audit write, template) and reports the median and p95. It also records the exact SQL
statements (with parameters) one request runs, times those SELECTs executed bare through the
database cursor, and prints the ratio page time / raw SQL time: how much the framework, the
templates and the writes cost on top of fetching the data.

    .venv/bin/python benchmarks/bench_pages.py [--persons 10000] [--entries 500] [--requests 50]
    .venv/bin/python benchmarks/bench_pages.py --database-url postgres://u:p@127.0.0.1:5432/bench

A --database-url database is dropped and created again (on the same server) so runs repeat.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def _configure(database_url: str | None, keep: bool = False) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ["ALONGSIDE_DEBUG"] = "0"
    os.environ["ALONGSIDE_ALLOWED_HOSTS"] = "testserver"
    os.environ["ALONGSIDE_DATA_DIR"] = tempfile.mkdtemp(prefix="alongside-bench-")
    if database_url and database_url.startswith("sqlite:///"):
        # A SQLite file kept between runs (``--keep``), else made anew.
        path = database_url.removeprefix("sqlite:///")
        if not keep and os.path.exists(path):
            os.remove(path)
        os.environ["DATABASE_URL"] = database_url
    elif database_url:
        import psycopg

        parts = urlsplit(database_url)
        name = parts.path.lstrip("/")
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not (keep and exists):
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(persons: int, entries: int) -> tuple[Any, Any, Any]:
    """The world: synthetic persons, one key worker's ward, one person with a long plan."""
    from django.core.management import call_command

    from alongside.accounts.models import User
    from alongside.accounts.services import create_user
    from alongside.audit.log import Actor
    from alongside.demo.progress import ProgressBar
    from alongside.demo.synthetic import build_synthetic_world
    from alongside.organisations.models import Role
    from alongside.people.models import Person
    from alongside.plans import services
    from alongside.plans.models import Origin, Stance

    _say("migrating ...")
    call_command("migrate", verbosity=0)
    built = User.objects.filter(username="bench-person").first()
    if built is not None:
        # --keep: the world of an earlier run is still there; measure it again as it is.
        person = Person.objects.get(user=built)
        key_worker = User.objects.get(username__endswith="-kw-0", username__startswith="syn1-")
        return key_worker, person, built
    bar = ProgressBar(persons, "synthetic persons")
    build_synthetic_world(persons, seed=1, progress=bar.advance)
    bar.finish()
    key_worker = User.objects.get(username__endswith="-kw-0", username__startswith="syn1-")
    person = Person.objects.filter(stays__unit__staff_roles__user=key_worker).order_by("pk")[0]
    person.user = create_user("bench-person", None, display_name=person.name)
    person.save(update_fields=["user"])
    me = Actor(person.user, "person")
    staff = Actor(key_worker, Role.KEY_WORKER)
    added, index = 0, 0
    bar = ProgressBar(entries, "plan entries")
    while added < entries:
        own = services.add_goal(me, person, text=f"My goal {index}", origin=Origin.PERSON)
        other = services.add_goal(staff, person, text=f"Team goal {index}", origin=Origin.CLINICAL)
        services.add_step(me, own, text=f"Step {index}", who_helps="Kim")
        services.check_in(me, own, score=index % 11, comment="Going slowly")
        services.record_stance(me, other, stance=Stance.NOT_NOW, words="Later")
        services.add_story_entry(me, person, kind="interest", title=f"Story {index}", shared=True)
        services.add_strength(me, person, kind="personal", text=f"Strength {index}")
        added += 7
        index += 1
        bar.advance(7)
    bar.finish()
    return key_worker, person, person.user


def _capture(request: Callable[[], Any]) -> list[tuple[str, Any]]:
    """The exact statements and parameters one request sends to the database."""
    from django.db import connection

    statements: list[tuple[str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        request()
    return statements


def _raw_select_time(statements: list[tuple[str, Any]]) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


def measure(name: str, client: Any, url: str, requests: int) -> dict[str, Any]:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    for _ in range(3):
        get()
    times, cpu = [], []
    for _ in range(requests):
        started, used = time.perf_counter(), time.process_time()
        get()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    statements = _capture(get)
    selects = [s for s in statements if s[0].lstrip().upper().startswith("SELECT")]
    raw = [_raw_select_time(selects) for _ in range(requests)]
    median = statistics.median(times)
    return {
        "page": name,
        "queries": len(statements),
        "writes": len(statements) - len(selects),
        "median": median * 1000,
        "p95": statistics.quantiles(times, n=20)[-1] * 1000,
        "cpu": statistics.median(cpu) * 1000,
        "raw": statistics.median(raw) * 1000,
        "ratio": median / statistics.median(raw),
    }


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _hammer(
    port: int, path: str, cookie: str, clients: int, requests: int
) -> tuple[float, int, float]:
    """``requests`` GETs of ``path`` from ``clients`` threads, each on its own keep-alive
    connection. Returns requests per second, the number of failures and the p95 in ms."""
    import http.client
    import threading

    todo = list(range(requests))
    lock = threading.Lock()
    errors: list[int] = []
    latencies: list[float] = []
    headers = {"Cookie": cookie} if cookie else {}

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not todo:
                    return
                todo.pop()
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                latencies.append(time.perf_counter() - started)
                if not ok:
                    errors.append(1)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else 0.0
    return requests / elapsed, len(errors), p95


def throughput(
    paths: dict[str, tuple[str, str]], clients: int, requests: int, workers: int, threads: int
) -> dict[str, tuple[float, int, float]]:
    """Requests per second through gunicorn on loopback, ``clients`` at once, ``requests`` in all
    per page; each client keeps its own connection. Returns (req/s, errors, p95 ms) per page."""
    import http.client
    import subprocess

    port = _free_port()
    env = {
        **os.environ,
        "ALONGSIDE_ALLOWED_HOSTS": "127.0.0.1",
        "ALONGSIDE_DB_CONN_MAX_AGE": "600",
        "ALONGSIDE_LOG_LEVEL": "ERROR",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "alongside.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--timeout=60",
            "--log-level=warning",
        ],
        env=env,
    )
    results: dict[str, tuple[float, int, float]] = {}
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/healthz")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        for name, (path, cookie) in paths.items():
            _hammer(port, path, cookie, clients, clients * 2)  # warm every worker first
            results[name] = _hammer(port, path, cookie, clients, requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def add_database_arguments(parser: argparse.ArgumentParser) -> None:
    """--database-url, --keep and --build-only, shared with bench_fhir.py."""
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="Reuse the --database-url database of an earlier run instead of building anew.",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="Build the world and stop, measure nothing."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--requests", type=int, default=50)
    add_database_arguments(parser)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=0,
        help="Also measure throughput through gunicorn on loopback with this many clients.",
    )
    parser.add_argument("--throughput-requests", type=int, default=200)
    args = parser.parse_args()
    _configure(args.database_url, keep=args.keep)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from alongside.people.models import Person

    started = time.perf_counter()
    key_worker, person, person_user = build(args.persons, args.entries)
    built = time.perf_counter() - started
    if args.build_only:
        _say(f"world ready in {built:.0f} s")
        return
    as_person, as_staff = Client(), Client()
    as_person.force_login(person_user)
    as_staff.force_login(key_worker)
    plan = reverse("plans:plan", kwargs={"person_id": person.pk})
    rows = [
        measure(f"plan (person, {args.entries} entries)", as_person, plan, args.requests),
        measure("plan (key worker)", as_staff, plan, args.requests),
        measure("caseload (key worker)", as_staff, reverse("workspace:caseload"), args.requests),
    ]
    if connection.vendor == "postgresql":
        vendor = f"PostgreSQL {connection.pg_version}"
    else:
        import sqlite3

        vendor = f"SQLite {sqlite3.sqlite_version}"
    print(
        f"database: {vendor} | persons in database: {Person.objects.count():,} | "
        f"plan entries: {args.entries} | requests per page: {args.requests} | "
        f"world built in {built:.0f} s"
    )
    print(
        f"python {platform.python_version()} | {platform.machine()} | cpus: {os.cpu_count()} | "
        f"{platform.platform()}"
    )
    print(
        f"{'page':<32} {'queries':>7} {'writes':>6} {'median ms':>10} {'p95 ms':>8} "
        f"{'raw SQL ms':>10} {'ratio':>6} {'cpu ms':>7}"
    )
    for row in rows:
        print(
            f"{row['page']:<32} {row['queries']:>7} {row['writes']:>6} {row['median']:>10.1f} "
            f"{row['p95']:>8.1f} {row['raw']:>10.2f} {row['ratio']:>6.1f} {row['cpu']:>7.1f}"
        )
    print("writes: the audit insert(s) and the session update each request makes; not in raw SQL.")
    print("cpu ms: median CPU time of this process per request (Django side, not the database's).")
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.concurrency:
        from django.conf import settings

        def cookie(client: Any) -> str:
            name = settings.SESSION_COOKIE_NAME
            return f"{name}={client.cookies[name].value}"

        paths = {
            "healthz": ("/healthz", ""),
            "caseload (key worker)": (reverse("workspace:caseload"), cookie(as_staff)),
            "plan (person)": (plan, cookie(as_person)),
        }
        rates = throughput(paths, args.concurrency, args.throughput_requests, 2, 4)
        base = rates["healthz"][0]
        print(
            f"gunicorn gthread 2 workers x 4 threads, {args.concurrency} clients, "
            f"{args.throughput_requests} requests per page, loopback"
        )
        print(f"{'page':<32} {'req/s':>8} {'errors':>6} {'p95 ms':>8} {'of healthz':>10}")
        for name, (rate, errors, p95) in rates.items():
            print(f"{name:<32} {rate:>8.1f} {errors:>6} {p95:>8.1f} {rate / base:>9.0%}")
        print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
