"""``qms generate``: a deterministic demo marketplace of any size (see qms/generate/README.md)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qms.generate.services import generate_marketplace
from qms.shared.errors import DomainError


class Command(BaseCommand):
    help = (
        "Generate a realistic marketplace: merchants, suppliers, brands and authorisation "
        "chains, products with GTINs, documents with expiry deadlines, applications in every "
        "state. Same seed and parameters give the same rows; --resume finishes a killed run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--merchants", type=int, required=True)
        parser.add_argument("--documents-per-merchant", type=int, default=8)
        parser.add_argument(
            "--batch", type=int, default=5000, help="Merchants per committed batch."
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="The day the data is current on (default today, business zone).",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Continue the unfinished run with the same seed and parameters.",
        )
        parser.add_argument(
            "--with-files",
            action="store_true",
            help="Also store a small PDF for every document (for demos).",
        )
        parser.add_argument(
            "--expiry-profile",
            choices=["demo", "uniform"],
            default="demo",
            help="demo: many documents expire within 30/7/1 days; uniform: "
            "expiry dates spread evenly (benchmarks).",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            run = generate_marketplace(
                seed=options["seed"],
                merchants=options["merchants"],
                documents_per_merchant=options["documents_per_merchant"],
                batch=options["batch"],
                resume=options["resume"],
                as_of=options["as_of"],
                with_files=options["with_files"],
                expiry_profile=options["expiry_profile"],
                progress=not options["no_progress"],
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc
        seconds = time.perf_counter() - started
        total = sum(run.rows_written.values())
        self.stdout.write(
            f"generation #{run.pk}: {total:,} rows in {seconds:.1f} s "
            f"({total / max(seconds, 1e-9):,.0f} rows/s)"
        )
        for label, count in sorted(run.rows_written.items()):
            self.stdout.write(f"  {label:<40} {count:>12,}")
