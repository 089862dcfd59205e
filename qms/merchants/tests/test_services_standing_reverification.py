"""Periodic re-verification (PRC E-Commerce Law Art. 27): tasks, deadlines, completion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from qms.accounts.domain.roles import Role
from qms.merchants import services_reverification as reverification
from qms.merchants import services_standing as standing
from qms.merchants.domain.standing import add_months
from qms.merchants.models import Merchant, ReverificationTask, StandingChange
from qms.merchants.selectors import dashboard_counts
from qms.merchants.selectors_agreements import can_sell, reverification_counts
from qms.merchants.services import activate_merchant
from qms.merchants.services_agreements import ensure_default_agreement
from qms.shared.deadlines import run_due_deadlines
from qms.shared.errors import IllegalTransition, PermissionDenied, ValidationFailed
from qms.shared.models import AuditEvent, Deadline, Notification

from .factories import make_category, make_live_merchant, make_merchant

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Callable[..., Any]) -> dict[str, Any]:
    toys = make_category("toys")
    merchant, owner = make_live_merchant("Toy Shop", categories=(toys,))
    return {
        "merchant": merchant,
        "owner": owner,
        "reviewer": make_user(Role.REVIEWER, username="rev1"),
        "qm": make_user(Role.QUALITY_MANAGER, username="qm1"),
    }


def test_activation_schedules_the_first_check_six_months_later(
    make_user, django_capture_on_commit_callbacks
):
    qm = make_user(Role.QUALITY_MANAGER)
    ensure_default_agreement(actor=qm)
    merchant, _app, owner = make_merchant("New Shop")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        locked = Merchant.objects.select_for_update().get(pk=merchant.pk)
        activate_merchant(actor=None, merchant=locked, reason="approved")
    assert Notification.objects.get(user=owner).kind == "merchants.agreement_sign_required"
    assert can_sell(merchant_id=merchant.pk)[1] == ["no_active_category", "agreement_not_signed"]
    assert StandingChange.objects.get(merchant=merchant).reason_code == "application_approved"
    task = ReverificationTask.objects.get(merchant=merchant)
    assert (task.state, task.due_on) == ("open", add_months(standing.business_today(), 6))
    d = Deadline.objects.get(key=f"merchant:{merchant.pk}:reverification")
    assert (d.kind, d.payload, [p[0] for p in d.points]) == (
        "merchants.reverification",
        {"task_id": task.pk},
        ["warn:14d", "due"],
    )


def test_scheduling_is_idempotent(world):
    m = world["merchant"].pk
    first = reverification.schedule_reverification(merchant_id=m)
    assert reverification.schedule_reverification(merchant_id=m).pk == first.pk
    assert ReverificationTask.objects.count() == 1
    assert reverification.ensure_reverifications_scheduled() == 0


def test_warning_then_overdue_notify_reviewers(world, django_capture_on_commit_callbacks):
    w = world
    task = reverification.schedule_reverification(merchant_id=w["merchant"].pk)
    due = Deadline.objects.get(key=f"merchant:{w['merchant'].pk}:reverification").due_at
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=due - dt.timedelta(days=13))
    assert set(
        Notification.objects.filter(kind="merchants.reverification_due").values_list(
            "user__username", flat=True
        )
    ) == {"rev1", "qm1"}
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=due + dt.timedelta(seconds=1))
    task.refresh_from_db()
    assert task.state == "overdue"
    assert Notification.objects.filter(kind="merchants.reverification_overdue").count() == 2
    assert AuditEvent.objects.get(action="merchant.reverification_overdue").after == {
        "state": "overdue"
    }
    assert reverification_counts(actor=w["reviewer"]) == {
        "reverifications_due": 1,
        "reverifications_overdue": 1,
    }
    assert dashboard_counts(actor=w["reviewer"])["reverifications_due"] == 1
    assert reverification_counts(actor=w["owner"]) == {}


def test_complete_schedules_the_next_one(world):
    w = world
    task = reverification.schedule_reverification(merchant_id=w["merchant"].pk)
    done = reverification.complete_reverification(
        actor=w["reviewer"],
        task_id=task.pk,
        outcome="confirmed",
        notes="Licence and legal representative match",
    )
    assert (done.state, done.outcome, done.completed_by) == ("done", "confirmed", w["reviewer"])
    nxt = ReverificationTask.objects.get(merchant=w["merchant"], state="open")
    assert nxt.due_on == add_months(standing.business_today(), 6)
    assert Deadline.objects.get(key=f"merchant:{w['merchant'].pk}:reverification").payload == {
        "task_id": nxt.pk
    }
    with pytest.raises(IllegalTransition):
        reverification.complete_reverification(
            actor=w["reviewer"], task_id=task.pk, outcome="confirmed"
        )


def test_failed_check_restricts_and_a_pass_lifts(world):
    w = world
    task = reverification.schedule_reverification(merchant_id=w["merchant"].pk)
    with pytest.raises(ValidationFailed):
        reverification.complete_reverification(
            actor=w["reviewer"], task_id=task.pk, outcome="failed"
        )
    reverification.complete_reverification(
        actor=w["qm"], task_id=task.pk, outcome="failed", notes="Business licence revoked by SAMR"
    )
    assert can_sell(merchant_id=w["merchant"].pk) == (False, ["restricted_reverification_failed"])
    nxt = ReverificationTask.objects.get(merchant=w["merchant"], state="open")
    reverification.complete_reverification(
        actor=w["qm"], task_id=nxt.pk, outcome="updated", notes="New licence verified"
    )
    assert can_sell(merchant_id=w["merchant"].pk) == (True, [])


def test_only_reviewers_complete(world):
    w = world
    task = reverification.schedule_reverification(merchant_id=w["merchant"].pk)
    with pytest.raises(PermissionDenied):
        reverification.complete_reverification(
            actor=w["owner"], task_id=task.pk, outcome="confirmed"
        )
    with pytest.raises(ValidationFailed) as exc:
        reverification.complete_reverification(actor=w["reviewer"], task_id=task.pk, outcome="fine")
    assert exc.value.code == "unknown_outcome"


def test_termination_cancels_the_check(world):
    w = world
    task = reverification.schedule_reverification(merchant_id=w["merchant"].pk)
    standing.terminate(
        actor=w["qm"],
        merchant_id=w["merchant"].pk,
        reason_code="counterfeit",
        reason_text="Repeated counterfeits",
    )
    task.refresh_from_db()
    assert task.state == "cancelled"
    assert Deadline.objects.get(key=f"merchant:{w['merchant'].pk}:reverification").status == (
        "cancelled"
    )


def test_backfill_gives_every_live_merchant_a_task(world):
    other, _ = make_live_merchant("Suspended Shop", standing="suspended")
    make_merchant("Applicant")
    assert reverification.ensure_reverifications_scheduled() == 2
    assert set(ReverificationTask.objects.values_list("merchant_id", flat=True)) == {
        world["merchant"].pk,
        other.pk,
    }
