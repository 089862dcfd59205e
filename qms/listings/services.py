"""Writes of the listings context: create and edit listings (each edit a new version that runs
the rules), withdrawal. Routing a checked version is ``services_routing``, images
``services_images``, review decisions ``services_review``, re-scans ``services_rescan``, bulk
uploads ``services_bulk``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.accounts.permissions import ensure_can, profile
from qms.catalog import selectors as catalog
from qms.merchants.selectors import merchants_for
from qms.shared.audit import record_event
from qms.shared.errors import DomainError, NotFound, ValidationFailed
from qms.shared.events import publish

from .domain.normalise import fold
from .domain.review_states import (
    PENDING_STATES,
    Action,
    ListingState,
    VersionState,
)
from .domain.similarity import title_signature
from .inputs import (
    _text,
    clean_attributes,
    clean_category,
    clean_gtin_field,
    clean_markets,
    clean_price,
)
from .models import Listing, ListingImage, ListingVersion
from .services_routing import cancel_tasks, check_and_route, transition

MAX_TITLE = 300
MAX_DESCRIPTION = 20000
MAX_IMAGES = 12


@dataclass
class ListingInput:
    """What a merchant sends for a listing (create) or a new version (edit)."""

    title: str
    description: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    price: Decimal | str | None = None
    currency: str = "CNY"
    image_ids: list[int] = field(default_factory=list)
    # listing-level fields; on an edit, None keeps the current value
    category: str | None = None
    brand_id: int | None = None
    markets: list[str] | None = None
    gtin: str | None = None
    product_id: int | None = None
    sku_id: int | None = None
    external_id: str = ""


# --- who acts for which merchant -------------------------------------------------------------


def acting_org(actor: Any, merchant_org_id: int | None = None) -> int:
    """The merchant organisation the actor writes for (its only one, or the one named)."""
    p = profile(actor)
    if merchant_org_id is None:
        orgs = sorted(p.merchant_org_ids)
        if len(orgs) != 1:
            raise ValidationFailed(
                _("Say which merchant organisation the listing is for."),
                code="organisation_required",
                field="merchant_org_id",
            )
        merchant_org_id = orgs[0]
    if merchant_org_id not in p.merchant_org_ids:
        raise NotFound(_("No such merchant."), code="merchant_not_found")
    ensure_can(actor, "listings.edit_own", merchant_org_id=merchant_org_id)
    return merchant_org_id


def _merchant_id(actor: Any, org_id: int) -> int:
    merchant = merchants_for(actor=actor).filter(organisation_id=org_id).first()
    if merchant is None:
        raise NotFound(_("No such merchant."), code="merchant_not_found")
    return merchant.pk


def _lock_own_listing(actor: Any, listing_id: int) -> Listing:
    p = profile(actor)
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .filter(pk=listing_id, merchant_org_id__in=p.merchant_org_ids)
        .select_related("category", "brand")
        .first()
    )
    if listing is None:
        raise NotFound(_("No such listing."), code="listing_not_found")
    ensure_can(actor, "listings.edit_own", merchant_org_id=listing.merchant_org_id)
    return listing


# --- versions ---------------------------------------------------------------------------


def _supersede_pending(listing: Listing, *, actor: Any) -> None:
    for old in ListingVersion.objects.select_for_update().filter(
        listing=listing, state__in=[s.value for s in PENDING_STATES]
    ):
        cancel_tasks(old)
        transition(old, Action.WITHDRAW, actor=actor, reason="superseded by a newer version")


def _images(org_id: int, ids: list[int]) -> list[dict[str, Any]]:
    ids = list(dict.fromkeys(int(i) for i in ids or []))
    if len(ids) > MAX_IMAGES:
        raise ValidationFailed(
            _("At most %(n)s images.") % {"n": MAX_IMAGES},
            code="too_many_images",
            field="image_ids",
        )
    found = {i.pk: i for i in ListingImage.objects.filter(pk__in=ids, merchant_org_id=org_id)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(
            _("Unknown image."), code="image_not_found", field="image_ids", image_ids=missing
        )
    return [found[i].ref() for i in ids]


def _new_version(listing: Listing, data: ListingInput, *, actor: Any) -> ListingVersion:
    number = (
        listing.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    title = _text(data.title, field_name="title", limit=MAX_TITLE, required=True)
    version = ListingVersion.objects.create(
        listing=listing,
        number=number,
        title=title,
        title_key=fold(title)[:300],
        **title_signature(title),
        description=_text(data.description, field_name="description", limit=MAX_DESCRIPTION),
        attributes=clean_attributes(data.attributes),
        price=clean_price(data.price),
        currency=_text(data.currency or "CNY", field_name="currency", limit=3).upper() or "CNY",
        images=_images(listing.merchant_org_id, data.image_ids),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    listing.latest_version = version
    listing.updated_at = timezone.now()
    listing.save(update_fields=["latest_version", "updated_at"])
    record_event(
        actor=actor,
        obj=version,
        action="listings.version.submit",
        after={"number": number, "title": version.title},
        organisation_id=listing.merchant_org_id,
    )
    return version


def _product_links(actor: Any, org_id: int, data: ListingInput) -> tuple[Any, Any]:
    product = sku = None
    if data.product_id is not None:
        product = catalog.get_product(actor=actor, product_id=data.product_id)
    if data.sku_id is not None:
        sku = catalog.get_sku(actor=actor, sku_id=data.sku_id)
        if product is not None and sku.product_id != product.pk:
            raise ValidationFailed(
                _("The SKU belongs to another product."),
                code="sku_product_mismatch",
                field="sku_id",
            )
    for obj in (product, sku):
        if obj is not None and obj.merchant_org_id != org_id:
            raise NotFound(_("No such product."), code="product_not_found")
    return product, sku


def _brand(brand_id: int | None) -> Any:
    if brand_id is None:
        return None
    try:
        return catalog.brand_by_id(brand_id)
    except DomainError:
        raise ValidationFailed(
            _("Unknown brand."), code="brand_unknown", field="brand_id"
        ) from None


@transaction.atomic
def create_listing(
    *, actor: Any, data: ListingInput, merchant_org_id: int | None = None, run_checks: bool = True
) -> Listing:
    """Create a listing and its first version; the rules run at once."""
    org_id = acting_org(actor, merchant_org_id)
    merchant_id = _merchant_id(actor, org_id)
    category = clean_category(data.category or "")
    product, sku = _product_links(actor, org_id, data)
    external_id = _text(data.external_id, field_name="external_id", limit=100).strip()
    if (
        external_id
        and Listing.objects.filter(merchant_org_id=org_id, external_id=external_id).exists()
    ):
        raise ValidationFailed(
            _("You already have a listing with the id %(i)s.") % {"i": external_id},
            code="external_id_taken",
            field="external_id",
        )
    listing = Listing.objects.create(
        merchant_org_id=org_id,
        merchant_id=merchant_id,
        category=category,
        brand=_brand(data.brand_id),
        markets=clean_markets(data.markets),
        gtin=clean_gtin_field(data.gtin),
        product=product,
        sku=sku,
        external_id=external_id,
        created_by=actor,
    )
    record_event(
        actor=actor,
        obj=listing,
        action="listings.listing.create",
        after={"category": category.code, "markets": listing.markets},
        organisation_id=org_id,
    )
    version = _new_version(listing, data, actor=actor)
    if run_checks:
        check_and_route(version, actor=actor)
    listing.refresh_from_db()
    return listing


# An edit of these fields makes the approved live version wrong: it comes off sale at once.
FORCES_WITHDRAWAL = frozenset({"category", "brand", "markets"})


def _withdraw_live(listing: Listing, *, actor: Any, fields: list[str]) -> None:
    live = ListingVersion.objects.select_for_update().get(pk=listing.live_version_id or 0)
    reason = "the edit changes " + ", ".join(fields)
    transition(live, Action.WITHDRAW, actor=actor, reason=reason)
    listing.live_version = None
    listing.state = ListingState.PENDING.value
    listing.save(update_fields=["live_version", "state"])
    record_event(
        actor=actor,
        obj=listing,
        action="listings.listing.unpublish",
        after={"state": listing.state},
        reason=reason,
        organisation_id=listing.merchant_org_id,
    )


@transaction.atomic
def submit_version(*, actor: Any, listing_id: int, data: ListingInput) -> ListingVersion:
    """An edit: a new version that goes through the rules and review. The live version stays
    live until this one is approved (unless the edit changes category, brand or markets:
    ``FORCES_WITHDRAWAL``); an older version still waiting is withdrawn."""
    listing = _lock_own_listing(actor, listing_id)
    changed: dict[str, Any] = {}
    if data.category is not None:
        changed["category"] = clean_category(data.category)
    if data.markets is not None:
        changed["markets"] = clean_markets(data.markets)
    if data.gtin is not None:
        changed["gtin"] = clean_gtin_field(data.gtin)
    if data.brand_id is not None:
        changed["brand"] = _brand(data.brand_id)
    if data.product_id is not None or data.sku_id is not None:
        changed["product"], changed["sku"] = _product_links(actor, listing.merchant_org_id, data)
    changed = {k: v for k, v in changed.items() if getattr(listing, k) != v}
    for name, value in changed.items():
        setattr(listing, name, value)
    if changed:
        listing.save(update_fields=list(changed))
    if listing.live_version_id and FORCES_WITHDRAWAL & set(changed):
        _withdraw_live(listing, actor=actor, fields=sorted(FORCES_WITHDRAWAL & set(changed)))
    _supersede_pending(listing, actor=actor)
    version = _new_version(listing, data, actor=actor)
    return check_and_route(version, actor=actor)


@transaction.atomic
def withdraw_listing(*, actor: Any, listing_id: int, reason: str = "") -> Listing:
    """The merchant takes the listing off sale: live and pending versions are withdrawn."""
    listing = _lock_own_listing(actor, listing_id)
    return withdraw(listing, actor=actor, reason=reason or "withdrawn by the merchant")


def withdraw(listing: Listing, *, actor: Any, reason: str) -> Listing:
    """Withdraw a locked listing (merchant, or a re-scan deadline)."""
    if listing.state == ListingState.WITHDRAWN.value:
        return listing
    states = [s.value for s in PENDING_STATES] + [
        VersionState.AUTO_APPROVED.value,
        VersionState.APPROVED.value,
    ]
    for version in ListingVersion.objects.select_for_update().filter(
        listing=listing, state__in=states
    ):
        cancel_tasks(version)
        transition(version, Action.WITHDRAW, actor=actor, reason=reason)
    before = {"state": listing.state, "live_version": listing.live_version_id}
    listing.state = ListingState.WITHDRAWN.value
    listing.live_version = None
    listing.updated_at = timezone.now()
    listing.save(update_fields=["state", "live_version", "updated_at"])
    record_event(
        actor=actor,
        obj=listing,
        action="listings.listing.withdraw",
        before=before,
        after={"state": listing.state},
        reason=reason[:500],
        organisation_id=listing.merchant_org_id,
    )
    publish(
        "listings.listing_withdrawn",
        listing_id=listing.pk,
        organisation_id=listing.merchant_org_id,
        reason=reason[:200],
    )
    return listing
