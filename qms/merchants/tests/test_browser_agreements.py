"""Journeys in a real browser: staff publish an agreement and restrict a category from the
standing panel (htmx); the merchant's owner reads the agreement and signs it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from qms.accounts.domain.roles import Role
from qms.merchants.models import AgreementSignature, MerchantCategory

from .factories import make_category, make_live_merchant
from .test_services_agreements import BODY_EN, BODY_ZH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_then_the_owner_signs(page: Any, log_in: Any, make_user: Any) -> None:
    toys = make_category("toys")
    merchant, owner = make_live_merchant("Toy Shop", categories=(toys,))
    qm = make_user(Role.QUALITY_MANAGER)
    log_in(page, qm)
    page.goto("/console/merchants/agreements/")
    page.get_by_role("link", name="New agreement").click()
    page.get_by_label("Code").fill("quality")
    page.get_by_label("Title (English)").fill("Quality Agreement")
    page.get_by_label("Title (Chinese)").fill("质量协议")
    page.get_by_label("Text (English)").fill(BODY_EN)
    page.get_by_label("Text (Chinese)").fill(BODY_ZH)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("body")).to_contain_text("Draft saved.")
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who signed")
    expect(page.locator("body")).to_contain_text("Toy Shop Co., Ltd.")

    page.context.clear_cookies()
    log_in(page, owner)
    page.goto("/portal/agreement/")
    expect(page.locator("body")).to_contain_text("四、召回义务")
    page.get_by_label("I have read this agreement in full").check()
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.locator("body")).to_contain_text("The agreement is signed.")
    signature = AgreementSignature.objects.get()
    assert (signature.merchant_id, signature.signer_id) == (merchant.pk, owner.pk)
    assert "Chrome" in signature.user_agent


def test_quality_manager_restricts_a_category_in_the_panel(
    page: Any, log_in: Any, make_user: Any
) -> None:
    toys = make_category("toys")
    merchant, _owner = make_live_merchant("Toy Shop", categories=(toys,))
    log_in(page, make_user(Role.QUALITY_MANAGER))
    page.goto(f"/console/merchants/{merchant.pk}/standing/")
    row = page.get_by_role("row").filter(has_text="toys")
    row.get_by_label("Explanation").fill("Lead above GB 6675 limits")
    row.get_by_role("button", name="Restrict").click()
    expect(page.locator("body")).to_contain_text("Standing updated.")
    expect(page.locator("body")).to_contain_text("Lead above GB 6675 limits")
    assert MerchantCategory.objects.get(merchant=merchant).status == "restricted"
