from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qms.documents import services
from qms.documents.models import Document
from qms.documents.tests.factories import today, unique_pdf, upload
from qms.shared.tests.samples import png_bytes, stored_files

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_urls() -> None:
    assert reverse("documents:review_queue") == "/console/documents/"
    assert reverse("documents:expiring") == "/console/documents/expiring/"
    assert reverse("documents:my_documents") == "/portal/documents/"
    assert reverse("documents:upload") == "/portal/documents/upload/"
    assert reverse("documents:portal_detail", args=[5]) == "/portal/documents/5/"


def test_queue_detail_and_verify(
    merchant: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    org, user = merchant
    doc = upload(user, org)
    client = logged_in(reviewer)
    res = client.get(reverse("documents:review_queue"))
    assert res.status_code == 200
    assert doc.number in res.content.decode()
    res = client.get(reverse("documents:detail", args=[doc.pk]))
    page = res.content.decode()
    assert res.status_code == 200
    assert f'<iframe src="/documents/{doc.pk}/file/"' in page
    assert reverse("documents:verify", args=[doc.pk]) in page
    res = client.post(reverse("documents:verify", args=[doc.pk]), {"note": "ok"})
    assert res.status_code == 302
    assert Document.objects.get(pk=doc.pk).status == "verified"
    res = client.post(reverse("documents:verify", args=[doc.pk]), {"note": "again"})
    assert res.status_code == 422
    assert "Cannot verify when the state is verified" in res.content.decode()


def test_reject_form_shows_errors_in_place(merchant: Any, reviewer: Any) -> None:
    org, user = merchant
    doc = upload(user, org)
    client = logged_in(reviewer)
    res = client.post(reverse("documents:reject", args=[doc.pk]), {"reason_code": "other"})
    assert res.status_code == 422
    assert "Explain this reason in the note." in res.content.decode()
    assert Document.objects.get(pk=doc.pk).status == "pending"
    res = client.post(
        reverse("documents:reject", args=[doc.pk]), {"reason_code": "illegible", "note": "blurred"}
    )
    assert res.status_code == 302
    assert Document.objects.get(pk=doc.pk).status == "rejected"


def test_inline_file_preview_is_scoped(merchant: Any, other_merchant: Any, reviewer: Any) -> None:
    org, user = merchant
    doc = upload(user, org, file_name="scan.png", file_data=png_bytes())
    res = logged_in(reviewer).get(reverse("documents:file", args=[doc.pk]))
    assert res.status_code == 200
    assert res["Content-Type"] == "image/png"
    assert res["X-Frame-Options"] == "SAMEORIGIN"
    assert "attachment" not in res.get("Content-Disposition", "")
    assert logged_in(user).get(reverse("documents:file", args=[doc.pk])).status_code == 200
    other = logged_in(other_merchant[1])
    assert other.get(reverse("documents:file", args=[doc.pk])).status_code == 404
    assert other.get(reverse("documents:portal_detail", args=[doc.pk])).status_code == 404


def test_merchants_cannot_open_the_console(merchant: Any) -> None:
    client = logged_in(merchant[1])
    assert client.get(reverse("documents:review_queue")).status_code == 403
    assert client.get(reverse("documents:expiring")).status_code == 403


def test_anonymous_is_sent_to_sign_in() -> None:
    res = Client().get(reverse("documents:my_documents"))
    assert res.status_code == 302
    assert "/login/" in res["Location"]


def test_portal_lists_own_documents_with_badges(
    merchant: Any, other_merchant: Any, reviewer: Any
) -> None:
    org, user = merchant
    soon = upload(user, org, expires_on=today() + dt.timedelta(days=10))
    services.verify_document(actor=reviewer, document_id=soon.pk)
    theirs = upload(other_merchant[1], other_merchant[0], number="SC99999999999999")
    page = logged_in(user).get(reverse("documents:my_documents")).content.decode()
    assert soon.number in page
    assert theirs.number not in page
    assert 'data-state="verified"' in page
    assert 'data-state="expiring"' in page


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "document_type": "food_production_licence_sc",
        "number": "SC10631011500011",
        "issuer": "SAMR",
        "issued_on": (today() - dt.timedelta(days=3)).isoformat(),
        "expires_on": (today() + dt.timedelta(days=500)).isoformat(),
        "file": SimpleUploadedFile("sc.pdf", unique_pdf()),
    }
    data.update(overrides)
    return data


def test_portal_upload(merchant: Any, media_root: Path) -> None:
    org, user = merchant
    client = logged_in(user)
    assert client.get(reverse("documents:upload")).status_code == 200
    res = client.post(reverse("documents:upload"), _form())
    assert res.status_code == 302
    doc = Document.objects.get()
    assert res["Location"] == reverse("documents:portal_detail", args=[doc.pk])
    assert doc.organisation_id == org.pk
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"number": "SC1"}, "number", "does not have the format"),
        ({"file": SimpleUploadedFile("sc.jpg", unique_pdf())}, "file", "but the content is PDF"),
        ({"expires_on": "2020-01-01"}, "expires_on", "after the issue date"),
    ],
)
def test_portal_upload_errors_are_shown_at_the_field(
    merchant: Any,
    media_root: Path,
    overrides: dict,
    field: str,
    message: str,
) -> None:
    res = logged_in(merchant[1]).post(reverse("documents:upload"), _form(**overrides))
    assert res.status_code == 422
    form = res.context["form"]
    assert any(message in e for e in form.errors[field])
    assert 'class="field-error"' in res.content.decode()
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_expiring_page_and_rejected_reason_in_portal(merchant: Any, reviewer: Any) -> None:
    org, user = merchant
    soon = upload(user, org, expires_on=today() + dt.timedelta(days=9))
    services.verify_document(actor=reviewer, document_id=soon.pk)
    page = logged_in(reviewer).get(reverse("documents:expiring")).content.decode()
    assert soon.number in page
    assert "<td>9</td>" in page
    bad = upload(user, org)
    services.reject_document(actor=reviewer, document_id=bad.pk, reason_code="illegible")
    page = logged_in(user).get(reverse("documents:portal_detail", args=[bad.pk])).content.decode()
    assert "The scan is illegible or incomplete" in page
    assert 'data-state="rejected"' in page


def test_list_pages_do_not_query_per_row(merchant: Any, reviewer: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    org, user = merchant

    def count(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    staff, owner = logged_in(reviewer), logged_in(user)
    upload(user, org)
    base = (
        count(staff, reverse("documents:review_queue")),
        count(owner, reverse("documents:my_documents")),
    )
    for _ in range(4):
        upload(user, org)
    assert count(staff, reverse("documents:review_queue")) == base[0]
    assert count(owner, reverse("documents:my_documents")) == base[1]
