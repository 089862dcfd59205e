"""``qms load_catalog [--file PATH] [--prune-requirements]``: load the reference categories."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qms.catalog import services


class Command(BaseCommand):
    help = "Create or update the reference category tree and its document requirements."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            default=None,
            help="JSON file in the reference format (default: the shipped one).",
        )
        parser.add_argument(
            "--prune-requirements",
            action="store_true",
            help="Remove requirements of loaded categories the file no longer states.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = services.load_reference_catalog(
            actor=None, path=options["file"], prune_requirements=options["prune_requirements"]
        )
        self.stdout.write(
            f"categories: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged; requirements: {report.requirements_created} created, "
            f"{report.requirements_updated} updated, {report.requirements_removed} removed"
        )
