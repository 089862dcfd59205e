"""How a checked version moves on: state changes with history and audit, going live, the
review tasks, and the side effects of a decision (event, quality signal, merchant notice)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from qms.shared.audit import record_event
from qms.shared.calendars import business_calendar
from qms.shared.deadlines import schedule_deadline
from qms.shared.events import publish
from qms.shared.notifications import notify
from qms.shared.signals import emit_signal

from . import checks, wiring
from .domain.review_states import Action, ListingState, TaskKind, TaskState, is_sampled
from .models import Listing, ListingHit, ListingStatusChange, ListingVersion, ReviewTask
from .models.review import ACTIVE_TASK_STATES
from .rules import sync_rules

SAMPLE_DRAW: random.Random = random.SystemRandom()


@contextmanager
def seeded_sampling(seed: int) -> Iterator[None]:
    """Draw the quality sample of auto-approvals from a generator seeded with ``seed`` while
    the block runs (the demo generator: the same seed gives the same sample tasks). Outside
    it the draw comes from the system's random source, so merchants cannot predict it."""
    global SAMPLE_DRAW
    saved, SAMPLE_DRAW = SAMPLE_DRAW, random.Random(seed)
    try:
        yield
    finally:
        SAMPLE_DRAW = saved


def transition(version: ListingVersion, action: Action, *, actor: Any, reason: str = "") -> None:
    """Move the (locked) version by ``action``: state, history row, audit row."""
    from .domain.review_states import next_state

    old = version.state
    version.state = next_state(old, action).value
    version.save(update_fields=["state"])
    ListingStatusChange.objects.create(
        version=version,
        from_state=old,
        to_state=version.state,
        action=action.value,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:2000],
    )
    record_event(
        actor=actor,
        obj=version,
        action=f"listings.version.{action.value}",
        before={"state": old},
        after={"state": version.state},
        reason=reason[:500],
        organisation_id=version.listing.merchant_org_id,
    )


def merchant_user_ids(org_id: int) -> list[int]:
    from qms.accounts.selectors import user_ids_in_organisation

    return list(user_ids_in_organisation(organisation_id=org_id))


def notify_decision(version: ListingVersion, *, decision: str) -> None:
    listing = version.listing
    notify(
        kind=wiring.KIND_DECIDED,
        user_ids=merchant_user_ids(listing.merchant_org_id),
        context={
            "listing_id": listing.pk,
            "number": version.number,
            "title": version.title,
            "decision": decision,
            "reasons": [h.get("message_en") or h["rule"] for h in version.hits][:20],
            "reasons_zh": [h.get("message_zh") or h["rule"] for h in version.hits][:20],
        },
        dedupe_key=f"listing-version:{version.pk}:{decision}",
        link=f"/portal/listings/{listing.pk}/",
    )


def on_rejected(version: ListingVersion, *, actor: Any) -> None:
    """Side effects of any rejection: event, quality signal, merchant notice."""
    listing = version.listing
    rules = sorted({h["rule"] for h in version.hits})
    publish(
        "listings.version_rejected",
        listing_id=listing.pk,
        version_id=version.pk,
        organisation_id=listing.merchant_org_id,
        rules=rules,
    )
    emit_signal(
        subject_type="listings.listing",
        subject_id=listing.pk,
        organisation_id=listing.merchant_org_id,
        kind=wiring.SIGNAL_REJECTED,
        severity="high" if len(rules) > 2 else "medium",
        evidence={
            "version_id": version.pk,
            "rules": rules[:50],
            "reason_codes": list(version.reason_codes),
        },
        source="listings",
        dedupe_key=f"listing-version:{version.pk}:rejected",
    )
    notify_decision(version, decision="rejected")


def make_live(version: ListingVersion, *, actor: Any) -> None:
    """The approved version replaces the live one; open re-scan findings are resolved."""
    from .services_rescan import resolve_findings

    listing = Listing.objects.select_for_update().get(pk=version.listing_id)
    before = {"live_version": listing.live_version_id, "state": listing.state}
    if listing.review_hold:
        before["review_hold"] = listing.review_hold  # a reviewer approved: the hold is lifted
    listing.live_version = version
    listing.state = ListingState.LIVE.value
    listing.review_hold = ""
    listing.updated_at = timezone.now()
    listing.save(update_fields=["live_version", "state", "review_hold", "updated_at"])
    record_event(
        actor=actor,
        obj=listing,
        action="listings.listing.go_live",
        before=before,
        after={"live_version": version.pk, "state": listing.state},
        organisation_id=listing.merchant_org_id,
    )
    resolve_findings(listing_id=listing.pk, actor=actor)
    notify_decision(version, decision="approved")


REVIEW_SLA_WORKING_DAYS = 1


def review_due(opened: dt.datetime) -> dt.datetime:
    """The review SLA: the same time of day one CN working day after the task opened."""
    return business_calendar("CN").working_days_after(opened, REVIEW_SLA_WORKING_DAYS)


def task_deadline_key(task_id: int) -> str:
    return f"listings:review-sla:{task_id}"


def open_task(
    version: ListingVersion, kind: TaskKind, *, excluded: Iterable[int] = ()
) -> ReviewTask:
    """A task in the reviewer queue, due one working day later; when it is still open then,
    its reviewer (or, unclaimed, every reviewer) is told (``wiring.TASK_SLA_KIND``)."""
    now = timezone.now()
    task = ReviewTask.objects.create(
        version=version,
        merchant_org_id=version.listing.merchant_org_id,
        kind=kind.value,
        risk_score=version.risk_score,
        excluded_reviewer_ids=sorted(set(excluded)),
        created_at=now,
        due_at=review_due(now),
    )
    assert task.due_at is not None
    schedule_deadline(
        key=task_deadline_key(task.pk),
        kind=wiring.TASK_SLA_KIND,
        subject_type="listings.review_task",
        subject_id=str(task.pk),
        due_at=task.due_at,
        calendar="CN",
    )
    return task


def notify_task_overdue(task_id: int) -> None:
    """Deadline handler: the task is past its SLA and still waiting."""
    from qms.accounts.selectors import user_ids_with_roles

    task = ReviewTask.objects.select_related("version").filter(pk=task_id).first()
    if task is None or task.state not in ACTIVE_TASK_STATES:
        return
    if task.claimed_by_id:
        users = [task.claimed_by_id]
    else:
        excluded = set(task.excluded_reviewer_ids or [])
        users = [
            u
            for u in user_ids_with_roles(roles=["reviewer", "quality_manager"])
            if u not in excluded
        ]
    notify(
        kind=wiring.KIND_TASK_OVERDUE,
        user_ids=users,
        context={
            "task_id": task.pk,
            "listing_id": task.version.listing_id,
            "kind": task.kind,
            "title": task.version.title,
        },
        dedupe_key=f"listing-task:{task.pk}:overdue",
        link=f"/console/listings/tasks/{task.pk}/",
    )


def cancel_tasks(version: ListingVersion) -> None:
    ReviewTask.objects.filter(version=version, state__in=ACTIVE_TASK_STATES).update(
        state=TaskState.CANCELLED.value
    )


def record_hits(version: ListingVersion) -> None:
    """One ``ListingHit`` per rule and market of the checked version (rule performance)."""
    rows = {
        (str(h["rule"]), str(h.get("market", ""))[:2]): str(h.get("kind", ""))[:40]
        for h in version.hits
    }
    ListingHit.objects.bulk_create(
        [
            ListingHit(
                version=version,
                merchant_org_id=version.listing.merchant_org_id,
                rule_id=rule[:120],
                kind=kind,
                market=market,
                created_at=version.checked_at or timezone.now(),
            )
            for (rule, market), kind in rows.items()
        ],
        ignore_conflicts=True,
    )


def check_and_route(version: ListingVersion, *, actor: Any) -> ListingVersion:
    """Run the rules on a submitted version and route it: auto-approve (and maybe sample),
    auto-reject with every hit, or the reviewer queue with a risk score."""
    sync_rules()
    result = checks.check_version(version)
    version.verdict = result.verdict
    version.hits = result.hits
    version.risk_score = checks.score_version(version, hit_count=len(result.hits))
    version.checked_at = timezone.now()
    version.save(update_fields=["verdict", "hits", "risk_score", "checked_at"])
    record_hits(version)
    held = bool(version.listing.review_hold)
    if result.verdict == "approve" and held:  # taken down: a person decides, hits or not
        transition(
            version, Action.QUEUE, actor=None, reason="review hold: " + version.listing.review_hold
        )
        open_task(version, TaskKind.FIRST)
    elif result.verdict == "approve":
        transition(version, Action.AUTO_APPROVE, actor=None, reason="no rule hit")
        make_live(version, actor=None)
        if is_sampled(SAMPLE_DRAW.random()):
            open_task(version, TaskKind.SAMPLE)
    elif result.verdict == "reject":
        transition(
            version,
            Action.AUTO_REJECT,
            actor=None,
            reason=", ".join(sorted({h["rule"] for h in result.hits}))[:500],
        )
        on_rejected(version, actor=None)
    else:
        transition(version, Action.QUEUE, actor=None, reason="manual review")
        open_task(version, TaskKind.FIRST)
    return version
