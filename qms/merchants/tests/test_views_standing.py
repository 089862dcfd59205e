"""Standing panel (htmx fragment) and re-verification queue pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from qms.accounts.domain.roles import Role
from qms.merchants import services_reverification as reverification
from qms.merchants.models import MerchantCategory, ReverificationTask, StandingChange

from .factories import make_category, make_live_merchant

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def world(make_user: Callable[..., Any]) -> dict[str, Any]:
    toys = make_category("toys")
    merchant, owner = make_live_merchant("Toy Shop", categories=(toys,))
    return {
        "merchant": merchant,
        "owner": owner,
        "toys": toys,
        "qm": make_user(Role.QUALITY_MANAGER, username="qm1"),
        "reviewer": make_user(Role.REVIEWER, username="rev1"),
    }


def test_panel_include_loads_the_fragment(world):
    html = render_to_string("merchants/standing/_panel.html", {"merchant": world["merchant"]})
    url = f"/console/merchants/{world['merchant'].pk}/standing/"
    assert f'hx-get="{url}"' in html
    page = _client(world["reviewer"]).get(url).content.decode()
    assert "Restrictions in force" in page
    assert "Change the standing" not in page  # reviewers may look, not change


def test_quality_manager_suspends_from_the_panel(world):
    url = f"/console/merchants/{world['merchant'].pk}/standing/"
    c = _client(world["qm"])
    data = {"to": "suspended", "reason_code": "counterfeit", "reason_text": ""}
    res = c.post(url, data, HTTP_HX_REQUEST="true")
    assert res.status_code == 200  # htmx swaps the fragment with the error in it
    assert "Explain the decision in the text." in res.content.decode()
    assert "<html" not in res.content.decode()
    res = c.post(url, data)
    assert res.status_code == 422
    assert "<html" in res.content.decode()
    data["reason_text"] = "Counterfeit toys found"
    res = c.post(url, data, HTTP_HX_REQUEST="true")
    assert res.status_code == 200
    assert "Standing updated." in res.content.decode()
    world["merchant"].refresh_from_db()
    assert world["merchant"].standing == "suspended"
    assert "Counterfeit toys found" in res.content.decode()


def test_without_javascript_the_panel_is_a_page(world):
    url = f"/console/merchants/{world['merchant'].pk}/standing/"
    c = _client(world["qm"])
    assert "<html" in c.get(url).content.decode()
    res = c.post(
        url,
        {
            "to": "restricted",
            "reason_code": "quality_violation",
            "reason_text": "Three failed lots",
        },
    )
    assert res.status_code == 302
    assert res["Location"] == url
    assert "Standing updated." in c.get(url).content.decode()


def test_restrict_and_lift_a_category_from_the_panel(world):
    url = f"/console/merchants/{world['merchant'].pk}/standing/"
    c = _client(world["qm"])
    res = c.post(
        url,
        {
            "op": "restrict",
            "category_id": world["toys"].pk,
            "reason_code": "quality_violation",
            "reason_text": "EN 71 failure",
        },
        HTTP_HX_REQUEST="true",
    )
    assert res.status_code == 200
    assert "Lift" in res.content.decode()
    mc = MerchantCategory.objects.get(merchant=world["merchant"])
    assert mc.status == "restricted"
    c.post(
        url,
        {
            "op": "lift",
            "category_id": world["toys"].pk,
            "reason_code": "rectified",
            "reason_text": "Retest passed",
        },
    )
    mc.refresh_from_db()
    assert mc.status == "active"
    assert StandingChange.objects.count() == 2


def test_panel_is_staff_only_and_changes_need_the_permission(world, make_user):
    url = f"/console/merchants/{world['merchant'].pk}/standing/"
    assert _client(world["owner"]).get(url).status_code == 403
    res = _client(world["reviewer"]).post(
        url, {"to": "suspended", "reason_code": "counterfeit", "reason_text": "x"}
    )
    assert res.status_code == 403
    assert _client(world["qm"]).get("/console/merchants/999999/standing/").status_code == 404
    assert not StandingChange.objects.exists()


def test_reverification_queue_and_completion(world):
    task = reverification.schedule_reverification(merchant_id=world["merchant"].pk)
    c = _client(world["reviewer"])
    assert (
        "Nothing to re-verify here" in c.get("/console/merchants/reverifications/").content.decode()
    )
    page = c.get("/console/merchants/reverifications/?state=open").content.decode()
    assert "Toy Shop Co., Ltd." in page
    res = c.post(
        f"/console/merchants/reverifications/{task.pk}/complete/",
        {"outcome": "confirmed", "notes": "Checked on GSXT", "state": "open"},
    )
    assert res.status_code == 302
    assert res["Location"] == "/console/merchants/reverifications/?state=open"
    task.refresh_from_db()
    assert (task.state, task.completed_by) == ("done", world["reviewer"])
    assert ReverificationTask.objects.filter(state="open").count() == 1


def test_merchants_cannot_complete_or_see_the_queue(world):
    task = reverification.schedule_reverification(merchant_id=world["merchant"].pk)
    c = _client(world["owner"])
    assert c.get("/console/merchants/reverifications/").status_code == 403
    c.post(f"/console/merchants/reverifications/{task.pk}/complete/", {"outcome": "confirmed"})
    task.refresh_from_db()
    assert task.state == "open"
