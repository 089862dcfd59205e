"""The expiry watch as a batch handler: many documents in one scheduler batch, and the
catalog's requirements read once per batch but afresh for the next pass."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qms.catalog import selectors as catalog_selectors
from qms.catalog import services as catalog_services
from qms.documents import services
from qms.documents.expiry import lapse_moment
from qms.documents.models import Document
from qms.documents.tests.factories import make_merchant, today, upload
from qms.shared.deadlines import run_due_deadlines
from qms.shared.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)
CODE = "food_production_licence_sc"


def _warned_count(doc: Document, point: str) -> int:
    row = Notification.objects.get(dedupe_key=f"documents.expiring:{doc.pk}:{point}")
    return int(row.context["category_count"])


def test_a_requirement_change_is_seen_by_the_next_pass(
    merchant: Any,
    other_merchant: Any,
    reviewer: Any,
    make_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    catalog_services.load_reference_catalog()
    org, user = merchant
    other_org, other_user = other_merchant
    first = upload(user, org, expires_on=today() + dt.timedelta(days=60))
    second = upload(other_user, other_org, expires_on=today() + dt.timedelta(days=61))
    services.verify_document(actor=reviewer, document_id=first.pk)
    services.verify_document(actor=reviewer, document_id=second.pk)
    before = len(catalog_selectors.categories_requiring(document_type_code=CODE))
    assert before > 0

    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=lapse_moment(first.expires_on) - dt.timedelta(days=30) + SECOND)
    assert _warned_count(first, "warn:30d") == before
    assert not Notification.objects.filter(dedupe_key__contains=f":{second.pk}:").exists()

    books = catalog_selectors.category_by_code("books")
    catalog_services.set_category_requirement(
        actor=make_user("admin"), category_id=books.pk, market="CN", document_type_code=CODE
    )
    after = len(catalog_selectors.categories_requiring(document_type_code=CODE))
    assert after > before

    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=lapse_moment(second.expires_on) - dt.timedelta(days=30) + SECOND)
    assert _warned_count(second, "warn:30d") == after


def test_warnings_lapses_and_replaced_documents_in_one_batch(
    merchant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    org, user = merchant
    other_org, other_user = make_merchant(name="Second shop")
    colleague = make_merchant(name="unused")[1]
    from qms.accounts.services import add_membership

    add_membership(actor=None, user=colleague, organisation=other_org, role="merchant_staff")
    lapse_day = today() + dt.timedelta(days=10)
    lapsing = upload(user, org, expires_on=lapse_day)
    warned = upload(
        other_user, other_org, expires_on=lapse_day + dt.timedelta(days=7), issuer="Other SAMR"
    )
    replaced = upload(
        user, org, expires_on=lapse_day + dt.timedelta(days=1), document_type_code="test_report"
    )
    for doc in (lapsing, warned, replaced):
        services.verify_document(actor=reviewer, document_id=doc.pk)
    newer = upload(
        user, org, expires_on=today() + dt.timedelta(days=900), document_type_code="test_report"
    )
    services.verify_document(actor=reviewer, document_id=newer.pk)

    with django_capture_on_commit_callbacks(execute=True):
        fired = run_due_deadlines(now=lapse_moment(lapse_day) + SECOND)
    assert fired >= 2
    assert Document.objects.get(pk=lapsing.pk).status == "expired"
    assert Document.objects.get(pk=warned.pk).status == "verified"
    assert Document.objects.get(pk=replaced.pk).status == "superseded"
    assert set(
        Notification.objects.filter(kind="documents.expiring").values_list("user_id", "dedupe_key")
    ) == {
        (other_user.pk, f"documents.expiring:{warned.pk}:warn:7d"),
        (colleague.pk, f"documents.expiring:{warned.pk}:warn:7d"),
    }
    assert Notification.objects.filter(kind="documents.expired", user=user).count() == 1
    assert AuditEvent.objects.filter(action="document.expiry_warning").count() == 1
    assert not Notification.objects.filter(dedupe_key__contains=f":{replaced.pk}:").exists()
