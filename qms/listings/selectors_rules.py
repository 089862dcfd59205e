"""The rule book: every listing rule, its version in force, coming changes and history.

Rules are public (a merchant must be able to read the rules it is judged by), so staff with
``listings.view`` and merchants with ``listings.view_own`` see the same book.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from qms.accounts.permissions import ensure_can, profile
from qms.shared.errors import NotFound
from qms.shared.rules import Rule, business_today

from .domain.ruleset import KIND_LABELS, rule_title_zh
from .models import RuleVersion
from .rules import LISTING_RULES, sync_rules

STATUSES = ("in_force", "changing", "upcoming", "retired")


@dataclass
class RuleView:
    id: str
    version: int
    title: str
    title_zh: str
    type: str
    kind: str
    kind_label: str
    kind_label_zh: str
    term: str
    markets: list[str]
    categories: list[str]
    allow: list[str]
    severity: str
    legal_basis: str
    effective_from: dt.date
    announced_on: dt.date | None
    message_en: str
    message_zh: str
    source: str  # "starting_set" or "quality_team"
    status: str = ""
    next_change: dt.date | None = None
    reason: str = ""
    history: list[RuleView] = field(default_factory=list)


def _ensure_reader(actor: Any) -> None:
    if not {"listings.view", "listings.view_own"} & profile(actor).permissions:
        ensure_can(actor, "listings.view")


def _view(rule: Rule, stored: dict[tuple[str, int], RuleVersion]) -> RuleView:
    p = rule.parameters
    kind = str(p.get("kind", p.get("type", "")))
    row = stored.get((rule.id, rule.version))
    return RuleView(
        id=rule.id,
        version=rule.version,
        title=rule.title,
        title_zh=rule_title_zh(rule),
        type=str(p.get("type", "")),
        kind=kind,
        kind_label=KIND_LABELS.get(kind, (kind, kind))[0],
        kind_label_zh=KIND_LABELS.get(kind, (kind, kind))[1],
        term=str(p.get("term", "")),
        markets=sorted(rule.markets),
        categories=sorted(rule.categories),
        allow=list(p.get("allow", ())),
        severity=rule.severity.value,
        legal_basis=rule.legal_basis,
        effective_from=rule.effective_from,
        announced_on=rule.announced_on,
        message_en=_filled(rule.message["en"], rule),
        message_zh=_filled(rule.message["zh-hans"], rule),
        source="quality_team" if row is not None else "starting_set",
        reason=row.reason if row is not None else "",
    )


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _filled(template: str, rule: Rule) -> str:
    """The message as merchants read it: the rule's own values filled in (the term, the basis,
    the scheme); values that depend on the listing (``{value}``) stay as placeholders."""
    values = _Keep({**dict(rule.parameters), "legal_basis": rule.legal_basis})
    try:
        return template.format_map(values)
    except (ValueError, IndexError, AttributeError):
        return template


def _stored() -> dict[tuple[str, int], RuleVersion]:
    return {(r.rule_id, r.version): r for r in RuleVersion.objects.all()}


def _summary(rule_id: str, today: dt.date, stored: dict) -> RuleView:
    history = LISTING_RULES.history(rule_id)
    current = LISTING_RULES.find(rule_id, on=today)
    coming = [r for r in history if r.effective_from > today]
    shown = current or (coming[0] if coming else history[-1])
    view = _view(shown, stored)
    if current is None:
        view.status = "upcoming" if coming else "retired"
    elif current.parameters.get("type") == "retired":
        view.status = "retired"
    else:
        view.status = "changing" if coming else "in_force"
    if coming and coming[0] is not shown:
        view.next_change = coming[0].effective_from
    return view


def rule_book(
    actor: Any, *, q: str = "", kind: str = "", market: str = "", status: str = ""
) -> list[RuleView]:
    """Every rule (its version in force, else its first coming one), filtered."""
    _ensure_reader(actor)
    sync_rules()
    today, stored = business_today(), _stored()
    needle = q.strip().casefold()
    out = []
    for rule_id in LISTING_RULES.ids():
        view = _summary(rule_id, today, stored)
        if kind and kind not in (view.kind, view.type):
            continue
        if market and view.markets and market.upper() not in view.markets:
            continue
        if status and view.status != status:
            continue
        if needle and not any(
            needle in s.casefold() for s in (view.id, view.title, view.term, view.legal_basis)
        ):
            continue
        out.append(view)
    return sorted(out, key=lambda v: (v.status not in ("upcoming", "changing"), v.id))


def rule_detail(actor: Any, *, rule_id: str) -> RuleView:
    """One rule with every version, newest first."""
    _ensure_reader(actor)
    sync_rules()
    if rule_id not in LISTING_RULES:
        raise NotFound(f"No listing rule {rule_id!r}.", code="rule_not_found")
    stored = _stored()
    view = _summary(rule_id, business_today(), stored)
    view.history = [_view(r, stored) for r in reversed(LISTING_RULES.history(rule_id))]
    return view


@dataclass
class RulePerformance:
    """How a rule fared with people over a period: a high overrule rate says the rule (or its
    allowed contexts) needs work; a rule that never fires may be dead weight."""

    rule_id: str
    title: str
    kind: str
    hits: int  # submitted versions it fired on
    reviewed: int  # of those, versions a reviewer decided (first review or appeal)
    overruled: int  # versions a reviewer approved although the rule fired
    appeals_won: int  # rejections it caused that an appeal overturned
    in_book: bool = True  # a rule of the rule book (the database rules are not)

    @property
    def overrule_rate(self) -> float | None:
        return round(self.overruled / self.reviewed, 3) if self.reviewed else None


DB_RULE_TITLES = {
    "duplicate_title": "Near-identical title of another merchant's live listing",
    "duplicate_image": "Identical image of another merchant's listing",
    "price_anomaly": "Branded price far below the category median",
    "merchant_cannot_sell": "Merchant may not sell in the category",
}


def _db_rule_title(rule_id: str, kind: str) -> str:
    """Titles for the rules that need the database (not in the rule book)."""
    label = KIND_LABELS.get(kind)
    return DB_RULE_TITLES.get(kind) or (label[0] if label else rule_id)


def rule_performance(actor: Any, *, days: int = 90) -> list[RulePerformance]:
    """Every rule that fired in the last ``days`` days, the most overruled first (staff)."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from .domain.review_states import Decision, TaskKind
    from .models import ListingHit

    ensure_can(actor, "listings.view")  # platform staff: merchants hold listings.view_own
    since = timezone.now() - dt.timedelta(days=max(1, min(int(days), 730)))
    human = Q(
        version__tasks__kind__in=[TaskKind.FIRST.value, TaskKind.APPEAL.value],
        version__tasks__decision__in=[Decision.APPROVE.value, Decision.REJECT.value],
    )
    approved = Q(
        version__tasks__kind__in=[TaskKind.FIRST.value, TaskKind.APPEAL.value],
        version__tasks__decision=Decision.APPROVE.value,
    )
    appeal_won = Q(
        version__tasks__kind=TaskKind.APPEAL.value,
        version__tasks__decision=Decision.APPROVE.value,
    )
    rows = (
        ListingHit.objects.filter(created_at__gte=since)
        .values("rule_id", "kind")
        .annotate(
            hits=Count("version", distinct=True),
            reviewed=Count("version", filter=human, distinct=True),
            overruled=Count("version", filter=approved, distinct=True),
            appeals_won=Count("version", filter=appeal_won, distinct=True),
        )
    )
    sync_rules()
    out = []
    for r in rows:
        rule = LISTING_RULES.history(r["rule_id"])[-1] if r["rule_id"] in LISTING_RULES else None
        out.append(
            RulePerformance(
                rule_id=r["rule_id"],
                title=rule.title if rule is not None else _db_rule_title(r["rule_id"], r["kind"]),
                kind=r["kind"],
                hits=r["hits"],
                reviewed=r["reviewed"],
                overruled=r["overruled"],
                appeals_won=r["appeals_won"],
                in_book=rule is not None,
            )
        )
    return sorted(out, key=lambda p: (-(p.overrule_rate or 0), -p.hits, p.rule_id))


ENGINE_KINDS = frozenset(
    {k for k in KIND_LABELS if k not in ("missing_document", "brand_unauthorised")}
)


def reviewed_cases(
    actor: Any, *, days: int = 90, rule_id: str = "", overruled_only: bool = False
) -> list[dict[str, Any]]:
    """Submitted versions a reviewer decided (first review or appeal) while a rule had fired,
    as candidate cases for ``data/evaluation.jsonl``: the listing in the batch format, and as
    ``expected`` what the reviewer's decision says the engine should have found: nothing when
    the reviewer approved (the hits were false positives), the engine's text and attribute
    hits when the reviewer rejected. Tagged ``needs_check``: a person confirms each case
    before it joins the set (a rejection may have had other reasons)."""
    from django.utils import timezone

    from .domain.review_states import Decision, TaskKind
    from .models import ListingHit, ListingVersion, ReviewTask

    ensure_can(actor, "listings.view")
    since = timezone.now() - dt.timedelta(days=max(1, min(int(days), 730)))
    hits = ListingHit.objects.filter(created_at__gte=since)
    if rule_id:
        hits = hits.filter(rule_id=rule_id)
    decided = {
        t.version_id: t.decision
        for t in ReviewTask.objects.filter(
            version_id__in=hits.values("version_id"),
            kind__in=[TaskKind.FIRST.value, TaskKind.APPEAL.value],
            decision__in=[Decision.APPROVE.value, Decision.REJECT.value],
        ).order_by("decided_at", "id")
    }  # the last decision of each version wins
    if overruled_only:
        decided = {v: d for v, d in decided.items() if d == Decision.APPROVE.value}
    versions = ListingVersion.objects.filter(pk__in=list(decided)).select_related(
        "listing", "listing__category", "listing__brand"
    )
    out = []
    for version in versions.order_by("pk"):
        decision = decided[version.pk]
        for market in version.listing.markets or []:
            case = version.as_check_input(market=market)
            case["id"] = f"prod-L{version.listing_id}-v{version.number}-{market}"
            expected = [
                {"kind": h["kind"], "field": h["field"], "text": h["text"]}
                for h in version.hits
                if h.get("market") == market and h["kind"] in ENGINE_KINDS
            ]
            case["expected"] = [] if decision == Decision.APPROVE.value else expected
            case["tags"] = [
                "production",
                "overruled" if decision == Decision.APPROVE.value else "confirmed",
                "needs_check",
            ]
            case["split"] = "holdout"
            out.append(case)
    return out
