"""Creating and editing listings: the rules run, the verdict routes the version."""

from __future__ import annotations

import pytest
from django.core import mail

from qms.catalog.models import BrandAuthorisation
from qms.listings import services, services_images
from qms.listings.models import Listing, ListingVersion, ReviewTask
from qms.listings.services import ListingInput
from qms.shared.errors import NotFound, ValidationFailed
from qms.shared.models import AuditEvent, Notification, QualitySignal

from .factories import (
    BANNED,
    EVASIVE,
    category,
    give_document,
    make_brand,
    make_listing,
    make_seller,
)

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def seller():
    category()
    return make_seller()


def test_clean_listing_is_auto_approved_and_live(seller, django_capture_on_commit_callbacks):
    _merchant, owner = seller
    with django_capture_on_commit_callbacks(execute=True):
        listing = make_listing(owner)
    listing.refresh_from_db()
    version = listing.latest_version
    assert version.state == "auto_approved"
    assert version.verdict == "approve"
    assert version.hits == []
    assert listing.state == "live"
    assert listing.live_version_id == version.pk
    assert list(version.history.values_list("action", "to_state")) == [
        ("auto_approve", "auto_approved")
    ]
    actions = set(
        AuditEvent.objects.filter(organisation_id=listing.merchant_org_id).values_list(
            "action", flat=True
        )
    )
    assert {
        "listings.listing.create",
        "listings.version.submit",
        "listings.version.auto_approve",
        "listings.listing.go_live",
    } <= actions
    assert Notification.objects.filter(user=owner, kind="listings.version_decided").count() == 1


def test_banned_term_is_auto_rejected_with_hits_signal_and_notice(
    seller, django_capture_on_commit_callbacks
):
    _merchant, owner = seller
    with django_capture_on_commit_callbacks(execute=True):
        listing = make_listing(owner, **BANNED)
    version = ListingVersion.objects.get(listing=listing)
    assert version.state == "rejected"
    assert version.verdict == "reject"
    [hit] = version.hits
    assert (hit["field"], hit["start"], hit["end"], hit["text"]) == ("title", 2, 4, "最佳")
    assert hit["kind"] == "absolute_claim"
    assert version.description == BANNED["description"]  # stored as written
    listing.refresh_from_db()
    assert listing.state == "pending"
    assert listing.live_version is None
    signal = QualitySignal.objects.get(kind="listings.version_rejected")
    assert signal.organisation_id == listing.merchant_org_id
    assert signal.evidence["rules"] == [hit["rule"]]
    note = Notification.objects.get(user=owner, kind="listings.version_decided")
    assert "未通过" in note.subject  # the owner reads Chinese by default
    assert len(mail.outbox) == 1


def test_evasive_spelling_maps_back_to_original_span(seller):
    _merchant, owner = seller
    listing = make_listing(owner, **EVASIVE)
    [hit] = listing.latest_version.hits
    title = EVASIVE["title"]
    assert title[hit["start"] : hit["end"]] == hit["text"]
    assert hit["text"].startswith("最")
    assert hit["text"].endswith("佳")


def test_missing_required_document_rejects(django_capture_on_commit_callbacks):
    cat = category("books", requires={"CN": ["business_licence"]})
    merchant, owner = make_seller(cat)
    listing = make_listing(owner)
    version = listing.latest_version
    assert version.state == "rejected"
    assert [(h["rule"], h["text"]) for h in version.hits] == [
        ("listing.documents.required", "business_licence")
    ]
    give_document(merchant, "business_licence")
    edited = services.submit_version(
        actor=owner, listing_id=listing.pk, data=ListingInput(title="三体 小说")
    )
    assert edited.state == "auto_approved"
    assert edited.number == 2


def test_unauthorised_brand_rejects_and_authorised_passes(seller):
    merchant, owner = seller
    brand = make_brand("Acme")
    listing = make_listing(owner, brand_id=brand.pk)
    assert listing.latest_version.state == "rejected"
    assert {h["rule"] for h in listing.latest_version.hits} == {"listing.brand.unauthorised"}
    import datetime as dt

    BrandAuthorisation.objects.create(
        brand=brand,
        grantor_name="Acme Holding",
        grantee_org=merchant.organisation,
        markets=["CN"],
        valid_from=dt.date(2020, 1, 1),
        status="active",
    )
    version = services.submit_version(
        actor=owner, listing_id=listing.pk, data=ListingInput(title="三体 小说")
    )
    assert version.state == "auto_approved"


def test_category_not_granted_rejects():
    category()
    other = category("toys")
    _merchant, owner = make_seller(other)
    listing = make_listing(owner)
    assert [(h["rule"], h["text"]) for h in listing.latest_version.hits] == [
        ("listing.merchant.cannot_sell", "category_not_approved")
    ]


def test_subcategory_inherits_the_granted_parent(seller):
    _merchant, owner = seller
    category("books/novels", parent=category())
    listing = make_listing(owner, cat="books/novels")
    assert listing.latest_version.state == "auto_approved"


def test_review_verdict_queues_with_risk_score(seller):
    home = category("home", risk="medium")
    _merchant, owner = make_seller(home)
    listing = make_listing(owner, cat="home", title="Cotton towel")
    version = listing.latest_version
    assert version.state == "in_review"
    assert version.verdict == "review"
    # medium category 25 + 3 hits x 12 (cap 36) + no live listing yet 10
    assert version.risk_score == 71
    task = ReviewTask.objects.get(version=version)
    assert (task.kind, task.state, task.risk_score) == ("first", "open", 71)


def test_edit_keeps_live_version_until_the_new_one_is_approved(seller):
    home = category("home")
    _merchant, owner = make_seller(home)
    listing = make_listing(
        owner,
        cat="home",
        title="Towel",
        attributes={"material": "cotton", "producer": "X", "spec": "1"},
    )
    live = listing.latest_version
    assert live.state == "auto_approved"
    edited = services.submit_version(
        actor=owner, listing_id=listing.pk, data=ListingInput(title="Towel v2")
    )
    listing.refresh_from_db()
    assert edited.state == "in_review"
    assert listing.live_version_id == live.pk
    assert listing.latest_version_id == edited.pk
    again = services.submit_version(
        actor=owner,
        listing_id=listing.pk,
        data=ListingInput(
            title="Towel v3", attributes={"material": "cotton", "producer": "X", "spec": "1"}
        ),
    )
    edited.refresh_from_db()
    assert edited.state == "withdrawn"
    assert ReviewTask.objects.get(version=edited).state == "cancelled"
    assert again.state == "auto_approved"
    listing.refresh_from_db()
    assert listing.live_version_id == again.pk


def test_other_merchant_cannot_edit_or_withdraw(seller):
    _merchant, owner = seller
    _other, intruder = make_seller()
    listing = make_listing(owner)
    with pytest.raises(NotFound) as exc:
        services.submit_version(
            actor=intruder, listing_id=listing.pk, data=ListingInput(title="mine now")
        )
    assert exc.value.code == "listing_not_found"
    with pytest.raises(NotFound):
        services.withdraw_listing(actor=intruder, listing_id=listing.pk)
    assert ListingVersion.objects.filter(listing=listing).count() == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": ""}, "field_required"),
        ({"markets": ["US"]}, "market_invalid"),
        ({"category": "nope"}, "category_unknown"),
        ({"gtin": "4006381333932"}, "invalid_gtin"),
        ({"price": "-1"}, "price_invalid"),
        ({"attributes": {"a": ["x"]}}, "attributes_invalid"),
        ({"image_ids": [999999]}, "image_not_found"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(seller, fields, code):
    _merchant, owner = seller
    data = {"title": "小说", "category": "books", "markets": ["CN"], **fields}
    with pytest.raises(ValidationFailed) as exc:
        services.create_listing(actor=owner, data=ListingInput(**data))
    assert exc.value.code == code
    assert Listing.objects.count() == 0


def test_withdraw_takes_live_listing_off_sale(seller):
    _merchant, owner = seller
    listing = make_listing(owner)
    services.withdraw_listing(actor=owner, listing_id=listing.pk, reason="sold out")
    listing.refresh_from_db()
    assert listing.state == "withdrawn"
    assert listing.live_version is None
    assert listing.latest_version.state == "withdrawn"
    assert (
        AuditEvent.objects.filter(action="listings.listing.withdraw", reason="sold out").count()
        == 1
    )


def test_image_upload_hashes_and_flags_identical_image_of_other_merchant(seller):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(buf, format="PNG")
    _merchant, owner = seller
    image = services_images.upload_image(actor=owner, name="red.png", data=buf.getvalue())
    assert len(image.phash) == 16
    assert image.width == 64
    listing = make_listing(owner, image_ids=[image.pk])
    assert listing.latest_version.state == "auto_approved"
    assert listing.latest_version.images[0]["phash"] == image.phash
    _other, owner2 = make_seller()
    copy = services_images.upload_image(actor=owner2, name="copy.png", data=buf.getvalue())
    dup = make_listing(owner2, image_ids=[copy.pk])
    assert dup.latest_version.state == "in_review"
    assert [h["rule"] for h in dup.latest_version.hits] == ["listing.duplicate.image"]


def test_not_an_image_is_refused(seller):
    _merchant, owner = seller
    with pytest.raises(ValidationFailed) as exc:
        services_images.upload_image(actor=owner, name="x.png", data=b"%PDF-1.4 not an image")
    assert exc.value.code in {"file_type_not_allowed", "file_corrupt"}


def _authorise(merchant, brand):
    import datetime as dt

    BrandAuthorisation.objects.create(
        brand=brand,
        grantor_name="Holding",
        grantee_org=merchant.organisation,
        markets=["CN"],
        valid_from=dt.date(2020, 1, 1),
        status="active",
    )


def test_branded_price_far_below_the_median_goes_to_review():
    category()
    brand = make_brand("Luxe")
    for price in ("100", "110", "120", "90", "105"):
        merchant, owner = make_seller()
        _authorise(merchant, brand)
        make_listing(owner, brand_id=brand.pk, price=price, title=f"小说 {price}")
    merchant, owner = make_seller()
    _authorise(merchant, brand)
    cheap = make_listing(owner, brand_id=brand.pk, price="19.90", title="小说 特价")
    assert cheap.latest_version.state == "in_review"
    [hit] = cheap.latest_version.hits
    assert (hit["rule"], hit["text"]) == ("listing.price.anomaly", "19.90 CNY")
    fair = make_listing(owner, brand_id=brand.pk, price="95", title="小说 正价")
    assert fair.latest_version.state == "auto_approved"


def test_same_title_as_another_merchants_live_listing_goes_to_review(seller):
    _merchant, owner = seller
    make_listing(owner, title="三体 小说 精装版")
    _other, copycat = make_seller()
    # the same title, evasively spelled (full-width letters and spaces) still matches
    dup = make_listing(copycat, title="三体　小说　精装版")
    assert [h["rule"] for h in dup.latest_version.hits] == ["listing.duplicate.title"]
    assert dup.latest_version.state == "in_review"


def test_changing_the_category_takes_the_live_version_off_sale_at_once(seller):
    merchant, owner = seller
    home = category("home")
    from qms.merchants.models import MerchantCategory

    MerchantCategory.objects.create(merchant=merchant, category=home)
    listing = make_listing(owner)
    live = listing.latest_version
    edited = services.submit_version(
        actor=owner, listing_id=listing.pk, data=ListingInput(title="Towel", category="home")
    )
    live.refresh_from_db()
    listing.refresh_from_db()
    assert live.state == "withdrawn"
    assert edited.state == "in_review"  # home needs material, producer, spec
    assert listing.live_version is None
    assert listing.state == "pending"
    same = services.submit_version(
        actor=owner, listing_id=listing.pk, data=ListingInput(title="Towel 2", category="home")
    )
    assert same.number == 3  # the category did not change again: nothing more withdrawn
