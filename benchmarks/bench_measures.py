"""Score 1,000,000 stored PHQ-9 responses in batch; compare with plain NumPy sums.

    .venv/bin/python benchmarks/bench_measures.py [--responses 1000000] [--batch 50000]

Builds a fresh SQLite database in a temporary directory (all migrations, so the shipped
instruments are loaded), inserts ``--responses`` PHQ-9 responses for one person as the rows the
service layer stores (FHIR ``QuestionnaireResponse.item`` JSON, about 3% of answers missing), then:

* **engine**: reads the stored rows back through the ORM in batches of ``--batch`` (ordered by id),
  turns each item list into a row of the answer matrix and scores the batch with
  ``scoring.score_batch`` (reverse, prorating, missing allowance, exactly as stored scores);
* **stored**: reads the scale's scores saved with each response (the typed ``measures_score``
  column, ``measures/stored.py``) into a NumPy array;
* **packed**: reads each response's packed float64 answers (``answer_values``), joins them into
  one matrix with ``np.frombuffer`` and scores it with ``score_batch``: no JSON decoded;
* **numpy**: ``np.nansum`` over a pre-built (responses x 9) float array holding the same answers:
  the same sums with no database, JSON or rules, a lower bound on the cost.

It prints responses/second for both and the ratio engine/numpy, checks that every complete
response got the plain sum, and removes its temporary database (about 1.5 GB for a million).
Most of the engine's time goes to decoding each stored item list from JSON.
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

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ["ALONGSIDE_DEBUG"] = "0"
    os.environ["ALONGSIDE_DATA_DIR"] = tempfile.mkdtemp(prefix="alongside-bench-measures-")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


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
        " schedule_id) VALUES (%s, %s, %s, %s, %s, NULL, 'person', 0, %s, '{}', %s, NULL)"
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
    args = parser.parse_args()
    setup_django()
    answers, version_id = build(args.responses, args.batch)

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
    prorated = (np.isnan(answers).sum(axis=1) == 1).sum()
    unscored = np.isnan(engine_scores).sum()

    engine_rate = args.responses / engine_seconds
    numpy_rate = args.responses / numpy_seconds
    print(f"responses:            {args.responses:,} PHQ-9", end="")
    print(f" ({prorated:,} prorated, {unscored:,} with too many missing)")
    print(f"engine (stored, DB):  {engine_rate:,.0f} responses/s  ({engine_seconds:.2f} s)")
    print(f"plain numpy nansum:   {numpy_rate:,.0f} responses/s  ({numpy_seconds:.4f} s)")
    print(f"ratio engine/numpy:   {numpy_rate / engine_rate:,.0f}x slower (numpy is a lower bound)")
    print(
        f"stored Score column:  {args.responses / stored_seconds:,.0f} scores/s  "
        f"({stored_seconds:.3f} s), ratio to numpy {stored_seconds / numpy_seconds:,.1f}x"
    )
    print(
        f"packed answers+batch: {args.responses / packed_seconds:,.0f} responses/s  "
        f"({packed_seconds:.3f} s), ratio to numpy {packed_seconds / numpy_seconds:,.1f}x"
    )

    from django.db import connection

    connection.close()
    shutil.rmtree(os.environ["ALONGSIDE_DATA_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
