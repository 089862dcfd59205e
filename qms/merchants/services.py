"""Writes for merchants, shops, contacts and suppliers, and the applicant registration.

Onboarding transitions live in ``services_onboarding.py``, EU trader data in
``services_trader.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from qms.accounts.domain.roles import OrgKind, Role
from qms.accounts.permissions import ensure_can, profile
from qms.accounts.services import add_membership, create_organisation, create_user
from qms.shared.audit import record_event, snapshot
from qms.shared.errors import Conflict, NotFound, ValidationFailed
from qms.shared.events import publish
from qms.shared.rules import business_today

from .domain.registration import validate_registration_number
from .domain.standing import StandingAction, next_standing
from .models import (
    Application,
    Contact,
    ContactKind,
    Merchant,
    MerchantSupplier,
    Shop,
    Supplier,
    SupplierKind,
    SupplierRelation,
)

PROFILE_FIELDS = (
    "legal_name",
    "legal_name_en",
    "country",
    "registration_scheme",
    "registration_number",
    "legal_representative",
    "registered_address",
    "business_scope",
    "established_on",
)
MARKET_CODES = ("CN", "EU")
# Application states in which the merchant's company data is frozen for the reviewer.
UNDER_REVIEW = frozenset({"submitted", "in_review", "awaiting_second_approval"})


def check_markets(markets: Iterable[str]) -> list[str]:
    out = sorted({m.strip().upper() for m in markets if m and m.strip()})
    unknown = [m for m in out if m not in MARKET_CODES]
    if unknown:
        raise ValidationFailed(
            f"Unknown market(s): {', '.join(unknown)}.",
            code="unknown_market",
            allowed=list(MARKET_CODES),
        )
    return out


def lock_merchant(*, actor: Any, merchant_id: int, perm: str) -> Merchant:
    """The merchant row, locked, if ``actor`` may see it and holds ``perm`` (else 404/403)."""
    merchant = Merchant.objects.select_for_update().filter(pk=merchant_id).first()
    p = profile(actor)
    if merchant is None or not (p.is_platform or merchant.organisation_id in p.merchant_org_ids):
        raise NotFound("No such merchant.", code="merchant_not_found")
    ensure_can(actor, perm, merchant_org_id=merchant.organisation_id)
    return merchant


def _edit_perm(actor: Any) -> str:
    return "merchants.manage" if profile(actor).is_platform else "merchants.edit_own"


def _clean_profile(data: dict[str, Any], current: Merchant | None = None) -> dict[str, Any]:
    merged = {f: getattr(current, f) for f in PROFILE_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in PROFILE_FIELDS and v is not None})
    merged["country"] = str(merged.get("country") or "CN").upper()
    merged["registration_scheme"] = merged.get("registration_scheme") or "cn_uscc"
    for key in (
        "legal_name",
        "legal_name_en",
        "legal_representative",
        "registered_address",
        "business_scope",
    ):
        merged[key] = str(merged.get(key) or "").strip()
    if not merged["legal_name"]:
        raise ValidationFailed("The legal name is required.", code="legal_name_required")
    if merged.get("registration_number"):
        merged["registration_number"] = validate_registration_number(
            scheme=merged["registration_scheme"],
            country=merged["country"],
            number=merged["registration_number"],
        )
    established = merged.get("established_on")
    if established and established > business_today():
        raise ValidationFailed(
            "The company cannot be established in the future.", code="established_in_future"
        )
    return merged


def _registration_taken(data: dict[str, Any], exclude_pk: int | None = None) -> bool:
    if not data.get("registration_number"):
        return False
    qs = Merchant.objects.filter(
        country=data["country"], registration_number=data["registration_number"]
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def register_merchant_applicant(
    *,
    actor: Any = None,
    organisation_name: str,
    username: str,
    email: str,
    password: str | None,
    legal_name: str,
    country: str = "CN",
    registration_scheme: str = "cn_uscc",
    registration_number: str = "",
    markets: Iterable[str] = ("CN",),
    display_name: str = "",
    preferred_language: str = "zh-hans",
    **profile_fields: Any,
) -> tuple[Merchant, Application]:
    """Organisation (merchant) + owner user + Merchant (pending) + draft Application, at once."""
    data = _clean_profile(
        {
            "legal_name": legal_name,
            "country": country,
            "registration_scheme": registration_scheme,
            "registration_number": registration_number,
            **profile_fields,
        }
    )
    if _registration_taken(data):
        raise Conflict(
            "A merchant with this registration number exists already.",
            code="merchant_registration_taken",
        )
    market_list = check_markets(markets)
    org = create_organisation(
        actor=actor, kind=OrgKind.MERCHANT, name=organisation_name or legal_name
    )
    user = create_user(
        actor=actor,
        username=username,
        email=email,
        password=password,
        display_name=display_name,
        preferred_language=preferred_language,
    )
    add_membership(actor=actor, user=user, organisation=org, role=Role.MERCHANT_OWNER)
    now = timezone.now()
    merchant = Merchant.objects.create(
        organisation=org,
        code=f"M{org.pk:06d}",
        standing="pending",
        standing_changed_at=now,
        created_at=now,
        updated_at=now,
        **data,
    )
    record_event(
        actor=actor or user,
        obj=merchant,
        action="merchant.register",
        organisation_id=org.pk,
        after=snapshot(merchant, (*PROFILE_FIELDS, "standing")),
    )
    application = Application.objects.create(
        merchant=merchant, markets=market_list, created_by=user, created_at=now, updated_at=now
    )
    record_event(
        actor=actor or user,
        obj=application,
        action="application.create",
        organisation_id=org.pk,
        after={"state": "draft", "markets": market_list},
    )
    return merchant, application


@transaction.atomic
def update_merchant_profile(*, actor: Any, merchant_id: int, **changes: Any) -> Merchant:
    """Company data. A merchant edits it while its application is open; staff any time."""
    merchant = lock_merchant(actor=actor, merchant_id=merchant_id, perm=_edit_perm(actor))
    under_review = merchant.applications.filter(state__in=sorted(UNDER_REVIEW)).exists()
    if not profile(actor).is_platform and under_review:
        raise Conflict(
            "Company data cannot change while the application is under review.",
            code="application_under_review",
        )
    if not profile(actor).is_platform and merchant.standing != "pending":
        locked = {"legal_name", "country", "registration_scheme", "registration_number"}
        if locked & {k for k, v in changes.items() if v is not None and v != getattr(merchant, k)}:
            raise Conflict(
                "Legal identity changes after approval go through re-verification.",
                code="identity_locked",
            )
    before = snapshot(merchant, PROFILE_FIELDS)
    data = _clean_profile(changes, merchant)
    if _registration_taken(data, exclude_pk=merchant.pk):
        raise Conflict(
            "A merchant with this registration number exists already.",
            code="merchant_registration_taken",
        )
    for key, value in data.items():
        setattr(merchant, key, value)
    after = snapshot(merchant, PROFILE_FIELDS)
    if after == before:
        return merchant
    merchant.updated_at = timezone.now()
    merchant.save(update_fields=[*PROFILE_FIELDS, "updated_at"])
    changed = sorted(k for k in after if after[k] != before[k])
    record_event(
        actor=actor,
        obj=merchant,
        action="merchant.update_profile",
        organisation_id=merchant.organisation_id,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return merchant


def activate_merchant(
    *,
    actor: Any,
    merchant: Merchant,
    reason: str = "",
    probation_until: dt.date | None = None,
    conditions: str = "",
    deposit: tuple[Any, str] | None = None,
) -> Merchant:
    """pending -> active (the approval of its first application). Call inside a transaction
    with ``merchant`` locked; publishes ``merchants.standing_changed``."""
    old = merchant.standing
    merchant.standing = next_standing(old, StandingAction.ACTIVATE).value
    merchant.standing_changed_at = merchant.updated_at = timezone.now()
    merchant.probation_until = probation_until
    merchant.conditions = conditions
    fields = ["standing", "standing_changed_at", "updated_at", "probation_until", "conditions"]
    if deposit is not None:
        merchant.deposit_amount, merchant.deposit_currency = deposit
        fields += ["deposit_amount", "deposit_currency"]
    merchant.save(update_fields=fields)
    record_event(
        actor=actor,
        obj=merchant,
        action="merchant.standing_change",
        reason=reason,
        organisation_id=merchant.organisation_id,
        before={"standing": old},
        after={
            "standing": merchant.standing,
            "probation_until": probation_until,
            "conditions": conditions,
        },
    )
    publish("merchants.standing_changed", merchant_id=merchant.pk, old=old, new=merchant.standing)
    return merchant


# --- shops ---------------------------------------------------------------------------------


def _unique_slug(base: str) -> str:
    root = slugify(base)[:60] or "shop"
    slug, n = root, 1
    while Shop.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug


@transaction.atomic
def create_shop(
    *,
    actor: Any,
    merchant_id: int,
    name: str,
    markets: Iterable[str] = (),
    url: str = "",
    slug: str = "",
) -> Shop:
    merchant = lock_merchant(actor=actor, merchant_id=merchant_id, perm=_edit_perm(actor))
    if not name.strip():
        raise ValidationFailed("A shop needs a name.", code="shop_name_required")
    slug = slugify(slug) if slug else _unique_slug(name)
    if not slug:
        raise ValidationFailed("The slug must contain letters or digits.", code="invalid_slug")
    try:
        with transaction.atomic():
            shop = Shop.objects.create(
                merchant=merchant,
                name=name.strip(),
                slug=slug,
                markets=check_markets(markets),
                url=url,
            )
    except IntegrityError as exc:
        raise Conflict("This shop address is taken.", code="shop_slug_taken", slug=slug) from exc
    record_event(
        actor=actor,
        obj=shop,
        action="shop.create",
        organisation_id=merchant.organisation_id,
        after=snapshot(shop, ("name", "slug", "markets", "url")),
    )
    return shop


@transaction.atomic
def update_shop(
    *,
    actor: Any,
    shop_id: int,
    name: str | None = None,
    markets: Iterable[str] | None = None,
    url: str | None = None,
) -> Shop:
    shop = Shop.objects.select_for_update().filter(pk=shop_id).first()
    if shop is None:
        raise NotFound("No such shop.", code="shop_not_found")
    merchant = lock_merchant(actor=actor, merchant_id=shop.merchant_id, perm=_edit_perm(actor))
    before = snapshot(shop, ("name", "markets", "url"))
    if name is not None:
        if not name.strip():
            raise ValidationFailed("A shop needs a name.", code="shop_name_required")
        shop.name = name.strip()
    if markets is not None:
        shop.markets = check_markets(markets)
    if url is not None:
        shop.url = url
    shop.save(update_fields=["name", "markets", "url"])
    record_event(
        actor=actor,
        obj=shop,
        action="shop.update",
        organisation_id=merchant.organisation_id,
        before=before,
        after=snapshot(shop, ("name", "markets", "url")),
    )
    return shop


# --- contacts ------------------------------------------------------------------------------


@transaction.atomic
def save_contact(
    *, actor: Any, merchant_id: int, kind: str, name: str, phone: str, email: str
) -> Contact:
    """Create or replace the merchant's contact of ``kind``; a change clears ``validated``."""
    merchant = lock_merchant(actor=actor, merchant_id=merchant_id, perm=_edit_perm(actor))
    if kind not in ContactKind.values:
        raise ValidationFailed(f"Unknown contact kind {kind!r}.", code="unknown_contact_kind")
    if not name.strip() or not phone.strip() or "@" not in email:
        raise ValidationFailed(
            "A contact needs a name, a phone number and an e-mail address.",
            code="contact_incomplete",
        )
    contact = Contact.objects.select_for_update().filter(merchant=merchant, kind=kind).first()
    before = snapshot(contact, ("name", "phone", "email", "validated")) if contact else None
    if contact is None:
        contact = Contact(merchant=merchant, kind=kind)
    changed = (contact.name, contact.phone, contact.email) != (
        name.strip(),
        phone.strip(),
        email.strip(),
    )
    contact.name, contact.phone, contact.email = name.strip(), phone.strip(), email.strip()
    if changed:
        contact.validated, contact.validated_at = False, None
    contact.save()
    record_event(
        actor=actor,
        obj=contact,
        action="contact.save",
        organisation_id=merchant.organisation_id,
        before=before,
        after=snapshot(contact, ("kind", "name", "phone", "email", "validated")),
    )
    return contact


@transaction.atomic
def mark_contact_validated(*, actor: Any, contact_id: int) -> Contact:
    """Staff confirmed the contact answers (a call or a reply to a test e-mail)."""
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    if contact is None:
        raise NotFound("No such contact.", code="contact_not_found")
    merchant = lock_merchant(
        actor=actor, merchant_id=contact.merchant_id, perm="merchants.review_application"
    )
    contact.validated, contact.validated_at = True, timezone.now()
    contact.save(update_fields=["validated", "validated_at"])
    record_event(
        actor=actor,
        obj=contact,
        action="contact.validate",
        organisation_id=merchant.organisation_id,
        after={"validated": True},
    )
    return contact


# --- suppliers -----------------------------------------------------------------------------


def _create_supplier(
    *,
    actor: Any,
    name: str,
    kind: str,
    country: str,
    registration_number: str,
    address: str,
    certifications: str,
) -> Supplier:
    if kind not in SupplierKind.values:
        raise ValidationFailed(f"Unknown supplier kind {kind!r}.", code="unknown_supplier_kind")
    if not name.strip():
        raise ValidationFailed("A supplier needs a name.", code="supplier_name_required")
    country = country.upper()
    if len(country) != 2 or not country.isalpha():
        raise ValidationFailed(
            "The country must be an ISO 3166-1 alpha-2 code.", code="invalid_country"
        )
    number = registration_number.strip()
    if number and country == "CN":
        number = validate_registration_number(scheme="cn_uscc", country="CN", number=number)
    org = create_organisation(actor=actor, kind=OrgKind.SUPPLIER, name=name)
    supplier = Supplier.objects.create(
        organisation=org,
        name=name.strip(),
        kind=kind,
        country=country,
        registration_number=number,
        address=address.strip(),
        certifications=certifications.strip(),
    )
    record_event(
        actor=actor,
        obj=supplier,
        action="supplier.create",
        organisation_id=org.pk,
        after=snapshot(supplier, ("name", "kind", "country", "registration_number")),
    )
    return supplier


@transaction.atomic
def create_supplier(
    *,
    actor: Any,
    name: str,
    kind: str,
    country: str = "CN",
    registration_number: str = "",
    address: str = "",
    certifications: str = "",
) -> Supplier:
    """A supplier with its own organisation (staff). Merchants use ``add_supplier``."""
    ensure_can(actor, "merchants.manage")
    return _create_supplier(
        actor=actor,
        name=name,
        kind=kind,
        country=country,
        registration_number=registration_number,
        address=address,
        certifications=certifications,
    )


@transaction.atomic
def add_supplier(
    *,
    actor: Any,
    merchant_id: int,
    name: str,
    kind: str,
    relation: str,
    since: dt.date,
    country: str = "CN",
    registration_number: str = "",
    address: str = "",
    certifications: str = "",
) -> MerchantSupplier:
    """Create a supplier and link it to the merchant in one step (merchant or staff)."""
    lock_merchant(actor=actor, merchant_id=merchant_id, perm=_edit_perm(actor))
    supplier = _create_supplier(
        actor=actor,
        name=name,
        kind=kind,
        country=country,
        registration_number=registration_number,
        address=address,
        certifications=certifications,
    )
    return link_supplier(
        actor=actor,
        merchant_id=merchant_id,
        supplier_id=supplier.pk,
        relation=relation,
        since=since,
    )


@transaction.atomic
def link_supplier(
    *,
    actor: Any,
    merchant_id: int,
    supplier_id: int,
    relation: str,
    since: dt.date,
    until: dt.date | None = None,
) -> MerchantSupplier:
    merchant = lock_merchant(actor=actor, merchant_id=merchant_id, perm=_edit_perm(actor))
    if relation not in SupplierRelation.values:
        raise ValidationFailed(f"Unknown relation {relation!r}.", code="unknown_supplier_relation")
    if until is not None and until < since:
        raise ValidationFailed("The link cannot end before it starts.", code="invalid_period")
    supplier = Supplier.objects.filter(pk=supplier_id).first()
    if supplier is None:
        raise NotFound("No such supplier.", code="supplier_not_found")
    try:
        with transaction.atomic():
            link = MerchantSupplier.objects.create(
                merchant=merchant,
                supplier=supplier,
                relation=relation,
                since=since,
                until=until,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict("This supplier link exists already.", code="supplier_link_exists") from exc
    record_event(
        actor=actor,
        obj=link,
        action="supplier.link",
        organisation_id=merchant.organisation_id,
        after={"supplier": supplier.pk, "relation": relation, "since": since, "until": until},
    )
    return link


@transaction.atomic
def end_supplier_link(*, actor: Any, link_id: int, until: dt.date) -> MerchantSupplier:
    link = MerchantSupplier.objects.select_for_update().filter(pk=link_id).first()
    if link is None:
        raise NotFound("No such supplier link.", code="supplier_link_not_found")
    merchant = lock_merchant(actor=actor, merchant_id=link.merchant_id, perm=_edit_perm(actor))
    if until < link.since:
        raise ValidationFailed("The link cannot end before it starts.", code="invalid_period")
    before = {"until": link.until}
    link.until = until
    link.save(update_fields=["until"])
    record_event(
        actor=actor,
        obj=link,
        action="supplier.unlink",
        organisation_id=merchant.organisation_id,
        before=before,
        after={"until": until},
    )
    return link
