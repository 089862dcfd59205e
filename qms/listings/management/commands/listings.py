"""``qms listings check FILE.jsonl [--market CN|EU] [--merchant ID --actor USERNAME]``
and ``qms listings evaluate [FILE]``.

``check`` writes one JSON line per input line: ``{"id", "verdict", "hits": [...]}`` (spans in
the original text), or ``{"line", "id", "error": {"code", "message"}}`` for a bad line. Without
``--merchant`` the document and brand rules are skipped: one line on stderr and a
``"skipped"`` key say so. ``--market`` checks every listing for that market; without it each
line's own ``market`` is used. Rule changes the quality team made in the console (stored in
the database) apply as well; without a database the data files' rules do, and stderr says so.

``evaluate`` prints precision and recall per rule kind on the labelled evaluation set.

``export-cases --actor USERNAME [--days 90] [--rule ID] [--overruled-only]`` writes the
listings reviewers decided while a rule fired, in the evaluation format, tagged
``needs_check``: candidates for ``data/evaluation.jsonl`` (misses and false positives found in
production become test cases).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from qms.shared.errors import DomainError

from ...domain.batch import BatchLineError, parse_line
from ...domain.evaluation import DEFAULT_SET, evaluate_splits, format_report, load_cases
from ...rules import engine_for, sync_rules

SKIPPED = ["documents", "brand"]


class Command(BaseCommand):
    help = "Check listings in the batch format against the listing rules, or evaluate them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="check a JSONL file of listings")
        check.add_argument("file", help="JSONL file ('-' for standard input)")
        check.add_argument("--market", choices=["CN", "EU"], type=str.upper)
        check.add_argument(
            "--merchant", type=int, help="merchant id: also check documents and brand authorisation"
        )
        check.add_argument(
            "--actor", help="username the merchant lookup runs as (required with --merchant)"
        )
        ex = sub.add_parser(
            "export-cases",
            help="reviewed production cases as JSONL candidates for the evaluation set",
        )
        ex.add_argument("--days", type=int, default=90)
        ex.add_argument("--rule", default="", help="only versions this rule fired on")
        ex.add_argument(
            "--overruled-only", action="store_true", help="only versions a reviewer approved"
        )
        ex.add_argument("--actor", required=True, help="username the export runs as (staff)")
        ev = sub.add_parser("evaluate", help="precision/recall per rule kind")
        ev.add_argument("file", nargs="?", default=str(DEFAULT_SET))
        ev.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export-cases":
            self.export_cases(options)
            return
        if options["action"] == "evaluate":
            reports = evaluate_splits(load_cases(options["file"]), engine_for())
            if options["json"]:
                self.stdout.write(json.dumps(reports, indent=2, ensure_ascii=False))
            else:
                self.stdout.write(
                    "\n\n".join(format_report(r, f"{name}: ") for name, r in reports.items())
                )
            return
        self.check_file(options)

    def export_cases(self, options: dict[str, Any]) -> None:
        from ...selectors_rules import reviewed_cases

        try:
            actor = get_user_model()._default_manager.get_by_natural_key(options["actor"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {options['actor']!r}.") from None
        try:
            cases = reviewed_cases(
                actor,
                days=options["days"],
                rule_id=options["rule"],
                overruled_only=options["overruled_only"],
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        for case in cases:
            self.stdout.write(json.dumps(case, ensure_ascii=False))
        self.stderr.write(f"{len(cases)} cases; check each before adding it to the set.")

    def check_file(self, options: dict[str, Any]) -> None:
        checker = None
        if options["merchant"] is not None:
            from ...merchant_checks import MerchantChecker

            if not options["actor"]:
                raise CommandError("--merchant needs --actor USERNAME (who looks it up).")
            try:
                actor = get_user_model()._default_manager.get_by_natural_key(options["actor"])
                checker = MerchantChecker(actor=actor, merchant_id=options["merchant"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {options['actor']!r}.") from None
            except DomainError as exc:
                raise CommandError(f"Merchant {options['merchant']}: {exc}") from None
        else:
            self.stderr.write("No --merchant: document and brand rules are skipped.")
        self._load_stored_rules()
        engine = engine_for()
        stream = sys.stdin if options["file"] == "-" else open(options["file"], encoding="utf-8")  # noqa: SIM115
        try:
            for number, raw in enumerate(stream, start=1):
                if raw.strip():
                    self.stdout.write(
                        json.dumps(
                            self._one(raw, number, engine, checker, options), ensure_ascii=False
                        )
                    )
        finally:
            if stream is not sys.stdin:
                stream.close()

    def _load_stored_rules(self) -> None:
        """Rule changes made in the console apply here too, when the database is there."""
        try:
            sync_rules(force=True)
        except DatabaseError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.stderr.write(
                f"Rule changes in the database not loaded ({first}): data files only."
            )

    def _one(
        self, raw: str, number: int, engine: Any, checker: Any, options: dict[str, Any]
    ) -> dict[str, Any]:
        try:
            listing = parse_line(raw)
        except BatchLineError as exc:
            return exc.as_dict(number)
        market = options["market"] or listing["market"]
        if not market:
            return BatchLineError(
                "market_required",
                "No market: give “market” in the line or --market.",
                listing_id=listing["id"],
            ).as_dict(number)
        verdict = engine.check(listing, market=market)
        hits = list(verdict.hits)
        if checker is not None:
            hits.extend(checker.hits(listing, market=market))
            verdict = type(verdict).of(hits)
        out: dict[str, Any] = {
            "id": listing["id"],
            "verdict": verdict.verdict,
            "hits": [h.as_dict() for h in verdict.hits],
        }
        if checker is None:
            out["skipped"] = SKIPPED
        return out
