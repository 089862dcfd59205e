"""Two reviewers claiming the same task at the same moment, in two threads, on PostgreSQL.

Collected only when ``DATABASE_URL`` is PostgreSQL (see ``conftest.py``). The sequential form
runs everywhere (``test_services_review``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from qms.accounts.domain.roles import Role
from qms.listings import services_review
from qms.listings.models import ReviewTask
from qms.shared.errors import Conflict
from qms.shared.models import AuditEvent

from .factories import category, make_listing, make_seller

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_claims_one_wins(make_user: Callable[..., Any]) -> None:
    home = category("home")
    _merchant, owner = make_seller(home)
    version = make_listing(owner, cat="home", title="Towel").latest_version
    task = ReviewTask.objects.get(version=version)
    reviewers = [make_user(Role.REVIEWER, username=f"rev{i}") for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def claim(user: Any) -> None:
        try:
            barrier.wait()
            services_review.claim_task(actor=user, task_id=task.pk)
            outcomes[user.pk] = "ok"
        except Conflict as exc:
            outcomes[user.pk] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(u,)) for u in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["ok", "task_not_open"]
    task.refresh_from_db()
    winner = next(pk for pk, result in outcomes.items() if result == "ok")
    assert (task.state, task.claimed_by_id) == ("claimed", winner)
    assert AuditEvent.objects.filter(action="listings.task.claim").count() == 1


def test_concurrent_changes_of_one_rule_one_wins(make_user: Callable[..., Any]) -> None:
    """Two quality managers change the same rule at the same moment: both would write its
    version 2; the unique (rule, version) constraint lets one in, the other gets a problem
    to reload and try again, and the registry holds exactly the winner."""
    from qms.listings import services_rules
    from qms.listings.models import RuleVersion
    from qms.listings.rules import LISTING_RULES, sync_rules

    rule_id = "listing.attr.cn-food.sc_licence_no"
    managers = [make_user(Role.QUALITY_MANAGER, username=f"qm{i}") for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def change(user: Any, severity: str) -> None:
        try:
            barrier.wait()
            services_rules.change_rule(
                actor=user, rule_id=rule_id, severity=severity, reason=f"{user.username} says"
            )
            outcomes[user.pk] = "ok"
        except Conflict as exc:
            outcomes[user.pk] = exc.code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=change, args=(u, s))
        for u, s in zip(managers, ("medium", "low"), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["ok", "rule_changed_concurrently"]
    [row] = RuleVersion.objects.all()
    assert row.version == 2
    assert row.created_by_id == next(pk for pk, r in outcomes.items() if r == "ok")
    sync_rules(force=True)
    assert [r.version for r in LISTING_RULES.history(rule_id)] == [1, 2]
    assert LISTING_RULES.history(rule_id)[-1].severity.value == row.severity
