"""``/api/v1/listings/rules``: the rule book (public to merchants and staff) and changes to it
by the quality team: add a term, change a rule, retire a rule. Mounted before the main
listings router so ``/rules`` is not taken for a listing id."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from qms.shared.errors import ValidationFailed
from qms.shared.requests import request_actor as _actor

from . import selectors_rules, services_rules
from .schemas import (
    ListingRuleChangeIn,
    ListingRuleDetailOut,
    ListingRulePage,
    ListingRulePerformanceOut,
    ListingRuleRetireIn,
    ListingTermRuleIn,
)

router = Router(tags=["listing rules"])
MAX_LIMIT = 500


@router.get("/rules", response=ListingRulePage, summary="The rule book, coming changes first")
def list_rules(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    market: str = "",
    status: str = "",
    offset: int = 0,
    limit: int = 100,
) -> dict[str, Any]:
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValidationFailed(
            f"limit must be 1..{MAX_LIMIT} and offset at least 0.", code="invalid_limit"
        )
    if status and status not in selectors_rules.STATUSES:
        raise ValidationFailed(
            f"status must be one of {', '.join(selectors_rules.STATUSES)}.", code="invalid_status"
        )
    rules = selectors_rules.rule_book(_actor(request), q=q, kind=kind, market=market, status=status)
    end = offset + limit
    return {
        "items": rules[offset:end],
        "count": len(rules),
        "next_offset": end if end < len(rules) else None,
    }


@router.post("/rules", response={201: ListingRuleDetailOut}, summary="Ban or restrict a term")
def add_term(request: HttpRequest, body: ListingTermRuleIn) -> Any:
    row = services_rules.add_term_rule(actor=_actor(request), **body.dict())
    return Status(201, selectors_rules.rule_detail(_actor(request), rule_id=row.rule_id))


@router.get(
    "/rules/performance",
    response=list[ListingRulePerformanceOut],
    summary="Staff: how often each rule fired and how often reviewers overruled it",
)
def performance(request: HttpRequest, days: int = 90) -> list[Any]:
    if not 1 <= days <= 730:
        raise ValidationFailed("days must be 1..730.", code="invalid_days")
    return selectors_rules.rule_performance(_actor(request), days=days)


@router.get("/rules/{rule_id}", response=ListingRuleDetailOut, summary="One rule and its versions")
def get_rule(request: HttpRequest, rule_id: str) -> Any:
    return selectors_rules.rule_detail(_actor(request), rule_id=rule_id)


@router.post(
    "/rules/{rule_id}/versions",
    response={201: ListingRuleDetailOut},
    summary="Change a rule: a new version from its effective date",
)
def change(request: HttpRequest, rule_id: str, body: ListingRuleChangeIn) -> Any:
    services_rules.change_rule(actor=_actor(request), rule_id=rule_id, **body.dict())
    return Status(201, selectors_rules.rule_detail(_actor(request), rule_id=rule_id))


@router.post(
    "/rules/{rule_id}/retire",
    response={201: ListingRuleDetailOut},
    summary="Retire a rule (it relaxes, so it may take effect today)",
)
def retire(request: HttpRequest, rule_id: str, body: ListingRuleRetireIn) -> Any:
    services_rules.retire_rule(actor=_actor(request), rule_id=rule_id, **body.dict())
    return Status(201, selectors_rules.rule_detail(_actor(request), rule_id=rule_id))
