"""Journeys in a real browser: reading notifications, filtering and exporting the audit trail."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qms.accounts.domain.roles import Role
from qms.shared.models import Notification

from .factories import AuditEventFactory, NotificationFactory

pytestmark = pytest.mark.browser


def test_read_notifications_one_by_one_then_all(page: Any, make_user: Any, log_in: Any) -> None:
    user = make_user(Role.REVIEWER, username="nina", preferred_language="en")
    now = timezone.now()
    first = NotificationFactory(user=user, subject="Licence expires in 30 days", created_at=now)
    NotificationFactory(
        user=user, subject="Application waiting", created_at=now - dt.timedelta(minutes=5)
    )
    log_in(page, user)

    page.goto("/notifications/")
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    row = page.locator(f"#notification-{first.pk}")
    expect(row).to_contain_text("Licence expires in 30 days")
    expect(row.get_by_text("New")).to_be_visible()

    row.get_by_role("button", name="Mark read").click()  # htmx swaps the row in place
    expect(row.get_by_role("button", name="Mark read")).to_have_count(0)
    expect(row.get_by_text("New")).to_have_count(0)
    expect(page).to_have_url(f"{page.url.split('/notifications/')[0]}/notifications/")
    assert Notification.objects.get(pk=first.pk).read_at is not None

    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("button", name="Mark read")).to_have_count(0)
    page.get_by_role("link", name="Unread (0)").click()
    expect(page.get_by_text("No unread notifications.")).to_be_visible()
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_filter_the_audit_trail_and_export_it(page: Any, make_user: Any, log_in: Any) -> None:
    auditor = make_user(Role.AUDITOR, username="audrey", preferred_language="en")
    AuditEventFactory(action="merchants.approve", object_repr="Application of Tea Ltd")
    AuditEventFactory(action="documents.verify", object_repr="Business licence of Tea Ltd")
    log_in(page, auditor)

    page.goto("/console/audit/")
    expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()
    page.get_by_label("Action").fill("merchants.")
    page.get_by_role("button", name="Filter").click()
    table = page.locator("table")
    expect(table).to_contain_text("Application of Tea Ltd")
    expect(table).not_to_contain_text("Business licence of Tea Ltd")

    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("audit-")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["object_repr"] for r in rows] == ["Application of Tea Ltd"]
