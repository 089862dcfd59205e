"""The audit trail console, CSV export and API: one scoping rule, tested from outside."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qms.shared.audit_selectors import AuditFilters, audit_events_for
from qms.shared.errors import ValidationFailed
from qms.shared.models import AuditEvent

from .factories import AuditEventFactory

API = "/api/v1/audit/events"


def _org(user):
    return user.memberships.get().organisation


def _page(user, **params):
    client = Client()
    client.force_login(user)
    return client.get(reverse("audit:list"), params)


def _csv(user, **params):
    client = Client()
    client.force_login(user)
    res = client.get(reverse("audit:export"), params)
    if res.status_code != 200:
        return res, []
    text = b"".join(res.streaming_content).decode("utf-8-sig")
    return res, list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def two_merchants(make_user):
    owner = make_user("merchant_owner", username="owner_a")
    other = make_user("merchant_owner", username="owner_b")
    mine, theirs = _org(owner), _org(other)
    own_row = AuditEventFactory(
        organisation_id=mine.pk, object_repr="Licence of A", action="documents.upload"
    )
    foreign_row = AuditEventFactory(
        organisation_id=theirs.pk, object_repr="Licence of B", action="documents.upload"
    )
    platform_row = AuditEventFactory(
        organisation_id=None, object_repr="Category food", action="catalog.update"
    )
    return {
        "owner": owner,
        "other": other,
        "mine": mine,
        "theirs": theirs,
        "own": own_row,
        "foreign": foreign_row,
        "platform": platform_row,
    }


def test_merchant_sees_only_its_organisations_rows_on_page_api_and_csv(
    two_merchants, api_client_for
):
    t = two_merchants
    owner = t["owner"]
    html = _page(owner).content.decode()
    assert "Licence of A" in html
    assert "Licence of B" not in html
    assert "Category food" not in html

    api_ids = [i["id"] for i in api_client_for(owner).get(API).json()["items"]]
    assert api_ids == [t["own"].pk]
    asked = api_client_for(owner).get(API, params={"organisation_id": t["theirs"].pk}).json()
    assert asked["items"] == []
    by_object = api_client_for(owner).get(API, params={"object_id": t["foreign"].object_id}).json()
    assert by_object["items"] == []

    res, rows = _csv(owner)
    assert res.status_code == 200
    assert [r["id"] for r in rows] == [str(t["own"].pk)]
    _, rows = _csv(owner, organisation_id=t["theirs"].pk)
    assert rows == []


def test_merchant_staff_may_view_but_not_export(make_user, two_merchants):
    staff = make_user("merchant_staff", organisation=two_merchants["mine"])
    assert _page(staff).status_code == 200
    res, _ = _csv(staff)
    assert res.status_code == 403


def test_staff_see_everything_and_export_is_recorded(make_user, two_merchants, api_client_for):
    auditor = make_user("auditor", username="auditor1")
    listed = api_client_for(auditor).get(API, params={"object_type": "documents.document"})
    ids = {i["id"] for i in listed.json()["items"]}
    assert ids == {
        two_merchants["own"].pk,
        two_merchants["foreign"].pk,
        two_merchants["platform"].pk,
    }
    before = AuditEvent.objects.count()
    res, rows = _csv(auditor, action="documents.")
    assert res["Content-Type"] == "text/csv; charset=utf-8"
    assert res["Content-Disposition"].startswith('attachment; filename="audit-')
    assert sorted(int(r["id"]) for r in rows) == sorted(
        [two_merchants["own"].pk, two_merchants["foreign"].pk]
    )
    assert list(rows[0]) == [
        "id",
        "at",
        "actor_id",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "organisation_id",
        "reason",
        "before",
        "after",
        "request_id",
        "ip",
    ]
    export = AuditEvent.objects.exclude(pk__in=[r["id"] for r in rows]).order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert export is not None
    assert (export.action, export.actor_id) == ("audit.export", auditor.pk)
    assert export.after == {"filters": {"action": "documents."}}


def test_reviewer_may_view_but_not_export(reviewer, two_merchants):
    page = _page(reviewer)
    assert page.status_code == 200
    assert "Export CSV" not in page.content.decode()
    res, _ = _csv(reviewer)
    assert res.status_code == 403


def test_users_without_audit_permission_get_403(make_user, api_client_for, db):
    consumer = make_user()
    assert _page(consumer).status_code == 403
    assert api_client_for(consumer).get(API).status_code == 403
    lab = make_user("lab_user")
    assert _page(lab).status_code == 403


def test_filters(make_user, db):
    admin = make_user("admin", username="boss")
    now = timezone.now()
    old = AuditEventFactory(
        at=now - dt.timedelta(days=10),
        action="merchants.approve",
        object_type="merchants.application",
        object_id="7",
        reason="all documents verified",
    )
    new = AuditEventFactory(
        at=now,
        actor=admin,
        actor_label=admin.audit_label(),
        action="merchants.reject",
        object_type="merchants.application",
        object_id="8",
        request_id="req-abc123",
    )

    def ids(**params):
        return [e.pk for e in audit_events_for(admin, AuditFilters.from_params(params))]

    assert ids(actor=str(admin.pk)) == [new.pk]
    assert ids(actor="boss") == [new.pk]
    assert ids(action="merchants.") == [new.pk, old.pk]
    assert ids(action="merchants.approve") == [old.pk]
    assert ids(object_type="MERCHANTS.application", object_id="7") == [old.pk]
    assert ids(q="verified") == [old.pk]
    assert ids(q="req-abc123") == [new.pk]
    yesterday = (now - dt.timedelta(days=1)).date().isoformat()
    assert ids(action="merchants.", date_from=yesterday) == [new.pk]
    five_days_ago = (now - dt.timedelta(days=5)).date().isoformat()
    assert ids(action="merchants.", date_to=five_days_ago) == [old.pk]


def test_bad_filters_are_explained(make_user, db):
    admin = make_user("admin")
    with pytest.raises(ValidationFailed) as exc:
        AuditFilters.from_params({"date_from": "yesterday"})
    assert exc.value.code == "audit_date_invalid"
    with pytest.raises(ValidationFailed):
        AuditFilters.from_params({"date_from": "2026-02-02", "date_to": "2026-02-01"})
    page = _page(admin, organisation_id="abc")
    assert page.status_code == 422
    assert "organisation_id must be a number." in page.content.decode()


def test_page_pagination_keeps_filters(make_user, db):
    admin = make_user("admin")
    now = timezone.now()
    rows = [
        AuditEventFactory(at=now - dt.timedelta(minutes=i), action="catalog.update")
        for i in range(3)
    ]
    first = _page(admin, action="catalog.", limit=2)
    assert [r["e"].pk for r in first.context["rows"]] == [rows[0].pk, rows[1].pk]
    cursor = first.context["next_cursor"]
    assert cursor
    html = first.content.decode()
    assert f"cursor={cursor}" in html
    assert "action=catalog." in html
    second = _page(admin, action="catalog.", limit=2, cursor=cursor)
    assert [r["e"].pk for r in second.context["rows"]] == [rows[2].pk]


def test_csv_neutralises_formulas(make_user, db):
    admin = make_user("admin")
    AuditEventFactory(object_repr='=HYPERLINK("http://evil")', reason="+1", action="catalog.update")
    _, rows = _csv(admin, action="catalog.update")
    assert rows[0]["object_repr"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["reason"] == "'+1"


def test_api_list_query_count_is_constant(
    make_user, api_client_for, django_assert_max_num_queries, db
):
    admin = make_user("admin")
    AuditEventFactory.create_batch(30)
    client = api_client_for(admin)
    with django_assert_max_num_queries(6):
        res = client.get(API, params={"limit": 30})
    assert len(res.json()["items"]) == 30
