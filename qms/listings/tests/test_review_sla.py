"""The review SLA: a task is due one CN working day after it opens; past that it is marked
overdue in the queue and its reviewer (or, unclaimed, every reviewer) is told once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qms.accounts.domain.roles import Role
from qms.listings import services_review
from qms.listings.models import ReviewTask
from qms.listings.services_routing import review_due, task_deadline_key
from qms.shared.deadlines import run_due_deadlines
from qms.shared.models import Deadline, Notification

from .factories import category, make_listing, make_seller

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_due_one_working_day_later_skipping_the_weekend():
    friday = dt.datetime(2026, 11, 27, 15, 0, tzinfo=SHANGHAI)
    assert review_due(friday) == dt.datetime(2026, 11, 30, 15, 0, tzinfo=SHANGHAI)
    # 1 October is the National Day holiday week
    before = dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    assert review_due(before).astimezone(SHANGHAI).date() > dt.date(2026, 10, 7)


@pytest.fixture
def queued():
    category("home", risk="low")
    _m, owner = make_seller(category("home"))
    version = make_listing(owner, cat="home", title="顶级 毛巾").latest_version
    return ReviewTask.objects.get(version=version)


def test_overdue_tasks_notify_once_and_show_in_the_queue(
    queued, reviewer, make_user, django_capture_on_commit_callbacks
):
    task = queued
    deadline = Deadline.objects.get(key=task_deadline_key(task.pk))
    assert deadline.due_at == task.due_at
    other = make_user(Role.QUALITY_MANAGER, username="qm")
    later = task.due_at + dt.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=later)
        run_due_deadlines(now=later + dt.timedelta(hours=1))
    told = set(
        Notification.objects.filter(kind="listings.review_overdue").values_list("user", flat=True)
    )
    assert told == {reviewer.pk, other.pk}
    ReviewTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    c = Client()
    c.force_login(reviewer)
    page = c.get("/console/listings/queue/?overdue=1").content.decode()
    assert f"T{task.pk}<" in page
    assert "data-overdue" in page


def test_a_claimed_task_tells_only_its_reviewer_and_a_decided_one_nobody(
    queued, reviewer, make_user, django_capture_on_commit_callbacks
):
    task = queued
    make_user(Role.REVIEWER, username="rev2")
    services_review.claim_task(actor=reviewer, task_id=task.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=task.due_at + dt.timedelta(minutes=5))
    told = list(
        Notification.objects.filter(kind="listings.review_overdue").values_list("user", flat=True)
    )
    assert told == [reviewer.pk]
    # a second task, decided before its SLA: nothing is sent when its deadline passes
    _m, owner = make_seller(category("home"))
    v2 = make_listing(owner, cat="home", title="顶级 浴巾").latest_version
    t2 = ReviewTask.objects.get(version=v2)
    services_review.claim_task(actor=reviewer, task_id=t2.pk)
    services_review.decide_task(
        actor=reviewer, task_id=t2.pk, decision="approve", reason_codes=["compliant"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=t2.due_at + dt.timedelta(minutes=5))
    assert Notification.objects.filter(kind="listings.review_overdue").count() == 1
