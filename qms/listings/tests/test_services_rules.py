"""Rule changes by the quality team: add a term, change a rule, retire it; notice, urgency,
the registry of every process, announcements and the re-scan they lead to."""

from __future__ import annotations

import datetime as dt

import pytest

from qms.listings import services_rules
from qms.listings.models import RescanJob, RuleVersion
from qms.listings.rules import LISTING_RULES, check_listing, sync_rules
from qms.listings.selectors_rules import rule_book, rule_detail
from qms.shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from qms.shared.models import AuditEvent, Deadline, Notification
from qms.shared.rules import business_today

from .factories import make_listing, make_seller

pytestmark = pytest.mark.django_db

TERM = "量子能量"  # not in the starting set


def _add(actor, **kw):
    data = {
        "term": TERM,
        "kind": "medical_claim",
        "markets": ["CN"],
        "urgent": True,
        "reason": "regulator notice 2026-11 on quantum health claims",
    }
    return services_rules.add_term_rule(actor=actor, **{**data, **kw})


def _verdict(title: str) -> str:
    return check_listing({"category": "books", "title": title}, market="CN").verdict


def test_an_urgent_term_applies_today_and_cites_its_basis(admin_user):
    assert _verdict(f"{TERM} 手链") == "approve"
    row = _add(admin_user)
    assert (row.version, row.urgent, row.effective_from) == (1, True, business_today())
    # an evasive spelling is caught too: the new term goes through the same normalisation
    result = check_listing({"category": "books", "title": "量 子·能\u200b量 手链"}, market="CN")
    assert result.verdict == "reject"
    assert [h.rule for h in result.hits] == [row.rule_id]
    rule = LISTING_RULES.get(row.rule_id)
    assert rule.legal_basis.startswith("PRC Advertising Law")  # the medical group's basis
    assert "{term}" in rule.message["en"]
    assert AuditEvent.objects.filter(action="listings.rule.add", object_id=str(row.pk)).exists()


def test_a_normal_change_needs_seven_days_notice(admin_user):
    today = business_today()
    with pytest.raises(ValidationFailed) as exc:
        _add(admin_user, urgent=False, effective_from=today + dt.timedelta(days=6))
    assert exc.value.code == "rule_notice_too_short"
    row = _add(admin_user, urgent=False, reason="")
    assert row.effective_from == today + dt.timedelta(days=7)
    assert _verdict(f"{TERM} 手链") == "approve"  # not yet in force
    assert (
        check_listing(
            {"category": "books", "title": f"{TERM} 手链"},
            market="CN",
            on=row.effective_from,
        ).verdict
        == "reject"
    )
    book = {v.id: v for v in rule_book(admin_user, status="upcoming")}
    assert book[row.rule_id].source == "quality_team"


def test_urgent_needs_a_reason_and_the_past_is_refused(admin_user):
    with pytest.raises(ValidationFailed) as exc:
        _add(admin_user, reason="because")
    assert exc.value.code == "rule_urgent_reason_required"
    with pytest.raises(ValidationFailed) as exc:
        _add(admin_user, effective_from=business_today() - dt.timedelta(days=1))
    assert exc.value.code == "rule_effective_in_past"
    assert not RuleVersion.objects.exists()


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"term": "  "}, "rule_term_required"),
        ({"kind": "nonsense"}, "rule_kind_unknown"),
        ({"markets": ["US"]}, "rule_market_unknown"),
        ({"markets": []}, "rule_markets_required"),
        ({"severity": "huge"}, "rule_severity_unknown"),
        ({"categories": ["no/such"]}, "rule_category_unknown"),
        ({"allow": ["能量"]}, "rule_context_invalid"),
    ],
)
def test_bad_input_is_refused_with_a_code(admin_user, kw, code):
    with pytest.raises(ValidationFailed) as exc:
        _add(admin_user, **kw)
    assert exc.value.code == code
    assert not RuleVersion.objects.exists()


def test_a_term_already_in_the_rule_set_is_a_conflict(admin_user):
    with pytest.raises(Conflict) as exc:
        _add(admin_user, term="最 佳", kind="absolute_claim")
    assert exc.value.code == "rule_term_exists"


def test_only_rule_managers_change_rules(reviewer, make_user):
    with pytest.raises(PermissionDenied):
        _add(reviewer)
    _merchant, owner = make_seller()
    with pytest.raises(PermissionDenied):
        _add(owner)
    assert {v.id for v in rule_book(owner, q="最佳")}  # but merchants may read the book


def test_allowed_contexts_then_change_and_retire(admin_user):
    row = _add(admin_user, allow=["量子能量学"])
    assert _verdict("量子能量学 入门") == "approve"
    with pytest.raises(ValidationFailed) as exc:
        services_rules.change_rule(actor=admin_user, rule_id=row.rule_id, reason="same")
    assert exc.value.code == "rule_unchanged"
    # lowering the severity only relaxes the rule: it may take effect today
    services_rules.change_rule(
        actor=admin_user, rule_id=row.rule_id, severity="medium", reason="review, not reject"
    )
    assert _verdict(f"{TERM} 手链") == "review"
    # widening the scope tightens it: 7 days' notice
    tightened = services_rules.change_rule(
        actor=admin_user, rule_id=row.rule_id, markets=["CN", "EU"], reason="EU too"
    )
    assert tightened.effective_from == business_today() + dt.timedelta(days=7)
    detail = rule_detail(admin_user, rule_id=row.rule_id)
    assert [v.version for v in detail.history] == [3, 2, 1]
    assert detail.status == "changing"
    assert detail.next_change == tightened.effective_from
    with pytest.raises(Conflict) as exc:  # a retirement today would come before v3
        services_rules.retire_rule(actor=admin_user, rule_id=row.rule_id, reason="too broad")
    assert exc.value.code == "rule_effective_out_of_order"
    services_rules.retire_rule(
        actor=admin_user,
        rule_id=row.rule_id,
        reason="too broad",
        effective_from=tightened.effective_from + dt.timedelta(days=1),
    )
    after = tightened.effective_from + dt.timedelta(days=1)
    assert check_listing({"category": "books", "title": TERM}, market="CN", on=after).hits == []
    with pytest.raises(NotFound):
        services_rules.change_rule(actor=admin_user, rule_id="listing.term.nope", reason="x")


def test_other_processes_pick_up_changes_and_rollbacks(admin_user):
    row = _add(admin_user)
    # a new process: it starts with the starting set only, then loads the stored rows
    from qms.listings import rules

    rules._rebuild([])
    rules._loaded["state"] = (0, 0, None)
    assert row.rule_id not in LISTING_RULES
    sync_rules(force=True)
    assert row.rule_id in LISTING_RULES
    assert "listing.attr.cn-food.sc_licence_no" in LISTING_RULES
    RuleVersion.objects.all().delete()  # like a rollback
    assert sync_rules(force=True) is True
    assert row.rule_id not in LISTING_RULES


def test_affected_merchants_are_told_and_an_urgent_change_rescans_now(
    admin_user, django_capture_on_commit_callbacks
):
    _m1, owner = make_seller()
    listing = make_listing(owner, title=f"{TERM} 水晶 手链")  # live before the rule exists
    assert listing.state == "live"
    with django_capture_on_commit_callbacks(execute=True):
        row = _add(admin_user)
    notice = Notification.objects.get(user=owner, kind="listings.rules_announced")
    assert row.rule_id
    assert "量子能量" in str(notice.context)
    job = RescanJob.objects.get()
    assert job.reason.startswith("urgent rule change: ")
    assert job.flagged == 1


def test_a_later_change_schedules_the_rescan_for_its_day(
    admin_user, django_capture_on_commit_callbacks
):
    _m1, owner = make_seller()
    make_listing(owner)
    with django_capture_on_commit_callbacks(execute=True):
        row = _add(admin_user, urgent=False)
    deadline = Deadline.objects.get(key=f"listings:rules-effective:{row.effective_from}")
    assert deadline.kind == "listings.rules_effective"
    assert not RescanJob.objects.exists()


def test_a_basis_of_the_teams_own_gets_a_message_citing_it(admin_user):
    row = _add(admin_user, term="升值潜力", kind="absolute_claim", legal_basis="广告法第二十五条")
    assert "广告法第二十五条" in row.message_zh
    assert "Art. 9" not in row.message_en
    view = rule_detail(admin_user, rule_id=row.rule_id)
    assert view.message_zh.startswith("请删除“升值潜力”")
