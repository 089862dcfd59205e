from __future__ import annotations

import pytest

from qms.catalog import selectors, services
from qms.catalog.models import Sku
from qms.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from qms.shared.models import AuditEvent

from .factories import BrandFactory, CategoryFactory, OrganisationFactory, SkuFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(db):  # type: ignore[no-untyped-def]
    CategoryFactory(code="food", risk_level="high")
    return CategoryFactory(code="food/tea", parent=CategoryFactory(code="food"))


@pytest.fixture
def owner(make_user):  # type: ignore[no-untyped-def]
    return make_user("merchant_owner")


def _org(user) -> int:  # type: ignore[no-untyped-def]
    return user.memberships.get().organisation_id


def test_merchant_creates_its_own_product_with_audit(owner, tea) -> None:  # type: ignore[no-untyped-def]
    product = services.create_product(
        actor=owner,
        merchant_org_id=_org(owner),
        category_id=tea.pk,
        name="明前龙井 250g",
        name_en="Pre-Qingming Longjing 250 g",
        markets=["eu", "CN", "CN"],
    )
    assert product.markets == ["CN", "EU"]
    assert product.merchant_org_id == _org(owner)
    event = AuditEvent.objects.get(action="catalog.product.create")
    assert event.organisation_id == _org(owner)
    assert event.after["name"] == "明前龙井 250g"


def test_merchant_cannot_create_for_another_org(owner, make_user, tea) -> None:  # type: ignore[no-untyped-def]
    other = make_user("merchant_owner")
    with pytest.raises(PermissionDenied):
        services.create_product(
            actor=owner, merchant_org_id=_org(other), category_id=tea.pk, name="x", markets=["CN"]
        )


def test_gtin_is_validated_and_unique_per_merchant(owner, tea, make_user) -> None:  # type: ignore[no-untyped-def]
    product = services.create_product(
        actor=owner, merchant_org_id=_org(owner), category_id=tea.pk, name="Tea", markets=["CN"]
    )
    with pytest.raises(ValidationFailed) as exc:
        services.create_sku(actor=owner, product_id=product.pk, sku_code="A", gtin="4006381333932")
    assert exc.value.code == "invalid_gtin"
    assert exc.value.details["gtin"] == "4006381333932"
    sku = services.create_sku(
        actor=owner,
        product_id=product.pk,
        sku_code="A",
        gtin="036000291452",
        attributes={"net_content": "250g"},
    )
    assert sku.gtin14 == "00036000291452"
    assert sku.merchant_org_id == _org(owner)
    with pytest.raises(Conflict) as exc:  # the same item as GTIN-13
        services.create_sku(actor=owner, product_id=product.pk, sku_code="B", gtin="0036000291452")
    assert exc.value.code == "gtin_taken"
    with pytest.raises(Conflict) as exc:
        services.create_sku(actor=owner, product_id=product.pk, sku_code="A")
    assert exc.value.code == "sku_code_taken"
    other = make_user("merchant_owner")
    theirs = services.create_product(
        actor=other, merchant_org_id=_org(other), category_id=tea.pk, name="Tea", markets=["CN"]
    )
    services.create_sku(actor=other, product_id=theirs.pk, sku_code="A", gtin="036000291452")
    assert Sku.objects.filter(gtin14="00036000291452").count() == 2


def test_another_merchants_product_is_not_found(owner, make_user, tea) -> None:  # type: ignore[no-untyped-def]
    sku = SkuFactory(product__category=tea)
    for call in (
        lambda: selectors.get_product(actor=owner, product_id=sku.product_id),
        lambda: services.update_product(actor=owner, product_id=sku.product_id, name="mine"),
        lambda: services.delete_product(actor=owner, product_id=sku.product_id),
        lambda: services.create_sku(actor=owner, product_id=sku.product_id, sku_code="Z"),
        lambda: services.update_sku(actor=owner, sku_id=sku.pk, name="mine"),
        lambda: services.delete_sku(actor=owner, sku_id=sku.pk),
    ):
        with pytest.raises(NotFound):
            call()


def test_update_and_delete(owner, tea, make_user) -> None:  # type: ignore[no-untyped-def]
    product = services.create_product(
        actor=owner, merchant_org_id=_org(owner), category_id=tea.pk, name="Tea", markets=["CN"]
    )
    brand = BrandFactory()
    services.update_product(
        actor=owner, product_id=product.pk, brand_id=brand.pk, markets=["CN", "EU"]
    )
    product.refresh_from_db()
    assert product.brand_id == brand.pk
    assert product.markets == ["CN", "EU"]
    event = AuditEvent.objects.get(action="catalog.product.update")
    assert event.before == {"brand": None, "markets": ["CN"]}
    sku = services.create_sku(actor=owner, product_id=product.pk, sku_code="S1", gtin="96385074")
    services.update_sku(actor=owner, sku_id=sku.pk, gtin="")
    sku.refresh_from_db()
    assert (sku.gtin, sku.gtin14) == ("", None)
    services.delete_product(actor=owner, product_id=product.pk)
    assert not Sku.objects.exists()
    assert AuditEvent.objects.get(action="catalog.product.delete").before["sku_codes"] == ["S1"]


def test_suspended_brand_and_inactive_category_are_refused(owner, tea, make_user) -> None:  # type: ignore[no-untyped-def]
    brand = BrandFactory(status="suspended")
    with pytest.raises(ValidationFailed) as exc:
        services.create_product(
            actor=owner,
            merchant_org_id=_org(owner),
            category_id=tea.pk,
            name="x",
            markets=["CN"],
            brand_id=brand.pk,
        )
    assert exc.value.code == "brand_suspended"
    closed = CategoryFactory(code="food/closed", is_active=False)
    with pytest.raises(ValidationFailed) as exc:
        services.create_product(
            actor=owner,
            merchant_org_id=_org(owner),
            category_id=closed.pk,
            name="x",
            markets=["CN"],
        )
    assert exc.value.code == "category_inactive"


def test_platform_manager_creates_for_a_merchant_org(make_user, owner, tea) -> None:  # type: ignore[no-untyped-def]
    manager = make_user("quality_manager")
    product = services.create_product(
        actor=manager, merchant_org_id=_org(owner), category_id=tea.pk, name="Tea", markets=["CN"]
    )
    assert product.merchant_org_id == _org(owner)
    with pytest.raises(ValidationFailed) as exc:
        services.create_product(
            actor=manager,
            merchant_org_id=_org(manager),
            category_id=tea.pk,
            name="Tea",
            markets=["CN"],
        )
    assert exc.value.code == "organisation_not_merchant"
    reviewer = make_user("reviewer")
    with pytest.raises(PermissionDenied):
        services.create_product(
            actor=reviewer,
            merchant_org_id=_org(owner),
            category_id=tea.pk,
            name="Tea",
            markets=["CN"],
        )


def test_supplier_must_be_a_supplier_organisation(owner, tea) -> None:  # type: ignore[no-untyped-def]
    supplier = OrganisationFactory(kind="supplier", name="Anxi Tea Cooperative")
    product = services.create_product(
        actor=owner,
        merchant_org_id=_org(owner),
        category_id=tea.pk,
        name="铁观音",
        markets=["CN"],
        supplier_org_id=supplier.pk,
    )
    assert product.supplier_org_id == supplier.pk
    with pytest.raises(ValidationFailed) as exc:
        services.update_product(actor=owner, product_id=product.pk, supplier_org_id=_org(owner))
    assert exc.value.code == "organisation_not_supplier"
    with pytest.raises(NotFound) as exc_nf:
        services.update_product(actor=owner, product_id=product.pk, supplier_org_id=999999)
    assert exc_nf.value.code == "organisation_not_found"


def test_search_finds_a_gtin_in_any_length(owner, tea) -> None:  # type: ignore[no-untyped-def]
    product = services.create_product(
        actor=owner, merchant_org_id=_org(owner), category_id=tea.pk, name="Tea", markets=["CN"]
    )
    services.create_sku(actor=owner, product_id=product.pk, sku_code="S", gtin="036000291452")
    for q in ("036000291452", "0036000291452", "00036000291452", "s"):
        found = selectors.list_products(actor=owner, q=q)
        assert [p.pk for p in found] == [product.pk], q
        assert found[0].sku_count == 1
