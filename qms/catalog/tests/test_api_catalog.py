from __future__ import annotations

import datetime as dt

import pytest

from qms.catalog import services
from qms.catalog.models import Product, Sku
from qms.shared.models import AuditEvent

from .factories import BrandAuthorisationFactory, BrandFactory, CategoryFactory, SkuFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/catalog"


@pytest.fixture
def tree(db):  # type: ignore[no-untyped-def]
    services.load_reference_catalog()
    from qms.catalog import selectors

    return selectors.category_by_code("food/tea")


@pytest.fixture
def alice(make_user):  # type: ignore[no-untyped-def]
    return make_user("merchant_owner", username="alice")


@pytest.fixture
def bob(make_user):  # type: ignore[no-untyped-def]
    return make_user("merchant_staff", username="bob")


def org_of(user) -> int:  # type: ignore[no-untyped-def]
    return user.memberships.get().organisation_id


def test_categories_list_tree_and_detail(tree, alice, api_client_for) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(alice)
    page = client.get(f"{API}/categories", params={"limit": 100}).json()
    assert len(page["items"]) == 100
    assert page["next_cursor"]
    rest = client.get(
        f"{API}/categories", params={"limit": 100, "cursor": page["next_cursor"]}
    ).json()
    codes = [c["code"] for c in page["items"] + rest["items"]]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert rest["next_cursor"] is None
    roots = client.get(f"{API}/categories/tree").json()
    assert [r["code"] for r in roots][:3] == ["food", "health_supplement", "cosmetics"]
    assert "food/tea" in [c["code"] for c in roots[0]["children"]]
    detail = client.get(f"{API}/categories/{tree.pk}").json()
    assert detail["parent_code"] == "food"
    assert detail["risk_level"] == "medium"
    cn = {r["document_type_code"]: r for r in detail["requirements"]["CN"]}
    assert cn["food_production_licence_sc"]["category_code"] == "food"
    docs = client.get(
        f"{API}/categories/{tree.pk}/required-documents", params={"market": "CN"}
    ).json()
    assert "food_production_licence_sc" in docs["document_type_codes"]
    assert (
        client.get(f"{API}/categories/lookup", params={"code": "food/tea"}).json()["id"] == tree.pk
    )
    missing = client.get(f"{API}/categories/lookup", params={"code": "food/nope"})
    assert missing.status_code == 404
    assert missing.json()["code"] == "category_not_found"


def test_category_writes_need_catalog_manage(tree, alice, make_user, api_client_for) -> None:  # type: ignore[no-untyped-def]
    body = {"code": "food/honey", "name_en": "Honey", "name_zh": "蜂蜜", "risk_level": "high"}
    denied = api_client_for(alice).post(f"{API}/categories", json=body)
    assert denied.status_code == 403
    assert denied.json()["code"] == "permission_denied"
    manager = api_client_for(make_user("quality_manager"))
    created = manager.post(f"{API}/categories", json=body)
    assert created.status_code == 201
    assert created.json()["deposit_amount"] == "50000.00"  # default for high risk
    assert created.json()["parent_id"] == tree.parent_id
    cid = created.json()["id"]
    req = manager.post(
        f"{API}/categories/{cid}/requirements",
        json={
            "market": "CN",
            "document_type_code": "test_report",
            "note": "GB 14963 honey standard",
        },
    )
    assert req.status_code == 200
    assert req.json()["category_code"] == "food/honey"
    patched = manager.patch(f"{API}/categories/{cid}", json={"deposit_amount": "60000"})
    assert patched.json()["deposit_amount"] == "60000.00"
    assert (
        AuditEvent.objects.filter(action="catalog.category.update", object_id=str(cid)).count() == 1
    )
    gone = manager.delete(f"{API}/categories/{cid}/requirements/{req.json()['id']}")
    assert gone.status_code == 204
    bad = manager.post(f"{API}/categories", json={**body, "code": "Food Honey"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "category_code_invalid"


def test_product_crud_for_own_merchant(tree, alice, api_client_for) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(alice)
    made = client.post(
        f"{API}/products", json={"category_id": tree.pk, "name": "明前龙井", "markets": ["CN"]}
    )
    assert made.status_code == 201
    assert made.json()["merchant_org_id"] == org_of(alice)
    assert made.json()["category_code"] == "food/tea"
    pid = made.json()["id"]
    sku = client.post(
        f"{API}/products/{pid}/skus",
        json={"sku_code": "LJ-250", "gtin": "6901234567892", "attributes": {"net_content": "250g"}},
    )
    assert sku.status_code == 201
    assert sku.json()["gtin14"] == "06901234567892"
    assert (
        client.patch(f"{API}/products/{pid}", json={"name": "明前龙井 特级"}).json()["name"]
        == "明前龙井 特级"
    )
    listed = client.get(f"{API}/products", params={"q": "LJ-250"}).json()
    assert [p["id"] for p in listed["items"]] == [pid]
    assert (
        client.get(f"{API}/products", params={"category": "food"}).json()["items"][0]["id"] == pid
    )
    assert client.get(f"{API}/products", params={"market": "EU"}).json()["items"] == []
    skus = client.get(f"{API}/products/{pid}/skus").json()["items"]
    assert [s["sku_code"] for s in skus] == ["LJ-250"]
    sid = skus[0]["id"]
    assert client.patch(f"{API}/skus/{sid}", json={"is_active": False}).json()["is_active"] is False
    assert client.delete(f"{API}/skus/{sid}").status_code == 204
    assert client.delete(f"{API}/products/{pid}").status_code == 204
    assert not Product.objects.exists()


def test_invalid_gtin_is_422_with_code(tree, alice, api_client_for) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(alice)
    pid = client.post(
        f"{API}/products", json={"category_id": tree.pk, "name": "Tea", "markets": ["CN"]}
    ).json()["id"]
    bad = client.post(f"{API}/products/{pid}/skus", json={"sku_code": "X", "gtin": "6901234567891"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_gtin"
    assert bad.json()["gtin"] == "6901234567891"
    sid = client.post(f"{API}/products/{pid}/skus", json={"sku_code": "X"}).json()["id"]
    patched = client.patch(f"{API}/skus/{sid}", json={"gtin": "123"})
    assert patched.status_code == 422
    assert patched.json()["code"] == "invalid_gtin"
    assert not Sku.objects.exclude(gtin="").exists()


def test_cross_merchant_isolation_on_every_product_endpoint(
    tree, alice, bob, api_client_for
) -> None:  # type: ignore[no-untyped-def]
    sku = SkuFactory(
        product__category=tree,
        product__merchant_org_id=org_of(alice),
        merchant_org_id=org_of(alice),
    )
    pid = sku.product_id
    client = api_client_for(bob)
    calls = [
        client.get(f"{API}/products/{pid}"),
        client.patch(f"{API}/products/{pid}", json={"name": "stolen"}),
        client.delete(f"{API}/products/{pid}"),
        client.get(f"{API}/products/{pid}/skus"),
        client.post(f"{API}/products/{pid}/skus", json={"sku_code": "B-1"}),
        client.get(f"{API}/skus/{sku.pk}"),
        client.patch(f"{API}/skus/{sku.pk}", json={"name": "stolen"}),
        client.delete(f"{API}/skus/{sku.pk}"),
    ]
    assert [r.status_code for r in calls] == [404] * len(calls)
    assert {r.json()["code"] for r in calls} == {"product_not_found", "sku_not_found"}
    assert client.get(f"{API}/products").json()["items"] == []
    assert (
        client.get(f"{API}/products", params={"merchant_org_id": org_of(alice)}).json()["items"]
        == []
    )
    forged = client.post(
        f"{API}/products",
        json={
            "category_id": tree.pk,
            "name": "x",
            "markets": ["CN"],
            "merchant_org_id": org_of(alice),
        },
    )
    assert forged.status_code == 403
    assert Product.objects.get().name == sku.product.name


def test_platform_reader_sees_all_products_in_bounded_queries(
    tree, alice, bob, reviewer, api_client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for owner in (alice, bob):
        for _ in range(3):
            SkuFactory(
                product__category=tree,
                product__merchant_org_id=org_of(owner),
                merchant_org_id=org_of(owner),
            )
    client = api_client_for(reviewer)
    with django_assert_max_num_queries(12):
        items = client.get(f"{API}/products").json()["items"]
    assert len(items) == 6
    assert (
        client.post(
            f"{API}/products",
            json={
                "category_id": tree.pk,
                "name": "x",
                "markets": ["CN"],
                "merchant_org_id": org_of(alice),
            },
        ).status_code
        == 403
    )


def test_brand_authorisation_endpoints(alice, bob, make_user, api_client_for) -> None:  # type: ignore[no-untyped-def]
    manager = api_client_for(make_user("quality_manager"))
    brand = manager.post(
        f"{API}/brands",
        json={
            "name": "Feihe",
            "name_zh": "飞鹤",
            "owner_name": "Feihe Dairy Co., Ltd.",
            "trademark_no": "1234567",
        },
    )
    assert brand.status_code == 201
    bid = brand.json()["id"]
    assert (
        api_client_for(alice)
        .post(f"{API}/brands", json={"name": "x", "owner_name": "y"})
        .status_code
        == 403
    )
    root = manager.post(
        f"{API}/authorisations",
        json={
            "brand_id": bid,
            "grantee_org_id": org_of(alice),
            "markets": ["CN"],
            "valid_from": "2025-01-01",
            "valid_to": "2030-12-31",
        },
    )
    assert root.status_code == 201
    assert root.json()["grantor_name"] == "Feihe Dairy Co., Ltd."
    on = "2027-01-01"
    check = (
        api_client_for(alice)
        .get(
            f"{API}/authorisations/check",
            params={"organisation_id": org_of(alice), "brand_id": bid, "market": "CN", "on": on},
        )
        .json()
    )
    assert check["ok"]
    assert [c["id"] for c in check["chain"]] == [root.json()["id"]]
    eu = (
        api_client_for(alice)
        .get(
            f"{API}/authorisations/check",
            params={"organisation_id": org_of(alice), "brand_id": bid, "market": "EU", "on": on},
        )
        .json()
    )
    assert (eu["ok"], eu["failure"]) == (False, "market_not_covered")
    # bob may not look at alice's authorisations, nor check them
    bob_client = api_client_for(bob)
    assert bob_client.get(f"{API}/authorisations/{root.json()['id']}").status_code == 404
    assert bob_client.get(f"{API}/authorisations").json()["items"] == []
    assert (
        bob_client.get(
            f"{API}/authorisations/check",
            params={"organisation_id": org_of(alice), "brand_id": bid, "market": "CN"},
        ).status_code
        == 404
    )
    assert bob_client.get(f"{API}/brands/{bid}/chains").json() == []
    assert (
        bob_client.post(
            f"{API}/authorisations/{root.json()['id']}/revoke", json={"reason": "x"}
        ).status_code
        == 403
    )
    chains = api_client_for(alice).get(f"{API}/brands/{bid}/chains", params={"on": on}).json()
    assert chains[0]["valid"]
    assert chains[0]["links"][0]["failure"] is None
    revoked = manager.post(
        f"{API}/authorisations/{root.json()['id']}/revoke", json={"reason": "Letter withdrawn"}
    )
    assert revoked.json()["status"] == "revoked"
    again = manager.post(f"{API}/authorisations/{root.json()['id']}/revoke", json={"reason": "x"})
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"
    assert (
        manager.post(f"{API}/brands/{bid}/suspend", json={"reason": "Counterfeits"}).json()[
            "status"
        ]
        == "suspended"
    )


def test_brands_are_readable_by_everyone_logged_in(alice, api_client_for) -> None:  # type: ignore[no-untyped-def]
    BrandFactory(name="Anta", name_zh="安踏")
    BrandFactory(name="Li-Ning", name_zh="李宁")
    client = api_client_for(alice)
    assert [b["name"] for b in client.get(f"{API}/brands").json()["items"]] == ["Anta", "Li-Ning"]
    assert [b["name"] for b in client.get(f"{API}/brands", params={"q": "李"}).json()["items"]] == [
        "Li-Ning"
    ]
    assert api_client_for(None).get(f"{API}/brands").status_code == 401


def test_authorisation_list_for_platform(reviewer, api_client_for) -> None:  # type: ignore[no-untyped-def]
    link = BrandAuthorisationFactory(valid_from=dt.date(2025, 1, 1))
    items = (
        api_client_for(reviewer)
        .get(f"{API}/authorisations", params={"brand_id": link.brand_id})
        .json()["items"]
    )
    assert [i["id"] for i in items] == [link.pk]
    CategoryFactory(code="books")


def test_platform_data_writes_are_refused_to_merchants(tree, alice, api_client_for) -> None:  # type: ignore[no-untyped-def]
    brand = BrandFactory()
    link = BrandAuthorisationFactory(brand=brand, valid_from=dt.date(2025, 1, 1))
    req = tree.parent.requirements.first()
    client = api_client_for(alice)
    calls = [
        client.post(
            f"{API}/categories",
            json={"code": "food/x", "name_en": "X", "name_zh": "X", "risk_level": "low"},
        ),
        client.patch(f"{API}/categories/{tree.pk}", json={"deposit_amount": "1"}),
        client.post(
            f"{API}/categories/{tree.pk}/requirements",
            json={"market": "CN", "document_type_code": "iso9001"},
        ),
        client.delete(f"{API}/categories/{tree.parent_id}/requirements/{req.pk}"),
        client.patch(f"{API}/brands/{brand.pk}", json={"name": "Mine now"}),
        client.post(f"{API}/brands/{brand.pk}/suspend", json={"reason": "x"}),
        client.post(f"{API}/brands/{brand.pk}/reinstate", json={"reason": "x"}),
        client.post(
            f"{API}/authorisations",
            json={
                "brand_id": brand.pk,
                "grantee_org_id": org_of(alice),
                "markets": ["CN"],
                "valid_from": "2025-01-01",
            },
        ),
        client.post(f"{API}/authorisations/{link.pk}/revoke", json={"reason": "x"}),
    ]
    assert [r.status_code for r in calls] == [403] * len(calls)
    assert {r.json()["code"] for r in calls} == {"permission_denied"}
    tree.refresh_from_db()
    brand.refresh_from_db()
    link.refresh_from_db()
    assert (tree.deposit_amount, brand.status, link.status) == (30000, "active", "active")
    assert (
        not AuditEvent.objects.filter(action__startswith="catalog.")
        .exclude(action="catalog.reference.load")
        .exists()
    )


def test_duplicate_gtin_is_409_for_the_same_merchant_only(tree, alice, bob, api_client_for) -> None:  # type: ignore[no-untyped-def]
    for user in (alice, bob):
        client = api_client_for(user)
        pid = client.post(
            f"{API}/products", json={"category_id": tree.pk, "name": "Tea", "markets": ["CN"]}
        ).json()["id"]
        first = client.post(
            f"{API}/products/{pid}/skus", json={"sku_code": "A", "gtin": "4006381333931"}
        )
        assert first.status_code == 201
    again = client.post(
        f"{API}/products/{pid}/skus", json={"sku_code": "B", "gtin": "04006381333931"}
    )
    assert again.status_code == 409
    assert again.json()["code"] == "gtin_taken"


def test_tree_with_requirements_in_few_queries(
    tree, alice, api_client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(alice)
    with django_assert_max_num_queries(8):  # token, profile, categories, requirements
        roots = client.get(f"{API}/categories/tree", params={"with_requirements": True}).json()
    food = roots[0]
    assert "food_production_licence_sc" in {
        r["document_type_code"] for r in food["requirements"]["CN"]
    }
    tea = next(c for c in food["children"] if c["code"] == "food/tea")
    assert {r["category_code"] for r in tea["requirements"]["CN"]} == {"food", "food/tea"}
