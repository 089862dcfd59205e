"""``/api/v1/listings`` from the outside: CRUD, versions, verdicts, bulk upload, isolation."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qms.listings.models import Listing, ListingVersion

from .factories import BANNED, category, make_listing, make_seller

pytestmark = pytest.mark.django_db
BASE = "/api/v1/listings"


@pytest.fixture
def sellers(api_client_for):
    category()
    _m1, o1 = make_seller()
    _m2, o2 = make_seller()
    return api_client_for(o1), api_client_for(o2), o1, o2


def _create(client, **fields):
    body = {"category": "books", "markets": ["CN"], "title": "三体 小说", **fields}
    return client.post(BASE, json=body)


def test_create_returns_201_with_verdict(sellers):
    c1, *_ = sellers
    r = _create(c1, external_id="sku-1", price="12.50")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["state"] == "live"
    assert data["category"] == "books"
    assert data["latest_version"]["state"] == "auto_approved"
    assert data["latest_version"]["price"] == "12.50"


def test_rejected_listing_shows_hits_with_spans_and_messages(sellers):
    c1, *_ = sellers
    data = _create(c1, **BANNED).json()
    version = data["latest_version"]
    assert version["state"] == "rejected"
    [hit] = version["hits"]
    assert (hit["field"], hit["start"], hit["end"], hit["text"]) == ("title", 2, 4, "最佳")
    assert hit["message_en"].startswith("Remove the absolute claim “最佳”")
    assert "广告法" in hit["message_zh"]
    assert version["description"] == BANNED["description"]  # JSON carries it verbatim
    r = c1.get(f"{BASE}/{data['id']}/verdict")
    assert r.status_code == 200
    assert r.json()["verdict"] == "reject"


def test_validation_problem_details(sellers):
    c1, *_ = sellers
    r = _create(c1, category="no-such")
    assert r.status_code == 422
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["code"] == "category_unknown"
    r = _create(c1, gtin="123")
    assert r.json()["code"] == "invalid_gtin"


def test_edit_creates_a_version_and_lists_versions(sellers):
    c1, *_ = sellers
    listing_id = _create(c1).json()["id"]
    r = c1.post(f"{BASE}/{listing_id}/versions", json={"title": "三体 第二版"})
    assert r.status_code == 201
    assert r.json()["number"] == 2
    page = c1.get(f"{BASE}/{listing_id}/versions").json()
    assert [v["number"] for v in page["items"]] == [2, 1]


def test_cursor_pagination(sellers):
    c1, _c2, o1, _o2 = sellers
    for i in range(3):
        make_listing(o1, title=f"小说 {i}")
    first = c1.get(BASE, params={"limit": 2}).json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    second = c1.get(BASE, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None
    assert c1.get(BASE, params={"cursor": "!!"}).json()["code"] == "invalid_cursor"


def test_cross_merchant_isolation_on_every_listing_endpoint(sellers):
    _c1, c2, o1, _o2 = sellers
    listing = make_listing(o1, **BANNED)
    version_id = listing.latest_version_id
    for path in (
        f"{BASE}/{listing.pk}",
        f"{BASE}/{listing.pk}/versions",
        f"{BASE}/{listing.pk}/verdict",
        f"{BASE}/versions/{version_id}",
    ):
        assert c2.get(path).status_code == 404, path
    assert c2.post(f"{BASE}/{listing.pk}/versions", json={"title": "x"}).status_code == 404
    assert c2.post(f"{BASE}/{listing.pk}/withdraw", json={}).status_code == 404
    assert c2.post(f"{BASE}/versions/{version_id}/appeal", json={"reason": "x"}).status_code == 404
    assert c2.get(BASE).json()["items"] == []
    assert c2.get(f"{BASE}/appeals").json()["items"] == []
    assert c2.get(f"{BASE}/findings").json()["items"] == []
    # creating for another merchant's organisation is refused as not found
    org1 = listing.merchant_org_id
    assert _create(c2, merchant_org_id=org1).status_code == 404
    assert ListingVersion.objects.filter(listing=listing).count() == 1


def test_merchants_cannot_use_the_review_queue_or_rescans(sellers):
    c1, *_ = sellers
    assert c1.get(f"{BASE}/review-tasks").status_code == 403
    assert c1.post(f"{BASE}/rescans", json={"reason": "x"}).status_code == 403
    assert c1.get(f"{BASE}/rescans").status_code == 403


def test_withdraw(sellers):
    c1, *_ = sellers
    listing_id = _create(c1).json()["id"]
    r = c1.post(f"{BASE}/{listing_id}/withdraw", json={"reason": "gone"})
    assert r.status_code == 200
    assert r.json()["state"] == "withdrawn"


def _upload(client, name, content, path="/bulk"):
    return client.client.post(
        BASE + path, {"file": SimpleUploadedFile(name, content)}, **client.headers
    )


def test_bulk_jsonl_imports_all_rows(sellers):
    c1, *_ = sellers
    rows = [
        {"id": "a", "market": "CN", "category": "books", "title": "三体", "attributes": {}},
        {
            "id": "b",
            "market": "CN",
            "category": "books",
            "title": "全网最佳 小说",
            "description": "<b>bold</b>",
            "unknown_key": 1,
        },
    ]
    content = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    r = _upload(c1, "batch.jsonl", content)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["rows"] == 2
    assert body["verdicts"] == {"approve": 1, "reject": 1}
    b = Listing.objects.get(external_id="b")
    assert b.latest_version.description == "<b>bold</b>"
    # the same ids again become new versions of the same listings
    again = _upload(c1, "batch.jsonl", content).json()
    assert sorted(again["updated"]) == sorted(body["created"])


def test_bulk_with_a_bad_row_imports_nothing_and_lists_row_errors(sellers):
    c1, *_ = sellers
    content = (
        b'{"id": "a", "market": "CN", "category": "books", "title": "ok"}\n'
        b'{"id": "b", "market": "CN", "category": "weapons", "title": "x"}\n'
        b"not json\n"
        b'{"id": "d", "market": "CN", "category": "books", "title": "y", "gtin": "12345670"}\n'
        b'{"id": "e", "market": "MARS", "category": "books", "title": "z"}\n'
    )
    r = _upload(c1, "batch.jsonl", content)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "bulk_rows_invalid"
    assert [(e["row"], e["code"]) for e in body["errors"]] == [
        (2, "category_unknown"),
        (3, "json_invalid"),
        (5, "market_invalid"),
    ]
    assert Listing.objects.count() == 0


def test_bulk_csv_with_attribute_columns(sellers):
    c1, *_ = sellers
    content = (
        "id,market,category,title,description,attr.brand,gtin\n"
        'c1,CN,books,三体,"<script>x</script>",,4006381333931\n'
    ).encode()
    r = _upload(c1, "batch.csv", content)
    assert r.status_code == 200, r.content
    listing = Listing.objects.get(external_id="c1")
    assert listing.gtin == "4006381333931"
    assert listing.latest_version.description == "<script>x</script>"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("a.jsonl", b"", "file_empty"),
        ("a.jsonl", b"\xff\xfe\x00", "file_not_utf8"),
        ("a.jsonl", b"x" * (5 * 1024 * 1024 + 10), "file_too_large"),
    ],
)
def test_bulk_bad_files(sellers, name, content, code):
    c1, *_ = sellers
    r = _upload(c1, name, content)
    assert r.status_code == 422
    assert r.json()["code"] == code


def test_image_upload_and_isolation(sellers):
    import io

    from PIL import Image

    c1, c2, *_ = sellers
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 0, 255)).save(buf, format="PNG")
    r = _upload(c1, "blue.png", buf.getvalue(), path="/images")
    assert r.status_code == 201
    image_id = r.json()["id"]
    assert _upload(c1, "fake.png", b"GIF89a not really", path="/images").status_code == 422
    # another merchant cannot attach it
    r = _create(c2, image_ids=[image_id])
    assert r.status_code == 422
    assert r.json()["code"] == "image_not_found"


def test_list_query_count_does_not_grow_with_rows(sellers, django_assert_max_num_queries):
    c1, _c2, o1, _o2 = sellers
    make_listing(o1)
    with django_assert_max_num_queries(12) as few:
        c1.get(BASE)
    for i in range(10):
        make_listing(o1, title=f"小说 {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(c1.get(BASE).json()["items"]) == 11
