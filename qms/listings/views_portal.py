"""Merchant portal pages under /portal/listings/ (namespace ``listings_portal``): my listings,
create, edit (a new version), the verdict with hits inline, appeal, withdraw, bulk upload."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.accounts.permissions import ensure_can
from qms.catalog import selectors as catalog
from qms.shared.errors import DomainError
from qms.shared.pagination import page_for_view

from . import (
    selectors,
    services,
    services_announce,
    services_bulk,
    services_images,
    services_review,
)
from .forms import AppealForm, BulkForm, ListingForm
from .highlight import annotate
from .services import ListingInput

STATES = ["pending", "live", "withdrawn"]


def _page(request: HttpRequest, qs: Any, order: tuple[str, str]) -> tuple[list[Any], str | None]:
    return page_for_view(qs, cursor=request.GET.get("cursor"), order=order)


def _choices(request: HttpRequest) -> dict[str, Any]:
    return {
        "categories": [(c.code, f"{c.code} · {c.name_en}") for c in catalog.active_categories()],
        "brands": [(str(b.pk), b.name) for b in catalog.list_brands(actor=request.user)[:500]],
    }


@login_required
def my_listings(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "listings.view_own")
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    qs = selectors.listings_for(request.user, state=state, q=request.GET.get("q", ""))
    # live listings a re-scan flagged: the earliest correction deadline of each
    due: dict[int, Any] = {}
    for f in selectors.findings_for(request.user).filter(state="open"):
        due.setdefault(f.listing_id, f.due_at)
    to_fix = request.GET.get("fix") == "1"
    if to_fix:
        qs = qs.filter(pk__in=list(due))
    listings, next_cursor = _page(request, qs, ("-created_at", "-id"))
    for listing in listings:
        listing.fix_by = due.get(listing.pk)
    return render(
        request,
        "listings/portal/list.html",
        {
            "listings": listings,
            "next_cursor": next_cursor,
            "state": state,
            "states": STATES,
            "to_fix": to_fix,
            "fix_count": len(due),
            "fix_first": min(due.values()) if due else None,
            "upcoming": services_announce.upcoming_for(request.user)[:20],
        },
    )


def _input(form: ListingForm, image_id: int | None, *, editing: bool) -> ListingInput:
    d = form.cleaned_data
    return ListingInput(
        title=d["title"],
        description=d["description"],
        attributes=d["attributes"],
        price=d["price"],
        currency=d["currency"],
        image_ids=[image_id] if image_id else [],
        category=d["category"],
        markets=d["markets"],
        gtin=d["gtin"],
        brand_id=int(d["brand"]) if d["brand"] else None,
        external_id="" if editing else d.get("external_id", ""),
    )


def _save(request: HttpRequest, form: ListingForm, listing_id: int | None) -> Any:
    """Run the service for a valid form; errors go back onto the form. The listing id or None."""
    try:
        image_id = None
        upload = form.cleaned_data.get("image")
        if upload:
            image_id = services_images.upload_image(
                actor=request.user, name=upload.name, data=upload
            ).pk
        if listing_id is None:
            listing = services.create_listing(
                actor=request.user, data=_input(form, image_id, editing=False)
            )
            return listing.pk
        services.submit_version(
            actor=request.user, listing_id=listing_id, data=_input(form, image_id, editing=True)
        )
        return listing_id
    except DomainError as exc:
        field = str(exc.details.get("field", "")).split(".")[0]
        if exc.code.startswith("file_"):
            field = "image"
        if field == "image_ids":
            field = "image"
        if field == "brand_id":
            field = "brand"
        form.add_error(field if field in form.fields else None, exc.message)
        return None


@login_required
def create(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "listings.edit_own")
    form = ListingForm(request.POST or None, request.FILES or None, **_choices(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            listing_id = _save(request, form, None)
            if listing_id is not None:
                messages.success(request, _("Submitted. The verdict is below."))
                return redirect("listings_portal:detail", listing_id=listing_id)
    return render(
        request, "listings/portal/form.html", {"form": form, "listing": None}, status=status
    )


@login_required
def edit(request: HttpRequest, listing_id: int) -> HttpResponse:
    ensure_can(request.user, "listings.edit_own")
    listing = selectors.get_listing(request.user, listing_id=listing_id)
    latest = listing.latest_version
    initial = {
        "category": listing.category.code,
        "markets": listing.markets,
        "gtin": listing.gtin,
        "brand": str(listing.brand_id or ""),
        "title": latest.title if latest else "",
        "description": latest.description if latest else "",
        "attributes": "\n".join(f"{k}: {v}" for k, v in (latest.attributes or {}).items())
        if latest
        else "",
        "price": latest.price if latest else None,
        "currency": latest.currency if latest else "CNY",
    }
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        editing=True,
        **_choices(request),
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and _save(request, form, listing.pk) is not None:
            messages.success(
                request,
                _(
                    "The new version was submitted. The live version stays "
                    "on sale until it is approved."
                ),
            )
            return redirect("listings_portal:detail", listing_id=listing.pk)
    return render(
        request, "listings/portal/form.html", {"form": form, "listing": listing}, status=status
    )


@login_required
def detail(request: HttpRequest, listing_id: int) -> HttpResponse:
    ensure_can(request.user, "listings.view_own")
    listing = selectors.get_listing(request.user, listing_id=listing_id)
    version = listing.latest_version
    context: dict[str, Any] = {
        "listing": listing,
        "version": version,
        "versions": selectors.versions_of(request.user, listing_id=listing.pk)[:20],
        "findings": selectors.findings_for(request.user, listing_id=listing.pk).filter(
            state="open"
        ),
        "appeal_form": AppealForm(),
        "can_appeal": version is not None
        and version.state == "rejected"
        and not hasattr(version, "appeal"),
    }
    if version is not None:
        context.update(annotate(version))
        context["history"] = selectors.history_of(version)
    return render(request, "listings/portal/detail.html", context)


@login_required
@require_POST
def appeal(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.get_version(request.user, version_id=version_id)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services_review.appeal_version(
                actor=request.user, version_id=version.pk, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Appeal sent. A different reviewer will decide."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Say why the decision is wrong."))
    return redirect("listings_portal:detail", listing_id=version.listing_id)


@login_required
@require_POST
def withdraw(request: HttpRequest, listing_id: int) -> HttpResponse:
    services.withdraw_listing(
        actor=request.user, listing_id=listing_id, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("The listing was withdrawn."))
    return redirect("listings_portal:detail", listing_id=listing_id)


@login_required
def bulk(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "listings.edit_own")
    form = BulkForm(request.POST or None, request.FILES or None)
    status, row_errors, report = 200, [], None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services_bulk.import_listings(
                    actor=request.user,
                    name=upload.name,
                    data=upload.read(services_bulk.MAX_BYTES + 1),
                )
                status = 200
            except DomainError as exc:
                form.add_error(None, exc.message)
                row_errors = exc.details.get("errors", [])
    return render(
        request,
        "listings/portal/bulk.html",
        {"form": form, "row_errors": row_errors, "report": report},
        status=status,
    )
