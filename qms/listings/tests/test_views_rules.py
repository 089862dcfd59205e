"""The rule book pages: the console (read, add, change, retire) and the merchant portal."""

from __future__ import annotations

import pytest
from django.test import Client

from qms.listings.models import RuleVersion

from .factories import make_seller

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_console_lists_filters_and_adds_a_term(admin_user):
    c = _client(admin_user)
    r = c.get("/console/listings/rules/?q=最佳")
    assert r.status_code == 200
    assert "最佳" in r.text
    assert 'id="add-term"' in r.text
    r = c.post(
        "/console/listings/rules/",
        {"term": "量子能量", "kind": "medical_claim", "markets": ["CN"], "urgent": "on"},
    )
    assert r.status_code == 422
    assert "reason of at least 10 characters" in r.text
    assert not RuleVersion.objects.exists()
    r = c.post(
        "/console/listings/rules/",
        {
            "term": "量子能量",
            "kind": "medical_claim",
            "markets": ["CN"],
            "urgent": "on",
            "reason": "regulator order of 2026-11-20",
            "allow": "量子能量学",
        },
    )
    row = RuleVersion.objects.get()
    assert r.status_code == 302
    assert r["Location"].endswith(f"/rules/{row.rule_id}/")
    page = c.get(r["Location"]).text
    assert "量子能量学" in page
    assert "regulator order" in page


def test_console_changes_and_retires(admin_user):
    c = _client(admin_user)
    url = "/console/listings/rules/listing.attr.cn-food.sc_licence_no/"
    r = c.post(url, {"change-severity": "medium", "change-reason": "soften for a pilot"})
    assert r.status_code == 302
    r = c.post(url, {"retire-reason": "replaced by a document rule"})
    assert r.status_code == 302
    assert list(RuleVersion.objects.values_list("version", flat=True)) == [2, 3]
    page = c.get(url).text
    assert 'data-state="retired"' in page
    assert 'id="retire"' not in page


def test_reviewers_read_but_cannot_change(reviewer):
    c = _client(reviewer)
    r = c.get("/console/listings/rules/")
    assert r.status_code == 200
    assert 'id="add-term"' not in r.text
    r = c.post("/console/listings/rules/", {"term": "x", "kind": "medical_claim"})
    assert r.status_code == 403


def test_merchants_read_the_rules_in_the_portal():
    _m, owner = make_seller()
    c = _client(owner)
    r = c.get("/portal/listings/rules/?kind=prohibited_item")
    assert r.status_code == 200
    assert 'data-testid="rule-book"' in r.text
    assert c.get("/console/listings/rules/").status_code == 403
