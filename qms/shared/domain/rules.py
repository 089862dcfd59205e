"""The rule-registry pattern, pure Python: named, versioned, effective-dated rules.

A *rule* is one obligation or policy the platform enforces (a listing rule, a market's return
policy, a penalty rule, an SLA policy). Each rule id has a history of *versions*. A version is
in force from its ``effective_from`` (inclusive) until the next version's ``effective_from`` or
its own ``effective_to`` (exclusive), whichever comes first. So at any date at most one version
of a rule is in force, and publishing version 2 with a future ``effective_from`` announces a
change without touching today's behaviour.

Scope: ``markets`` and ``categories`` empty mean "everywhere". A category code covers its
descendants ("food" covers "food/tea").

Nothing here imports Django; ``qms.shared.rules`` adds named registries and the business date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .severity import Severity

LANGUAGES: tuple[str, ...] = ("en", "zh-hans")
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-/]{0,99}$")


class RuleError(ValueError):
    """A rule definition or registration was refused. ``code`` is stable."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class UnknownRule(LookupError):
    """No rule with this id was ever registered."""


class RuleNotInForce(LookupError):
    """The rule exists but no version of it is in force on the date asked about."""


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@dataclass(frozen=True)
class Rule:
    """One version of one rule. Immutable: a change is a new version.

    ``message`` holds the text shown when the rule is broken, per language, with
    ``str.format`` placeholders filled from ``parameters`` and the caller's values.
    ``announced_on`` (optional) is when the version was made public; before that date it is
    not listed by ``upcoming``.
    """

    id: str
    version: int
    title: str
    legal_basis: str
    severity: Severity
    effective_from: dt.date
    message: Mapping[str, str]
    effective_to: dt.date | None = None
    markets: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    parameters: Mapping[str, Any] = field(default_factory=dict)
    announced_on: dt.date | None = None

    def __post_init__(self) -> None:
        if not _RULE_ID.match(self.id):
            raise RuleError(
                f"Rule id {self.id!r} must be lower-case letters, digits and . _ - /.",
                code="rule_id_invalid",
            )
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise RuleError(
                f"Rule {self.id}: version must be a positive integer.", code="rule_version_invalid"
            )
        if not self.title.strip():
            raise RuleError(f"Rule {self.id}: a title is required.", code="rule_title_required")
        if not self.legal_basis.strip():
            raise RuleError(
                f"Rule {self.id}: cite the legal basis or policy.", code="rule_legal_basis_required"
            )
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            raise RuleError(
                f"Rule {self.id} v{self.version}: effective_to must be after effective_from.",
                code="rule_period_invalid",
            )
        if self.announced_on is not None and self.announced_on > self.effective_from:
            raise RuleError(
                f"Rule {self.id} v{self.version}: it cannot be announced after it takes effect.",
                code="rule_announcement_invalid",
            )
        missing = [lang for lang in LANGUAGES if not str(self.message.get(lang, "")).strip()]
        if missing:
            raise RuleError(
                f"Rule {self.id} v{self.version}: message missing in {', '.join(missing)}.",
                code="rule_message_missing",
            )
        object.__setattr__(self, "severity", Severity(self.severity))
        object.__setattr__(self, "markets", frozenset(m.upper() for m in self.markets))
        object.__setattr__(self, "categories", frozenset(c.strip("/") for c in self.categories))
        object.__setattr__(self, "message", _frozen_mapping(self.message))
        object.__setattr__(self, "parameters", _frozen_mapping(self.parameters))

    def applies_to(self, *, market: str | None = None, category: str | None = None) -> bool:
        """Whether the rule's scope covers ``market`` and ``category`` (None: not filtered)."""
        if market is not None and self.markets and market.upper() not in self.markets:
            return False
        if category is not None and self.categories:
            code = category.strip("/")
            return any(code == c or code.startswith(c + "/") for c in self.categories)
        return True

    def format_message(self, language: str = "en", **values: Any) -> str:
        """The message in ``language`` (English when not available), placeholders filled
        from ``parameters`` overridden by ``values``."""
        lang = language.lower()
        template = (
            self.message.get(lang) or self.message.get(lang.split("-")[0]) or self.message["en"]
        )
        return template.format_map({**self.parameters, **values})

    def citation(self) -> dict[str, Any]:
        """What a decision records to cite this rule: id, version and legal basis."""
        return {"rule_id": self.id, "version": self.version, "legal_basis": self.legal_basis}


@dataclass(frozen=True)
class Period:
    """When one version is actually in force: ``[start, end)``, ``end`` None = open."""

    rule: Rule
    start: dt.date
    end: dt.date | None

    def contains(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


class RuleRegistry:
    """The versions of a family of rules (e.g. all listing rules), queried by date and scope."""

    def __init__(self, name: str, *, description: str = "") -> None:
        self.name = name
        self.description = description
        self._versions: dict[str, list[Rule]] = {}

    def __repr__(self) -> str:
        return f"<RuleRegistry {self.name}: {len(self._versions)} rules>"

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._versions

    def register(self, rule: Rule) -> Rule:
        """Add a version. Refuses a duplicate (id, version), a version number not above the
        latest, and a version that would take effect before the latest one does."""
        versions = self._versions.setdefault(rule.id, [])
        if any(v.version == rule.version for v in versions):
            raise RuleError(
                f"{self.name}: rule {rule.id} v{rule.version} is already registered.",
                code="rule_duplicate",
            )
        if versions:
            latest = versions[-1]
            if rule.version < latest.version:
                raise RuleError(
                    f"{self.name}: rule {rule.id} v{rule.version} is older than the "
                    f"registered v{latest.version}.",
                    code="rule_version_not_newer",
                )
            if rule.effective_from < latest.effective_from:
                raise RuleError(
                    f"{self.name}: rule {rule.id} v{rule.version} would take effect "
                    f"before v{latest.version} does.",
                    code="rule_effective_out_of_order",
                )
        versions.append(rule)
        return rule

    def register_all(self, rules: Iterable[Rule]) -> None:
        for rule in rules:
            self.register(rule)

    def clear(self) -> None:
        """Forget every version (before registering a rebuilt set)."""
        self._versions = {}

    def ids(self) -> list[str]:
        return sorted(self._versions)

    def history(self, rule_id: str) -> list[Rule]:
        """Every registered version of ``rule_id``, oldest first."""
        try:
            return list(self._versions[rule_id])
        except KeyError:
            raise UnknownRule(f"{self.name}: no rule {rule_id!r}.") from None

    def periods(self, rule_id: str) -> list[Period]:
        """When each version is in force. A version superseded before it starts has none."""
        versions = self.history(rule_id)
        out: list[Period] = []
        for i, rule in enumerate(versions):
            nxt = versions[i + 1].effective_from if i + 1 < len(versions) else None
            end = rule.effective_to
            if nxt is not None and (end is None or nxt < end):
                end = nxt
            if end is None or rule.effective_from < end:
                out.append(Period(rule=rule, start=rule.effective_from, end=end))
        return out

    def find(self, rule_id: str, *, on: dt.date) -> Rule | None:
        """The version of ``rule_id`` in force on ``on``, or None."""
        for period in self.periods(rule_id):
            if period.contains(on):
                return period.rule
        return None

    def get(self, rule_id: str, *, on: dt.date) -> Rule:
        """The version of ``rule_id`` in force on ``on``; ``UnknownRule`` or ``RuleNotInForce``."""
        rule = self.find(rule_id, on=on)
        if rule is None:
            raise RuleNotInForce(f"{self.name}: rule {rule_id!r} is not in force on {on}.")
        return rule

    def active(
        self, *, on: dt.date, market: str | None = None, category: str | None = None
    ) -> list[Rule]:
        """The version in force on ``on`` of every rule whose scope covers market and category."""
        out = []
        for rule_id in self.ids():
            rule = self.find(rule_id, on=on)
            if rule is not None and rule.applies_to(market=market, category=category):
                out.append(rule)
        return out

    def upcoming(
        self,
        *,
        today: dt.date,
        within: dt.timedelta,
        market: str | None = None,
        category: str | None = None,
    ) -> list[Rule]:
        """Announced versions that take effect after ``today`` and no later than
        ``today + within``, soonest first: the changes merchants must be told about."""
        horizon = today + within
        out = []
        for rule_id in self.ids():
            for period in self.periods(rule_id):
                rule = period.rule
                if not (today < period.start <= horizon):
                    continue
                if rule.announced_on is not None and rule.announced_on > today:
                    continue
                if rule.applies_to(market=market, category=category):
                    out.append(rule)
        return sorted(out, key=lambda r: (r.effective_from, r.id, r.version))
