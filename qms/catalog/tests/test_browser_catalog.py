"""The staff journey through the catalog in a real browser: tree -> category -> brand chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from qms.catalog import selectors, services

from .factories import BrandAuthorisationFactory, BrandFactory, OrganisationFactory, SkuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_reads_the_tree_a_category_and_a_brand_chain(
    page: Any, log_in: Any, make_user: Any
) -> None:
    services.load_reference_catalog()
    brand = BrandFactory(name="Feihe", name_zh="飞鹤", owner_name="Feihe Dairy Co., Ltd.")
    distributor = OrganisationFactory(kind="supplier", name="North China Baby Supply")
    top = BrandAuthorisationFactory(
        brand=brand, grantee_org=distributor, valid_from=dt.date(2025, 1, 1), valid_to=None
    )
    shop = OrganisationFactory(name="Harbin Mother & Baby Store")
    BrandAuthorisationFactory(
        brand=brand,
        parent=top,
        grantor_name="",
        grantor_org=distributor,
        grantee_org=shop,
        markets=["CN"],
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2030, 12, 31),
    )
    formula = selectors.category_by_code("baby/infant_formula")
    SkuFactory(
        product__category=formula,
        product__brand=brand,
        product__merchant_org=shop,
        product__name="飞鹤星飞帆 1段 700g",
        merchant_org=shop,
    )
    log_in(page, make_user("quality_manager"))

    page.goto("/console/catalog/")
    row = page.get_by_role("row").filter(has_text="婴幼儿配方奶粉")
    expect(row).to_contain_text("food_production_licence_sc")
    expect(row.locator('[data-state="high"]')).to_be_visible()
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Infant formula")
    expect(page.locator("body")).to_contain_text("Batch inspection report")

    page.goto("/console/catalog/products/")
    page.get_by_role("link", name="飞鹤星飞帆 1段 700g").click()
    expect(page.locator("body")).to_contain_text("Authorised")
    page.get_by_role("link", name="Feihe").first.click()
    expect(page.locator("[data-chain-valid=true]")).to_have_count(1)
    expect(page.locator("body")).to_contain_text("Harbin Mother & Baby Store")
