"""Benchmark narratives: .qdpx export and import, and assisted coding (suggestions per second).

    nice .venv/bin/python benchmarks/bench_narratives.py [--sources 2000] [--units 50000]
        [--uncoded 10000] [--repeat 1]

Builds, with ``alongside.narratives.bench`` (a fresh SQLite database in a temporary directory),
a project with ``--sources`` synthetic transcripts and ``--units`` coded units on the CHIME
starter codebook, then:

* times ``export_qdpx`` and ``import_qdpx`` of the project (``--repeat`` times each, median);
* finds the uncoded units (``suggest.uncoded_units``: paragraphs no selection touches), takes
  ``--uncoded`` of them (adding uncoded sources only if the project has too few) and times
  ``suggest.suggest`` on them from a cold start: every unit embedded by the NumPy MiniLM, the
  codebook's codes embedded once, top 3 codes above the threshold. A progress line counts units.
* For the ratio, times the bare encoder (``embedding.embed``) on 1,000 of the same texts:
  suggestions cost / encoder cost per unit says what the ranking, caching and code vectors add.

Needs the model package (requirements-model.lock). Run it alone: it keeps the CPUs busy.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from alongside.narratives import bench

CHUNK = 250


def _extra_sources(project_id: int, needed: int) -> None:
    """Add uncoded transcripts until the project has ``needed`` more uncoded paragraphs."""
    import random

    from django.contrib.auth import get_user_model

    from alongside.narratives.models import Source, SourceKind

    rng = random.Random(11)  # noqa: S311 (repeatable synthetic text)
    lead = get_user_model().objects.get(username="bench-lead")
    rows: list[Source] = []
    added = 0
    while added < needed:
        text = bench._text(rng, 3000, "\n")
        added += text.count("\n") + 1
        rows.append(
            Source(
                project_id=project_id,
                name=f"Uncoded transcript {len(rows) + 1}",
                kind=SourceKind.TRANSCRIPT,
                text=text,
                char_count=len(text),
                consent_improvement=False,
                consent_research=True,
                submitted_by=lead,
                submitted_role="analyst",
            )
        )
    Source.objects.bulk_create(rows, batch_size=500)
    bench._say(f"added {len(rows)} uncoded sources ({added} paragraphs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--uncoded", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    bench._configure()

    from alongside.accounts.models import User
    from alongside.audit.log import Actor
    from alongside.narratives import embedding, refi, suggest
    from alongside.narratives.models import Code, Coding, NarrativeProject, Selection

    started = time.perf_counter()
    project = NarrativeProject.objects.get(pk=bench.build(args.sources, args.units))
    built = time.perf_counter() - started
    lead = User.objects.get(username="bench-lead")
    units = Selection.objects.filter(source__project=project).count()
    codings = Coding.objects.filter(selection__source__project=project).count()

    bench._say("exporting ...")
    data, export_times = bench._timed(lambda: refi.export_qdpx(project), args.repeat)
    bench._say("importing ...")
    imported, import_times = bench._timed(
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

    bench._say("finding uncoded units ...")
    found_at = time.perf_counter()
    uncoded = suggest.uncoded_units(project, lead)
    finding = time.perf_counter() - found_at
    in_project = len(uncoded)
    if in_project < args.uncoded:
        _extra_sources(project.pk, args.uncoded - in_project)
        uncoded = suggest.uncoded_units(project, lead)
    chosen = uncoded[: args.uncoded]
    codes = Code.objects.filter(codebook__project=project).count()

    load_at = time.perf_counter()
    embedding.model()
    loading = time.perf_counter() - load_at

    suggested = 0
    kept = 0
    suggest_at = time.perf_counter()
    for first in range(0, len(chosen), CHUNK):
        rows = suggest.suggest(project, chosen[first : first + CHUNK])
        suggested += len(rows)
        kept += sum(len(row) for row in rows)
        elapsed = time.perf_counter() - suggest_at
        print(
            f"\rsuggesting: {suggested:,}/{len(chosen):,} units, "
            f"{suggested / elapsed:,.1f} units/s",
            end="",
            file=sys.stderr,
            flush=True,
        )
    print(file=sys.stderr)
    suggesting = time.perf_counter() - suggest_at

    calibrate_at = time.perf_counter()
    calibration = suggest.calibrate(project)
    at_default = suggest.precision(project)
    calibrating = time.perf_counter() - calibrate_at

    sample = [unit.for_model for unit in chosen[:1000]]
    bare_at = time.perf_counter()
    embedding.embed(sample)
    bare = time.perf_counter() - bare_at
    tokens = [len(embedding.model().tokenizer.ids(text)) for text in sample]

    def line(label: str, times: list[float]) -> str:
        median = statistics.median(times)
        return (
            f"{label:<8} median {median:7.2f} s  best {min(times):7.2f} s  "
            f"({units / median:,.0f} units/s, {args.sources / median:,.0f} sources/s)"
        )

    per_unit = suggesting / max(1, len(chosen))
    per_bare = bare / max(1, len(sample))
    print(
        f"python {platform.python_version()} on {platform.machine()}, SQLite, "
        f"{os.cpu_count()} CPUs, numpy {__import__('numpy').__version__}"
    )
    print(
        f"project: {args.sources:,} sources, {units:,} coded units, {codings:,} codings "
        f"(built in {built:.1f} s)"
    )
    print(f".qdpx size: {len(data) / 1_048_576:.1f} MiB (zip, deflated)")
    print(line("export", export_times))
    print(line("import", import_times))
    print(f"round trip keeps every unit at its offsets: {'yes' if same else 'NO'}")
    print(
        f"uncoded units in the project: {in_project:,} (found in {finding:.2f} s); "
        f"suggesting for {len(chosen):,} against {codes} codes"
    )
    print(f"model load: {loading:.2f} s")
    print(
        f"suggestions: {len(chosen):,} units in {suggesting:.1f} s = "
        f"{len(chosen) / suggesting:,.1f} units/s ({kept:,} suggestions above the threshold)"
    )
    held = calibration.held_out

    def share(value: float | None) -> str:
        return "-" if value is None else f"{value:.0%}"

    print(
        f"precision at 1 against the project's coding, threshold {suggest.THRESHOLD:.2f}: "
        f"{share(at_default.at_1)} of {at_default.suggested_units} units "
        f"(at {at_default.k}: {share(at_default.at_k)})"
    )
    print(
        f"calibrated threshold: {calibration.threshold:.2f} "
        f"({'calibrated' if calibration.calibrated else 'not calibrated'}); held-out precision "
        f"at 1: {share(held.at_1 if held else None)} of "
        f"{held.suggested_units if held else 0} units ({calibrating:.1f} s)"
    )
    print(
        f"bare encoder on 1,000 of the units: {len(sample) / bare:,.1f} units/s "
        f"(median {statistics.median(tokens):.0f} tokens a unit); "
        f"suggest / encoder time per unit = {per_unit / per_bare:.2f}"
    )


if __name__ == "__main__":
    main()
