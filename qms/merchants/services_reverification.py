"""Periodic re-verification of merchants (PRC E-Commerce Law Art. 27: a platform checks and
updates the identity and licence information of its merchants at least every six months).

Each live merchant has one open ``ReverificationTask`` with a deadline
``merchant:<id>:reverification``: reviewers are warned 14 days before, the task turns ``overdue``
when the day passes. Completing it schedules the next one six months later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from qms.accounts.permissions import ensure_can
from qms.accounts.selectors import user_ids_with_roles
from qms.shared.audit import record_event
from qms.shared.deadlines import cancel_deadline, schedule_deadline
from qms.shared.errors import IllegalTransition, NotFound, ValidationFailed
from qms.shared.notifications import notify

from .domain.standing import REVERIFY_EVERY_MONTHS, REVERIFY_WARNING_DAYS, Standing, add_months
from .models import Merchant, ReverificationTask
from .services_standing import (
    _lock,
    _tz,
    business_today,
    end_of_business_day,
    lift_merchant_restriction,
    restrict_merchant,
)

REVERIFICATION_KIND = "merchants.reverification"
REVIEWER_ROLES = ["reviewer", "quality_manager"]
OPEN_STATES = ("open", "overdue")
LIVE = (Standing.ACTIVE.value, Standing.RESTRICTED.value, Standing.SUSPENDED.value)


def deadline_key(merchant_id: int) -> str:
    return f"merchant:{merchant_id}:reverification"


@transaction.atomic
def schedule_reverification(
    *, merchant_id: int, due_on: dt.date | None = None
) -> ReverificationTask:
    """The open re-verification task of the merchant; created (due in six months unless
    ``due_on``) with its deadline if there is none. Idempotent. System action."""
    merchant = _lock(None, merchant_id)
    task = ReverificationTask.objects.filter(merchant_id=merchant.pk, state__in=OPEN_STATES).first()
    if task is not None:
        return task
    due = due_on or add_months(business_today(), REVERIFY_EVERY_MONTHS)
    task = ReverificationTask.objects.create(merchant=merchant, due_on=due)
    schedule_deadline(
        key=deadline_key(merchant.pk),
        kind=REVERIFICATION_KIND,
        subject_type="merchants.merchant",
        subject_id=str(merchant.pk),
        due_at=end_of_business_day(due),
        warnings=[dt.timedelta(days=REVERIFY_WARNING_DAYS)],
        payload={"task_id": task.pk},
    )
    record_event(
        actor=None,
        obj=task,
        action="merchant.reverification_scheduled",
        organisation_id=merchant.organisation_id,
        after={"due_on": due},
    )
    return task


@transaction.atomic
def complete_reverification(
    *, actor: Any, task_id: int, outcome: str, notes: str = ""
) -> ReverificationTask:
    """Close an open or overdue task and schedule the next one six months later. ``failed``
    restricts the whole merchant (``reverification_failed``); a pass lifts that restriction."""
    ensure_can(actor, "merchants.reverify")
    task = ReverificationTask.objects.select_for_update().filter(pk=task_id).first()
    if task is None:
        raise NotFound("No such re-verification task.", code="reverification_not_found")
    if outcome not in ReverificationTask.Outcome.values:
        raise ValidationFailed(
            f"Unknown outcome {outcome!r}.",
            code="unknown_outcome",
            allowed=list(ReverificationTask.Outcome.values),
        )
    if task.state not in OPEN_STATES:
        raise IllegalTransition(state=task.state, action="complete")
    if outcome == "failed" and not notes.strip():
        raise ValidationFailed("Say what failed.", code="reason_text_required")
    before = task.state
    task.state, task.completed_by, task.completed_at = "done", actor, timezone.now()
    task.outcome, task.outcome_notes = outcome, notes
    task.save(update_fields=["state", "completed_by", "completed_at", "outcome", "outcome_notes"])
    merchant = Merchant.objects.get(pk=task.merchant_id)
    record_event(
        actor=actor,
        obj=task,
        action="merchant.reverification_complete",
        organisation_id=merchant.organisation_id,
        before={"state": before},
        after={"state": "done", "outcome": outcome},
        reason=notes,
    )
    cancel_deadline(key=deadline_key(merchant.pk))
    # the consequence follows from the outcome by rule: the system applies it, citing the task
    evidence = {"reverification_task_id": task.pk, "completed_by": actor.pk}
    if outcome == "failed" and merchant.standing in LIVE:
        restrict_merchant(
            actor=None,
            merchant_id=merchant.pk,
            reason_code="reverification_failed",
            reason_text=notes,
            evidence=evidence,
        )
    elif outcome != "failed":
        lift_merchant_restriction(
            actor=None,
            merchant_id=merchant.pk,
            reason_code="reverification_passed",
            reason_text=notes,
            only_reason_codes=["reverification_failed"],
            evidence=evidence,
        )
    if merchant.standing in LIVE:
        schedule_reverification(merchant_id=merchant.pk)
    return task


@transaction.atomic
def mark_reverification_overdue(*, task_id: int) -> ReverificationTask | None:
    """The deadline passed with the task still open (system); reviewers are told."""
    task = (
        ReverificationTask.objects.select_for_update()
        .select_related("merchant")
        .filter(pk=task_id, state="open")
        .first()
    )
    if task is None:
        return None
    task.state = "overdue"
    task.save(update_fields=["state"])
    record_event(
        actor=None,
        obj=task,
        action="merchant.reverification_overdue",
        organisation_id=task.merchant.organisation_id,
        before={"state": "open"},
        after={"state": "overdue"},
    )
    notify_reviewers(task=task, kind="merchants.reverification_overdue")
    return task


def notify_reviewers(*, task: ReverificationTask, kind: str) -> None:
    notify(
        kind=kind,
        user_ids=user_ids_with_roles(roles=REVIEWER_ROLES),
        context={"merchant": task.merchant.legal_name, "due_on": task.due_on.isoformat()},
        dedupe_key=f"{kind}:{task.pk}",
        link="/console/merchants/reverifications/",
    )


@transaction.atomic
def stop_reverification(*, merchant_id: int) -> int:
    """A terminated merchant is not re-verified: cancel its open task and deadline."""
    tasks = list(
        ReverificationTask.objects.select_for_update().filter(
            merchant_id=merchant_id, state__in=OPEN_STATES
        )
    )
    for task in tasks:
        task.state = "cancelled"
        task.save(update_fields=["state"])
        record_event(
            actor=None,
            obj=task,
            action="merchant.reverification_cancelled",
            organisation_id=task.merchant.organisation_id,
        )
    cancel_deadline(key=deadline_key(merchant_id))
    return len(tasks)


def ensure_reverifications_scheduled(*, batch_size: int = 500) -> int:
    """Give every live merchant without an open task one: due six months after its last
    completed check (or today if that is already past); how many were created. For back-fills
    and demo data; each merchant in its own transaction."""
    missing = list(
        Merchant.objects.filter(standing__in=LIVE)
        .exclude(reverification_tasks__state__in=OPEN_STATES)
        .values_list("pk", flat=True)
    )
    today, created = business_today(), 0
    for start in range(0, len(missing), batch_size):
        chunk = missing[start : start + batch_size]
        last_done: dict[int, dt.datetime] = {}
        for merchant_id, at in (
            ReverificationTask.objects.filter(
                merchant_id__in=chunk, state="done", completed_at__isnull=False
            )
            .order_by("completed_at")
            .values_list("merchant_id", "completed_at")
        ):
            if at is not None:
                last_done[merchant_id] = at
        for merchant_id in chunk:
            done = last_done.get(merchant_id)
            base = timezone.localdate(done, timezone=_tz()) if done else today
            due = max(add_months(base, REVERIFY_EVERY_MONTHS), today)
            schedule_reverification(merchant_id=merchant_id, due_on=due)
            created += 1
    return created
