"""Read and score 1,000,000 stored PHQ-9 responses; compare with NumPy over the same numbers.

    .venv/bin/python benchmarks/bench_measures.py [--responses 1000000] [--batch 50000]
    .venv/bin/python benchmarks/bench_measures.py --database-url postgres://u:p@127.0.0.1:5432/bench

Builds a fresh SQLite database in a temporary directory (or, with ``--database-url``, drops and
creates that PostgreSQL database, and drops it again at the end), runs all migrations (so the
shipped instruments are loaded), inserts ``--responses`` PHQ-9 responses for one person as the
rows the service layer stores (FHIR ``QuestionnaireResponse.item`` JSON, about 3% of answers
missing), then:

* **engine**: reads the stored rows back through the ORM in batches of ``--batch`` (ordered by id),
  turns each item list into a row of the answer matrix and scores the batch with
  ``scoring.score_batch`` (reverse, prorating, missing allowance, exactly as stored scores);
* **stored**: reads the scale's scores saved with each response (the typed ``measures_score``
  column, ``measures/stored.py``) into a NumPy array;
* **packed**: reads each response's packed float64 answers (``answer_values``), joins them into
  one matrix with ``np.frombuffer`` and scores it with ``score_batch``: no JSON decoded;
* **numpy**: ``np.nansum`` over a pre-built (responses x 9) float array holding the same answers:
  the same sums with no database, JSON or rules, a lower bound on the cost;
* **blocks**: packs the inserted rows into score blocks with ``measures.blocks.rebuild`` (what
  migration 0010 does; the rows were inserted with SQL, so no save appended to a block);
* **insight** (the goal's measure): what the product does with a million scores: the service's
  reliability estimate of the scale, through the product's own code (``insight.reliability``
  ``read_scores``, which reads the score blocks via ``measures.stored.scored_answers``, then
  ``estimate``: Cronbach's alpha, the SD of the scores, the Jacobson-Truax threshold), first read
  and best of three, against **NumPy doing the same aggregation over the same numbers already in
  memory**: the answer array and the scores held by this script, the same complete rows picked
  (``isnan``) and the same ``estimate`` called. The ratio is the cost of reading from the
  database over the cost of the arithmetic alone. **before (row read)** is the same estimate
  read from one row per response (the typed score column joined to the packed answers: the read
  before blocks), for a before/after within one run;
* **append**: the time ``blocks.append`` adds to a save (lock the version's last block, rewrite
  it), 300 times, each in its own transaction.

It prints rates and ratios, checks that every path agrees (the estimate to 1e-9), and removes its
temporary database (about 1.5 GB for a million). Most of the JSON engine's time goes to decoding
each stored item list from JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def _admin(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    return parts.path.lstrip("/"), urlunsplit(parts._replace(path="/postgres"))


def setup_django(database_url: str | None) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ["ALONGSIDE_DEBUG"] = "0"
    os.environ["ALONGSIDE_DATA_DIR"] = tempfile.mkdtemp(prefix="alongside-bench-measures-")
    if database_url:
        import psycopg

        name, admin = _admin(database_url)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def drop_database(database_url: str | None) -> None:
    from django.db import connection

    connection.close()
    if database_url:
        import psycopg

        name, admin = _admin(database_url)
        with psycopg.connect(admin, autocommit=True) as admin_connection:
            admin_connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(f"\r{label}: {done:>9,}/{total:,} ({rate:,.0f}/s)   ")
    sys.stderr.flush()
    if done >= total:
        sys.stderr.write("\n")


def build(count: int, batch: int) -> tuple[np.ndarray, int]:
    """Insert ``count`` responses; return the answer array (NaN = missing) and the version id."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from alongside.measures.models import QuestionnaireVersion
    from alongside.people.models import Person

    call_command("migrate", verbosity=0)
    person = Person.objects.create(name="Bench Person")
    version = QuestionnaireVersion.objects.get(instrument__code="phq9", version="1")
    rng = np.random.default_rng(2026)
    answers = rng.integers(0, 4, size=(count, 9)).astype(np.float64)
    answers[rng.random((count, 9)) < 0.03] = np.nan
    coding = "urn:alongside:measures:response-position"
    start = datetime(2020, 1, 1, tzinfo=UTC)
    from alongside.measures.scoring import score_batch
    from alongside.measures.stored import answer_order

    rules = version.scoring
    order = answer_order(rules)
    columns = [order.index(f"q{col + 1}") for col in range(9)]
    scale = rules["scales"][0]
    sql = (
        "INSERT INTO measures_response (uuid, person_id, version_id, instrument_id, authored_at,"
        " answered_by_id, answered_by_role, together_with_staff, items, scores, answer_values,"
        " schedule_id) VALUES (%s, %s, %s, %s, %s, NULL, 'person', %s, %s, '{}', %s, NULL)"
    )
    score_sql = (
        "INSERT INTO measures_score (response_id, person_id, instrument_id, scale, value, raw,"
        " band, answered_at) VALUES (%s, %s, %s, %s, %s, %s, '', %s)"
    )
    started = time.perf_counter()
    for low in range(0, count, batch):
        rows = []
        packed = np.full((min(low + batch, count) - low, len(order)), np.nan)
        packed[:, columns] = answers[low : low + batch]
        scores = score_batch(scale, answers[low : low + batch])
        for index in range(low, min(low + batch, count)):
            items = [
                {
                    "linkId": f"q{col + 1}",
                    "answer": [
                        {
                            "valueCoding": {
                                "system": coding,
                                "code": str(int(v)),
                                "display": str(int(v)),
                            }
                        }
                    ],
                }
                for col, v in enumerate(answers[index])
                if not np.isnan(v)
            ]
            rows.append(
                (
                    uuid.uuid4().hex,
                    person.pk,
                    version.pk,
                    version.instrument_id,
                    (start + timedelta(minutes=index)).isoformat(),
                    False,
                    json.dumps(items),
                    packed[index - low].astype("<f8").tobytes(),
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
            # What the service stores beside each response: the scale's score, typed.
            cursor.execute(
                "SELECT id, authored_at FROM measures_response ORDER BY id DESC LIMIT %s",
                [len(rows)],
            )
            saved = sorted(cursor.fetchall())
            cursor.executemany(
                score_sql,
                [
                    (
                        pk,
                        person.pk,
                        version.instrument_id,
                        scale["code"],
                        None if np.isnan(value) else float(value),
                        None if np.isnan(value) else float(value),
                        authored,
                    )
                    for (pk, authored), value in zip(saved, scores, strict=True)
                ],
            )
        progress("inserting", min(low + batch, count), count, started)
    return answers, version.pk


def score_stored(count: int, batch: int, version_id: int) -> tuple[np.ndarray, float]:
    from alongside.measures.models import QuestionnaireVersion, Response
    from alongside.measures.scoring import score_batch

    rules = QuestionnaireVersion.objects.get(pk=version_id).scoring
    scale = rules["scales"][0]
    column = {link_id: k for k, link_id in enumerate(scale["items"])}
    results = np.empty(count, dtype=np.float64)
    done = 0
    last_id = 0
    started = time.perf_counter()
    while done < count:
        rows = list(
            Response.objects.filter(version_id=version_id, pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "items")[:batch]
        )
        if not rows:
            break
        matrix = np.full((len(rows), len(column)), np.nan)
        for row, (_pk, items) in enumerate(rows):
            for entry in items:
                col = column.get(entry["linkId"])
                if col is not None:
                    matrix[row, col] = float(entry["answer"][0]["valueCoding"]["code"])
        results[done : done + len(rows)] = score_batch(scale, matrix)
        done += len(rows)
        last_id = rows[-1][0]
        progress("scoring stored responses", done, count, started)
    return results, time.perf_counter() - started


def read_stored_scores(version_id: int) -> tuple[np.ndarray, float]:
    """The scale's 1,000,000 scores as saved with each response: one typed float column, read
    in id order (as a chart or an insight query would), straight into a NumPy array."""
    from django.db import connection

    from alongside.measures.models import QuestionnaireVersion

    version = QuestionnaireVersion.objects.get(pk=version_id)
    code = version.scoring["scales"][0]["code"]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            # In the order of the (instrument, scale, answered_at) index: no sort, as a chart reads.
            "SELECT value FROM measures_score WHERE instrument_id = %s AND scale = %s"
            " ORDER BY answered_at",
            [version.instrument_id, code],
        )
        values = np.array([row[0] for row in cursor.fetchall()], dtype=np.float64)
    return values, time.perf_counter() - started


def build_blocks() -> tuple[int, float]:
    """Pack the inserted rows into score blocks, as migration 0010 and ``alongside measures
    rebuild-blocks`` do (the rows were inserted with SQL, so no save appended to a block)."""
    from alongside.measures.blocks import rebuild

    started = time.perf_counter()
    written = rebuild()
    return written, time.perf_counter() - started


def insight_estimate() -> tuple[Any, float]:
    """The product's path: the insight room's reliability estimate of PHQ-9's total over every
    stored response (``read_scores``: the score blocks read by ``stored.scored_answers``, then
    ``estimate``)."""
    from alongside.insight.reliability import estimate, read_scores

    started = time.perf_counter()
    matrix, scores = read_scores("phq9", "total")
    found = estimate(matrix, scores)
    return found, time.perf_counter() - started


def row_estimate(version_id: int) -> tuple[Any, float]:
    """The read before blocks, for a before/after in one run: the typed score column joined to
    the packed answers, one row per response, with a plain cursor into NumPy (the code of
    ``stored.scored_answers`` before blocks, for one version), then the same ``estimate``."""
    from operator import itemgetter

    from django.db import connection

    from alongside.insight.reliability import estimate
    from alongside.measures.models import QuestionnaireVersion
    from alongside.measures.stored import answer_order, unpack_answers

    version = QuestionnaireVersion.objects.get(pk=version_id)
    order = answer_order(version.scoring)
    items = [str(link_id) for link_id in version.scoring["scales"][0]["items"]]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.answer_values, s.value FROM measures_score s"
            " JOIN measures_response r ON r.id = s.response_id"
            " WHERE s.instrument_id = %s AND s.scale = %s AND r.version_id = %s"
            " AND s.value IS NOT NULL",
            [version.instrument_id, "total", version_id],
        )
        rows = cursor.fetchall()
    matrix = unpack_answers(map(itemgetter(0), rows), len(order))
    matrix = matrix[:, [order.index(link_id) for link_id in items]]
    scores = np.fromiter(map(itemgetter(1), rows), dtype=np.float64, count=len(rows))
    complete = ~np.isnan(matrix).any(axis=1)
    found = estimate(matrix[complete], scores[complete])
    return found, time.perf_counter() - started


def time_appends(version_id: int, count: int) -> float:
    """Seconds per ``blocks.append`` (what a save adds: lock the last block, rewrite it), each in
    its own transaction, onto the version's blocks as they are after the run."""
    from django.db import transaction

    from alongside.measures import blocks
    from alongside.measures.models import QuestionnaireVersion
    from alongside.measures.stored import answer_order

    rules = QuestionnaireVersion.objects.get(pk=version_id).scoring
    answers = np.zeros(len(answer_order(rules)), dtype="<f8").tobytes()
    started = time.perf_counter()
    for index in range(count):
        with transaction.atomic():
            blocks.append(version_id, rules, 10**12 + index, {"total": 3.0}, answers)
    return (time.perf_counter() - started) / count


def numpy_estimate(answers: np.ndarray, scores: np.ndarray) -> tuple[Any, float]:
    """The same aggregation over the same numbers already in memory: pick the complete rows
    (every item answered, scored), then the same ``estimate`` (best of five)."""
    from alongside.insight.reliability import estimate

    best = float("inf")
    found: Any = None
    for _ in range(5):
        started = time.perf_counter()
        complete = ~np.isnan(answers).any(axis=1) & ~np.isnan(scores)
        found = estimate(answers[complete], scores[complete])
        best = min(best, time.perf_counter() - started)
    return found, best


def score_packed(count: int, batch: int, version_id: int) -> tuple[np.ndarray, float]:
    """Score every response again in batch from the packed answers: no JSON decoded."""
    from django.db import connection

    from alongside.measures.models import QuestionnaireVersion
    from alongside.measures.scoring import score_batch
    from alongside.measures.stored import answer_order, unpack_answers

    rules = QuestionnaireVersion.objects.get(pk=version_id).scoring
    order = answer_order(rules)
    scale = rules["scales"][0]
    columns = [order.index(str(link_id)) for link_id in scale["items"]]
    results = np.empty(count, dtype=np.float64)
    done, last_id = 0, 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        while done < count:
            # Walk the primary key; rows of other versions (none here) are skipped in Python.
            cursor.execute(
                "SELECT id, version_id, answer_values FROM measures_response WHERE id > %s"
                " ORDER BY id LIMIT %s",
                [last_id, batch],
            )
            fetched = cursor.fetchall()
            if not fetched:
                break
            last_id = fetched[-1][0]
            rows = [row for row in fetched if row[1] == version_id]
            if not rows:
                continue
            matrix = unpack_answers((bytes(row[2]) for row in rows), len(order))[:, columns]
            results[done : done + len(rows)] = score_batch(scale, matrix)
            done += len(rows)
    return results, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument(
        "--skip-json",
        action="store_true",
        help="Leave out the old path that decodes each response's JSON (slow).",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="A PostgreSQL database to build in (dropped and created, dropped again at the end).",
    )
    args = parser.parse_args()
    setup_django(args.database_url)
    try:
        run(args)
    finally:
        drop_database(args.database_url)
        shutil.rmtree(os.environ["ALONGSIDE_DATA_DIR"], ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    from django.db import connection

    answers, version_id = build(args.responses, args.batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE measures_score")
            cursor.execute("VACUUM ANALYZE measures_response")
    block_count, block_seconds = build_blocks()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE measures_scoreblock")

    # The first read after building, then the best of three (the blocks in the page cache).
    insight_found, insight_first = insight_estimate()
    insight_seconds = min(insight_estimate()[1] for _ in range(3))
    rows_found, rows_seconds = row_estimate(version_id)

    stored_scores, stored_seconds = read_stored_scores(version_id)
    packed_scores, packed_seconds = score_packed(args.responses, args.batch, version_id)
    if args.skip_json:
        engine_scores, engine_seconds = packed_scores, float("nan")
    else:
        engine_scores, engine_seconds = score_stored(args.responses, args.batch, version_id)

    repeats = 5
    started = time.perf_counter()
    for _ in range(repeats):
        plain = np.nansum(answers, axis=1)
    numpy_seconds = (time.perf_counter() - started) / repeats

    complete = ~np.isnan(answers).any(axis=1)
    assert np.array_equal(engine_scores[complete], plain[complete]), "engine and numpy disagree"
    assert np.array_equal(packed_scores, engine_scores, equal_nan=True), "packed path disagrees"
    assert np.array_equal(stored_scores, packed_scores, equal_nan=True), "stored scores disagree"
    # The scores as this script holds them in memory (row i is answers[i]).
    stored_scores_in_answer_order = packed_scores
    numpy_found, numpy_estimate_seconds = numpy_estimate(answers, stored_scores_in_answer_order)
    for field in ("n", "alpha", "sd", "threshold"):
        mine, theirs = getattr(insight_found, field), getattr(numpy_found, field)
        assert mine is not None, field
        assert theirs is not None, field
        assert abs(mine - theirs) <= 1e-9 * max(1.0, abs(theirs)), (field, mine, theirs)
        rows = getattr(rows_found, field)
        assert abs(rows - theirs) <= 1e-9 * max(1.0, abs(theirs)), (field, rows, theirs)
    prorated = (np.isnan(answers).sum(axis=1) == 1).sum()
    unscored = np.isnan(engine_scores).sum()

    engine_rate = args.responses / engine_seconds
    numpy_rate = args.responses / numpy_seconds
    print(f"database:             {connection.vendor}")
    print(f"responses:            {args.responses:,} PHQ-9", end="")
    print(f" ({prorated:,} prorated, {unscored:,} with too many missing)")
    print(f"engine (stored, DB):  {engine_rate:,.0f} responses/s  ({engine_seconds:.2f} s)")
    print(f"plain numpy nansum:   {numpy_rate:,.0f} responses/s  ({numpy_seconds:.4f} s)")
    print(f"ratio engine/numpy:   {numpy_rate / engine_rate:,.0f}x slower (numpy is a lower bound)")
    print(
        f"stored Score column:  {args.responses / stored_seconds:,.0f} scores/s  "
        f"({stored_seconds:.3f} s), ratio to numpy nansum {stored_seconds / numpy_seconds:,.1f}x"
        " (the earlier measure: a bare read against scoring the answers)"
    )
    print(
        f"packed answers+batch: {args.responses / packed_seconds:,.0f} responses/s  "
        f"({packed_seconds:.3f} s), ratio to numpy {packed_seconds / numpy_seconds:,.1f}x"
    )

    print(
        f"score blocks:         {block_count:,} blocks built from the rows in {block_seconds:.2f} s"
        " (as migration 0010 does)"
    )
    print(
        f"insight (product):    read_scores (blocks) + estimate over {insight_found.n:,} complete"
        f" responses: {insight_seconds:.3f} s best of 3 ({insight_first:.3f} s first read)"
    )
    print(f"before (row read):    the same from one row per response: {rows_seconds:.3f} s")
    print(
        f"numpy, same numbers:  complete rows + estimate in memory: {numpy_estimate_seconds:.3f} s"
    )
    print(
        f"ratio insight/numpy:  {insight_seconds / numpy_estimate_seconds:,.1f}x best of 3,"
        f" {insight_first / numpy_estimate_seconds:,.1f}x first read (goal: 5x or less);"
        f" row read {rows_seconds / numpy_estimate_seconds:,.1f}x"
    )
    append_seconds = time_appends(version_id, 300)
    print(
        f"append to a block:    {append_seconds * 1000:.2f} ms per save"
        " (lock the last block, rewrite it; its own transaction)"
    )


if __name__ == "__main__":
    main()
