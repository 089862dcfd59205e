from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from qms.catalog import selectors, services
from qms.catalog.models import CategoryDocumentRequirement
from qms.testing.fixtures import TEST_PASSWORD

from .factories import BrandAuthorisationFactory, BrandFactory, OrganisationFactory, SkuFactory

pytestmark = pytest.mark.django_db


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


@pytest.fixture
def tree(db):  # type: ignore[no-untyped-def]
    services.load_reference_catalog()


def test_category_tree_page_shows_risk_and_documents(tree, reviewer) -> None:  # type: ignore[no-untyped-def]
    page = login(reviewer).get(reverse("catalog:category_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "婴幼儿配方奶粉" in html
    assert 'data-state="high"' in html
    assert "food_production_licence_sc" in html
    assert "ce_declaration" in html
    filtered = (
        login(reviewer).get(reverse("catalog:category_list"), {"risk": "low"}).content.decode()
    )
    assert "图书" in filtered
    assert "婴幼儿配方奶粉" not in filtered


def test_category_detail_and_requirement_form(tree, make_user) -> None:  # type: ignore[no-untyped-def]
    manager = make_user("quality_manager")
    honey_parent = selectors.category_by_code("food/snacks")
    client = login(manager)
    url = reverse("catalog:category_detail", kwargs={"category_id": honey_parent.pk})
    html = client.get(url).content.decode()
    assert "food_business_licence" in html
    assert "Save requirement" in html
    posted = client.post(
        reverse("catalog:set_requirement", kwargs={"category_id": honey_parent.pk}),
        {
            "market": "CN",
            "document_type_code": "test_report",
            "mandatory": "on",
            "note": "GB 17401 puffed food report",
        },
    )
    assert posted.status_code == 302
    req = CategoryDocumentRequirement.objects.get(
        category=honey_parent, document_type_code="test_report", market="CN"
    )
    assert req.mandatory
    assert req.note == "GB 17401 puffed food report"


def test_merchant_cannot_change_requirements_from_the_page(tree, make_user) -> None:  # type: ignore[no-untyped-def]
    merchant = make_user("merchant_owner")
    cat = selectors.category_by_code("books")
    client = login(merchant)
    assert (
        "Save requirement"
        not in client.get(
            reverse("catalog:category_detail", kwargs={"category_id": cat.pk})
        ).content.decode()
    )
    denied = client.post(
        reverse("catalog:set_requirement", kwargs={"category_id": cat.pk}),
        {"market": "CN", "document_type_code": "iso9001"},
    )
    assert denied.status_code in {403, 422}
    assert not CategoryDocumentRequirement.objects.filter(
        category=cat, document_type_code="iso9001"
    ).exists()


def test_brand_pages_show_chains_with_validity(reviewer) -> None:  # type: ignore[no-untyped-def]
    brand = BrandFactory(name="Moutai", name_zh="茅台")
    distributor = OrganisationFactory(kind="supplier", name="Guizhou Wine Distribution")
    top = BrandAuthorisationFactory(
        brand=brand,
        grantee_org=distributor,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2030, 1, 1),
    )
    BrandAuthorisationFactory(
        brand=brand,
        parent=top,
        grantor_name="",
        grantor_org=distributor,
        grantee_org=OrganisationFactory(name="Shop A"),
        markets=["CN"],
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
    )
    client = login(reviewer)
    listing = client.get(reverse("catalog:brand_list"), {"q": "茅台"}).content.decode()
    assert "Moutai" in listing
    url = reverse("catalog:brand_detail", kwargs={"brand_id": brand.pk})
    html = client.get(url, {"on": "2025-06-01"}).content.decode()
    assert "Guizhou Wine Distribution" in html
    assert "Shop A" in html
    assert 'data-chain-valid="true"' in html
    later = client.get(url, {"on": "2026-06-01"}).content.decode()
    assert 'data-chain-valid="false"' in later
    assert "expired" in later


def test_product_pages_are_scoped_to_the_merchant(tree, make_user) -> None:  # type: ignore[no-untyped-def]
    alice, bob = make_user("merchant_owner"), make_user("merchant_owner")
    tea = selectors.category_by_code("food/tea")
    mine = SkuFactory(
        product__category=tea,
        product__name="Alice 龙井",
        product__merchant_org_id=alice.memberships.get().organisation_id,
        merchant_org_id=alice.memberships.get().organisation_id,
    )
    SkuFactory(
        product__category=tea,
        product__name="Bob 碧螺春",
        product__merchant_org_id=bob.memberships.get().organisation_id,
        merchant_org_id=bob.memberships.get().organisation_id,
    )
    client = login(alice)
    html = client.get(reverse("catalog:product_list")).content.decode()
    assert "Alice 龙井" in html
    assert "Bob 碧螺春" not in html
    searched = client.get(reverse("catalog:product_list"), {"q": mine.gtin}).content.decode()
    assert "Alice 龙井" in searched
    detail = client.get(reverse("catalog:product_detail", kwargs={"product_id": mine.product_id}))
    assert detail.status_code == 200
    assert "food_production_licence_sc" in detail.content.decode()
    theirs = login(bob).get(
        reverse("catalog:product_detail", kwargs={"product_id": mine.product_id})
    )
    assert theirs.status_code == 404


def test_pages_need_login(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("catalog:category_list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_revoking_from_the_brand_page(make_user) -> None:  # type: ignore[no-untyped-def]
    manager = make_user("quality_manager")
    link = BrandAuthorisationFactory(valid_from=dt.date(2025, 1, 1))
    client = login(manager)
    url = reverse(
        "catalog:revoke_authorisation",
        kwargs={"brand_id": link.brand_id, "authorisation_id": link.pk},
    )
    assert client.post(url, {"reason": ""}).status_code == 302
    link.refresh_from_db()
    assert link.status == "active"
    assert client.post(url, {"reason": "Authorisation letter forged"}).status_code == 302
    link.refresh_from_db()
    assert (link.status, link.revoked_reason) == ("revoked", "Authorisation letter forged")
    html = client.get(reverse("catalog:brand_detail", kwargs={"brand_id": link.brand_id}))
    assert "Authorisation letter forged" in html.content.decode()


def test_product_list_queries_are_bounded(tree, reviewer, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    tea = selectors.category_by_code("food/tea")
    for _ in range(8):
        SkuFactory(product__category=tea, product__brand=BrandFactory())
    client = login(reviewer)
    client.get(reverse("catalog:product_list"))  # warm the session and navigation
    with django_assert_max_num_queries(15):
        page = client.get(reverse("catalog:product_list"))
    assert len(re.findall(r'href="/console/catalog/products/\d+/"', page.content.decode())) == 8
