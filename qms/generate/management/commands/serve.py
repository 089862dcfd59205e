"""``qms serve``: the web server (waitress) with the task worker and deadline scheduler."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qms.generate.serving import serve_forever


class Command(BaseCommand):
    help = "Serve qms: collectstatic if needed, task worker and scheduler as children, waitress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        serve_forever(
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            log=lambda msg: self.stderr.write(msg),
        )
