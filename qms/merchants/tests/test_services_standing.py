"""Standing services: restrictions per category and merchant-wide, suspension, reinstatement,
termination; history, audit, notifications, events; the document event subscriptions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from qms.accounts.domain.roles import Role
from qms.merchants import services_standing as standing
from qms.merchants.models import MerchantCategory, StandingChange, StandingRestriction
from qms.merchants.selectors_agreements import can_sell
from qms.shared.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from qms.shared.events import publish, subscribe
from qms.shared.models import AuditEvent, Notification

from .factories import add_staff, give_document, make_category, make_live_merchant

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Callable[..., Any]) -> dict[str, Any]:
    tea = make_category("tea", requires={"CN": ["business_licence", "food_business_licence"]})
    green = make_category("tea/green", parent=tea)
    toys = make_category(
        "toys", requires={"CN": ["business_licence", "ccc_certificate"], "EU": ["ce_declaration"]}
    )
    merchant, owner = make_live_merchant("Tea House", categories=(green, toys))
    return {
        "tea": tea,
        "green": green,
        "toys": toys,
        "merchant": merchant,
        "owner": owner,
        "qm": make_user(Role.QUALITY_MANAGER, username="qm1"),
        "reviewer": make_user(Role.REVIEWER, username="rev1"),
    }


@pytest.fixture
def events() -> list[tuple[str, dict[str, Any]]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    for name in ("merchants.standing_changed", "merchants.category_restriction_changed"):
        subscribe(name, lambda _n=name, **kw: seen.append((_n, kw)))
    return seen


def _mc(w: dict[str, Any], cat: str) -> MerchantCategory:
    return MerchantCategory.objects.get(merchant=w["merchant"], category=w[cat])


def test_restrict_category_moves_active_to_restricted(
    world, events, django_capture_on_commit_callbacks
):
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        r = standing.restrict_category(
            actor=w["qm"],
            merchant_id=w["merchant"].pk,
            category_id=w["toys"].pk,
            reason_code="quality_violation",
            reason_text="Lead in paint above GB 6675 limits",
            evidence={"lab_report": "R-1"},
        )
    w["merchant"].refresh_from_db()
    assert w["merchant"].standing == "restricted"
    mc = _mc(w, "toys")
    assert (mc.status, mc.restricted_reason_code, mc.restricted_since) == (
        "restricted",
        "quality_violation",
        r.created_at,
    )
    assert _mc(w, "green").status == "active"
    change = StandingChange.objects.get()
    assert (
        change.from_standing,
        change.to_standing,
        change.action,
        change.category_id,
        change.reason_code,
        change.actor,
    ) == ("active", "restricted", "restrict_category", w["toys"].pk, "quality_violation", w["qm"])
    assert change.evidence == {"lab_report": "R-1"}
    audit = AuditEvent.objects.get(action="merchant.restrict_category")
    assert audit.organisation_id == w["merchant"].organisation_id
    assert audit.before == {"standing": "active"}
    assert audit.after["standing"] == "restricted"
    assert audit.reason == "Lead in paint above GB 6675 limits"
    note = Notification.objects.get(user=w["owner"])
    assert note.kind == "merchants.category_restricted"
    assert "Toys" in note.subject or "toys" in note.subject
    assert events == [
        (
            "merchants.category_restriction_changed",
            {
                "merchant_id": w["merchant"].pk,
                "category_id": w["toys"].pk,
                "status": "restricted",
                "reason_code": "quality_violation",
            },
        ),
        (
            "merchants.standing_changed",
            {"merchant_id": w["merchant"].pk, "old": "active", "new": "restricted"},
        ),
    ]
    assert can_sell(merchant_id=w["merchant"].pk, category_id=w["toys"].pk) == (
        False,
        ["category_restricted"],
    )
    assert can_sell(merchant_id=w["merchant"].pk, category_id=w["green"].pk) == (True, [])


def test_restricting_twice_for_the_same_cause_changes_nothing(world):
    w = world
    kw = dict(
        actor=None,
        merchant_id=w["merchant"].pk,
        category_id=w["toys"].pk,
        reason_code="document_expired",
        document_type_code="ccc_certificate",
    )
    first = standing.restrict_category(**kw)
    again = standing.restrict_category(**kw)
    assert first.pk == again.pk
    assert StandingChange.objects.count() == 1
    assert AuditEvent.objects.filter(action="merchant.restrict_category").count() == 1


def test_each_cause_is_lifted_on_its_own(world):
    w = world
    m, toys = w["merchant"].pk, w["toys"].pk
    standing.restrict_category(
        actor=None,
        merchant_id=m,
        category_id=toys,
        reason_code="document_expired",
        document_type_code="ccc_certificate",
    )
    standing.restrict_category(
        actor=w["qm"],
        merchant_id=m,
        category_id=toys,
        reason_code="counterfeit",
        reason_text="Fake brand labels",
    )
    lifted = standing.lift_category_restriction(
        actor=None,
        merchant_id=m,
        category_id=toys,
        reason_code="documents_valid",
        only_reason_codes=["document_expired"],
    )
    assert lifted == 1
    mc = _mc(w, "toys")
    assert (mc.status, mc.restricted_reason_code) == ("restricted", "counterfeit")
    w["merchant"].refresh_from_db()
    assert w["merchant"].standing == "restricted"
    last = StandingChange.objects.first()
    assert (last.action, last.from_standing, last.to_standing) == (
        "lift_category",
        "restricted",
        "restricted",
    )
    assert (
        standing.lift_category_restriction(
            actor=None,
            merchant_id=m,
            category_id=toys,
            reason_code="documents_valid",
            only_reason_codes=["document_expired"],
        )
        == 0
    )
    assert (
        standing.lift_category_restriction(
            actor=w["qm"], merchant_id=m, category_id=toys, reason_code="rectified"
        )
        == 1
    )
    w["merchant"].refresh_from_db()
    assert w["merchant"].standing == "active"
    assert _mc(w, "toys").status == "active"
    assert _mc(w, "toys").restricted_reason_code == ""


def test_merchant_wide_restriction_blocks_all_selling(world):
    w = world
    standing.restrict_merchant(
        actor=None, merchant_id=w["merchant"].pk, reason_code="agreement_not_signed"
    )
    assert can_sell(merchant_id=w["merchant"].pk) == (False, ["restricted_agreement_not_signed"])
    assert (
        standing.lift_merchant_restriction(
            actor=None,
            merchant_id=w["merchant"].pk,
            reason_code="agreement_signed",
            only_reason_codes=["agreement_not_signed"],
        )
        == 1
    )
    assert can_sell(merchant_id=w["merchant"].pk) == (True, [])


def test_a_person_needs_the_permission_and_words(world, make_user):
    w = world
    kw = dict(merchant_id=w["merchant"].pk, category_id=w["toys"].pk)
    with pytest.raises(PermissionDenied):
        standing.restrict_category(
            actor=w["reviewer"], reason_code="counterfeit", reason_text="x", **kw
        )
    with pytest.raises(PermissionDenied):
        standing.restrict_category(
            actor=w["owner"], reason_code="counterfeit", reason_text="x", **kw
        )
    with pytest.raises(ValidationFailed) as exc:
        standing.restrict_category(actor=w["qm"], reason_code="counterfeit", **kw)
    assert exc.value.code == "reason_text_required"
    with pytest.raises(ValidationFailed) as exc:
        standing.restrict_category(actor=w["qm"], reason_code="bad_vibes", **kw)
    assert exc.value.code == "unknown_reason_code"
    with pytest.raises(NotFound) as nf:
        standing.restrict_category(
            actor=w["qm"],
            merchant_id=w["merchant"].pk,
            category_id=w["tea"].pk,
            reason_code="counterfeit",
            reason_text="x",
        )
    assert nf.value.code == "merchant_category_not_found"
    assert not StandingRestriction.objects.exists()
    assert not StandingChange.objects.exists()


def test_suspend_and_reinstate_back_to_restricted(world, events):
    w = world
    m = w["merchant"].pk
    standing.restrict_category(
        actor=None,
        merchant_id=m,
        category_id=w["toys"].pk,
        reason_code="document_expired",
        document_type_code="ccc_certificate",
    )
    with pytest.raises(ValidationFailed):
        standing.suspend(actor=w["qm"], merchant_id=m, reason_code="counterfeit", reason_text=" ")
    standing.suspend(
        actor=w["qm"],
        merchant_id=m,
        reason_code="counterfeit",
        reason_text="Counterfeit baby bottles found in mystery shopping",
    )
    assert can_sell(merchant_id=m, category_id=w["green"].pk) == (False, ["standing_suspended"])
    with pytest.raises(IllegalTransition):
        standing.suspend(actor=w["qm"], merchant_id=m, reason_code="counterfeit", reason_text="y")
    merchant = standing.reinstate(actor=w["qm"], merchant_id=m, reason_code="appeal_upheld")
    assert merchant.standing == "restricted"
    assert [
        (c.action, c.from_standing, c.to_standing)
        for c in StandingChange.objects.order_by("at", "id")
    ] == [
        ("restrict_category", "active", "restricted"),
        ("suspend", "restricted", "suspended"),
        ("reinstate", "suspended", "restricted"),
    ]
    assert [e[1]["new"] for e in events if e[0] == "merchants.standing_changed"] == [
        "restricted",
        "suspended",
        "restricted",
    ]


def test_terminate_is_final_and_stops_restrictions(world):
    w = world
    m = w["merchant"].pk
    standing.terminate(
        actor=w["qm"],
        merchant_id=m,
        reason_code="false_information",
        reason_text="Forged business licence",
    )
    with pytest.raises(IllegalTransition):
        standing.reinstate(actor=w["qm"], merchant_id=m, reason_code="appeal_upheld")
    with pytest.raises(IllegalTransition):
        standing.restrict_merchant(actor=None, merchant_id=m, reason_code="agreement_not_signed")
    assert AuditEvent.objects.get(action="merchant.terminate").after["standing"] == "terminated"


def test_change_standing_dispatches_by_target(world):
    w = world
    m = w["merchant"].pk
    merchant = standing.change_standing(
        actor=w["qm"],
        merchant_id=m,
        to="restricted",
        reason_code="quality_violation",
        reason_text="3 failed lots",
    )
    assert merchant.standing == "restricted"
    standing.restrict_category(
        actor=None,
        merchant_id=m,
        category_id=w["toys"].pk,
        reason_code="document_expired",
        document_type_code="ccc_certificate",
    )
    merchant = standing.change_standing(
        actor=w["qm"], merchant_id=m, to="active", reason_code="rectified", reason_text="Corrected"
    )
    assert merchant.standing == "active"
    assert not StandingRestriction.objects.filter(lifted_at__isnull=True).exists()
    assert _mc(w, "toys").status == "active"
    with pytest.raises(IllegalTransition):
        standing.change_standing(
            actor=w["qm"], merchant_id=m, to="pending", reason_code="other", reason_text="x"
        )
    with pytest.raises(ValidationFailed) as exc:
        standing.change_standing(
            actor=w["qm"], merchant_id=m, to="gone", reason_code="other", reason_text="x"
        )
    assert exc.value.code == "unknown_standing"


def test_staff_of_the_merchant_are_notified_too(world, django_capture_on_commit_callbacks):
    w = world
    staff = add_staff(w["merchant"], "clerk")
    with django_capture_on_commit_callbacks(execute=True):
        standing.suspend(
            actor=w["qm"],
            merchant_id=w["merchant"].pk,
            reason_code="counterfeit",
            reason_text="Counterfeit goods",
        )
    kinds = set(
        Notification.objects.filter(user__in=[w["owner"], staff]).values_list(
            "user__username", "kind"
        )
    )
    assert kinds == {
        (w["owner"].username, "merchants.standing_changed"),
        ("clerk", "merchants.standing_changed"),
    }


# --- subscriptions to the documents context ---------------------------------------------------


def test_expired_document_restricts_every_category_requiring_it(world):
    w = world
    doc = give_document(w["merchant"], "food_business_licence")
    publish(
        "documents.expired",
        document_id=doc.pk,
        organisation_id=w["merchant"].organisation_id,
        type_code="food_business_licence",
    )
    green = _mc(w, "green")  # inherits the requirement from "tea"
    assert (green.status, green.restricted_reason_code, green.restricted_by_document_type) == (
        "restricted",
        "document_expired",
        "food_business_licence",
    )
    assert _mc(w, "toys").status == "active"
    change = StandingChange.objects.get()
    assert change.actor is None
    assert change.evidence == {"document_id": doc.pk, "document_type_code": "food_business_licence"}
    # an EU-only requirement does not touch a CN-only merchant
    publish(
        "documents.expired",
        document_id=doc.pk,
        organisation_id=w["merchant"].organisation_id,
        type_code="ce_declaration",
    )
    assert _mc(w, "toys").status == "active"


def test_verified_documents_lift_once_all_required_are_valid(world):
    w = world
    org = w["merchant"].organisation_id
    publish("documents.expired", document_id=1, organisation_id=org, type_code="business_licence")
    assert {_mc(w, "green").status, _mc(w, "toys").status} == {"restricted"}
    give_document(w["merchant"], "business_licence")
    give_document(w["merchant"], "food_business_licence")
    publish("documents.verified", document_id=2, organisation_id=org, type_code="business_licence")
    assert _mc(w, "green").status == "active"
    assert _mc(w, "toys").status == "restricted"  # the CCC certificate is still missing
    w["merchant"].refresh_from_db()
    assert w["merchant"].standing == "restricted"
    give_document(w["merchant"], "ccc_certificate")
    publish("documents.verified", document_id=3, organisation_id=org, type_code="ccc_certificate")
    assert _mc(w, "toys").status == "active"
    w["merchant"].refresh_from_db()
    assert w["merchant"].standing == "active"
    publish("documents.verified", document_id=3, organisation_id=org, type_code="ccc_certificate")
    assert StandingChange.objects.count() == 4


def test_verified_documents_do_not_lift_a_staff_restriction(world):
    w = world
    standing.restrict_category(
        actor=w["qm"],
        merchant_id=w["merchant"].pk,
        category_id=w["green"].pk,
        reason_code="quality_violation",
        reason_text="Pesticide residue",
    )
    for code in ("business_licence", "food_business_licence"):
        give_document(w["merchant"], code)
    publish(
        "documents.verified",
        document_id=9,
        organisation_id=w["merchant"].organisation_id,
        type_code="business_licence",
    )
    assert _mc(w, "green").status == "restricted"


def test_document_events_of_other_organisations_are_ignored(world, make_user):
    lab_user = make_user(Role.LAB_USER)
    org_id = lab_user.memberships.get().organisation_id
    publish(
        "documents.expired", document_id=1, organisation_id=org_id, type_code="business_licence"
    )
    publish(
        "documents.verified", document_id=1, organisation_id=org_id, type_code="business_licence"
    )
    assert not StandingChange.objects.exists()
