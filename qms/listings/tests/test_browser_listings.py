"""The listing journey in a real browser: an evasive banned term and a missing certificate are
rejected with both reasons; the merchant fixes both and the listing goes live; the quality team
bans a new term in the rule book (urgent: a regulator's order), the re-scan it starts flags the
listing, the merchant is told, and the deadline withdraws it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qms.listings.models import Listing
from qms.shared.deadlines import run_due_deadlines
from qms.shared.models import Notification

from .factories import category, give_document, make_seller

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reject_fix_approve_rescan_withdraw(
    page: Any, log_in: Any, make_user: Any, live_server: Any
) -> None:
    books = category("books", requires={"CN": ["business_licence"]})
    merchant, owner = make_seller(books)
    log_in(page, owner)

    page.goto(live_server.url + "/portal/listings/new/")
    page.get_by_label("Category").select_option("books")
    page.get_by_label("Title").fill("全网最\u200b佳 三体 精装版")
    page.get_by_label("Description").fill("<script>alert(1)</script>科幻小说")
    page.get_by_role("button", name="Submit for checking").click()
    expect(page.locator('[data-state="rejected"]').first).to_be_visible()
    expect(page.locator('tr[data-rule^="listing.term."]')).to_have_count(1)
    expect(page.locator('tr[data-rule="listing.documents.required"]')).to_have_count(1)
    expect(page.locator("mark[data-hit]")).to_have_count(1)
    expect(page.locator(".listing-description")).to_contain_text("<script>alert(1)</script>")

    give_document(merchant, "business_licence")
    page.get_by_role("link", name="Edit (new version)").click()
    page.get_by_label("Title").fill("三体 精装版")
    page.get_by_label("Description").fill("刘慈欣著，科幻长篇。首印版本，升值潜力大。")
    page.get_by_role("button", name="Submit for checking").click()
    expect(page.locator('[data-state="live"]').first).to_be_visible()
    listing = Listing.objects.get(merchant_org=merchant.organisation)
    assert listing.live_version.number == 2

    log_in(page, make_user("quality_manager"))
    page.goto(live_server.url + "/console/listings/rules/")
    form = page.locator("#add-term")
    form.get_by_text("Ban or restrict a term").click()  # the form opens on demand
    form.get_by_label("Term").fill("升值潜力")
    form.get_by_label("Kind").select_option("absolute_claim")
    form.get_by_label("Legal basis").fill("PRC Advertising Law Art. 25 (no promise of returns)")
    form.get_by_label("Urgent").check()
    form.get_by_label("Reason").fill("SAMR notice on investment claims for collectibles")
    form.get_by_role("button", name="Add the rule").click()
    expect(page.locator("h1")).to_contain_text("升值潜力")
    expect(page.locator('tr[data-version="1"]')).to_contain_text("SAMR notice")

    page.goto(live_server.url + "/console/listings/rescans/")
    page.locator("table a").first.click()
    expect(page.locator("#rescan-progress progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("link", name=f"L{listing.pk}")).to_be_visible()
    assert Notification.objects.filter(user=owner, kind="listings.rules_announced").exists()
    assert Notification.objects.filter(user=owner, kind="listings.rescan_flagged").exists()

    run_due_deadlines(now=timezone.now() + dt.timedelta(days=8))
    log_in(page, owner)
    page.goto(live_server.url + f"/portal/listings/{listing.pk}/")
    expect(page.locator('h1 [data-state="withdrawn"]')).to_be_visible()


def test_take_down_appeal_restore(page: Any, log_in: Any, make_user: Any, live_server: Any) -> None:
    """A reviewer takes a live listing down with reasons and evidence; the merchant reads why
    and appeals; another reviewer claims the appeal with the keyboard and approves it; the
    listing is on sale again."""
    from qms.listings.models import ReviewTask

    from .factories import make_listing

    category("books")
    _merchant, owner = make_seller()
    listing = make_listing(owner, title="三体 典藏版")
    first = make_user("reviewer", username="rev-a")
    second = make_user("reviewer", username="rev-b")

    log_in(page, first)
    page.goto(live_server.url + f"/console/listings/{listing.pk}/")
    form = page.locator("#take-down")
    form.get_by_text("Take the listing down").click()
    form.get_by_label("Misleading title, description or images").check()
    form.get_by_label("What was found").fill("Complaint 2211: the edition sold is a reprint.")
    form.get_by_label("Evidence reference").fill("ticket 2211")
    form.get_by_role("button", name="Take down").click()
    expect(page.locator('[data-testid="review-hold"]')).to_be_visible()

    log_in(page, owner)
    page.goto(live_server.url + f"/portal/listings/{listing.pk}/")
    expect(page.locator('[data-testid="review-hold"]')).to_be_visible()
    expect(page.locator('[data-reason="misleading"]')).to_be_visible()
    expect(page.get_by_text("Complaint 2211")).to_be_visible()
    page.get_by_label("Why is the decision wrong?").fill(
        "It is the first edition; photos attached."
    )
    page.get_by_role("button", name="Appeal").click()

    task = ReviewTask.objects.get(kind="appeal")
    log_in(page, second)
    page.goto(live_server.url + f"/console/listings/tasks/{task.pk}/")
    page.keyboard.press("c")
    page.locator("#decide-form").get_by_label("Rule hit is a false positive").check()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Decided. Next task:")).to_be_visible()
    listing.refresh_from_db()
    assert (listing.state, listing.review_hold) == ("live", "")
