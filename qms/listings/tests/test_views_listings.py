"""Portal and console pages, as a user clicks them."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qms.catalog.models import CategoryDocumentRequirement
from qms.listings.models import Listing, ReviewTask

from .factories import BANNED, category, make_listing, make_seller

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def owner():
    category()
    return make_seller()[1]


def test_portal_create_shows_the_verdict_with_hits_inline_and_escaped(owner):
    c = client_for(owner)
    assert c.get(reverse("listings_portal:create")).status_code == 200
    r = c.post(
        reverse("listings_portal:create"),
        {
            "category": "books",
            "markets": ["CN"],
            "title": BANNED["title"],
            "description": BANNED["description"],
            "attributes": "",
            "currency": "CNY",
        },
        follow=True,
    )
    assert r.status_code == 200
    html = r.content.decode()
    listing = Listing.objects.get()
    assert r.redirect_chain[-1][0] == reverse("listings_portal:detail", args=[listing.pk])
    assert '<mark data-hit="1"' in html
    assert ">最佳<sup>1</sup></mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "listing.term." in html  # the hit table names the rule
    assert "Appeal" in html


def test_portal_form_errors_stay_on_the_page(owner):
    r = client_for(owner).post(
        reverse("listings_portal:create"),
        {
            "category": "books",
            "markets": ["CN"],
            "title": "x",
            "gtin": "123",
            "attributes": "no colon here",
            "currency": "CNY",
        },
    )
    assert r.status_code == 422
    assert "write key: value" in r.content.decode()
    assert Listing.objects.count() == 0


def test_portal_edit_creates_a_new_version(owner):
    listing = make_listing(owner)
    c = client_for(owner)
    page = c.get(reverse("listings_portal:edit", args=[listing.pk]))
    assert page.status_code == 200
    r = c.post(
        reverse("listings_portal:edit", args=[listing.pk]),
        {
            "category": "books",
            "markets": ["CN"],
            "title": "三体 第二版",
            "attributes": "",
            "currency": "CNY",
        },
    )
    assert r.status_code == 302
    assert listing.versions.count() == 2


def test_portal_isolation(owner):
    listing = make_listing(owner)
    intruder = make_seller()[1]
    c = client_for(intruder)
    assert c.get(reverse("listings_portal:detail", args=[listing.pk])).status_code == 404
    assert c.get(reverse("listings_portal:edit", args=[listing.pk])).status_code == 404
    assert c.post(reverse("listings_portal:withdraw", args=[listing.pk])).status_code == 404
    assert (
        c.post(
            reverse("listings_portal:appeal", args=[listing.latest_version_id]), {"reason": "x"}
        ).status_code
        == 404
    )
    assert f"L{listing.pk}<" not in c.get(reverse("listings_portal:list")).content.decode()


def test_portal_bulk_lists_row_errors(owner):
    c = client_for(owner)
    content = b'{"id": "a", "market": "CN", "category": "nope", "title": "x"}\n'
    r = c.post(reverse("listings_portal:bulk"), {"file": SimpleUploadedFile("b.jsonl", content)})
    assert r.status_code == 422
    assert "category_unknown" in r.content.decode()
    ok = b'{"id": "a", "market": "CN", "category": "books", "title": "<b>x</b>"}\n'
    r = c.post(reverse("listings_portal:bulk"), {"file": SimpleUploadedFile("b.jsonl", ok)})
    assert r.status_code == 200
    assert Listing.objects.count() == 1


def test_console_queue_and_keyboard_decision_page(reviewer):
    home = category("home")
    seller = make_seller(home)[1]
    listing = make_listing(seller, cat="home", title="Towel <b>soft</b>")
    task = ReviewTask.objects.get(version=listing.latest_version)
    c = client_for(reviewer)
    queue = c.get(reverse("listings:queue"))
    assert queue.status_code == 200
    assert f"T{task.pk}" in queue.content.decode()
    page = c.get(reverse("listings:task_detail", args=[task.pk])).content.decode()
    assert 'data-key="c"' in page
    assert "Towel &lt;b&gt;soft&lt;/b&gt;" in page
    c.post(reverse("listings:task_claim", args=[task.pk]))
    page = c.get(reverse("listings:task_detail", args=[task.pk])).content.decode()
    assert 'data-key="a"' in page
    assert 'data-key="r"' in page
    r = c.post(
        reverse("listings:task_decide", args=[task.pk]), {"decision": "reject", "reason_codes": []}
    )
    assert r.status_code == 422  # a rejection needs a reason
    r = c.post(
        reverse("listings:task_decide", args=[task.pk]),
        {"decision": "reject", "reason_codes": ["missing_information"]},
    )
    assert r.status_code == 302
    listing.latest_version.refresh_from_db()
    assert listing.latest_version.state == "rejected"


def test_console_pages_refuse_merchants(owner):
    c = client_for(owner)
    for name in ("listings:listing_list", "listings:queue", "listings:rescan_list"):
        assert c.get(reverse(name)).status_code == 403, name


def test_rescan_page_with_progress(admin_user, owner, django_capture_on_commit_callbacks):
    listing = make_listing(owner)
    CategoryDocumentRequirement.objects.create(
        category=listing.category, market="CN", document_type_code="business_licence"
    )
    c = client_for(admin_user)
    assert c.get(reverse("listings:rescan_list")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("listings:rescan_list"), {"reason": "licence", "grace_days": 7})
    assert r.status_code == 302
    detail = c.get(r["Location"]).content.decode()
    assert '<progress max="100" value="100"' in detail
    assert f"L{listing.pk}" in detail
    job_id = int(r["Location"].rstrip("/").split("/")[-1])
    fragment = c.get(reverse("listings:rescan_progress", args=[job_id])).content.decode()
    assert "hx-get" not in fragment  # finished: polling stops
    # the merchant's list says which live listings to correct, and by when
    other = make_listing(owner)  # live and not flagged (made after the re-scan)
    mine = client_for(owner)
    page = mine.get(reverse("listings_portal:list")).content.decode()
    assert 'data-testid="fix-alert"' in page
    assert page.count("data-fix-by=") == 1
    only = mine.get(reverse("listings_portal:list") + "?fix=1").content.decode()
    assert f"L{listing.pk}<" in only
    assert f"L{other.pk}<" not in only


def test_console_listing_detail(admin_user, owner):
    listing = make_listing(owner, **BANNED)
    html = (
        client_for(admin_user)
        .get(reverse("listings:listing_detail", args=[listing.pk]))
        .content.decode()
    )
    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buf, format="PNG")
    return buf.getvalue()


def test_portal_create_with_image(owner):
    r = client_for(owner).post(
        reverse("listings_portal:create"),
        {
            "category": "books",
            "markets": ["CN"],
            "title": "三体",
            "attributes": "",
            "currency": "CNY",
            "image": SimpleUploadedFile("a.png", _png()),
        },
    )
    assert r.status_code == 302
    assert len(Listing.objects.get().latest_version.images) == 1


def test_coming_rule_changes_on_the_rescan_page_and_in_the_portal(
    monkeypatch, admin_user, owner, django_capture_on_commit_callbacks
):
    from qms.listings import services_announce

    from .test_services_announce import _rule

    monkeypatch.setattr(services_announce, "upcoming_rules", lambda within: [_rule({"books"})])
    make_listing(owner)
    c = client_for(admin_user)
    assert "Absolute claim: 最全" in c.get(reverse("listings:rescan_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("listings:announce"))
    assert r.status_code == 302
    portal = client_for(owner).get(reverse("listings_portal:list")).content.decode()
    assert "Absolute claim: 最全" in portal
