"""The main journey, end to end in Chromium: a food merchant is onboarded, signs the quality
agreement, lets a licence lapse, and sees its category restricted.

People: Mei (merchant owner), Rhea (reviewer, first approval), Quinn (quality manager, second
approval: the category is high-risk). Platform configuration that has its own console pages
elsewhere (the category, its document requirements, the agreement) is made through services,
as an administrator would have done before.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qms.accounts.domain.roles import Role
from qms.testing.fixtures import TEST_PASSWORD
from qms.testing.samples import pdf_bytes, uscc

pytestmark = pytest.mark.browser

CATEGORY = "journey_food"
TODAY = dt.date.today()


def label(text: str) -> re.Pattern[str]:
    """A form field's label, exactly: required fields add "*" and " (required)" to it."""
    return re.compile(rf"^{re.escape(text)}\s*\*?\s*(\(required\))?$")


@pytest.fixture
def platform(make_user: Any) -> dict[str, Any]:
    from qms.catalog.services import create_category, set_category_requirement
    from qms.documents.services import load_document_types
    from qms.merchants.services_agreements import ensure_default_agreement

    load_document_types()  # a transactional test starts from an empty database
    admin = make_user(Role.ADMIN, username="ada")
    category = create_category(
        actor=admin, code=CATEGORY, name_en="Journey food", name_zh="旅程食品", risk_level="high"
    )
    for code in ("business_licence", "food_business_licence"):
        set_category_requirement(
            actor=admin, category_id=category.pk, market="CN", document_type_code=code
        )
    ensure_default_agreement(actor=admin)
    return {
        "admin": admin,
        "category": category,
        "reviewer": make_user(Role.REVIEWER, username="rhea", preferred_language="en"),
        "second": make_user(Role.QUALITY_MANAGER, username="quinn", preferred_language="en"),
    }


def flash(page: Page) -> Any:
    """The page's flash messages (a polite live region)."""
    return page.locator(".messages[role=status]")


def sign_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label(label("User name")).fill(username)
    page.get_by_label(label("Password")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def upload(
    page: Page,
    tmp_path: Path,
    *,
    type_code: str,
    number: str,
    issued: dt.date,
    expires: dt.date | None,
) -> None:
    page.goto("/portal/documents/upload/")
    page.get_by_label(label("Document type")).select_option(type_code)
    page.get_by_label(label("Document number")).fill(number)
    page.get_by_label(label("Issued by")).fill("Shanghai Municipal AMR")
    page.get_by_label(label("Issued on")).fill(issued.isoformat())
    if expires is not None:
        page.get_by_label(label("Expires on")).fill(expires.isoformat())
    scan = tmp_path / f"{type_code}.pdf"
    scan.write_bytes(pdf_bytes(f"{type_code} {number}"))
    page.get_by_label(label("File")).set_input_files(str(scan))
    page.get_by_role("button", name="Upload").click()
    expect(flash(page)).to_contain_text("Uploaded. A reviewer will check")


def open_application(page: Page, application_id: int) -> None:
    page.goto("/console/merchants/applications/")
    page.get_by_role("link", name=f"A{application_id}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"A{application_id}")


def state_badge(page: Page) -> Any:
    return page.get_by_role("heading", level=1).locator(".badge")


def test_food_merchant_is_onboarded_then_restricted_when_a_licence_lapses(
    page: Page, platform: dict[str, Any], tmp_path: Path
) -> None:
    from qms.accounts.models import User
    from qms.documents.models import Document
    from qms.merchants.models import Application, MerchantCategory
    from qms.shared.deadlines import run_due_deadlines

    # 1. Mei signs up on the public page (organisation, owner account, draft application).
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_role("link", name="New merchant? Apply to sell on the marketplace").click()
    form = page.locator("form.form")
    form.get_by_label(label("Company legal name")).fill("上海梅茶坊有限公司")
    form.get_by_label(label("Registration number")).fill(uscc(20260001))
    form.get_by_label(label("Your name")).fill("Mei Lin")
    form.get_by_label(label("User name")).fill("mei")
    form.get_by_label(label("E-mail")).fill("mei@example.com")
    form.get_by_label(label("Password")).fill(TEST_PASSWORD)
    form.get_by_label(label("Password again")).fill(TEST_PASSWORD)
    form.get_by_role("button", name="Create account and start the application").click()
    expect(page).to_have_url(re.compile(r"/portal/application/$"))
    application = Application.objects.get(merchant__organisation__memberships__user__username="mei")
    merchant = application.merchant
    User.objects.filter(username="mei").update(preferred_language="en")

    # 2. She signs in, completes the application and uploads her business licence only.
    sign_in(page, "mei")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    page.get_by_role("link", name="Continue the application").click()
    company = page.locator("#company")
    company.get_by_label(label("Legal representative")).fill("Li Mei")
    company.get_by_label(label("Registered address")).fill("88 Tea Road, Xuhui, Shanghai")
    company.get_by_role("button", name="Save company data").click()
    expect(flash(page)).to_contain_text("Saved.")
    scope = page.locator("#scope")
    scope.get_by_label("China").check()
    scope.get_by_label(label("Categories")).select_option(str(platform["category"].pk))
    scope.get_by_role("button", name="Save scope").click()
    expect(flash(page)).to_contain_text("Saved.")
    upload(
        page,
        tmp_path,
        type_code="business_licence",
        number=merchant.registration_number,
        issued=dt.date(2024, 5, 6),
        expires=None,
    )
    page.goto("/portal/application/")
    page.get_by_role("button", name="Submit for review").click()
    expect(flash(page)).to_contain_text("Saved.")
    application.refresh_from_db()
    assert application.state == "submitted"

    # 3. Rhea starts the review and asks for the missing food business licence.
    sign_in(page, "rhea")
    open_application(page, application.pk)
    page.get_by_role("button", name="Start review").click()
    expect(state_badge(page)).to_have_text(re.compile("review", re.I))
    request_info = page.locator("#request-info")
    request_info.get_by_label(re.compile("A mandatory qualification document is missing")).check()
    request_info.get_by_label(label("What the merchant must provide")).fill(
        "Please upload your food business licence (食品经营许可证)."
    )
    request_info.get_by_role("button", name="Send request").click()
    application.refresh_from_db()
    assert application.state == "info_requested"

    # 4. Mei sees the request, uploads the licence and resubmits with an answer.
    sign_in(page, "mei")
    expect(page.get_by_role("alert")).to_contain_text("Please upload your food business licence")
    expires = TODAY + dt.timedelta(days=40)
    upload(
        page,
        tmp_path,
        type_code="food_business_licence",
        number="JY13101150012345",
        issued=dt.date(2025, 6, 1),
        expires=expires,
    )
    page.goto("/portal/application/")
    page.get_by_label("Your answer").fill("Uploaded the food business licence JY13101150012345.")
    page.get_by_role("button", name="Resubmit").click()
    application.refresh_from_db()
    assert application.state == "submitted"

    # 5. Rhea verifies both documents, reviews again and gives the first approval.
    sign_in(page, "rhea")
    for doc in Document.objects.filter(organisation=merchant.organisation).order_by("pk"):
        page.goto(f"/console/documents/{doc.pk}/")
        page.locator("#review").get_by_role("button", name="Verify").click()
        doc.refresh_from_db()
        assert doc.status == "verified", doc.document_type.code
    open_application(page, application.pk)
    page.get_by_role("button", name="Start review").click()
    page.locator("#approve").get_by_role("button", name="Approve").click()
    expect(page.get_by_text("A second approver (another person")).to_be_visible()
    application.refresh_from_db()
    assert application.state == "awaiting_second_approval"

    # 6. Quinn, a different person with the right, gives the second approval.
    sign_in(page, "quinn")
    open_application(page, application.pk)
    page.get_by_role("button", name="Approve as second approver").click()
    application = Application.objects.get(pk=application.pk)
    assert application.state == "approved"

    # 7. Mei sees the approval and signs the quality agreement.
    sign_in(page, "mei")
    expect(page.locator(".alert-success")).to_contain_text("Approved.")
    page.goto("/portal/agreement/")
    page.get_by_label(re.compile("I have read this agreement in full")).check()
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_role("button", name="Sign the agreement")).to_have_count(0)

    # 8. The food business licence lapses: the deadline scheduler runs on a moved clock.
    page.goto("/portal/")
    row = page.get_by_role("row").filter(has_text=CATEGORY)
    expect(row).to_contain_text(re.compile("active", re.I))
    fired = run_due_deadlines(now=timezone.now() + dt.timedelta(days=42))
    assert fired >= 1
    licence = Document.objects.get(
        organisation=merchant.organisation, document_type__code="food_business_licence"
    )
    assert licence.status == "expired"
    restricted = MerchantCategory.objects.get(merchant=merchant, category=platform["category"])
    assert restricted.status == "restricted"

    # 9. Mei sees the category restricted on her portal, and is told so in her inbox.
    page.reload()
    expect(page.get_by_role("row").filter(has_text=CATEGORY)).to_contain_text(
        re.compile("restricted", re.I)
    )
    page.goto("/notifications/")
    expect(page.get_by_text("Category Journey food is restricted")).to_be_visible()
