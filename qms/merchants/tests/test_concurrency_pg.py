"""Two reviewers deciding at the same moment, in two threads, on PostgreSQL (row locks).

Collected only when ``DATABASE_URL`` is PostgreSQL (see ``conftest.py``): SQLite's shared
in-memory test database refuses a second writer thread outright instead of waiting. The
sequential form of the same race runs everywhere (``test_services_onboarding``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from qms.accounts.domain.roles import Role
from qms.merchants import services_onboarding as onboarding
from qms.merchants.models import Application
from qms.shared.errors import IllegalTransition

from .factories import give_document, make_category, make_merchant

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_approve_and_reject_one_wins(make_user: Callable[..., Any]) -> None:
    tea = make_category("tea", requires={"CN": ["business_licence"]})
    merchant, app, owner = make_merchant("Tea House")
    onboarding.update_application(actor=owner, application_id=app.pk, category_ids=[tea.pk])
    onboarding.submit_application(actor=owner, application_id=app.pk)
    rev1 = make_user(Role.REVIEWER, username="rev1")
    rev2 = make_user(Role.REVIEWER, username="rev2")
    onboarding.start_review(actor=rev1, application_id=app.pk)
    give_document(merchant, "business_licence")

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(name: str, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcomes[name] = "ok"
        except IllegalTransition as exc:
            outcomes[name] = exc.code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=decide,
            args=(
                "approve",
                lambda: onboarding.approve_application(actor=rev1, application_id=app.pk),
            ),
        ),
        threading.Thread(
            target=decide,
            args=(
                "reject",
                lambda: onboarding.reject_application(
                    actor=rev2, application_id=app.pk, reason_codes=["documents_invalid"]
                ),
            ),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes.values()) == ["illegal_transition", "ok"]
    app.refresh_from_db()
    winner = "approved" if outcomes["approve"] == "ok" else "rejected"
    assert app.state == winner
    decisions = app.history.filter(action__in=["approve", "reject"])
    assert decisions.count() == 1
    assert Application.objects.filter(merchant=merchant).count() == 1
