"""`qms export_openapi PATH`: write the API's OpenAPI document, byte-for-byte reproducible.

The committed copy (`docs/api/openapi.json`) is compared with the live spec by
`tests/test_openapi_drift.py`; `make openapi` refreshes it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

DEFAULT_API = "config.api.api"


def openapi_document(api_path: str = DEFAULT_API) -> dict[str, Any]:
    """The OpenAPI document of the NinjaAPI at `api_path`, as served under /api/openapi.json."""
    api = import_string(api_path)
    return dict(api.get_openapi_schema())


def render_openapi(document: dict[str, Any]) -> str:
    """Sorted keys, two-space indent, non-ASCII kept, one trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document of the qms API to PATH (sorted keys, indent 2)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="where to write the JSON, e.g. docs/api/openapi.json")
        parser.add_argument(
            "--api",
            default=DEFAULT_API,
            help=f"dotted path of the NinjaAPI (default {DEFAULT_API})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_openapi(openapi_document(options["api"]))
        target = Path(options["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            self.stdout.write(f"{target} is up to date")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"wrote {target}"))
