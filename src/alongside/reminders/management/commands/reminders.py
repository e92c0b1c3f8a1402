"""`alongside reminders [--once] [--interval SECONDS] [--worker-name NAME]`: the reminder worker.

Each round runs the producers, claims due reminders with row locks and sends them (in the app,
and by email through Django's email backend: the console in development), refreshes the insight
rollups and runs queued FHIR Bulk Data exports (``fhir.bulk.worker_round``). Without ``--once`` it
loops until stopped. Several workers may run at once; none sends a reminder another has claimed.
"""

from __future__ import annotations

import os
import socket
import time
from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alongside.reminders.worker import BATCH, LEASE, run_round


class Command(BaseCommand):
    help = "Send due reminders (plan reviews, meeting actions, debriefs). Loops unless --once."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one round and stop")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="seconds between rounds (default 60)"
        )
        parser.add_argument(
            "--worker-name",
            default=f"{socket.gethostname()}:{os.getpid()}",
            help="how this worker signs its claims (default host:pid)",
        )
        parser.add_argument(
            "--lease",
            type=float,
            default=LEASE.total_seconds(),
            help="seconds a claim lasts before another worker may take it over",
        )
        parser.add_argument("--batch", type=int, default=BATCH, help="reminders per claim")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0 or options["lease"] <= 0 or options["batch"] <= 0:
            raise CommandError("--interval, --lease and --batch must be positive.")
        worker = str(options["worker_name"])
        lease = timedelta(seconds=options["lease"])
        while True:
            result = run_round(worker, batch=options["batch"], lease=lease)
            self.stdout.write(
                f"{worker}: claimed {result.claimed}, sent {result.sent}, "
                f"cancelled {result.cancelled}, lost {result.lost}"
            )
            self.stdout.flush()
            if options["once"]:
                return
            time.sleep(options["interval"])
