"""``/api/v1/listings``: listings and versions (merchant scoped), images, bulk upload, the
review queue (claim/release/decide), appeals and re-scan jobs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from qms.shared.pagination import Page, page_response
from qms.shared.requests import request_actor as _actor

from . import (
    selectors,
    services,
    services_announce,
    services_bulk,
    services_images,
    services_rescan,
    services_review,
    services_takedown,
)
from .domain.review_states import REASONS
from .schemas import (
    ListingAppealIn,
    ListingAppealOut,
    ListingBulkOut,
    ListingDecideIn,
    ListingImageOut,
    ListingIn,
    ListingOut,
    ListingReasonOut,
    ListingRescanIn,
    ListingRescanOut,
    ListingRuleChangeOut,
    ListingTakeDownIn,
    ListingVersionIn,
    ListingVersionOut,
    ListingWithdrawIn,
    RescanFindingOut,
    ReviewTaskOut,
    RuleAnnounceIn,
    RuleAnnounceOut,
)
from .services import ListingInput

router = Router(tags=["listings"])


def _page(qs: Any, cursor: str | None, limit: int, order: tuple[str, str]) -> dict[str, Any]:
    return page_response(qs, cursor=cursor, limit=limit, order=order)


# --- listings and versions -------------------------------------------------------------------


@router.get("", response=Page[ListingOut], summary="Listings (merchants: their own)")
def list_listings(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int = 50,
    state: str = "",
    q: str = "",
    category: str = "",
) -> dict[str, Any]:
    qs = selectors.listings_for(_actor(request), state=state, q=q, category=category)
    return _page(qs, cursor, limit, ("-created_at", "-id"))


@router.post("", response={201: ListingOut}, summary="Create a listing (its rules run at once)")
def create_listing(request: HttpRequest, body: ListingIn) -> Any:
    data = body.dict()
    org = data.pop("merchant_org_id")
    listing = services.create_listing(
        actor=_actor(request), data=ListingInput(**data), merchant_org_id=org
    )
    return Status(201, selectors.get_listing(_actor(request), listing_id=listing.pk))


@router.get("/reasons", response=list[ListingReasonOut], summary="Decision reasons (taxonomy)")
def reasons(request: HttpRequest) -> list[Any]:
    return [{"code": r.code, "decision": r.decision.value, "en": r.en, "zh": r.zh} for r in REASONS]


@router.post(
    "/images", response={201: ListingImageOut}, summary="Upload a listing image (multipart)"
)
def upload_image(
    request: HttpRequest, file: File[UploadedFile], merchant_org_id: Form[int | None] = None
) -> Any:
    image = services_images.upload_image(
        actor=_actor(request), name=file.name or "", data=file, merchant_org_id=merchant_org_id
    )
    return Status(201, image)


@router.post(
    "/bulk",
    response=ListingBulkOut,
    summary="Bulk upload (JSONL or CSV in the listing batch format): all rows or none",
)
def bulk_upload(
    request: HttpRequest, file: File[UploadedFile], merchant_org_id: Form[int | None] = None
) -> Any:
    data = file.read(services_bulk.MAX_BYTES + 1)
    report = services_bulk.import_listings(
        actor=_actor(request), name=file.name or "", data=data, merchant_org_id=merchant_org_id
    )
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "verdicts": report.verdicts,
    }


# --- review queue ----------------------------------------------------------------------------


@router.get(
    "/review-tasks", response=Page[ReviewTaskOut], summary="The review queue, highest risk first"
)
def review_queue(
    request: HttpRequest,
    cursor: str | None = None,
    limit: int = 50,
    kind: str = "",
    state: str = "",
    mine: bool = False,
    overdue: bool = False,
) -> dict[str, Any]:
    qs = selectors.review_queue(_actor(request), kind=kind, state=state, mine=mine, overdue=overdue)
    return _page(qs, cursor, limit, ("-risk_score", "-id"))


@router.get("/review-tasks/{task_id}", response=ReviewTaskOut, summary="One review task")
def get_task(request: HttpRequest, task_id: int) -> Any:
    return selectors.get_task(_actor(request), task_id=task_id)


@router.post("/review-tasks/{task_id}/claim", response=ReviewTaskOut, summary="Claim a task")
def claim(request: HttpRequest, task_id: int) -> Any:
    return services_review.claim_task(actor=_actor(request), task_id=task_id)


@router.post("/review-tasks/{task_id}/release", response=ReviewTaskOut, summary="Release a task")
def release(request: HttpRequest, task_id: int) -> Any:
    return services_review.release_task(actor=_actor(request), task_id=task_id)


@router.post(
    "/review-tasks/{task_id}/decide",
    response=ReviewTaskOut,
    summary="Approve or reject the task's version",
)
def decide(request: HttpRequest, task_id: int, body: ListingDecideIn) -> Any:
    return services_review.decide_task(
        actor=_actor(request),
        task_id=task_id,
        decision=body.decision,
        reason_codes=body.reason_codes,
        note=body.note,
    )


# --- appeals ---------------------------------------------------------------------------------


@router.get("/appeals", response=Page[ListingAppealOut], summary="Appeals (merchants: their own)")
def list_appeals(
    request: HttpRequest, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    return _page(selectors.appeals_for(_actor(request)), cursor, limit, ("-created_at", "-id"))


@router.get("/appeals/{appeal_id}", response=ListingAppealOut, summary="One appeal")
def get_appeal(request: HttpRequest, appeal_id: int) -> Any:
    return selectors.get_appeal(_actor(request), appeal_id=appeal_id)


@router.post(
    "/versions/{version_id}/appeal",
    response={201: ListingAppealOut},
    summary="Appeal a rejected version (a different reviewer decides)",
)
def appeal(request: HttpRequest, version_id: int, body: ListingAppealIn) -> Any:
    return Status(
        201,
        services_review.appeal_version(
            actor=_actor(request), version_id=version_id, reason=body.reason
        ),
    )


@router.get(
    "/versions/{version_id}", response=ListingVersionOut, summary="One version with its verdict"
)
def get_version(request: HttpRequest, version_id: int) -> Any:
    return selectors.get_version(_actor(request), version_id=version_id)


# --- re-scans --------------------------------------------------------------------------------


@router.get("/rescans", response=Page[ListingRescanOut], summary="Re-scan jobs")
def list_rescans(
    request: HttpRequest, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    return _page(selectors.rescan_jobs(_actor(request)), cursor, limit, ("-created_at", "-id"))


@router.post("/rescans", response={201: ListingRescanOut}, summary="Re-scan all live listings")
def start_rescan(request: HttpRequest, body: ListingRescanIn) -> Any:
    job = services_rescan.start_rescan(
        actor=_actor(request), reason=body.reason, grace_days=body.grace_days
    )
    return Status(201, selectors.get_rescan_job(_actor(request), job_id=job.pk))


@router.get(
    "/rescans/{job_id}", response=ListingRescanOut, summary="A re-scan job and its progress"
)
def get_rescan(request: HttpRequest, job_id: int) -> Any:
    return selectors.get_rescan_job(_actor(request), job_id=job_id)


@router.get(
    "/rescans/{job_id}/findings",
    response=Page[RescanFindingOut],
    summary="Listings a re-scan found non-compliant",
)
def rescan_findings(
    request: HttpRequest, job_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    selectors.get_rescan_job(_actor(request), job_id=job_id)
    qs = selectors.findings_for(_actor(request), job_id=job_id)
    return _page(qs, cursor, limit, ("due_at", "id"))


@router.get(
    "/findings",
    response=Page[RescanFindingOut],
    summary="Re-scan findings (merchants: their own listings)",
)
def list_findings(
    request: HttpRequest, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    return _page(selectors.findings_for(_actor(request)), cursor, limit, ("due_at", "id"))


# --- rule changes ----------------------------------------------------------------------------


@router.get(
    "/rule-changes",
    response=list[ListingRuleChangeOut],
    summary="Rule versions announced to take effect soon",
)
def rule_changes(request: HttpRequest, within_days: int = 60) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "version": r.version,
            "title": r.title,
            "legal_basis": r.legal_basis,
            "severity": str(getattr(r.severity, "value", r.severity)),
            "effective_from": r.effective_from,
            "announced_on": r.announced_on,
            "markets": sorted(r.markets),
            "categories": sorted(r.categories),
        }
        for r in services_announce.upcoming_for(_actor(request), within_days=within_days)
    ]


@router.post(
    "/rule-changes/announce",
    response=RuleAnnounceOut,
    summary="Tell affected merchants and schedule the re-scans",
)
def announce(request: HttpRequest, body: RuleAnnounceIn) -> dict[str, Any]:
    return services_announce.announce_rule_changes(
        actor=_actor(request), within_days=body.within_days
    )


# --- one listing (after the fixed paths, so they win) ----------------------------------------


@router.get("/{listing_id}", response=ListingOut, summary="One listing")
def get_listing(request: HttpRequest, listing_id: int) -> Any:
    return selectors.get_listing(_actor(request), listing_id=listing_id)


@router.get(
    "/{listing_id}/versions", response=Page[ListingVersionOut], summary="Versions, newest first"
)
def list_versions(
    request: HttpRequest, listing_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    qs = selectors.versions_of(_actor(request), listing_id=listing_id)
    return _page(qs, cursor, limit, ("-number", "-id"))


@router.post(
    "/{listing_id}/versions",
    response={201: ListingVersionOut},
    summary="Edit: submit a new version (the live one stays until it is approved)",
)
def submit_version(request: HttpRequest, listing_id: int, body: ListingVersionIn) -> Any:
    version = services.submit_version(
        actor=_actor(request), listing_id=listing_id, data=ListingInput(**body.dict())
    )
    return Status(201, version)


@router.get(
    "/{listing_id}/verdict", response=ListingVersionOut, summary="The verdict of the latest version"
)
def verdict(request: HttpRequest, listing_id: int) -> Any:
    listing = selectors.get_listing(_actor(request), listing_id=listing_id)
    return selectors.get_version(_actor(request), version_id=listing.latest_version_id or 0)


@router.post("/{listing_id}/withdraw", response=ListingOut, summary="Take a listing off sale")
def withdraw(request: HttpRequest, listing_id: int, body: ListingWithdrawIn) -> Any:
    services.withdraw_listing(actor=_actor(request), listing_id=listing_id, reason=body.reason)
    return selectors.get_listing(_actor(request), listing_id=listing_id)


@router.post(
    "/{listing_id}/take-down",
    response=ListingOut,
    summary="Platform: take a live listing down with reasons and evidence",
)
def take_down(request: HttpRequest, listing_id: int, body: ListingTakeDownIn) -> Any:
    services_takedown.take_down_listing(actor=_actor(request), listing_id=listing_id, **body.dict())
    return selectors.get_listing(_actor(request), listing_id=listing_id)
