from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client, override_settings

from qms.accounts.domain.roles import Role
from qms.shared.audit import record_event
from qms.web import dashboard
from qms.web.tests import fake_selectors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_urls")]
FAKE = "qms.web.tests.fake_selectors"
ALL_FAKE = {"merchants": FAKE, "documents": FAKE, "listings": FAKE}


@pytest.fixture
def test_urls():
    with override_settings(ROOT_URLCONF="qms.web.tests.urls"):
        yield


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def card_values(html: str) -> dict[str, str]:
    out = {}
    for key, body in re.findall(r'data-card="([a-z0-9_]+)">(.*?)class="stat-foot"', html, re.S):
        value = re.search(r'class="stat-value">(.*?)</div>', body, re.S).group(1)
        out[key] = re.sub(r"<[^>]+>", "", value).strip()
    return out


def test_cards_show_the_counts_of_each_context(make_user, monkeypatch):
    monkeypatch.setattr(dashboard, "SOURCES", ALL_FAKE)
    fake_selectors.CALLS.clear()
    admin = make_user(Role.ADMIN)
    res = signed_in(admin).get("/")
    assert res.status_code == 200
    html = res.content.decode()
    assert card_values(html) == {
        "applications_to_review": "7",
        "awaiting_second_approval": "2",
        "documents_to_verify": "11",
        "documents_expiring_30d": "4",
        "reverifications_due": "3",
        "listings_to_review": "9",
        "rescan_findings_open": "5",
        "rule_changes_upcoming": "2",
        "agreements_unsigned": "1,250",
    }
    assert [admin, admin, admin] == fake_selectors.CALLS  # once per context, with the actor
    assert 'href="/console/merchants/application-queue/?state=awaiting_second_approval"' in html
    assert 'href="/console/documents/expiring/"' in html


def test_cards_show_a_dash_while_a_context_has_no_selector(make_user, monkeypatch):
    monkeypatch.setattr(
        dashboard, "SOURCES", {**ALL_FAKE, "merchants": "qms.web.tests.no_such_module"}
    )
    html = signed_in(make_user(Role.ADMIN)).get("/").content.decode()
    values = card_values(html)
    assert values["applications_to_review"] == "—"
    assert values["agreements_unsigned"] == "—"
    assert values["documents_to_verify"] == "11"
    assert "No applications yet" in html


def test_cards_follow_the_role(make_user, monkeypatch):
    monkeypatch.setattr(dashboard, "SOURCES", ALL_FAKE)
    html = signed_in(make_user(Role.CS_AGENT)).get("/").content.decode()
    assert set(card_values(html)) == {"agreements_unsigned"}
    assert "The audit log is not part of your role." in html


def test_chart_has_one_bar_per_application_state(make_user, monkeypatch):
    monkeypatch.setattr(dashboard, "SOURCES", ALL_FAKE)
    html = signed_in(make_user(Role.REVIEWER)).get("/").content.decode()
    svg = re.search(r"<svg viewBox[^>]*role=\"img\".*?</svg>", html, re.S).group(0)
    assert svg.count('class="bar-fill"') == 3  # submitted, in review, approved
    assert "Submitted: 5; In review: 2" in svg
    assert "16 applications in total" in html


def test_chart_scales_bars_to_the_largest_count():
    chart = dashboard.applications_chart({"submitted": 5, "approved": 10, "paused": 1})
    bars = {b.state: b for b in chart.bars}
    assert bars["approved"].width == chart.plot_width
    assert bars["submitted"].width == chart.plot_width / 2
    assert bars["draft"].width == 0.0
    assert bars["paused"].count == 1  # a state the web layer does not know still shows
    assert chart.total == 16
    assert dashboard.applications_chart(None) is None


def test_recent_activity_lists_the_latest_audit_rows(make_user, monkeypatch):
    monkeypatch.setattr(dashboard, "SOURCES", ALL_FAKE)
    admin = make_user(Role.ADMIN, username="ada")
    with transaction.atomic():
        record_event(
            actor=admin,
            action="application.approve",
            object_type="merchants.application",
            object_id=42,
        )
    html = signed_in(admin).get("/").content.decode()
    activity = html.split('id="activity-title"')[1]
    assert "application.approve" in activity
    assert "<strong>ada</strong>" in activity


def test_merchant_users_are_sent_to_their_portal(make_user):
    res = signed_in(make_user(Role.MERCHANT_OWNER)).get("/")
    assert res.status_code == 302
    assert res["Location"] == "/portal/"


def test_consumers_get_the_account_page(make_user):
    client = signed_in(make_user(username="carol"))
    res = client.get("/")
    assert (res.status_code, res["Location"]) == (302, "/account/")
    page = client.get("/account/").content.decode()
    assert "You are not a member of any organisation" in page
    assert "carol" in page


def test_anonymous_visitors_are_asked_to_sign_in():
    res = Client().get("/")
    assert (res.status_code, res["Location"]) == (302, "/login/?next=/")


@override_settings(ROOT_URLCONF="config.urls")
def test_dashboard_reads_the_contexts_selectors(make_user):
    html = signed_in(make_user(Role.QUALITY_MANAGER)).get("/").content.decode()
    values = card_values(html)
    assert set(values) == {
        "applications_to_review",
        "awaiting_second_approval",
        "documents_to_verify",
        "documents_expiring_30d",
        "reverifications_due",
        "listings_to_review",
        "rescan_findings_open",
        "rule_changes_upcoming",
        "agreements_unsigned",
    }
    assert all(v == "0" for v in values.values()), values
