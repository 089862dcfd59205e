"""The committed OpenAPI document is the live one; the live one is served with its docs page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from qms.shared.management.commands.export_openapi import openapi_document, render_openapi

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi.json"


def _first_difference(committed: str, live: str) -> str:
    for number, (old, new) in enumerate(
        zip(committed.splitlines(), live.splitlines(), strict=False), start=1
    ):
        if old != new:
            return (
                f"first difference at line {number}:\n"
                f"  committed: {old.strip()}\n  live:      {new.strip()}"
            )
    return "one file is a prefix of the other (operations added or removed at the end)"


def test_committed_openapi_document_matches_the_live_api() -> None:
    live = render_openapi(openapi_document())
    assert COMMITTED.exists(), "docs/api/openapi.json is missing: run `make openapi` and commit it"
    committed = COMMITTED.read_text(encoding="utf-8")
    up_to_date = committed == live  # compared apart so that pytest does not print both files
    assert up_to_date, (
        "docs/api/openapi.json differs from the live API: run `make openapi` and commit the "
        "result.\n" + _first_difference(committed, live)
    )


def test_export_command_writes_the_document_deterministically(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "openapi.json", tmp_path / "b.json"
    call_command("export_openapi", str(first))
    call_command("export_openapi", str(second))
    text = first.read_text(encoding="utf-8")
    assert text == second.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert document["info"]["title"] == "qms API"


@pytest.mark.django_db
def test_live_spec_is_served_without_login_and_equals_the_exported_one() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == json.loads(render_openapi(openapi_document()))
    assert set(response.json()["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


@pytest.mark.django_db
def test_docs_page_is_served_and_points_at_the_spec() -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "/api/openapi.json" in response.content.decode()


def test_no_two_schemas_share_a_component_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """django-ninja keys components by class name, so two contexts' `RejectIn` silently
    overwrite each other and one operation is documented with the other's body."""
    from ninja.openapi.schema import OpenAPISchema

    from config.api import api

    seen: dict[str, Any] = {}
    clashes: set[str] = set()
    original = OpenAPISchema.add_schema_definitions

    def recording(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if name in seen and seen[name] != definition:
                clashes.add(name)
            seen.setdefault(name, definition)
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", recording)
    api.get_openapi_schema()
    assert not clashes, (
        f"schemas with the same name but different fields: {sorted(clashes)}; give each "
        "context's schema a distinct class name (e.g. DocumentRejectIn, ApplicationRejectIn)"
    )
