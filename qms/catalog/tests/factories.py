"""Factories of the catalog. Build rows directly (tests of services call the services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from qms.accounts.models import Organisation
from qms.catalog.domain.gtin import check_digit
from qms.catalog.models import Brand, BrandAuthorisation, Category, Product, Sku


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = "merchant"
    name = factory.Sequence(lambda n: f"Merchant {n} Trading Co., Ltd.")


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"testcat{n}")
    name_en = factory.LazyAttribute(lambda o: o.code.rsplit("/", 1)[-1].title())
    name_zh = "测试类目"
    risk_level = "medium"
    deposit_amount = Decimal("30000.00")
    currency = "CNY"


class BrandFactory(DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"Brand{n}")
    name_zh = factory.Sequence(lambda n: f"品牌{n}")
    owner_name = factory.Sequence(lambda n: f"Brand Owner {n} Co., Ltd.")
    trademark_no = factory.Sequence(lambda n: f"{30000000 + n}")
    trademark_country = "CN"


class BrandAuthorisationFactory(DjangoModelFactory):
    class Meta:
        model = BrandAuthorisation

    brand = factory.SubFactory(BrandFactory)
    grantor_name = factory.LazyAttribute(lambda o: o.brand.owner_name)
    grantee_org = factory.SubFactory(OrganisationFactory)
    markets = factory.LazyFunction(lambda: ["CN", "EU"])
    valid_from = dt.date(2025, 1, 1)
    valid_to = dt.date(2030, 12, 31)


def make_gtin13(n: int) -> str:
    body = f"690{n:09d}"
    return body + str(check_digit(body))


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    merchant_org = factory.SubFactory(OrganisationFactory)
    category = factory.SubFactory(CategoryFactory, code="food")
    name = factory.Sequence(lambda n: f"西湖龙井 {n}")
    name_en = factory.Sequence(lambda n: f"West Lake Longjing {n}")
    markets = factory.LazyFunction(lambda: ["CN"])


class SkuFactory(DjangoModelFactory):
    class Meta:
        model = Sku

    product = factory.SubFactory(ProductFactory)
    merchant_org = factory.LazyAttribute(lambda o: o.product.merchant_org)
    sku_code = factory.Sequence(lambda n: f"SKU-{n:05d}")
    gtin = factory.Sequence(make_gtin13)
    gtin14 = factory.LazyAttribute(lambda o: o.gtin.zfill(14) if o.gtin else None)
