from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qms.documents import services
from qms.documents.models import Document
from qms.documents.tests.factories import today, unique_pdf, upload
from qms.shared.tests.samples import corrupt_pdf_bytes, png_bytes, stored_files

pytestmark = pytest.mark.django_db
BASE = "/api/v1/documents"


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "document_type": "food_production_licence_sc",
        "number": "SC10631011500011",
        "issued_on": (today() - dt.timedelta(days=30)).isoformat(),
        "expires_on": (today() + dt.timedelta(days=700)).isoformat(),
        "issuer": "Hangzhou SAMR",
        "file": SimpleUploadedFile("sc.pdf", unique_pdf(), content_type="application/pdf"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_types_list(api_client_for: Any, merchant: Any) -> None:
    res = api_client_for(merchant[1]).get(f"{BASE}/types")
    assert res.status_code == 200
    codes = [t["code"] for t in res.json()]
    assert len(codes) == 16
    sc = next(t for t in res.json() if t["code"] == "food_production_licence_sc")
    assert (sc["name_zh"], sc["requires_expiry"], sc["number_pattern"]) == (
        "食品生产许可证",
        True,
        r"SC\d{14}",
    )
    eu = api_client_for(merchant[1]).get(f"{BASE}/types", params={"market": "EU"}).json()
    assert "ce_declaration" in [t["code"] for t in eu]
    assert "food_production_licence_sc" not in [t["code"] for t in eu]


def test_upload_then_detail_and_download(
    api_client_for: Any, merchant: Any, media_root: Path
) -> None:
    org, user = merchant
    client = api_client_for(user)
    res = client.post(BASE, _form(), multipart=True)
    assert res.status_code == 201, res.content
    body = res.json()
    assert (body["status"], body["organisation_id"], body["document_type"]) == (
        "pending",
        org.pk,
        "food_production_licence_sc",
    )
    assert body["download_url"] == f"{BASE}/{body['id']}/download"
    detail = client.get(f"{BASE}/{body['id']}").json()
    assert [h["to_status"] for h in detail["history"]] == ["pending"]
    file_res = client.get(body["download_url"])
    assert file_res.status_code == 200
    assert file_res["Content-Type"] == "application/pdf"
    assert b"".join(file_res.streaming_content).startswith(b"%PDF")
    assert "attachment" in file_res["Content-Disposition"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"number": "SC12"}, "document_number_invalid"),
        (
            {"expires_on": (today() - dt.timedelta(days=60)).isoformat()},
            "document_expiry_before_issue",
        ),
        ({"file": SimpleUploadedFile("sc.png", unique_pdf())}, "file_type_mismatch"),
        ({"file": SimpleUploadedFile("sc.pdf", png_bytes())}, "file_type_mismatch"),
        ({"file": SimpleUploadedFile("sc.pdf", b"")}, "file_empty"),
        ({"file": SimpleUploadedFile("sc.pdf", corrupt_pdf_bytes())}, "file_corrupt"),
    ],
)
def test_bad_uploads_are_problem_details_and_write_nothing(
    api_client_for: Any,
    merchant: Any,
    media_root: Path,
    overrides: dict,
    code: str,
) -> None:
    res = api_client_for(merchant[1]).post(BASE, _form(**overrides), multipart=True)
    assert res.status_code == 422, res.content
    assert res["Content-Type"] == "application/problem+json"
    assert res.json()["code"] == code
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_oversized_upload(
    api_client_for: Any, merchant: Any, media_root: Path, settings: Any
) -> None:
    settings.QMS_MAX_UPLOAD_BYTES = 100
    res = api_client_for(merchant[1]).post(BASE, _form(), multipart=True)
    assert (res.status_code, res.json()["code"]) == (422, "file_too_large")
    assert Document.objects.count() == 0


def test_upload_for_another_org_is_404(
    api_client_for: Any, merchant: Any, other_merchant: Any
) -> None:
    res = api_client_for(merchant[1]).post(
        BASE, _form(organisation_id=str(other_merchant[0].pk)), multipart=True
    )
    assert res.status_code == 404
    assert Document.objects.count() == 0


def test_list_is_scoped_and_paginated(
    api_client_for: Any,
    merchant: Any,
    other_merchant: Any,
    reviewer: Any,
    django_assert_max_num_queries: Any,
) -> None:
    org, user = merchant
    mine = [upload(user, org).pk for _ in range(3)]
    theirs = upload(other_merchant[1], other_merchant[0]).pk
    client = api_client_for(user)
    first = client.get(BASE, params={"limit": 2}).json()
    assert [d["id"] for d in first["items"]] == mine[::-1][:2]
    second = client.get(BASE, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [d["id"] for d in second["items"]] == [mine[0]]
    assert second["next_cursor"] is None
    staff = api_client_for(reviewer)
    with django_assert_max_num_queries(6):
        all_ids = [d["id"] for d in staff.get(BASE).json()["items"]]
    assert set(all_ids) == {*mine, theirs}
    filtered = staff.get(BASE, params={"organisation_id": other_merchant[0].pk}).json()
    assert [d["id"] for d in filtered["items"]] == [theirs]


def test_another_merchant_gets_404_everywhere(
    api_client_for: Any, merchant: Any, other_merchant: Any
) -> None:
    org, user = merchant
    doc = upload(user, org)
    other = api_client_for(other_merchant[1])
    assert other.get(f"{BASE}/{doc.pk}").status_code == 404
    assert other.get(f"{BASE}/{doc.pk}/download").status_code == 404
    assert other.post(f"{BASE}/{doc.pk}/verify", {}).status_code == 404
    assert other.post(f"{BASE}/{doc.pk}/reject", {"reason_code": "illegible"}).status_code == 404
    assert other.get(BASE).json()["items"] == []
    assert other.get(f"{BASE}/expiring").json()["items"] == []
    assert Document.objects.get(pk=doc.pk).status == "pending"


def test_verify_and_reject_need_the_permission(
    api_client_for: Any, merchant: Any, reviewer: Any
) -> None:
    org, user = merchant
    doc = upload(user, org)
    own = api_client_for(user)
    res = own.post(f"{BASE}/{doc.pk}/verify", {})
    assert (res.status_code, res.json()["code"]) == (403, "permission_denied")
    staff = api_client_for(reviewer)
    res = staff.post(f"{BASE}/{doc.pk}/verify", {"note": "checked"})
    assert res.status_code == 200
    assert res.json()["status"] == "verified"
    assert [h["action"] for h in res.json()["history"]] == ["upload", "verify"]
    res = staff.post(f"{BASE}/{doc.pk}/reject", {"reason_code": "illegible"})
    assert (res.status_code, res.json()["code"]) == (409, "illegal_transition")
    second = upload(user, org)
    res = staff.post(f"{BASE}/{second.pk}/reject", {"reason_code": "nope"})
    assert (res.status_code, res.json()["code"]) == (422, "reject_reason_invalid")
    res = staff.post(
        f"{BASE}/{second.pk}/reject",
        {"reason_code": "holder_mismatch", "note": "Issued to another company"},
    )
    assert (res.status_code, res.json()["status"]) == (200, "rejected")


def test_expiring_and_dashboard(api_client_for: Any, merchant: Any, reviewer: Any) -> None:
    org, user = merchant
    doc = upload(user, org, expires_on=today() + dt.timedelta(days=9))
    services.verify_document(actor=reviewer, document_id=doc.pk)
    staff = api_client_for(reviewer)
    assert [
        d["id"] for d in staff.get(f"{BASE}/expiring", params={"within_days": 10}).json()["items"]
    ] == [doc.pk]
    assert staff.get(f"{BASE}/expiring", params={"within_days": 5}).json()["items"] == []
    assert staff.get(f"{BASE}/dashboard").json() == {
        "documents_to_verify": 0,
        "documents_expiring_30d": 1,
        "documents_expired": 0,
    }
    assert api_client_for(user).get(f"{BASE}/dashboard").json()["documents_expiring_30d"] == 1


def test_anonymous_is_401(api_client_for: Any) -> None:
    assert api_client_for(None).get(BASE).status_code == 401


def test_staff_upload_on_behalf_needs_manage_and_an_organisation(
    api_client_for: Any, merchant: Any, reviewer: Any, admin_user: Any
) -> None:
    org, _ = merchant
    res = api_client_for(admin_user).post(BASE, _form(), multipart=True)
    assert (res.status_code, res.json()["code"]) == (422, "organisation_required")
    res = api_client_for(reviewer).post(BASE, _form(organisation_id=str(org.pk)), multipart=True)
    assert (res.status_code, res.json()["code"]) == (403, "permission_denied")
    res = api_client_for(admin_user).post(BASE, _form(organisation_id=str(org.pk)), multipart=True)
    assert res.status_code == 201
    assert res.json()["organisation_id"] == org.pk
    assert res.json()["uploaded_by_id"] == admin_user.pk
