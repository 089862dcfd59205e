"""Re-scans: after a rule change, every live listing is checked again in batches (progress in
the ``RescanJob`` row). Each newly non-compliant listing gets a finding, a notice and a
deadline; when the deadline passes and no corrected version went live, it is withdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.accounts.permissions import ensure_can
from qms.shared.audit import record_event
from qms.shared.deadlines import cancel_deadline, schedule_deadline
from qms.shared.errors import ValidationFailed
from qms.shared.notifications import notify
from qms.shared.signals import emit_signal

from . import checks, wiring
from .domain.review_states import ListingState
from .models import Listing, ListingVersion, RescanFinding, RescanJob
from .rules import sync_rules

BATCH_SIZE = 200
MIN_GRACE_DAYS = 1
MAX_GRACE_DAYS = 90


def deadline_key(finding_id: int) -> str:
    return f"listings:rescan-finding:{finding_id}"


def _live() -> Any:
    return Listing.objects.filter(state=ListingState.LIVE.value, live_version__isnull=False)


@transaction.atomic
def start_rescan(*, actor: Any, reason: str, grace_days: int = 7) -> RescanJob:
    """Queue a re-scan of every live listing; the task runs after commit."""
    ensure_can(actor, "listings.rescan")
    text = str(reason or "").replace("\x00", "").strip()
    if not text:
        raise ValidationFailed(
            _("Say which rule change the re-scan is for."), code="field_required", field="reason"
        )
    if not MIN_GRACE_DAYS <= int(grace_days) <= MAX_GRACE_DAYS:
        raise ValidationFailed(
            _("The grace period is 1 to 90 days."), code="grace_days_invalid", field="grace_days"
        )
    return queue_rescan(actor=actor, reason=text, grace_days=int(grace_days))


def queue_rescan(*, actor: Any, reason: str, grace_days: int) -> RescanJob:
    """Create the job and queue its task after commit (callers check permission and input)."""
    job = RescanJob.objects.create(
        reason=reason[:300],
        grace_days=grace_days,
        total=_live().count(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(
        actor=actor,
        obj=job,
        action="listings.rescan.start",
        after={"reason": job.reason, "total": job.total, "grace_days": job.grace_days},
    )
    from .tasks import run_rescan

    transaction.on_commit(lambda: run_rescan.enqueue(job_id=job.pk))
    return job


def run_rescan_batch(*, job_id: int, batch_size: int = BATCH_SIZE) -> bool:
    """Check the next batch after the job's watermark; True while more remain. One
    transaction per batch, so a crash loses at most one batch and a re-run continues."""
    with transaction.atomic():
        job = RescanJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in ("done", "failed"):
            return False
        if job.state == "queued":
            job.state, job.started_at = "running", timezone.now()
        batch = list(
            _live()
            .filter(pk__gt=job.last_listing_id)
            .order_by("pk")
            .select_related("live_version", "category", "brand")[:batch_size]
        )
        due_at = timezone.now() + dt.timedelta(days=job.grace_days)
        sync_rules(force=True)  # this worker checks with the rule set as changed in the console
        cache = checks.CheckCache()  # what repeats between the batch's listings, read once
        for listing in batch:
            live = listing.live_version
            if live is None:
                continue
            live.listing = listing  # the loaded listing (category, brand), not a fresh read
            result = checks.check_version(live, cache=cache)
            if result.verdict == "reject" and _flag(job, listing, live, result.hits, due_at):
                job.flagged += 1
        job.processed += len(batch)
        job.total = max(job.total, job.processed)
        if batch:
            job.last_listing_id = batch[-1].pk
        more = len(batch) == batch_size
        if not more:
            job.state, job.finished_at = "done", timezone.now()
            record_event(
                actor=None,
                obj=job,
                action="listings.rescan.finish",
                after={"processed": job.processed, "flagged": job.flagged},
            )
        job.save()
    return more


def _flag(
    job: RescanJob, listing: Listing, version: ListingVersion, hits: list[dict], due_at: dt.datetime
) -> bool:
    """A finding for a newly non-compliant listing (not one already flagged and open)."""
    if RescanFinding.objects.filter(listing=listing, state="open").exists():
        return False
    rejecting = list(hits)
    finding = RescanFinding.objects.create(
        job=job,
        listing=listing,
        version=version,
        merchant_org_id=listing.merchant_org_id,
        hits=rejecting,
        due_at=due_at,
    )
    schedule_deadline(
        key=deadline_key(finding.pk),
        kind=wiring.DEADLINE_KIND,
        subject_type="listings.rescanfinding",
        subject_id=str(finding.pk),
        due_at=due_at,
        warnings=[dt.timedelta(days=1)],
        payload={"listing_id": listing.pk},
    )
    record_event(
        actor=None,
        obj=finding,
        action="listings.rescan.flag",
        after={
            "listing_id": listing.pk,
            "due_at": due_at,
            "rules": sorted({h["rule"] for h in rejecting}),
        },
        organisation_id=listing.merchant_org_id,
    )
    _notify_flagged(finding, listing, reminder=False)
    return True


def _notify_flagged(finding: RescanFinding, listing: Listing, *, reminder: bool) -> None:
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from .services_routing import merchant_user_ids

    local = finding.due_at.astimezone(ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE))
    notify(
        kind=wiring.KIND_RESCAN_FLAGGED,
        user_ids=merchant_user_ids(listing.merchant_org_id),
        context={
            "listing_id": listing.pk,
            "title": listing.live_version.title if listing.live_version else "",
            "due": local.strftime("%Y-%m-%d %H:%M"),
            "reasons": [h.get("message_en") or h["rule"] for h in finding.hits][:20],
            "reasons_zh": [h.get("message_zh") or h["rule"] for h in finding.hits][:20],
        },
        dedupe_key=f"rescan-finding:{finding.pk}:{'reminder' if reminder else 'notice'}",
        link=f"/portal/listings/{listing.pk}/",
    )


def resolve_findings(*, listing_id: int, actor: Any) -> int:
    """A corrected version went live: close the listing's open findings, stop their clocks."""
    count = 0
    for finding in RescanFinding.objects.select_for_update().filter(
        listing_id=listing_id, state="open"
    ):
        finding.state, finding.closed_at = "resolved", timezone.now()
        finding.save(update_fields=["state", "closed_at"])
        cancel_deadline(key=deadline_key(finding.pk))
        record_event(
            actor=actor,
            obj=finding,
            action="listings.rescan.resolve",
            organisation_id=finding.merchant_org_id,
        )
        count += 1
    return count


def handle_rescan_deadline(deadline: Any, point: str) -> None:
    """Deadline handler: a reminder at the warning point; at ``due`` the listing is withdrawn
    unless a corrected version went live meanwhile. Safe to run twice."""
    from .services import withdraw

    finding = (
        RescanFinding.objects.select_for_update(of=("self",))
        .filter(pk=int(deadline.subject_id))
        .first()
    )
    if finding is None or finding.state != "open":
        return
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("live_version")
        .get(pk=finding.listing_id)
    )
    if listing.live_version_id != finding.version_id:
        finding.state, finding.closed_at = "resolved", timezone.now()
        finding.save(update_fields=["state", "closed_at"])
        return
    if point != "due":
        _notify_flagged(finding, listing, reminder=True)
        return
    title = listing.live_version.title if listing.live_version else ""
    withdraw(listing, actor=None, reason=f"re-scan deadline passed (finding {finding.pk})")
    finding.state, finding.closed_at = "withdrawn", timezone.now()
    finding.save(update_fields=["state", "closed_at"])
    emit_signal(
        subject_type="listings.listing",
        subject_id=listing.pk,
        organisation_id=listing.merchant_org_id,
        kind=wiring.SIGNAL_WITHDRAWN,
        severity="medium",
        evidence={"finding_id": finding.pk, "rules": sorted({h["rule"] for h in finding.hits})},
        source="listings",
        dedupe_key=f"rescan-finding:{finding.pk}:withdrawn",
    )
    from .services_routing import merchant_user_ids

    notify(
        kind=wiring.KIND_WITHDRAWN,
        user_ids=merchant_user_ids(listing.merchant_org_id),
        context={"listing_id": listing.pk, "title": title},
        dedupe_key=f"rescan-finding:{finding.pk}:withdrawn",
        link=f"/portal/listings/{listing.pk}/",
    )
