from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qms.documents import selectors, services
from qms.documents.expiry import deadline_key, lapse_moment
from qms.documents.models import Document, DocumentStatusChange
from qms.documents.tests.factories import today, upload
from qms.shared.deadlines import run_due_deadlines
from qms.shared.models import AuditEvent, Deadline, DeadlineFiring, Notification, QualitySignal

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)


def test_each_warning_fires_once_then_the_document_expires(
    merchant: Any,
    reviewer: Any,
    captured: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    org, user = merchant
    expiring = captured("documents.expiring")
    expired = captured("documents.expired")
    expires_on = today() + dt.timedelta(days=60)
    doc = upload(user, org, expires_on=expires_on)
    services.verify_document(actor=reviewer, document_id=doc.pk)
    lapse = lapse_moment(expires_on)
    assert selectors.valid_document_codes(organisation_id=org.pk) == {"food_production_licence_sc"}

    for days in (30, 7, 1):
        moment = lapse - dt.timedelta(days=days) + SECOND
        for _ in range(2):  # a second pass (or a second scheduler) fires nothing again
            with django_capture_on_commit_callbacks(execute=True):
                run_due_deadlines(now=moment)
        assert [e["days_left"] for e in expiring] == [d for d in (30, 7, 1) if d >= days]
        notes = Notification.objects.filter(user=user, kind="documents.expiring")
        assert notes.count() == len(expiring)
        assert notes.filter(dedupe_key=f"documents.expiring:{doc.pk}:warn:{days}d").count() == 1
    assert Document.objects.get(pk=doc.pk).status == "verified"
    assert expiring[0] == {
        "document_id": doc.pk,
        "organisation_id": org.pk,
        "type_code": "food_production_licence_sc",
        "days_left": 30,
    }
    latest = Notification.objects.filter(kind="documents.expiring").order_by("id").last()
    assert "1 day" in latest.subject

    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=lapse + SECOND)
        run_due_deadlines(now=lapse + 2 * SECOND)
    doc.refresh_from_db()
    assert doc.status == "expired"
    assert expired == [
        {
            "document_id": doc.pk,
            "organisation_id": org.pk,
            "type_code": "food_production_licence_sc",
        }
    ]
    assert Notification.objects.filter(user=user, kind="documents.expired").count() == 1
    assert (
        QualitySignal.objects.filter(kind="documents.expired", organisation_id=org.pk).count() == 1
    )
    change = DocumentStatusChange.objects.filter(document=doc).last()
    assert (change.action, change.actor_id) == ("expire", None)
    assert (
        AuditEvent.objects.filter(action="document.expiry_warning", object_id=str(doc.pk)).count()
        == 3
    )
    assert AuditEvent.objects.filter(action="document.expire", object_id=str(doc.pk)).count() == 1
    d = Deadline.objects.get(key=deadline_key(doc.pk))
    assert d.next_fire_at is None
    assert sorted(DeadlineFiring.objects.filter(deadline=d).values_list("point", flat=True)) == [
        "due",
        "warn:1d",
        "warn:30d",
        "warn:7d",
    ]
    assert selectors.valid_document_codes(organisation_id=org.pk) == set()
    assert (
        selectors.valid_document_codes(organisation_id=org.pk, on=expires_on) == set()
    )  # status decides now


def test_valid_codes_follow_the_dates(merchant: Any, reviewer: Any) -> None:
    org, user = merchant
    expires_on = today() + dt.timedelta(days=10)
    doc = upload(user, org, expires_on=expires_on)
    assert selectors.valid_document_codes(organisation_id=org.pk) == set()  # pending
    services.verify_document(actor=reviewer, document_id=doc.pk)
    code = {"food_production_licence_sc"}
    assert selectors.valid_document_codes(organisation_id=org.pk, on=expires_on) == code
    assert (
        selectors.valid_document_codes(organisation_id=org.pk, on=expires_on + dt.timedelta(days=1))
        == set()
    )


def test_a_replaced_document_does_not_warn(merchant: Any, reviewer: Any, captured: Any) -> None:
    org, user = merchant
    expiring = captured("documents.expiring")
    expires_on = today() + dt.timedelta(days=20)
    old = upload(user, org, expires_on=expires_on)
    services.verify_document(actor=reviewer, document_id=old.pk)
    new = upload(user, org, expires_on=today() + dt.timedelta(days=900))
    services.verify_document(actor=reviewer, document_id=new.pk)
    run_due_deadlines(now=lapse_moment(expires_on) + SECOND)
    assert expiring == []
    assert Document.objects.get(pk=old.pk).status == "superseded"


def test_verified_close_to_expiry_gets_only_the_nearest_warning(
    merchant: Any,
    reviewer: Any,
    captured: Any,
) -> None:
    org, user = merchant
    expiring = captured("documents.expiring")
    doc = upload(user, org, expires_on=today() + dt.timedelta(days=5))
    services.verify_document(actor=reviewer, document_id=doc.pk)
    run_due_deadlines()
    assert [e["days_left"] for e in expiring] == [7]


def test_dashboard_counts_and_expiring(merchant: Any, other_merchant: Any, reviewer: Any) -> None:
    org, user = merchant
    other_org, other_user = other_merchant
    soon = upload(user, org, expires_on=today() + dt.timedelta(days=12))
    services.verify_document(actor=reviewer, document_id=soon.pk)
    upload(user, org, document_type_code="test_report", expires_on=None)
    upload(other_user, other_org)
    assert selectors.dashboard_counts(actor=reviewer) == {
        "documents_to_verify": 2,
        "documents_expiring_30d": 1,
        "documents_expired": 0,
    }
    assert selectors.dashboard_counts(actor=other_user) == {
        "documents_to_verify": 1,
        "documents_expiring_30d": 0,
        "documents_expired": 0,
    }
    assert list(selectors.expiring(user, within_days=30)) == [soon]
    assert list(selectors.expiring(other_user, within_days=30)) == []
    assert list(selectors.expiring(reviewer, within_days=7)) == []
