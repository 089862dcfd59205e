"""The public shop page: licence information (E-Commerce Law Art. 15), DSA trader data, and
nothing private."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from qms.merchants.models import Merchant, Shop, TraderInfo

from .factories import give_document, make_live_merchant, make_merchant

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop() -> Shop:
    merchant, _owner = make_live_merchant(
        "Lakeside Tea",
        markets=("CN", "EU"),
        business_scope="预包装食品销售；茶叶销售",
        registered_address="杭州市西湖区龙井路 1 号",
    )
    licence = give_document(merchant, "business_licence")
    give_document(merchant, "identity_document")
    TraderInfo.objects.create(
        merchant=merchant,
        name="Lakeside Tea Co., Ltd.",
        address="1 Longjing Road, Hangzhou",
        phone="+86 571 8888 0000",
        email="service@lakeside.example",
        identity_document_id=1,
        payment_account_holder="Lakeside Tea Co., Ltd.",
        payment_account_iban="DE89370400440532013000",
        trade_register_name="Hangzhou AMR",
        trade_register_number="91330106MA2CDEFG1",
        self_certified=True,
        self_certified_at=timezone.now(),
    )
    shop = Shop.objects.create(
        merchant=merchant, name="Lakeside Tea Flagship", slug="lakeside", markets=["CN", "EU"]
    )
    shop.licence = licence  # type: ignore[attr-defined]
    return shop


def test_anyone_sees_the_licence_and_trader_information(shop):
    res = Client().get("/shops/lakeside/")
    assert res.status_code == 200
    page = res.content.decode()
    m = shop.merchant
    for text in (
        m.legal_name,
        m.registration_number,
        "Zhang San",
        "杭州市西湖区龙井路 1 号",
        "预包装食品销售；茶叶销售",
        "Trading normally",
        "+86 571 8888 0000",
        "service@lakeside.example",
        "91330106MA2CDEFG1",
        "offers only products and services that comply with Union law",
    ):
        assert text in page, text
    licence = shop.licence
    assert licence.number in page
    assert f"{licence.issued_on:%Y-%m-%d} – {licence.expires_on:%Y-%m-%d}" in page


def test_nothing_private_is_shown(shop):
    page = Client().get("/shops/lakeside/").content.decode()
    assert "DE89370400440532013000" not in page
    assert "identity_document" not in page
    assert "IBAN" not in page


def test_cn_only_shop_has_no_trader_block(shop):
    Shop.objects.filter(pk=shop.pk).update(markets=["CN"])
    page = Client().get("/shops/lakeside/").content.decode()
    assert "Trader information" not in page
    assert "Business licence information" in page


def test_pending_and_terminated_shops_are_not_public(shop):
    applicant, _app, _owner = make_merchant("Applicant")
    Shop.objects.create(merchant=applicant, name="Soon", slug="soon")
    assert Client().get("/shops/soon/").status_code == 404
    Merchant.objects.filter(pk=shop.merchant_id).update(standing="terminated")
    assert Client().get("/shops/lakeside/").status_code == 404
    assert Client().get("/shops/nope/").status_code == 404


def test_restricted_standing_is_stated(shop):
    Merchant.objects.filter(pk=shop.merchant_id).update(standing="restricted")
    assert "Trading with restrictions" in Client().get("/shops/lakeside/").content.decode()
