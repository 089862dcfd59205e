from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from qms.accounts.domain.roles import Role
from qms.accounts.models import Membership, Organisation
from qms.merchants import selectors
from qms.merchants import services_onboarding as onboarding
from qms.merchants.models import Application, Merchant
from qms.merchants.services import (
    add_supplier,
    create_supplier,
    register_merchant_applicant,
    update_merchant_profile,
)
from qms.shared.deadlines import run_due_deadlines
from qms.shared.errors import Conflict, PermissionDenied, ValidationFailed
from qms.shared.models import AuditEvent, Notification

from .factories import add_staff, make_category, make_merchant, make_uscc

pytestmark = pytest.mark.django_db


def test_register_creates_everything_at_once() -> None:
    merchant, app = register_merchant_applicant(
        organisation_name="Panda Tea",
        username="panda",
        email="panda@example.com",
        password=None,
        legal_name="Panda Tea Co., Ltd.",
        registration_number=make_uscc(7001),
        markets=["cn", "EU"],
    )
    assert merchant.standing == "pending"
    assert merchant.code == f"M{merchant.organisation_id:06d}"
    assert Organisation.objects.get(pk=merchant.organisation_id).kind == "merchant"
    assert Membership.objects.get(organisation_id=merchant.organisation_id).role == "merchant_owner"
    assert (app.state, app.markets) == ("draft", ["CN", "EU"])
    audit = AuditEvent.objects.get(action="merchant.register")
    assert audit.organisation_id == merchant.organisation_id


def test_register_rolls_back_on_duplicate_registration() -> None:
    number = make_uscc(7002)
    register_merchant_applicant(
        organisation_name="A",
        username="a1",
        email="a@x.io",
        password=None,
        legal_name="A Ltd",
        registration_number=number,
    )
    with pytest.raises(Conflict) as exc:
        register_merchant_applicant(
            organisation_name="B",
            username="b1",
            email="b@x.io",
            password=None,
            legal_name="B Ltd",
            registration_number=number,
        )
    assert exc.value.code == "merchant_registration_taken"
    assert not Organisation.objects.filter(name="B").exists()


def test_register_rejects_bad_uscc() -> None:
    with pytest.raises(ValidationFailed) as exc:
        register_merchant_applicant(
            organisation_name="C",
            username="c1",
            email="c@x.io",
            password=None,
            legal_name="C Ltd",
            registration_number="91350100M000100Y44",
        )
    assert exc.value.code == "uscc_check_char"
    assert Merchant.objects.count() == 0


def test_identity_is_locked_for_merchants_after_approval(make_user: Callable[..., Any]) -> None:
    merchant, _, owner = make_merchant("Locked")
    Merchant.objects.filter(pk=merchant.pk).update(standing="active")
    with pytest.raises(Conflict) as exc:
        update_merchant_profile(actor=owner, merchant_id=merchant.pk, legal_name="New Name")
    assert exc.value.code == "identity_locked"
    updated = update_merchant_profile(
        actor=owner, merchant_id=merchant.pk, business_scope="Tea and teaware"
    )
    assert updated.business_scope == "Tea and teaware"
    admin = make_user(Role.ADMIN, username="adm")
    assert (
        update_merchant_profile(
            actor=admin, merchant_id=merchant.pk, legal_name="New Name"
        ).legal_name
        == "New Name"
    )


def test_staff_member_sees_own_merchant_only() -> None:
    merchant, _, _ = make_merchant("Own")
    make_merchant("Foreign")
    staff = add_staff(merchant, "staff1")
    assert list(selectors.merchants_for(actor=staff)) == [merchant]
    assert selectors.merchant_of_user(actor=staff) == merchant


def test_suppliers(make_user: Callable[..., Any]) -> None:
    merchant, _, owner = make_merchant("Sup")
    with pytest.raises(PermissionDenied):
        create_supplier(actor=owner, name="Factory", kind="factory")
    link = add_supplier(
        actor=owner,
        merchant_id=merchant.pk,
        name="Factory",
        kind="factory",
        relation="manufactures_for",
        since=dt.date(2024, 1, 1),
        registration_number=make_uscc(9001),
    )
    assert link.supplier.organisation.kind == "supplier"
    assert list(selectors.suppliers_for(actor=owner)) == [link.supplier]
    _, _, other_owner = make_merchant("Other")
    assert list(selectors.suppliers_for(actor=other_owner)) == []
    with pytest.raises(ValidationFailed) as exc:
        add_supplier(
            actor=owner,
            merchant_id=merchant.pk,
            name="F2",
            kind="farm",
            relation="manufactures_for",
            since=dt.date(2024, 1, 1),
        )
    assert exc.value.code == "unknown_supplier_kind"


def _in_review(make_user: Callable[..., Any]) -> tuple[Application, Any, Any]:
    tea = make_category("tea")
    _merchant, app, owner = make_merchant("Deadline Tea")
    reviewer = make_user(Role.REVIEWER, username="rev")
    onboarding.update_application(actor=owner, application_id=app.pk, category_ids=[tea.pk])
    onboarding.submit_application(actor=owner, application_id=app.pk)
    return onboarding.start_review(actor=reviewer, application_id=app.pk), owner, reviewer


def test_unanswered_info_request_withdraws_application(
    make_user: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    app, owner, reviewer = _in_review(make_user)
    with django_capture_on_commit_callbacks(execute=True):
        app = onboarding.request_info(
            actor=reviewer,
            application_id=app.pk,
            reason_codes=["documents_missing"],
            text="Licence please",
        )
    assert Notification.objects.filter(
        kind="merchants.application_info_requested", user=owner
    ).exists()
    due = app.info_response_due_at
    assert due is not None
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=due - dt.timedelta(days=1))
    app.refresh_from_db()
    assert app.state == "info_requested"
    assert (
        Notification.objects.filter(kind="merchants.application_info_due_soon", user=owner).count()
        == 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=due + dt.timedelta(seconds=1))
    app.refresh_from_db()
    assert app.state == "withdrawn"
    assert app.history.last().action == "expire"
    assert Notification.objects.filter(kind="merchants.application_withdrawn", user=owner).exists()


def test_resubmission_cancels_the_withdrawal(make_user: Callable[..., Any]) -> None:
    app, owner, reviewer = _in_review(make_user)
    app = onboarding.request_info(
        actor=reviewer, application_id=app.pk, reason_codes=["other"], text="Scope?"
    )
    due = app.info_response_due_at
    onboarding.resubmit_application(actor=owner, application_id=app.pk)
    run_due_deadlines(now=due + dt.timedelta(days=1))
    app.refresh_from_db()
    assert app.state == "submitted"


def test_review_sla_warns_reviewers(
    make_user: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    app, _, reviewer = _in_review(make_user)
    due = onboarding.working_days_from(app.review_started_at, 3)
    assert due - app.review_started_at >= dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=due + dt.timedelta(seconds=1))
    assert (
        Notification.objects.filter(
            kind="merchants.application_review_overdue", user=reviewer
        ).count()
        == 1
    )


def test_dashboard_counts(make_user: Callable[..., Any]) -> None:
    _in_review(make_user)
    make_merchant("Draft only")
    reviewer = make_user(Role.REVIEWER, username="rev9")
    counts = selectors.dashboard_counts(actor=reviewer)
    assert counts["applications_to_review"] == 1
    assert counts["awaiting_second_approval"] == 0
    assert counts["info_requested"] == 0
    assert counts["applications_by_state"] == {"in_review": 1, "draft": 1}
    _, _, owner = make_merchant("Nosy")
    assert selectors.dashboard_counts(actor=owner) == {}


def test_merchant_list_query_count(
    make_user: Callable[..., Any], api_client_for: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        make_merchant(f"Bulk {i}")
    client = api_client_for(make_user(Role.REVIEWER, username="rv"))
    with django_assert_max_num_queries(6):
        resp = client.get("/api/v1/merchants")
    assert len(resp.json()["items"]) == 5
    with django_assert_max_num_queries(8):
        resp = client.get("/api/v1/merchants/applications")
    assert len(resp.json()["items"]) == 5


def test_submitted_notifies_reviewers(
    make_user: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    tea = make_category("tea")
    _merchant, app, owner = make_merchant("Notify")
    reviewer = make_user(Role.REVIEWER, username="revn")
    onboarding.update_application(actor=owner, application_id=app.pk, category_ids=[tea.pk])
    with django_capture_on_commit_callbacks(execute=True):
        onboarding.submit_application(actor=owner, application_id=app.pk)
    note = Notification.objects.get(kind="merchants.application_submitted", user=reviewer)
    assert f"A{app.pk}" in note.subject
    assert timezone.now() >= note.created_at


def test_company_data_is_frozen_during_review(make_user: Callable[..., Any]) -> None:
    app, owner, _ = _in_review(make_user)
    with pytest.raises(Conflict) as exc:
        update_merchant_profile(actor=owner, merchant_id=app.merchant_id, business_scope="More")
    assert exc.value.code == "application_under_review"
    admin = make_user(Role.ADMIN, username="adm2")
    changed = update_merchant_profile(
        actor=admin, merchant_id=app.merchant_id, business_scope="More"
    )
    assert changed.business_scope == "More"
