"""Reads for quality agreements, standing, restrictions, re-verification and the public shop
page. Actor-scoped where a person asks (another merchant's object is a 404); ``can_sell`` and
``agreement_status`` are reference reads for other contexts (listings, orders).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from qms.accounts.permissions import profile
from qms.documents.selectors import valid_document
from qms.shared.errors import NotFound, PermissionDenied
from qms.shared.models import Deadline

from .domain.agreements import SignatureFacts, TemplateStatus, agreement_in_force
from .domain.standing import LIVE_STANDINGS, REVERIFY_WARNING_DAYS, SellingFacts, Standing
from .domain.standing import selling_verdict as _verdict
from .models import (
    AgreementSignature,
    AgreementTemplate,
    Merchant,
    MerchantCategory,
    ReverificationTask,
    Shop,
    StandingChange,
    StandingRestriction,
    TraderInfo,
)
from .services_standing import business_today

LIVE = [s.value for s in LIVE_STANDINGS]


def _sees_all(actor: Any) -> bool:
    p = profile(actor)
    return p.is_platform and "merchants.view" in p.permissions


def scoped_merchant(*, actor: Any, merchant_id: int) -> Merchant:
    """The merchant if ``actor`` may see it (staff: any; a merchant user: its own), else 404."""
    merchant = Merchant.objects.select_related("organisation").filter(pk=merchant_id).first()
    if merchant is None or not (
        _sees_all(actor) or merchant.organisation_id in profile(actor).merchant_org_ids
    ):
        raise NotFound("No such merchant.", code="merchant_not_found")
    return merchant


def own_merchant(*, actor: Any) -> Merchant:
    """The merchant a merchant user acts for (its first merchant organisation), else 404."""
    p = profile(actor)
    mine = Merchant.objects.filter(organisation_id__in=p.merchant_org_ids)
    merchant = mine.order_by("id").first()
    if merchant is None:
        raise NotFound("You do not act for a merchant.", code="merchant_not_found")
    return merchant


# --- agreements --------------------------------------------------------------------------


def templates_for(*, actor: Any, status: str | None = None) -> QuerySet[AgreementTemplate]:
    """Staff see every version; merchants the published and retired ones (never drafts)."""
    qs = AgreementTemplate.objects.all()
    if not _sees_all(actor):
        p = profile(actor)
        if not p.is_merchant:
            raise PermissionDenied("Your role does not allow this.", code="permission_denied")
        qs = qs.exclude(status=TemplateStatus.DRAFT)
    return qs.filter(status=status) if status else qs


def template_for(*, actor: Any, template_id: int) -> AgreementTemplate:
    template = templates_for(actor=actor).filter(pk=template_id).first()
    if template is None:
        raise NotFound("No such agreement template.", code="agreement_not_found")
    return template


def current_templates() -> list[AgreementTemplate]:
    """The versions in force, one per agreement code."""
    return list(AgreementTemplate.objects.filter(status=TemplateStatus.PUBLISHED).order_by("code"))


@dataclass(frozen=True)
class AgreementItem:
    template: AgreementTemplate
    state: str  # signed | grace | overdue | unsigned
    satisfied: bool
    signature: AgreementSignature | None
    signed_version: int | None


@dataclass(frozen=True)
class AgreementStatus:
    merchant_id: int
    items: list[AgreementItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(i.satisfied for i in self.items)

    @property
    def unsigned_codes(self) -> list[str]:
        return [i.template.code for i in self.items if not i.satisfied]


def agreement_status(*, merchant_id: int, on: dt.date | None = None) -> AgreementStatus:
    """Per agreement in force: signed, in grace (asked to re-sign, deadline not passed),
    overdue or unsigned. Not actor-scoped (for other contexts); pages use the scoped form."""
    today = on or business_today()
    current = current_templates()
    if not current:
        return AgreementStatus(merchant_id=merchant_id)
    sigs = list(
        AgreementSignature.objects.filter(
            merchant_id=merchant_id, template__code__in=[t.code for t in current]
        )
        .select_related("template")
        .order_by("-template__version")
    )
    asked = {
        int(d["payload"].get("template_id") or 0)
        for d in Deadline.objects.filter(
            key__startswith=f"merchant:{merchant_id}:agreement:"
        ).values("payload")
    }
    items = []
    for t in current:
        mine = [s for s in sigs if s.template.code == t.code]
        facts = SignatureFacts(
            current_version=t.version,
            current_deadline=t.resign_deadline,
            signed_versions=frozenset(s.template.version for s in mine),
            live_before_publication=t.pk in asked,
        )
        satisfied, state = agreement_in_force(facts, today=today)
        exact = next((s for s in mine if s.template_id == t.pk), None)
        items.append(
            AgreementItem(
                template=t,
                state=state,
                satisfied=satisfied,
                signature=exact,
                signed_version=mine[0].template.version if mine else None,
            )
        )
    return AgreementStatus(merchant_id=merchant_id, items=items)


def agreement_status_for(*, actor: Any, merchant_id: int) -> AgreementStatus:
    merchant = scoped_merchant(actor=actor, merchant_id=merchant_id)
    return agreement_status(merchant_id=merchant.pk)


@dataclass(frozen=True)
class Coverage:
    template: AgreementTemplate
    signed: list[tuple[Merchant, AgreementSignature]]
    unsigned: list[Merchant]

    @property
    def percent(self) -> int:
        total = len(self.signed) + len(self.unsigned)
        return round(100 * len(self.signed) / total) if total else 100


def signature_coverage(*, actor: Any, template_id: int) -> Coverage:
    """Which live merchants have signed this version and which have not (staff only)."""
    if not _sees_all(actor):
        raise NotFound("No such agreement template.", code="agreement_not_found")
    template = template_for(actor=actor, template_id=template_id)
    sigs = {
        s.merchant_id: s
        for s in AgreementSignature.objects.filter(template=template).select_related("signer")
    }
    merchants = Merchant.objects.filter(Q(standing__in=LIVE) | Q(pk__in=list(sigs))).order_by(
        "legal_name", "id"
    )
    signed = [(m, sigs[m.pk]) for m in merchants if m.pk in sigs]
    unsigned = [m for m in merchants if m.pk not in sigs]
    return Coverage(template=template, signed=signed, unsigned=unsigned)


def agreement_counts(*, actor: Any) -> dict[str, int]:
    """Dashboard: ``agreements_unsigned`` = live merchants that have not signed every version
    in force (including those still within the re-signing period); staff only."""
    if not _sees_all(actor):
        return {}
    live = Merchant.objects.filter(standing__in=LIVE)
    missing: set[int] = set()
    for template in current_templates():
        missing.update(
            live.exclude(agreement_signatures__template=template).values_list("pk", flat=True)
        )
    return {"agreements_unsigned": len(missing)}


# --- standing ----------------------------------------------------------------------------


def can_sell(
    *, merchant_id: int, category_id: int | None = None, on: dt.date | None = None
) -> tuple[bool, list[str]]:
    """May the merchant sell (in ``category_id``, if given)? ``(False, reason codes)`` unless
    its standing allows it, no merchant-wide restriction is in force, the category (if given)
    is granted and not restricted, and every agreement in force is signed (or in grace)."""
    merchant = Merchant.objects.filter(pk=merchant_id).only("standing").first()
    if merchant is None:
        raise NotFound("No such merchant.", code="merchant_not_found")
    wide = StandingRestriction.objects.filter(
        merchant_id=merchant_id, lifted_at__isnull=True, category__isnull=True
    )
    cats = MerchantCategory.objects.filter(merchant_id=merchant_id).values_list(
        "category_id", "status"
    )
    facts = SellingFacts(
        standing=Standing(merchant.standing),
        merchant_wide_restrictions=tuple(wide.values_list("reason_code", flat=True)),
        restricted_category_ids=frozenset(c for c, s in cats if s == "restricted"),
        active_category_ids=frozenset(c for c, s in cats if s == "active"),
        unsigned_agreements=tuple(agreement_status(merchant_id=merchant_id, on=on).unsigned_codes),
    )
    return _verdict(facts, category_id=category_id)


def standing_history(*, actor: Any, merchant_id: int) -> QuerySet[StandingChange]:
    merchant = scoped_merchant(actor=actor, merchant_id=merchant_id)
    return StandingChange.objects.filter(merchant=merchant).select_related("category", "actor")


def restrictions_in_force(*, actor: Any, merchant_id: int) -> QuerySet[StandingRestriction]:
    merchant = scoped_merchant(actor=actor, merchant_id=merchant_id)
    return StandingRestriction.objects.filter(
        merchant=merchant, lifted_at__isnull=True
    ).select_related("category")


# --- re-verification ---------------------------------------------------------------------


def reverification_tasks_for(
    *, actor: Any, state: str | None = None, merchant_id: int | None = None
) -> QuerySet[ReverificationTask]:
    """Staff: every task (the console queue, earliest due first); merchants: their own."""
    qs = ReverificationTask.objects.select_related("merchant", "completed_by")
    if not _sees_all(actor):
        qs = qs.filter(merchant__organisation_id__in=profile(actor).merchant_org_ids)
    if state == "due":
        qs = qs.filter(Q(state="overdue") | Q(state="open", due_on__lte=_due_soon()))
    elif state:
        qs = qs.filter(state=state)
    if merchant_id is not None:
        qs = qs.filter(merchant_id=merchant_id)
    return qs.order_by("due_on", "id")


def reverification_task_for(*, actor: Any, task_id: int) -> ReverificationTask:
    task = reverification_tasks_for(actor=actor).filter(pk=task_id).first()
    if task is None:
        raise NotFound("No such re-verification task.", code="reverification_not_found")
    return task


def _due_soon() -> dt.date:
    return business_today() + dt.timedelta(days=REVERIFY_WARNING_DAYS)


def reverification_counts(*, actor: Any) -> dict[str, int]:
    """Dashboard numbers: ``reverifications_due`` (overdue, or open and due within 14 days)
    and ``reverifications_overdue``; empty for those who may not see every merchant."""
    if not _sees_all(actor):
        return {}
    row = ReverificationTask.objects.aggregate(
        due=Count("id", filter=Q(state="overdue") | Q(state="open", due_on__lte=_due_soon())),
        overdue=Count("id", filter=Q(state="overdue")),
    )
    return {
        "reverifications_due": int(row["due"] or 0),
        "reverifications_overdue": int(row["overdue"] or 0),
    }


# --- the public shop page (no login) -------------------------------------------------------


@dataclass(frozen=True)
class Licence:
    number: str
    issued_on: dt.date
    expires_on: dt.date | None
    issuer: str


@dataclass(frozen=True)
class PublicShop:
    shop: Shop
    merchant: Merchant
    licence: Licence | None
    trader: TraderInfo | None  # only when the shop sells in the EU
    sells_in_eu: bool


def public_shop(*, slug: str) -> PublicShop:
    """What the public shop page shows: the E-Commerce Law Art. 15 licence information and,
    for EU shops, the DSA trader information. Pending and terminated merchants are 404."""
    shop = Shop.objects.select_related("merchant").filter(slug=slug).first()
    if shop is None or shop.merchant.standing in (Standing.PENDING, Standing.TERMINATED):
        raise NotFound("No such shop.", code="shop_not_found")
    merchant = shop.merchant
    markets = set(shop.markets or merchant.markets or [])
    sells_in_eu = "EU" in markets
    trader = TraderInfo.objects.filter(merchant=merchant).first() if sells_in_eu else None
    return PublicShop(
        shop=shop,
        merchant=merchant,
        licence=_business_licence(merchant),
        trader=trader,
        sells_in_eu=sells_in_eu,
    )


def _business_licence(merchant: Merchant) -> Licence | None:
    """The verified, unexpired business licence of the merchant's organisation."""
    doc = valid_document(organisation_id=merchant.organisation_id, type_code="business_licence")
    if doc is None:
        return None
    return Licence(
        number=doc.number, issued_on=doc.issued_on, expires_on=doc.expires_on, issuer=doc.issuer
    )
