"""Changing the rule set without a deploy: the quality team adds a banned term, changes a rule
(severity, scope, allowed contexts, basis, messages) or retires one. Each change is a new,
immutable rule version (a ``RuleVersion`` row) that takes effect on its date:

- at least 7 days after it is announced (``rules.MIN_NOTICE``), unless it is *urgent* (a newly
  prohibited item, say), which needs a reason and may take effect today;
- a retirement only relaxes the rules, so it may take effect at once.

On commit the merchants with a live listing the change applies to are told, and a re-scan of
all live listings is scheduled for the day the version takes effect (or queued at once when
that day is today): the re-scan gives merchants a deadline, then withdraws what is still not
compliant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from qms.accounts.permissions import ensure_can
from qms.catalog import selectors as catalog
from qms.catalog.domain.constants import MARKETS
from qms.shared.audit import record_event
from qms.shared.errors import Conflict, NotFound, ValidationFailed
from qms.shared.rules import Rule, RuleError, Severity, business_today

from .domain.normalise import fold
from .domain.ruleset import KIND_LABELS, TERM_KINDS, term_defaults, term_rule_id
from .models import RuleVersion
from .rules import LISTING_RULES, MIN_NOTICE, rule_from_row, sync_rules

MAX_TERM_LENGTH = 50
MAX_CONTEXTS = 100
RETIRED = "retired"


def _clean_markets(markets: Iterable[str]) -> list[str]:
    out = sorted({str(m).strip().upper() for m in markets if str(m).strip()})
    if not out:
        raise ValidationFailed("Choose at least one market.", code="rule_markets_required")
    unknown = [m for m in out if m not in MARKETS]
    if unknown:
        raise ValidationFailed(
            f"Unknown market {', '.join(unknown)}; use {', '.join(MARKETS)}.",
            code="rule_market_unknown",
        )
    return out


def _clean_categories(codes: Iterable[str], *, field: str = "categories") -> list[str]:
    out = sorted({str(c).strip().strip("/") for c in codes if str(c).strip()})
    for code in out:
        try:
            catalog.category_by_code(code)
        except NotFound:
            raise ValidationFailed(
                f"Unknown category {code!r} in {field}.", code="rule_category_unknown", field=field
            ) from None
    return out


def _clean_contexts(term: str, contexts: Iterable[str]) -> list[str]:
    key = fold(term)
    out: list[str] = []
    for raw in contexts:
        context = str(raw).strip()
        if not context:
            continue
        if key not in fold(context) or fold(context) == key:
            raise ValidationFailed(
                f"The allowed context {context!r} must contain the term {term!r} and more "
                "(e.g. 第一次 for 第一).",
                code="rule_context_invalid",
            )
        out.append(context)
    if len(out) > MAX_CONTEXTS:
        raise ValidationFailed(
            f"At most {MAX_CONTEXTS} allowed contexts.", code="rule_contexts_too_many"
        )
    return sorted(set(out))


def _effective(day: dt.date | None, *, urgent: bool, relaxing: bool, reason: str) -> dt.date:
    today = business_today()
    earliest = today if (urgent or relaxing) else today + MIN_NOTICE
    when = day or earliest
    if when < today:
        raise ValidationFailed(
            "A rule change cannot take effect in the past.", code="rule_effective_in_past"
        )
    if when < earliest:
        raise ValidationFailed(
            f"Merchants must be told at least {MIN_NOTICE.days} days ahead: choose "
            f"{earliest.isoformat()} or later, or mark the change urgent with a reason.",
            code="rule_notice_too_short",
            earliest=earliest.isoformat(),
        )
    if urgent and len(reason.strip()) < 10:
        raise ValidationFailed(
            "An urgent change needs a reason of at least 10 characters.",
            code="rule_urgent_reason_required",
        )
    return when


def _store(
    *, actor: Any, rule: Rule, urgent: bool, reason: str, action: str, before: Rule | None
) -> RuleVersion:
    """Write the version (refused if the registry would refuse it), audit it, tell
    merchants and schedule the re-scan on commit."""
    history = LISTING_RULES.history(rule.id) if rule.id in LISTING_RULES else []
    if history and rule.effective_from < history[-1].effective_from:
        raise Conflict(
            f"Rule {rule.id} v{history[-1].version} takes effect on "
            f"{history[-1].effective_from}; a change cannot take effect before it.",
            code="rule_effective_out_of_order",
        )
    try:
        with transaction.atomic():
            row = RuleVersion.objects.create(
                rule_id=rule.id,
                version=rule.version,
                title=rule.title[:200],
                legal_basis=rule.legal_basis[:300],
                severity=rule.severity.value,
                markets=sorted(rule.markets),
                categories=sorted(rule.categories),
                parameters={
                    k: list(v) if isinstance(v, tuple) else v for k, v in rule.parameters.items()
                },
                message_en=rule.message["en"],
                message_zh=rule.message["zh-hans"],
                effective_from=rule.effective_from,
                announced_on=rule.announced_on or business_today(),
                urgent=urgent,
                reason=reason.strip()[:300],
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise Conflict(
            f"Rule {rule.id} was changed by someone else just now; reload and try again.",
            code="rule_changed_concurrently",
        ) from None
    record_event(
        actor=actor,
        obj=row,
        action=action,
        before=_summary(before) if before else None,
        after={**_summary(rule), "urgent": urgent, "reason": row.reason},
    )
    # In force for this request at once (a test or a check right after the change sees it).
    # Other threads of this process may see it a moment before the commit; should the
    # transaction roll back, the next sync finds the row gone and rebuilds the registry.
    sync_rules(force=True)
    transaction.on_commit(lambda: _after_commit(row.pk))
    return row


def _summary(rule: Rule) -> dict[str, Any]:
    return {
        "rule": rule.id,
        "version": rule.version,
        "type": rule.parameters.get("type"),
        "severity": rule.severity.value,
        "markets": sorted(rule.markets),
        "categories": sorted(rule.categories),
        "effective_from": rule.effective_from.isoformat(),
    }


def _after_commit(row_id: int) -> None:
    from .services_announce import announce_rules

    row = RuleVersion.objects.filter(pk=row_id).first()
    if row is not None:
        announce_rules([rule_from_row(row)], actor=row.created_by, urgent=row.urgent)


@transaction.atomic
def add_term_rule(
    *,
    actor: Any,
    term: str,
    kind: str,
    markets: Iterable[str],
    severity: str = "",
    categories: Iterable[str] = (),
    exempt_categories: Iterable[str] | None = None,
    allow: Iterable[str] = (),
    legal_basis: str = "",
    message_en: str = "",
    message_zh: str = "",
    effective_from: dt.date | None = None,
    urgent: bool = False,
    reason: str = "",
) -> RuleVersion:
    """A new banned or restricted term. Basis, exempt categories and messages default to
    those of the starting group of the same kind."""
    ensure_can(actor, "listings.manage_rules")
    sync_rules(force=True)
    term = " ".join(str(term).split())
    if not fold(term):
        raise ValidationFailed("Enter the term to ban.", code="rule_term_required")
    if len(term) > MAX_TERM_LENGTH:
        raise ValidationFailed(
            f"A term is at most {MAX_TERM_LENGTH} characters.", code="rule_term_too_long"
        )
    if kind not in TERM_KINDS:
        raise ValidationFailed(
            f"Unknown kind {kind!r}; use one of {', '.join(TERM_KINDS)}.", code="rule_kind_unknown"
        )
    chosen_markets = _clean_markets(markets)
    defaults = term_defaults(kind, set(chosen_markets))
    sev = severity or ("critical" if kind in ("prohibited_item", "counterfeit") else "high")
    try:
        level = Severity(sev)
    except ValueError:
        raise ValidationFailed(f"Unknown severity {sev!r}.", code="rule_severity_unknown") from None
    today = business_today()
    for existing in LISTING_RULES.active(on=today) + LISTING_RULES.upcoming(
        within=dt.timedelta(days=3650)
    ):
        p = existing.parameters
        if p.get("type") == "term" and fold(str(p.get("term", ""))) == fold(term):
            raise Conflict(
                f"The term {term!r} is already rule {existing.id}: change that rule instead.",
                code="rule_term_exists",
                rule=existing.id,
            )
    rule_id = term_rule_id("custom", term)
    previous = LISTING_RULES.history(rule_id) if rule_id in LISTING_RULES else []
    when = _effective(effective_from, urgent=urgent, relaxing=False, reason=reason)
    try:
        rule = Rule(
            id=rule_id,
            version=previous[-1].version + 1 if previous else 1,
            title=f"{KIND_LABELS[kind][0]}: {term}",
            legal_basis=legal_basis.strip() or defaults["legal_basis"],
            severity=level,
            effective_from=when,
            announced_on=today,
            markets=frozenset(chosen_markets),
            categories=frozenset(_clean_categories(categories)),
            message=_messages(defaults, legal_basis.strip(), message_en, message_zh),
            parameters={
                "type": "term",
                "kind": kind,
                "group": "custom",
                "term": term,
                "allow": tuple(_clean_contexts(term, allow)),
                "exempt_categories": tuple(
                    _clean_categories(exempt_categories, field="exempt_categories")
                    if exempt_categories is not None
                    else defaults["exempt_categories"]
                ),
            },
        )
    except RuleError as exc:
        raise ValidationFailed(str(exc), code=exc.code) from None
    return _store(
        actor=actor,
        rule=rule,
        urgent=urgent,
        reason=reason or f"new term {term}",
        action="listings.rule.add",
        before=None,
    )


def _messages(
    defaults: dict[str, Any], basis: str, message_en: str, message_zh: str
) -> dict[str, str]:
    """The merchant-facing messages: as given, else the starting group's (which cite its
    basis), else, for a basis of the team's own, a plain message citing that basis."""
    if basis and basis != defaults["legal_basis"]:
        cited = basis.replace("{", "{{").replace("}", "}}")
        fallback = {
            "en": f"Remove “{{term}}”: it is not allowed in listings ({cited}). Describe the "
            "product with facts that can be verified.",
            "zh-hans": f"请删除“{{term}}”：商品信息中不得使用（{cited}）。请改用可核实的事实描述。",
        }
    else:
        fallback = defaults["message"]
    return {
        "en": message_en.strip() or fallback["en"],
        "zh-hans": message_zh.strip() or fallback["zh-hans"],
    }


def _next_version(latest: Rule, effective_from: dt.date, **changes: Any) -> Rule:
    """The version after ``latest``, announced today, with ``changes`` (the rest carried
    over; the rule checks itself again)."""
    return dataclasses.replace(
        latest,
        version=latest.version + 1,
        effective_from=effective_from,
        effective_to=None,
        announced_on=business_today(),
        **changes,
    )


def _latest(rule_id: str) -> Rule:
    if rule_id not in LISTING_RULES:
        raise NotFound(f"No listing rule {rule_id!r}.", code="rule_not_found")
    return LISTING_RULES.history(rule_id)[-1]


@transaction.atomic
def change_rule(
    *,
    actor: Any,
    rule_id: str,
    effective_from: dt.date | None = None,
    urgent: bool = False,
    reason: str,
    severity: str | None = None,
    markets: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    allow: Iterable[str] | None = None,
    legal_basis: str | None = None,
    message_en: str | None = None,
    message_zh: str | None = None,
) -> RuleVersion:
    """The next version of a rule with the given fields changed (the rest carried over)."""
    ensure_can(actor, "listings.manage_rules")
    sync_rules(force=True)
    latest = _latest(rule_id)
    if latest.parameters.get("type") == RETIRED:
        raise Conflict(
            f"Rule {rule_id} is retired; add the term again instead.", code="rule_retired"
        )
    if not reason.strip():
        raise ValidationFailed("Say why the rule changes.", code="rule_reason_required")
    parameters = dict(latest.parameters)
    if allow is not None:
        if parameters.get("type") != "term":
            raise ValidationFailed(
                "Only term rules have allowed contexts.", code="rule_contexts_not_applicable"
            )
        parameters["allow"] = tuple(_clean_contexts(str(parameters["term"]), allow))
    try:
        level = Severity(severity) if severity else latest.severity
    except ValueError:
        raise ValidationFailed(
            f"Unknown severity {severity!r}.", code="rule_severity_unknown"
        ) from None
    new_markets = frozenset(_clean_markets(markets)) if markets is not None else latest.markets
    new_categories = (
        frozenset(_clean_categories(categories)) if categories is not None else latest.categories
    )
    relaxing = (
        level.rank <= latest.severity.rank
        and (not latest.markets or new_markets <= latest.markets)
        and new_categories == latest.categories
        and set(parameters.get("allow", ())) >= set(latest.parameters.get("allow", ()))
    )
    when = _effective(effective_from, urgent=urgent, relaxing=relaxing, reason=reason)
    try:
        rule = _next_version(
            latest,
            when,
            legal_basis=(legal_basis or "").strip() or latest.legal_basis,
            severity=level,
            markets=new_markets,
            categories=new_categories,
            message={
                "en": (message_en or "").strip() or latest.message["en"],
                "zh-hans": (message_zh or "").strip() or latest.message["zh-hans"],
            },
            parameters=parameters,
        )
    except RuleError as exc:
        raise ValidationFailed(str(exc), code=exc.code) from None
    same = ("severity", "markets", "categories", "parameters", "message", "legal_basis")
    if all(getattr(rule, f) == getattr(latest, f) for f in same):
        raise ValidationFailed("Nothing would change.", code="rule_unchanged")
    return _store(
        actor=actor,
        rule=rule,
        urgent=urgent,
        reason=reason,
        action="listings.rule.change",
        before=latest,
    )


@transaction.atomic
def retire_rule(
    *, actor: Any, rule_id: str, reason: str, effective_from: dt.date | None = None
) -> RuleVersion:
    """A version that no longer checks anything (it only relaxes, so it may start today)."""
    ensure_can(actor, "listings.manage_rules")
    sync_rules(force=True)
    latest = _latest(rule_id)
    if latest.parameters.get("type") == RETIRED:
        raise Conflict(f"Rule {rule_id} is already retired.", code="rule_retired")
    if not reason.strip():
        raise ValidationFailed("Say why the rule is retired.", code="rule_reason_required")
    when = _effective(effective_from, urgent=False, relaxing=True, reason=reason)
    rule = _next_version(
        latest,
        when,
        parameters={**latest.parameters, "type": RETIRED, "was": latest.parameters.get("type")},
    )
    return _store(
        actor=actor,
        rule=rule,
        urgent=False,
        reason=reason,
        action="listings.rule.retire",
        before=latest,
    )
