"""Reads of the listings context, scoped by the actor.

Platform staff with ``listings.view`` see every listing; merchant users with
``listings.view_own`` only their organisations'. Another merchant's listing is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.accounts.permissions import ensure_can, profile
from qms.shared.errors import NotFound, PermissionDenied

from .models import (
    Appeal,
    Listing,
    ListingImage,
    ListingStatusChange,
    ListingVersion,
    RescanFinding,
    RescanJob,
    ReviewTask,
)
from .models.review import ACTIVE_TASK_STATES


def _org_filter(actor: Any) -> list[int] | None:
    """None: the actor sees all; else the organisation ids it may see."""
    p = profile(actor)
    if "listings.view" in p.permissions:
        return None
    if "listings.view_own" in p.permissions:
        return sorted(p.merchant_org_ids)
    raise PermissionDenied(
        _("Your role does not allow viewing listings."),
        code="permission_denied",
        permission="listings.view",
    )


def listings_for(
    actor: Any,
    *,
    state: str = "",
    q: str = "",
    category: str = "",
    merchant_org_id: int | None = None,
) -> QuerySet[Listing]:
    orgs = _org_filter(actor)
    qs = Listing.objects.select_related(
        "category", "brand", "live_version", "latest_version", "merchant_org"
    )
    if orgs is not None:
        qs = qs.filter(merchant_org_id__in=orgs)
    if merchant_org_id is not None:
        qs = qs.filter(merchant_org_id=merchant_org_id)
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(Q(category__code=category) | Q(category__code__startswith=category + "/"))
    term = q.replace("\x00", "").strip()
    if term:
        match = Q(latest_version__title__icontains=term) | Q(external_id=term) | Q(gtin=term)
        if term.lstrip("Ll").isdigit():
            match |= Q(pk=int(term.lstrip("Ll")))
        qs = qs.filter(match)
    return qs.order_by("-created_at", "-id")


def get_listing(actor: Any, *, listing_id: int) -> Listing:
    found = listings_for(actor).filter(pk=listing_id).first()
    if found is None:
        raise NotFound(_("No such listing."), code="listing_not_found")
    return found


def versions_of(actor: Any, *, listing_id: int) -> QuerySet[ListingVersion]:
    listing = get_listing(actor, listing_id=listing_id)
    return ListingVersion.objects.filter(listing=listing).order_by("-number", "-id")


def get_version(actor: Any, *, version_id: int) -> ListingVersion:
    orgs = _org_filter(actor)
    qs = ListingVersion.objects.select_related("listing", "listing__category", "listing__brand")
    if orgs is not None:
        qs = qs.filter(listing__merchant_org_id__in=orgs)
    found = qs.filter(pk=version_id).first()
    if found is None:
        raise NotFound(_("No such listing version."), code="version_not_found")
    return found


def history_of(version: ListingVersion) -> QuerySet[ListingStatusChange]:
    return version.history.select_related("actor").order_by("at", "id")


def review_queue(
    actor: Any, *, kind: str = "", state: str = "", mine: bool = False, overdue: bool = False
) -> QuerySet[ReviewTask]:
    """Open and claimed tasks, highest risk first (staff with ``listings.review``);
    ``overdue``: only those past their review SLA."""
    ensure_can(actor, "listings.review")
    qs = ReviewTask.objects.select_related(
        "version", "version__listing", "version__listing__category", "claimed_by", "merchant_org"
    )
    qs = qs.filter(state=state) if state else qs.filter(state__in=ACTIVE_TASK_STATES)
    if kind:
        qs = qs.filter(kind=kind)
    if mine:
        qs = qs.filter(claimed_by=actor)
    if overdue:
        qs = qs.filter(due_at__lt=timezone.now())
    return qs


def get_task(actor: Any, *, task_id: int) -> ReviewTask:
    ensure_can(actor, "listings.review")
    found = (
        ReviewTask.objects.select_related(
            "version",
            "version__listing",
            "version__listing__category",
            "version__listing__brand",
            "claimed_by",
        )
        .filter(pk=task_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such review task."), code="task_not_found")
    return found


def tasks_of_version(version: ListingVersion) -> QuerySet[ReviewTask]:
    return version.tasks.select_related("decided_by", "claimed_by").order_by("created_at", "id")


def appeals_for(actor: Any) -> QuerySet[Appeal]:
    orgs = _org_filter(actor)
    qs = Appeal.objects.select_related("version", "version__listing")
    if orgs is not None:
        qs = qs.filter(merchant_org_id__in=orgs)
    return qs.order_by("-created_at", "-id")


def get_appeal(actor: Any, *, appeal_id: int) -> Appeal:
    found = appeals_for(actor).filter(pk=appeal_id).first()
    if found is None:
        raise NotFound(_("No such appeal."), code="appeal_not_found")
    return found


def rescan_jobs(actor: Any) -> QuerySet[RescanJob]:
    ensure_can(actor, "listings.view")
    return RescanJob.objects.select_related("created_by").order_by("-created_at", "-id")


def get_rescan_job(actor: Any, *, job_id: int) -> RescanJob:
    found = rescan_jobs(actor).filter(pk=job_id).first()
    if found is None:
        raise NotFound(_("No such re-scan."), code="rescan_not_found")
    return found


def findings_for(
    actor: Any, *, job_id: int | None = None, listing_id: int | None = None
) -> QuerySet[RescanFinding]:
    orgs = _org_filter(actor)
    qs = RescanFinding.objects.select_related("listing", "version", "merchant_org")
    if orgs is not None:
        qs = qs.filter(merchant_org_id__in=orgs)
    if job_id is not None:
        qs = qs.filter(job_id=job_id)
    if listing_id is not None:
        qs = qs.filter(listing_id=listing_id)
    return qs.order_by("due_at", "id")


def images_of(actor: Any) -> QuerySet[ListingImage]:
    orgs = _org_filter(actor)
    qs = ListingImage.objects.all()
    if orgs is not None:
        qs = qs.filter(merchant_org_id__in=orgs)
    return qs.order_by("-created_at", "-id")


def queue_counts(actor: Any) -> dict[str, int]:
    from django.db.models import Count

    ensure_can(actor, "listings.review")
    rows = (
        ReviewTask.objects.filter(state__in=ACTIVE_TASK_STATES)
        .values("kind")
        .annotate(n=Count("id"))
    )
    counts = {r["kind"]: r["n"] for r in rows}
    counts["overdue"] = ReviewTask.objects.filter(
        state__in=ACTIVE_TASK_STATES, due_at__lt=timezone.now()
    ).count()
    return counts


def dashboard_counts(*, actor: Any) -> dict[str, int]:
    """The staff dashboard's listing cards: ``listings_to_review`` (open and claimed review
    tasks of every kind), ``rescan_findings_open`` (live listings with a correction deadline
    running) and ``rule_changes_upcoming`` (rule versions taking effect within 60 days)."""
    from .services_announce import upcoming_rules

    orgs = _org_filter(actor)
    tasks = ReviewTask.objects.filter(state__in=ACTIVE_TASK_STATES)
    findings = RescanFinding.objects.filter(state="open")
    if orgs is not None:
        tasks = tasks.filter(merchant_org_id__in=orgs)
        findings = findings.filter(merchant_org_id__in=orgs)
    return {
        "listings_to_review": tasks.count(),
        "rescan_findings_open": findings.count(),
        "rule_changes_upcoming": len(upcoming_rules()),
    }
