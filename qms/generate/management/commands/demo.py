"""``qms demo``: migrate, load reference data, generate a small marketplace, print the demo
logins, list demo products through the listing rules, then serve like ``qms serve``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from qms.generate.demo import ensure_demo_logins, logins_table
from qms.generate.demo_listings import (
    announce_demo_rule_change,
    create_demo_listings,
    report_lines,
)
from qms.generate.reference import ensure_reference_data
from qms.generate.services import generate_marketplace
from qms.generate.serving import serve_forever
from qms.listings.models import Listing
from qms.merchants.models import Merchant
from qms.merchants.services_onboarding import ensure_application_deadlines


class Command(BaseCommand):
    help = "Set up and run the demo marketplace: migrate, generate data if empty, logins, serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--merchants", type=int, default=60)
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Prepare the data and logins, print them, and exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        log = self.stderr.write
        log("Applying migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        ensure_reference_data()
        if not Merchant.objects.exists():
            count, seed = options["merchants"], options["seed"]
            log(f"Generating a marketplace of {count} merchants (seed {seed})…")
            generate_marketplace(
                seed=options["seed"],
                merchants=options["merchants"],
                batch=max(options["merchants"], 1),
                with_files=True,
                progress=True,
            )
        scheduled = ensure_application_deadlines()
        if scheduled:
            log(f"Scheduled {scheduled} review and answer deadlines of open applications.")
        logins = ensure_demo_logins()
        if not Listing.objects.exists():
            log("Listing demo products through the listing rules…")
            started = time.monotonic()
            report = create_demo_listings(seed=options["seed"], progress=True)
            for line in report_lines(report):
                log(line)
            log(f"  ({time.monotonic() - started:.1f} s)")
        rule = announce_demo_rule_change()
        if rule:
            log(f"Announced a coming listing rule change ({rule}).")
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(logins_table(logins, url))
        self.stdout.flush()
        if not options["no_serve"]:
            serve_forever(host=options["host"], port=options["port"], threads=8, log=log)
