"""Go-live import of 10,000 persons with stays: the dry run and the real import, timed.

    .venv/bin/python benchmarks/bench_import.py [--persons 10000]

Builds a fresh SQLite database in a temporary directory (all migrations), creates one
organisation with two units, writes a persons CSV of ``--persons`` rows (a valid CPR number and a
local number each, with a stay), then times, through ``administration.importer.run``:

* **dry run**: reading, checking and planning every line (nothing written);
* **import**: the same, then writing everything in one transaction (persons, identifiers,
  registrations, stays and one audit event per row written);
* **again**: importing the same file once more, which must change nothing.

The issue asks for under a minute on this machine for the import. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    data_dir = tempfile.mkdtemp(prefix="alongside-bench-import-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ["ALONGSIDE_DEBUG"] = "0"
    os.environ["ALONGSIDE_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return data_dir


def cpr_for(index: int) -> str:
    """A valid, fictional CPR number: a real date in the 1900s (7th digit 0-3)."""
    born = date(1940, 1, 1) + timedelta(days=index % 20000)
    serial = 1000 + index // 20000 * 1000 + index % 1000
    return f"{born:%d%m%y}-{serial % 4000:04d}"


def persons_csv(count: int) -> str:
    lines = ["cpr,local_number,name,preferred_name,languages,unit_code,stay_kind,stay_started_on"]
    seen: set[str] = set()
    index = 0
    while len(lines) <= count:
        cpr = cpr_for(index)
        index += 1
        if cpr in seen:
            continue
        seen.add(cpr)
        unit = "bench-north" if index % 2 else "bench-south"
        started = f"2026-01-0{1 + index % 9}"
        lines.append(
            f"{cpr},B-{index:06d},Person {index},P{index},da en,{unit},inpatient,{started}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=10_000)
    options = parser.parse_args()
    data_dir = setup_django()
    try:
        from django.core.management import call_command

        from alongside.administration import importer
        from alongside.audit.log import Actor
        from alongside.organisations import services as organisations
        from alongside.people.models import Person, Stay

        call_command("migrate", verbosity=0)
        system = Actor.system()
        organisation = organisations.create_organisation(
            system, code="bench", name="Bench Hospital", kind="hospital"
        )
        for code in ("bench-north", "bench-south"):
            organisations.create_unit(system, organisation, code=code, name=code, kind="ward")
        content = persons_csv(options.persons).encode()

        started = time.perf_counter()
        dry = importer.run(system, organisation, content, apply=False)
        dry_seconds = time.perf_counter() - started
        assert dry.importable, dry.errors or [line for line in dry.lines if line.reasons][:3]

        started = time.perf_counter()
        done = importer.run(system, organisation, content, apply=True)
        import_seconds = time.perf_counter() - started
        assert done.applied

        started = time.perf_counter()
        again = importer.run(system, organisation, content, apply=True)
        again_seconds = time.perf_counter() - started
        assert again.counts["unchanged"] == options.persons, again.counts

        print(f"persons:        {options.persons:,}")
        print(f"dry run:        {dry_seconds:6.1f} s")
        print(f"import:         {import_seconds:6.1f} s  (all or nothing, one transaction)")
        print(f"import again:   {again_seconds:6.1f} s  (changes nothing)")
        print(f"stored:         {Person.objects.count():,} persons, {Stay.objects.count():,} stays")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
