"""Rule performance: how often a rule fired and how often reviewers overruled it."""

from __future__ import annotations

import pytest
from django.test import Client

from qms.accounts.domain.roles import Role
from qms.listings import services_review
from qms.listings.models import ListingHit, ReviewTask
from qms.listings.selectors_rules import rule_performance
from qms.shared.errors import PermissionDenied

from .factories import category, make_listing, make_seller

pytestmark = pytest.mark.django_db


def _decide(reviewer, version, decision, codes):
    task = ReviewTask.objects.get(version=version, state="open")
    services_review.claim_task(actor=reviewer, task_id=task.pk)
    services_review.decide_task(
        actor=reviewer, task_id=task.pk, decision=decision, reason_codes=codes
    )


def test_hits_are_recorded_and_overrules_counted(reviewer, make_user, api_client_for):
    category()
    _m, owner = make_seller()
    # 顶级 is a medium-severity absolute claim: the version goes to a reviewer
    a = make_listing(owner, title="顶级 三体 精装版 卷一").latest_version
    b = make_listing(owner, title="顶级 三体 精装版 卷二").latest_version
    rejected = make_listing(owner, title="全网最佳 小说").latest_version  # high: auto-reject
    assert (a.state, b.state, rejected.state) == ("in_review", "in_review", "rejected")
    [rule] = {h.rule_id for h in ListingHit.objects.filter(version=a)}
    assert ListingHit.objects.filter(rule_id=rule).count() == 2
    _decide(reviewer, a, "approve", ["allowed_context"])
    _decide(reviewer, b, "reject", ["banned_claim"])
    services_review.appeal_version(
        actor=owner, version_id=rejected.pk, reason="最佳 is a book title"
    )
    _decide(make_user(Role.REVIEWER, username="rev2"), rejected, "approve", ["false_positive"])

    rows = {r.rule_id: r for r in rule_performance(reviewer)}
    medium = rows[rule]
    assert (medium.hits, medium.reviewed, medium.overruled, medium.appeals_won) == (2, 2, 1, 0)
    assert medium.overrule_rate == 0.5
    [best] = {h.rule_id for h in ListingHit.objects.filter(version=rejected)}
    assert (rows[best].hits, rows[best].overruled, rows[best].appeals_won) == (1, 1, 1)

    body = api_client_for(reviewer).get("/api/v1/listings/rules/performance?days=30").json()
    assert {r["rule_id"] for r in body} == {rule, best}
    c = Client()
    c.force_login(reviewer)
    page = c.get("/console/listings/rules/performance/").content.decode()
    assert f'data-rule="{rule}"' in page
    assert "50%" in page


def test_merchants_do_not_see_rule_performance(api_client_for):
    category()
    _m, owner = make_seller()
    with pytest.raises(PermissionDenied):
        rule_performance(owner)
    assert api_client_for(owner).get("/api/v1/listings/rules/performance").status_code == 403


def test_reviewed_cases_export_in_the_evaluation_format(reviewer):
    import json
    from io import StringIO

    from django.core.management import call_command

    from qms.listings.domain.evaluation import score_case
    from qms.listings.rules import engine_for

    category()
    _m, owner = make_seller()
    ok = make_listing(owner, title="顶级 三体 精装版 卷一").latest_version
    bad = make_listing(owner, title="顶级 三体 精装版 卷二").latest_version
    make_listing(owner)  # no hit, no review: not exported
    _decide(reviewer, ok, "approve", ["allowed_context"])
    _decide(reviewer, bad, "reject", ["banned_claim"])
    out, err = StringIO(), StringIO()
    call_command("listings", "export-cases", "--actor", reviewer.username, stdout=out, stderr=err)
    cases = {c["id"]: c for c in map(json.loads, out.getvalue().splitlines())}
    assert set(cases) == {f"prod-L{ok.listing_id}-v1-CN", f"prod-L{bad.listing_id}-v1-CN"}
    overruled, confirmed = (
        cases[f"prod-L{ok.listing_id}-v1-CN"],
        cases[f"prod-L{bad.listing_id}-v1-CN"],
    )
    assert overruled["expected"] == []
    assert {"overruled", "needs_check"} <= set(overruled["tags"])
    assert confirmed["expected"] == [{"kind": "absolute_claim", "field": "title", "text": "顶级"}]
    # the cases score with the evaluation code as they are: the overruled one is a false positive
    assert score_case(overruled, engine_for())["fp"]
    assert not score_case(confirmed, engine_for())["fn"]
    assert "2 cases" in err.getvalue()
    only = StringIO()
    call_command(
        "listings", "export-cases", "--actor", reviewer.username, "--overruled-only", stdout=only
    )
    assert len(only.getvalue().splitlines()) == 1
