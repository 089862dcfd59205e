from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from qms.documents import services
from qms.documents.models import Document, DocumentStatusChange
from qms.documents.tests.factories import make_merchant, today, unique_pdf, upload, valid_uscc
from qms.shared.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from qms.shared.models import AuditEvent, Deadline
from qms.shared.tests.samples import corrupt_pdf_bytes, png_bytes, stored_files

pytestmark = pytest.mark.django_db


def test_upload_stores_file_row_history_and_audit(merchant: Any, media_root: Path) -> None:
    org, user = merchant
    data = unique_pdf()
    doc = upload(user, org, file_data=data, number=" sc10631011500011 ")
    assert doc.status == "pending"
    assert doc.number == "SC10631011500011"
    assert (doc.size, doc.content_type, doc.original_name) == (
        len(data),
        "application/pdf",
        "licence.pdf",
    )
    assert doc.file.name == f"documents/{doc.sha256[:2]}/{doc.sha256}.pdf"
    assert (media_root / doc.file.name).read_bytes() == data
    assert doc.uploaded_by == user
    change = DocumentStatusChange.objects.get(document=doc)
    assert (change.from_status, change.to_status, change.action) == ("", "pending", "upload")
    event = AuditEvent.objects.get(action="document.upload")
    assert (event.object_id, event.organisation_id) == (str(doc.pk), org.pk)
    assert event.after["sha256"] == doc.sha256


def _bad(code: str, merchant: Any, media_root: Path, **kw: Any) -> None:
    org, user = merchant
    with pytest.raises(ValidationFailed) as exc:
        upload(user, org, **kw)
    assert exc.value.code == code
    assert Document.objects.count() == 0
    assert DocumentStatusChange.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="document.").exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("code", "kw"),
    [
        ("file_empty", {"file_data": b""}),
        ("file_type_mismatch", {"file_name": "licence.png"}),
        ("file_type_mismatch", {"file_data": png_bytes(), "file_name": "licence.pdf"}),
        ("file_corrupt", {"file_data": corrupt_pdf_bytes()}),
        (
            "file_type_not_allowed",
            {"file_data": b"MZ\x90\x00" + b"\x00" * 200, "file_name": "a.exe"},
        ),
        ("document_number_invalid", {"number": "SC123"}),
        ("document_number_required", {"number": "   "}),
        (
            "document_expiry_before_issue",
            {"issued_on": dt.date(2025, 5, 1), "expires_on": dt.date(2025, 4, 30)},
        ),
        ("document_expiry_required", {"expires_on": None}),
        (
            "document_already_expired",
            {"issued_on": dt.date(2020, 1, 1), "expires_on": dt.date(2021, 1, 1)},
        ),
        (
            "document_issued_in_future",
            {"issued_on": dt.date(2999, 1, 1), "expires_on": dt.date(2999, 12, 1)},
        ),
        ("document_type_unknown", {"document_type_code": "passport_of_mars"}),
        (
            "document_number_checksum",
            {
                "document_type_code": "business_licence",
                "number": "91350100M000100Y44",
                "expires_on": None,
            },
        ),
    ],
)
def test_bad_input_writes_nothing(code: str, kw: dict, merchant: Any, media_root: Path) -> None:
    _bad(code, merchant, media_root, **kw)


def test_oversized_file_writes_nothing(merchant: Any, media_root: Path, settings: Any) -> None:
    settings.QMS_MAX_UPLOAD_BYTES = 200
    _bad("file_too_large", merchant, media_root)


def test_business_licence_without_expiry(merchant: Any) -> None:
    org, user = merchant
    doc = upload(
        user, org, document_type_code="business_licence", number=valid_uscc(), expires_on=None
    )
    assert doc.expires_on is None


def test_same_file_twice_for_same_org_and_type_is_refused(merchant: Any) -> None:
    org, user = merchant
    data = unique_pdf()
    first = upload(user, org, file_data=data)
    with pytest.raises(Conflict) as exc:
        upload(user, org, file_data=data)
    assert exc.value.code == "document_duplicate"
    assert exc.value.details["document_id"] == first.pk
    # another type, or after a rejection, the same bytes are accepted
    upload(user, org, file_data=data, document_type_code="test_report", expires_on=None)
    services.reject_document(actor=_reviewer(), document_id=first.pk, reason_code="illegible")
    assert upload(user, org, file_data=data).status == "pending"


def test_cannot_upload_for_another_organisation(merchant: Any) -> None:
    _org, user = merchant
    other_org, _ = make_merchant()
    with pytest.raises(NotFound):
        upload(user, other_org)
    assert Document.objects.count() == 0


def _reviewer() -> Any:
    from qms.accounts.models import Organisation, User
    from qms.accounts.services import add_membership, create_user

    existing = User.objects.filter(username="rev").first()
    if existing:
        return existing
    platform = Organisation.objects.get_or_create(kind="platform", name="Platform QA")[0]
    user = create_user(actor=None, username="rev", email="rev@example.com", password=None)
    add_membership(actor=None, user=user, organisation=platform, role="reviewer")
    return user


def test_verify_schedules_the_expiry_watch_and_publishes(
    merchant: Any, captured: Any, django_capture_on_commit_callbacks: Any
) -> None:
    org, user = merchant
    seen = captured("documents.verified")
    doc = upload(user, org, expires_on=dt.date(2027, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_document(actor=_reviewer(), document_id=doc.pk, note="matches SAMR")
    doc.refresh_from_db()
    assert doc.status == "verified"
    assert doc.reviewed_by == _reviewer()
    deadline = Deadline.objects.get(key=f"document:{doc.pk}:expiry")
    assert deadline.kind == "documents.expiry"
    assert deadline.due_at == dt.datetime(2027, 6, 30, 16, tzinfo=dt.UTC)  # 1 Jul 00:00 Shanghai
    assert deadline.warnings == [30 * 86400, 7 * 86400, 86400]
    assert any(
        e["document_id"] == doc.pk and e["type_code"] == "food_production_licence_sc" for e in seen
    )
    assert AuditEvent.objects.filter(action="document.verify", object_id=str(doc.pk)).exists()
    from qms.shared.models import Notification

    n = Notification.objects.get(user=user, kind="documents.verified")
    assert "SC10631011500011" in n.subject


def test_verify_twice_is_an_illegal_transition(merchant: Any) -> None:
    org, user = merchant
    doc = upload(user, org)
    services.verify_document(actor=_reviewer(), document_id=doc.pk)
    with pytest.raises(IllegalTransition):
        services.verify_document(actor=_reviewer(), document_id=doc.pk)
    with pytest.raises(IllegalTransition):
        services.reject_document(actor=_reviewer(), document_id=doc.pk, reason_code="illegible")
    assert DocumentStatusChange.objects.filter(document=doc).count() == 2


def test_merchant_cannot_verify_even_its_own(merchant: Any) -> None:
    org, user = merchant
    doc = upload(user, org)
    with pytest.raises(PermissionDenied):
        services.verify_document(actor=user, document_id=doc.pk)
    _other_org, other_user = make_merchant()
    with pytest.raises(NotFound):
        services.verify_document(actor=other_user, document_id=doc.pk)
    doc.refresh_from_db()
    assert doc.status == "pending"


def test_reject_needs_a_coded_reason_and_sometimes_a_note(merchant: Any) -> None:
    org, user = merchant
    doc = upload(user, org)
    with pytest.raises(ValidationFailed) as exc:
        services.reject_document(actor=_reviewer(), document_id=doc.pk, reason_code="ugly")
    assert exc.value.code == "reject_reason_invalid"
    with pytest.raises(ValidationFailed) as exc:
        services.reject_document(actor=_reviewer(), document_id=doc.pk, reason_code="other")
    assert exc.value.code == "reject_note_required"
    services.reject_document(
        actor=_reviewer(),
        document_id=doc.pk,
        reason_code="number_mismatch",
        note="The licence says SC10631011500012.",
    )
    doc.refresh_from_db()
    assert (doc.status, doc.review_reason_code) == ("rejected", "number_mismatch")
    last = DocumentStatusChange.objects.filter(document=doc).last()
    assert (last.action, last.reason_code) == ("reject", "number_mismatch")


def test_forgery_suspicion_emits_a_quality_signal(merchant: Any) -> None:
    from qms.shared.models import QualitySignal

    org, user = merchant
    doc = upload(user, org)
    services.reject_document(
        actor=_reviewer(),
        document_id=doc.pk,
        reason_code="forgery_suspected",
        note="Seal does not match.",
    )
    signal = QualitySignal.objects.get(kind="documents.forgery_suspected")
    assert (signal.organisation_id, signal.severity) == (org.pk, "high")


def test_verifying_a_replacement_supersedes_the_old_one(merchant: Any) -> None:
    org, user = merchant
    old = upload(user, org)
    services.verify_document(actor=_reviewer(), document_id=old.pk)
    new = upload(user, org, expires_on=today() + dt.timedelta(days=1500))
    assert Document.objects.get(pk=old.pk).status == "verified"  # until the new one is verified
    services.verify_document(actor=_reviewer(), document_id=new.pk)
    old.refresh_from_db()
    assert (old.status, old.superseded_by_id) == ("superseded", new.pk)
    assert Deadline.objects.get(key=f"document:{old.pk}:expiry").status == "cancelled"
    assert Deadline.objects.get(key=f"document:{new.pk}:expiry").status == "active"
    assert AuditEvent.objects.filter(action="document.supersede", object_id=str(old.pk)).exists()


def test_load_document_types_is_idempotent() -> None:
    from qms.documents.models import DocumentType

    before = DocumentType.objects.count()
    assert before == 16  # loaded by the data migration
    assert services.load_document_types() == (0, 16)
    assert DocumentType.objects.count() == 16
