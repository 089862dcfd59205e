"""The reviewer queue: claim and release a task (one reviewer at a time), decide it with
reasons from the taxonomy, second review for high risk, sampled auto-approvals, and appeals
decided by a reviewer who did not reject the version."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.accounts.permissions import ensure_can, profile
from qms.shared.audit import record_event
from qms.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .domain.review_states import (
    Action,
    Decision,
    ListingState,
    TaskKind,
    TaskState,
    VersionState,
    check_reasons,
    needs_second_review,
)
from .models import Appeal, Listing, ListingVersion, ReviewTask
from .services_routing import make_live, on_rejected, open_task, transition

MAX_NOTE = 4000


def _lock_task(actor: Any, task_id: int) -> ReviewTask:
    ensure_can(actor, "listings.review")
    task = ReviewTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("No such review task."), code="task_not_found")
    return task


def _audit(actor: Any, task: ReviewTask, action: str, **after: Any) -> None:
    record_event(
        actor=actor,
        obj=task,
        action=f"listings.task.{action}",
        after={"kind": task.kind, "state": task.state, **after},
        organisation_id=task.merchant_org_id,
    )


@transaction.atomic
def claim_task(*, actor: Any, task_id: int) -> ReviewTask:
    """Take a task: nobody else can decide it until it is released or decided."""
    task = _lock_task(actor, task_id)
    if task.state == TaskState.CLAIMED.value and task.claimed_by_id == actor.pk:
        return task
    if task.state != TaskState.OPEN.value:
        raise Conflict(
            _("Another reviewer has this task, or it is closed."),
            code="task_not_open",
            state=task.state,
        )
    if actor.pk in (task.excluded_reviewer_ids or []):
        raise Conflict(_("A different reviewer must decide this task."), code="reviewer_excluded")
    task.state = TaskState.CLAIMED.value
    task.claimed_by = actor
    task.claimed_at = timezone.now()
    task.save(update_fields=["state", "claimed_by", "claimed_at"])
    _audit(actor, task, "claim")
    return task


@transaction.atomic
def release_task(*, actor: Any, task_id: int) -> ReviewTask:
    """Give a claimed task back to the queue (the claimer, or a manager)."""
    task = _lock_task(actor, task_id)
    if task.state != TaskState.CLAIMED.value:
        raise Conflict(_("The task is not claimed."), code="task_not_claimed")
    if task.claimed_by_id != actor.pk and "listings.rescan" not in profile(actor).permissions:
        raise PermissionDenied(
            _("Another reviewer claimed this task."), code="task_claimed_by_other"
        )
    task.state = TaskState.OPEN.value
    task.claimed_by = None
    task.claimed_at = None
    task.save(update_fields=["state", "claimed_by", "claimed_at"])
    _audit(actor, task, "release")
    return task


def parse_reasons(decision: str, codes: list[str]) -> list[str]:
    """The reason codes, checked against the taxonomy for ``decision`` (a problem if not)."""
    try:
        return check_reasons(decision, list(codes or []))
    except ValueError as exc:
        raise ValidationFailed(
            _("Pick reasons that fit the decision."),
            code="reason_invalid",
            field="reason_codes",
            invalid=exc.args[0],
        ) from None


def record_decision(version: ListingVersion, actor: Any, reasons: list[str], note: str) -> None:
    """Who decided the version, when, with which reasons and note (reviews, takedowns)."""
    version.decided_by = actor
    version.decided_at = timezone.now()
    version.reason_codes = reasons
    version.decision_note = note
    version.save(update_fields=["decided_by", "decided_at", "reason_codes", "decision_note"])


@transaction.atomic
def decide_task(
    *, actor: Any, task_id: int, decision: str, reason_codes: list[str], note: str = ""
) -> ReviewTask:
    """Approve or reject the version of a task the actor claimed."""
    task = _lock_task(actor, task_id)
    if task.state != TaskState.CLAIMED.value or task.claimed_by_id != actor.pk:
        raise Conflict(
            _("Claim the task before deciding it."),
            code="task_not_claimed_by_you",
            state=task.state,
        )
    if decision not in (Decision.APPROVE, Decision.REJECT):
        raise ValidationFailed(
            _("Decide approve or reject."), code="decision_invalid", field="decision"
        )
    reasons = parse_reasons(decision, reason_codes)
    note = str(note or "").replace("\x00", "")[:MAX_NOTE]
    version = (
        ListingVersion.objects.select_for_update(of=("self",))
        .select_related("listing")
        .get(pk=task.version_id)
    )
    kind = TaskKind(task.kind)
    if kind is TaskKind.SAMPLE:
        _decide_sample(task, version, actor, decision, reasons, note)
    elif decision == Decision.APPROVE:
        _approve(task, version, actor, reasons, note)
    else:
        record_decision(version, actor, reasons, note)
        transition(version, Action.REJECT, actor=actor, reason=", ".join(reasons))
        on_rejected(version, actor=actor)
    if kind is TaskKind.APPEAL:
        Appeal.objects.filter(version=version).update(
            state="overturned" if decision == Decision.APPROVE else "upheld",
            decided_at=timezone.now(),
        )
    task.state = TaskState.DONE.value
    task.decision = decision
    task.reason_codes = reasons
    task.note = note
    task.decided_by = actor
    task.decided_at = timezone.now()
    task.save(
        update_fields=["state", "decision", "reason_codes", "note", "decided_by", "decided_at"]
    )
    _audit(actor, task, "decide", decision=decision, reason_codes=reasons)
    return task


def _approve(
    task: ReviewTask, version: ListingVersion, actor: Any, reasons: list[str], note: str
) -> None:
    if task.kind == TaskKind.FIRST.value and needs_second_review(version.risk_score):
        version.first_approved_by = actor
        version.save(update_fields=["first_approved_by"])
        task.state = TaskState.DONE.value
        task.save(update_fields=["state"])  # frees the version for the second task
        open_task(version, TaskKind.SECOND, excluded=[actor.pk])
        return
    if task.kind == TaskKind.SECOND.value and version.first_approved_by_id == actor.pk:
        raise Conflict(
            _("A different reviewer must confirm this approval."), code="reviewer_excluded"
        )
    record_decision(version, actor, reasons, note)
    transition(version, Action.APPROVE, actor=actor, reason=", ".join(reasons))
    make_live(version, actor=actor)


def _decide_sample(
    task: ReviewTask,
    version: ListingVersion,
    actor: Any,
    decision: str,
    reasons: list[str],
    note: str,
) -> None:
    """A sampled auto-approval: confirming changes nothing; rejecting revokes it."""
    if decision == Decision.APPROVE or version.state != VersionState.AUTO_APPROVED.value:
        return
    record_decision(version, actor, reasons, note)
    transition(version, Action.REJECT, actor=actor, reason="quality sample: " + ", ".join(reasons))
    listing = Listing.objects.select_for_update().get(pk=version.listing_id)
    if listing.live_version_id == version.pk:
        listing.live_version = None
        listing.state = ListingState.PENDING.value
        listing.save(update_fields=["live_version", "state"])
        record_event(
            actor=actor,
            obj=listing,
            action="listings.listing.unpublish",
            after={"state": listing.state},
            reason="quality sample rejected",
            organisation_id=listing.merchant_org_id,
        )
    on_rejected(version, actor=actor)


@transaction.atomic
def appeal_version(*, actor: Any, version_id: int, reason: str) -> Appeal:
    """The merchant appeals a rejection of its latest version; a different reviewer decides."""
    p = profile(actor)
    version = (
        ListingVersion.objects.select_for_update(of=("self",))
        .select_related("listing")
        .filter(pk=version_id, listing__merchant_org_id__in=p.merchant_org_ids)
        .first()
    )
    if version is None:
        raise NotFound(_("No such listing version."), code="version_not_found")
    ensure_can(actor, "listings.edit_own", merchant_org_id=version.listing.merchant_org_id)
    text = str(reason or "").replace("\x00", "").strip()
    if not text:
        raise ValidationFailed(
            _("Say why the decision is wrong."), code="field_required", field="reason"
        )
    if version.listing.latest_version_id != version.pk:
        raise Conflict(_("Only the latest version can be appealed."), code="version_not_latest")
    if Appeal.objects.filter(version=version).exists():
        raise Conflict(_("This version was already appealed."), code="appeal_exists")
    transition(version, Action.APPEAL, actor=actor, reason=text[:500])
    deciders = set(
        ReviewTask.objects.filter(version=version, decided_by__isnull=False).values_list(
            "decided_by_id", flat=True
        )
    )
    if version.decided_by_id:
        deciders.add(version.decided_by_id)
    try:
        with transaction.atomic():
            task = open_task(version, TaskKind.APPEAL, excluded=sorted(deciders))
            appeal = Appeal.objects.create(
                version=version,
                reason=text[:4000],
                task=task,
                merchant_org_id=version.listing.merchant_org_id,
                created_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("This version was already appealed."), code="appeal_exists") from None
    record_event(
        actor=actor,
        obj=appeal,
        action="listings.appeal.create",
        after={"version_id": version.pk},
        reason=text[:500],
        organisation_id=version.listing.merchant_org_id,
    )
    return appeal
