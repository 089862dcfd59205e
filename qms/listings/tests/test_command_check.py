"""``qms listings check`` and ``qms listings evaluate`` from the outside."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qms.merchants.tests.factories import (
    give_document,
    make_brand,
    make_category,
    make_live_merchant,
)

LINES = [
    {
        "id": "a1",
        "market": "CN",
        "category": "toys",
        "title": "最　佳 积木",
        "attributes": {
            "age_range": "3岁以上",
            "warnings": "小零件",
            "ccc_cert_no": "2021012201234567",
            "material": "ABS",
            "producer": "澄海玩具",
        },
    },
    "{broken json",
    {"id": "a3", "category": "weapons", "title": "x"},
    {"id": "a4", "category": "books", "title": "A quiet novel"},
]


def run(tmp_path: Path, *args: str, lines=LINES) -> tuple[list[dict], str]:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n",
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    call_command("listings", "check", str(path), *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


@pytest.mark.django_db
def test_check_writes_one_line_per_listing_with_spans_in_the_original(tmp_path):
    rows, err = run(tmp_path)
    assert "document and brand rules are skipped" in err
    assert rows[0] == {
        "id": "a1",
        "verdict": "reject",
        "skipped": ["documents", "brand"],
        "hits": [
            {
                "rule": rows[0]["hits"][0]["rule"],
                "kind": "absolute_claim",
                "field": "title",
                "start": 0,
                "end": 3,
                "text": "最　佳",
            }
        ],
    }
    assert rows[1] == {
        "line": 2,
        "id": None,
        "error": {"code": "invalid_json", "message": rows[1]["error"]["message"]},
    }
    assert rows[2]["error"]["code"] == "unknown_category"
    assert rows[2]["id"] == "a3"
    assert rows[3]["error"]["code"] == "market_required"


@pytest.mark.django_db
def test_market_option_applies_to_every_line(tmp_path):
    rows, _ = run(tmp_path, "--market", "EU", lines=[LINES[3]])
    assert rows[0]["verdict"] == "reject"  # GPSR fields missing
    assert {h["kind"] for h in rows[0]["hits"]} == {"missing_attribute"}


@pytest.mark.django_db
def test_with_merchant_documents_and_brand_are_checked(tmp_path, admin_user):
    category = make_category("toys", requires={"CN": ["ccc_certificate"]})
    merchant, _owner = make_live_merchant(categories=(category,))
    make_brand("Lego")
    line = {**LINES[0], "title": "积木 城市系列", "brand": "Lego"}
    rows, err = run(
        tmp_path, "--merchant", str(merchant.pk), "--actor", admin_user.username, lines=[line]
    )
    assert err == ""
    assert "skipped" not in rows[0]
    found = {(h["kind"], h["field"], h["text"]) for h in rows[0]["hits"]}
    assert found == {
        ("missing_document", "documents", "ccc_certificate"),
        ("brand_unauthorised", "brand", "Lego"),
    }
    give_document(merchant, "ccc_certificate")
    rows, _ = run(
        tmp_path,
        "--merchant",
        str(merchant.pk),
        "--actor",
        admin_user.username,
        lines=[{**line, "brand": None}],
    )
    assert rows[0] == {"id": "a1", "verdict": "approve", "hits": []}


@pytest.mark.django_db
def test_merchant_needs_an_actor_who_can_see_it(tmp_path, admin_user):
    with pytest.raises(CommandError, match="--actor"):
        run(tmp_path, "--merchant", "1")
    with pytest.raises(CommandError, match="Merchant 999999"):
        run(tmp_path, "--merchant", "999999", "--actor", admin_user.username)


def test_evaluate_prints_the_figures():
    out = StringIO()
    call_command("listings", "evaluate", "--json", stdout=out)
    reports = json.loads(out.getvalue())
    assert reports["all"]["cases"] >= 600
    assert reports["holdout"]["cases"] + reports["dev"]["cases"] == reports["all"]["cases"]
    assert reports["all"]["overall"]["precision"] > 0.95


@pytest.mark.django_db
def test_rule_changes_made_in_the_console_apply(tmp_path, admin_user):
    from qms.listings.services_rules import add_term_rule

    line = {"id": "q1", "market": "CN", "category": "books", "title": "量子能量 手册"}
    [before], _ = run(tmp_path, lines=[line])
    assert before["verdict"] == "approve"
    add_term_rule(
        actor=admin_user,
        term="量子能量",
        kind="medical_claim",
        markets=["CN"],
        urgent=True,
        reason="regulator order on quantum claims",
    )
    [after], _ = run(tmp_path, lines=[line])
    assert after["verdict"] == "reject"
    assert after["hits"][0]["text"] == "量子能量"


def test_without_a_database_the_data_files_rules_apply(tmp_path, monkeypatch):
    from django.db import OperationalError

    def no_database(**_kw):
        raise OperationalError("no such table: listings_ruleversion")

    monkeypatch.setattr("qms.listings.management.commands.listings.sync_rules", no_database)
    [out], err = run(
        tmp_path, lines=[{"id": "n1", "market": "CN", "category": "books", "title": "最佳"}]
    )
    assert out["verdict"] == "reject"
    assert "Rule changes in the database not loaded (no such table" in err
