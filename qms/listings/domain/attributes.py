"""Required-attribute schemes: conditions and value checks. Pure Python.

A scheme (``data/attributes.json``) applies to a listing when market and category match,
one of its ``when_any`` conditions holds (when it has any) and none of its ``unless``
conditions does. Conditions and checks are named so the data can use them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

# Keys that live at the top level of a listing rather than in ``attributes``.
TOP_LEVEL_KEYS = frozenset({"gtin"})
# Keys that a top-level value of the same name also satisfies.
TOP_LEVEL_FALLBACK = frozenset({"brand"})

EU_COUNTRIES = (
    "austria",
    "österreich",
    "belgium",
    "belgique",
    "belgië",
    "bulgaria",
    "croatia",
    "hrvatska",
    "cyprus",
    "czech",
    "česko",
    "czechia",
    "denmark",
    "danmark",
    "estonia",
    "eesti",
    "finland",
    "suomi",
    "france",
    "germany",
    "deutschland",
    "greece",
    "ελλάδα",
    "hungary",
    "magyarország",
    "ireland",
    "éire",
    "italy",
    "italia",
    "latvia",
    "latvija",
    "lithuania",
    "lietuva",
    "luxembourg",
    "malta",
    "netherlands",
    "nederland",
    "poland",
    "polska",
    "portugal",
    "romania",
    "românia",
    "slovakia",
    "slovensko",
    "slovenia",
    "slovenija",
    "spain",
    "españa",
    "sweden",
    "sverige",
    "iceland",
    "norway",
    "norge",
    "liechtenstein",
)
_EU_RE = re.compile(r"\b(" + "|".join(EU_COUNTRIES) + r")\b", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^(https?://|www\.)[^\s]+\.[^\s]+$", re.IGNORECASE)
_VOLTAGE = re.compile(r"\d+(\.\d+)?\s*(V|v|伏)")
_NON_MAINS = re.compile(
    r"电池|USB|usb|battery|Battery|锂电|干电池|充电宝|太阳能|solar", re.IGNORECASE
)
_ABV = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_NB_NUMBER = re.compile(r"\b\d{4}\b")
_CLASSES_WITHOUT_NB = frozenset({"I"})


def category_matches(category: str, codes: Sequence[str]) -> bool:
    """Whether ``category`` is one of ``codes`` or below one of them."""
    return any(category == c or category.startswith(c + "/") for c in codes)


_FIELD: dict[str, str] = {}
_NO_ATTRIBUTES: Mapping[str, Any] = {}


def attributes_of(listing: Mapping[str, Any]) -> Mapping[str, Any]:
    """The listing's ``attributes`` object ({} when absent or not an object)."""
    attributes = listing.get("attributes")
    return attributes if isinstance(attributes, Mapping) else _NO_ATTRIBUTES


def value_of(listing: Mapping[str, Any], key: str) -> tuple[str, str]:
    """``(field, value)`` of attribute ``key`` in ``listing`` ("" when absent)."""
    if key in TOP_LEVEL_KEYS:
        value = listing.get(key)
        return key, value.strip() if isinstance(value, str) else ""
    field = _FIELD.get(key)
    if field is None:
        field = _FIELD.setdefault(key, f"attributes.{key}")
    value = attributes_of(listing).get(key)
    if isinstance(value, str) and value:
        value = value.strip()
        if value:
            return field, value
    if key in TOP_LEVEL_FALLBACK:
        value = listing.get(key)
        if isinstance(value, str):
            return field, value.strip()
    return field, ""


def manufacturer_outside_eu(listing: Mapping[str, Any]) -> bool:
    """The manufacturer's address is given and names no EU/EEA country."""
    _, address = value_of(listing, "manufacturer_address")
    return bool(address) and not _EU_RE.search(address)


def abv_at_least(listing: Mapping[str, Any], threshold: float) -> bool:
    _, abv = value_of(listing, "abv")
    match = _ABV.search(abv)
    return match is not None and float(match.group(1)) >= threshold


def compile_condition(condition: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], bool]:
    """A named condition of the data as a function of the listing (category-free ones)."""
    ((name, arg),) = condition.items()
    if name == "attribute_present" and arg not in TOP_LEVEL_KEYS | TOP_LEVEL_FALLBACK:

        def present(listing: Mapping[str, Any]) -> bool:
            value = attributes_of(listing).get(arg)
            return isinstance(value, str) and bool(value.strip())

        return present
    if name == "attribute_equals":
        key, wanted = arg

        def equals(listing: Mapping[str, Any]) -> bool:
            value = attributes_of(listing).get(key)
            return isinstance(value, str) and value.strip() == wanted

        return equals
    return lambda listing: condition_holds(condition, listing, str(listing.get("category", "")))


def condition_holds(
    condition: Mapping[str, Any], listing: Mapping[str, Any], category: str
) -> bool:
    """Evaluate one named condition of the data."""
    ((name, arg),) = condition.items()
    if name == "attribute_present":
        return bool(value_of(listing, arg)[1])
    if name == "attribute_equals":
        return value_of(listing, arg[0])[1] == arg[1]
    if name == "category_in":
        return category_matches(category, arg)
    if name == "manufacturer_outside_eu":
        return manufacturer_outside_eu(listing) == bool(arg)
    if name == "abv_at_least":
        return abv_at_least(listing, float(arg))
    raise ValueError(f"Unknown condition {name!r}.")


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _regex(value: str, params: Mapping[str, Any], listing: Mapping[str, Any]) -> bool:
    return _compiled(params["pattern"]).search(value) is not None


def _electronic_address(value: str, params: Mapping[str, Any], listing: Mapping[str, Any]) -> bool:
    return bool(_EMAIL.match(value) or _URL.match(value))


def _mains_voltage(value: str, params: Mapping[str, Any], listing: Mapping[str, Any]) -> bool:
    return bool(_VOLTAGE.search(value) or _NON_MAINS.search(value))


def _ce_marking(value: str, params: Mapping[str, Any], listing: Mapping[str, Any]) -> bool:
    if "CE" not in value.upper():
        return False
    _, mdr_class = value_of(listing, "mdr_class")
    if str(listing.get("category", "")).startswith("medical_device") and mdr_class:
        return mdr_class in _CLASSES_WITHOUT_NB or bool(_NB_NUMBER.search(value))
    return True


def gtin_valid(value: str) -> bool:
    """A GTIN-8/12/13/14 whose check digit is right."""
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in value]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def _gtin(value: str, params: Mapping[str, Any], listing: Mapping[str, Any]) -> bool:
    return gtin_valid(value)


CHECKS: dict[str, Callable[[str, Mapping[str, Any], Mapping[str, Any]], bool]] = {
    "regex": _regex,
    "electronic_address": _electronic_address,
    "mains_voltage": _mains_voltage,
    "ce_marking": _ce_marking,
    "gtin": _gtin,
}


_STATIC = frozenset({"category_in"})


class SchemePlan:
    """The attribute rules of one scheme for one (market, category), with everything that
    depends only on the category decided up front."""

    __slots__ = ("formats", "required", "unless", "when_any")

    def __init__(self) -> None:
        self.when_any: list[Callable[[Mapping[str, Any]], bool]] | None = None
        self.unless: list[Callable[[Mapping[str, Any]], bool]] = []
        # (key, rule, not_required_if, plain): plain keys live only in ``attributes``
        self.required: list[tuple[str, Any, tuple[Mapping[str, Any], ...], bool]] = []
        self.formats: list[tuple[str, Any, Callable[..., bool], Mapping[str, Any]]] = []

    def applies(self, listing: Mapping[str, Any]) -> bool:
        if self.when_any is not None and not any(c(listing) for c in self.when_any):
            return False
        return not any(condition(listing) for condition in self.unless)


def plan_schemes(rules: Sequence[Any], category: str) -> list[SchemePlan] | None:
    """Group attribute ``rules`` (already filtered by market and category) by scheme.
    Returns the plans of the schemes that can apply to ``category``."""
    plans: dict[str, SchemePlan | None] = {}
    for rule in rules:
        p = rule.parameters
        scheme = p["scheme"]
        if scheme not in plans:
            plan: SchemePlan | None = SchemePlan()
            static_when = [c for c in p["when_any"] if next(iter(c)) in _STATIC]
            dynamic_when = [c for c in p["when_any"] if next(iter(c)) not in _STATIC]
            if any(condition_holds(c, {}, category) for c in static_when):
                plan.when_any = None  # type: ignore[union-attr]
            elif p["when_any"]:
                plan.when_any = [compile_condition(c) for c in dynamic_when]  # type: ignore[union-attr]
                if not dynamic_when:
                    plan = None
            if plan is not None:
                if any(
                    condition_holds(c, {}, category)
                    for c in p["unless"]
                    if next(iter(c)) in _STATIC
                ):
                    plan = None
                else:
                    plan.unless = [
                        compile_condition(c) for c in p["unless"] if next(iter(c)) not in _STATIC
                    ]
            plans[scheme] = plan
        plan = plans[scheme]
        if plan is None:
            continue
        key = p["attribute"]
        if p["type"] == "attribute_required":
            if not category_matches(category, p["not_required_in"]):
                plan.required.append(
                    (
                        key,
                        rule,
                        tuple(p["not_required_if"]),
                        key not in TOP_LEVEL_KEYS and key not in TOP_LEVEL_FALLBACK,
                    )
                )
        else:
            plan.formats.append((key, rule, CHECKS[p["check"]], p))
    return [plan for plan in plans.values() if plan is not None]
