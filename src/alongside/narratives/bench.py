"""Benchmark: REFI-QDA export and import of a large narratives project.

Builds, in a fresh SQLite database in a temporary directory, one project with 2,000 sources
(synthetic text, about 3,000 characters each, half with CRLF line ends) and 50,000 coded units by
two coders on a CHIME starter codebook, then times ``export_qdpx`` (including the schema
validation every export goes through) and ``import_qdpx`` of the result, and checks that the
imported project has the same number of units at the same offsets.

    .venv/bin/python -m alongside.narratives.bench [--sources 2000] [--units 50000] [--repeat 3]

The set-up writes rows in bulk rather than through ``services`` (which audits each write), so it
takes seconds; only the exchange is timed here. ``benchmarks/bench_narratives.py`` reuses this
set-up and adds assisted coding (suggestions per second).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from typing import TypeVar

T = TypeVar("T")

# A neutral vocabulary, generated text only: no sentences from any real material.
_WORDS = [
    "morning",
    "walk",
    "kitchen",
    "garden",
    "staff",
    "talk",
    "listen",
    "plan",
    "choose",
    "wait",
    "door",
    "room",
    "night",
    "bus",
    "money",
    "flat",
    "sister",
    "friend",
    "group",
    "meeting",
    "music",
    "tea",
    "bread",
    "work",
    "course",
    "phone",
    "letter",
    "doctor",
    "nurse",
    "worker",
    "quiet",
    "loud",
    "slow",
    "better",
    "worse",
    "again",
    "together",
    "alone",
    "hope",
    "rest",
]


def _configure() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ["ALONGSIDE_DEBUG"] = "0"
    os.environ["ALONGSIDE_DATA_DIR"] = tempfile.mkdtemp(prefix="alongside-narratives-bench-")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _text(rng: random.Random, length: int, newline: str) -> str:
    lines: list[str] = []
    size = 0
    while size < length:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 16))]
        line = f"P{rng.randint(1, 6)}: " + " ".join(words) + "."
        lines.append(line)
        size += len(line) + 1
    return newline.join(lines)


def _timed(function: Callable[[], T], repeat: int) -> tuple[T, list[float]]:
    times: list[float] = []
    result: T | None = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    assert result is not None
    return result, times


def build(sources: int, units: int, seed: int = 7) -> int:
    """The project; returns its primary key."""
    from django.core.management import call_command
    from django.db import transaction

    from alongside.accounts.services import create_user
    from alongside.audit.log import Actor
    from alongside.narratives import services
    from alongside.narratives.models import (
        AnalystRole,
        Code,
        Coding,
        Purpose,
        Selection,
        Source,
        SourceKind,
    )
    from alongside.narratives.starters import starter_codebook
    from alongside.narratives.text import normalise
    from alongside.organisations import services as organisations
    from alongside.organisations.models import Role

    _say("migrating ...")
    call_command("migrate", verbosity=0)
    rng = random.Random(seed)  # noqa: S311 (repeatable synthetic data, not secrets)
    lead = create_user("bench-lead", None, display_name="Bench Lead")
    coders = [create_user(f"bench-coder-{i}", None, display_name=f"Coder {i}") for i in (1, 2)]
    office = organisations.create_organisation(
        Actor.system(), code="bench-office", name="Benchmark office", kind="hospital"
    )
    unit = organisations.create_unit(
        Actor.system(), office, code="bench-office", name="Benchmark office", kind="service"
    )
    for analyst in (lead, *coders):
        organisations.assign_role(
            Actor.system(), analyst, unit, Role.ANALYST, started_on=date(2020, 1, 1)
        )
    act = Actor(lead, "analyst")
    project = services.create_project(act, name="Benchmark", purpose=Purpose.RESEARCH)
    for coder in coders:
        services.add_member(act, project, coder, AnalystRole.CODER)
    codebook = starter_codebook("chime", project, actor=act)
    codes = list(Code.objects.filter(codebook=codebook))

    _say(f"building {sources} sources ...")
    rows: list[Source] = []
    for index in range(sources):
        raw = _text(rng, 3000, "\r\n" if index % 2 else "\n")
        normalised = normalise(raw)
        rows.append(
            Source(
                project=project,
                name=f"Transcript {index + 1}",
                kind=SourceKind.TRANSCRIPT,
                text=normalised.text,
                char_count=len(normalised.text),
                newline_style=normalised.line_endings.style,
                newline_exceptions=normalised.line_endings.exceptions_json(),
                attributes={"unit": f"Ward {index % 7}", "date": "2025-01-15"},
                consent_improvement=False,
                consent_research=True,
                submitted_by=lead,
                submitted_role="analyst",
            )
        )
    with transaction.atomic():
        Source.objects.bulk_create(rows, batch_size=500)

    _say(f"building {units} coded units ...")
    guids = [(coder, services.user_guid(coder.pk)) for coder in coders]
    selections: list[Selection] = []
    for index in range(units):
        source = rows[index % sources]
        length = rng.randint(20, 300)
        start = rng.randrange(0, max(1, source.char_count - length))
        coder, guid = guids[index % 2]
        selections.append(
            Selection(
                source=source,
                start=start,
                end=min(source.char_count, start + length),
                condensed=" ".join(rng.choice(_WORDS) for _ in range(5)),
                coder=coder,
                coder_guid=guid,
                coder_name=coder.shown_name,
            )
        )
    with transaction.atomic():
        Selection.objects.bulk_create(selections, batch_size=2000)
        Coding.objects.bulk_create(
            (
                Coding(selection=selection, code=code)
                for selection in selections
                for code in rng.sample(codes, rng.randint(1, 2))
            ),
            batch_size=5000,
        )
    return int(project.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _configure()

    from alongside.accounts.models import User
    from alongside.audit.log import Actor
    from alongside.narratives import refi
    from alongside.narratives.models import Coding, NarrativeProject, Selection

    started = time.perf_counter()
    project = NarrativeProject.objects.get(pk=build(args.sources, args.units))
    built = time.perf_counter() - started
    lead = User.objects.get(username="bench-lead")
    units = Selection.objects.filter(source__project=project).count()
    codings = Coding.objects.filter(selection__source__project=project).count()

    _say("exporting ...")
    data, export_times = _timed(lambda: refi.export_qdpx(project), args.repeat)
    _say("importing ...")
    imported, import_times = _timed(
        lambda: refi.import_qdpx(data, actor=Actor(lead, "analyst")), args.repeat
    )
    same = sorted(
        Selection.objects.filter(source__project=project).values_list(
            "source__guid", "guid", "start", "end"
        )
    ) == sorted(
        Selection.objects.filter(source__project=imported).values_list(
            "source__guid", "guid", "start", "end"
        )
    )

    def line(label: str, times: list[float]) -> str:
        median = statistics.median(times)
        return (
            f"{label:<8} median {median:7.2f} s  best {min(times):7.2f} s  "
            f"({units / median:,.0f} units/s, {args.sources / median:,.0f} sources/s)"
        )

    print(
        f"python {platform.python_version()} on {platform.machine()}, SQLite, {os.cpu_count()} CPUs"
    )
    print(
        f"project: {args.sources:,} sources, {units:,} coded units, {codings:,} codings "
        f"(built in {built:.1f} s)"
    )
    print(f".qdpx size: {len(data) / 1_048_576:.1f} MiB (zip, deflated)")
    print(line("export", export_times))
    print(line("import", import_times))
    print(f"round trip keeps every unit at its offsets: {'yes' if same else 'NO'}")
    print("assisted coding (suggestions per second): see benchmarks/bench_narratives.py")


if __name__ == "__main__":
    main()
