"""Rule changes announced before they take effect. ``announce_rule_changes`` tells every
merchant with a live listing a coming rule version applies to (at least 7 days ahead: the
registry refuses shorter notice) and schedules a re-scan of all live listings for the day the
versions take effect; the re-scan then gives the merchants a deadline to comply."""

from __future__ import annotations

import datetime as dt
import hashlib
import zoneinfo
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction

from qms.accounts.permissions import ensure_can
from qms.shared.audit import record_event
from qms.shared.deadlines import schedule_deadline
from qms.shared.notifications import notify
from qms.shared.rules import Rule, business_today

from . import wiring
from .domain.review_states import ListingState
from .domain.ruleset import rule_title_zh
from .models import Listing
from .rules import LISTING_RULES
from .services_routing import merchant_user_ids

ANNOUNCE_WITHIN = dt.timedelta(days=60)
RESCAN_GRACE_DAYS = 7


def upcoming_rules(*, within: dt.timedelta = ANNOUNCE_WITHIN) -> list[Rule]:
    """Announced rule versions taking effect within ``within`` (soonest first)."""
    return LISTING_RULES.upcoming(within=within)


def upcoming_for(actor: Any, *, within_days: int = 60) -> list[Rule]:
    """The coming rule versions, for staff and merchants alike (they are public)."""
    from qms.accounts.permissions import profile

    p = profile(actor)
    if not {"listings.view", "listings.view_own"} & p.permissions:
        ensure_can(actor, "listings.view")
    return upcoming_rules(within=dt.timedelta(days=max(1, min(int(within_days), 365))))


def _affected_orgs(rules: list[Rule]) -> dict[int, list[Rule]]:
    """Organisation id -> the rules that apply to one of its live listings."""
    pairs = (
        Listing.objects.filter(state=ListingState.LIVE.value)
        .values_list("merchant_org_id", "category__code", "markets")
        .distinct()
    )
    out: dict[int, dict[str, Rule]] = defaultdict(dict)
    for org_id, code, markets in pairs:
        for rule in rules:
            key = f"{rule.id}@{rule.version}"
            if key in out[org_id]:
                continue
            if any(rule.applies_to(market=m, category=code) for m in markets or []):
                out[org_id][key] = rule
    return {org: list(found.values()) for org, found in out.items() if found}


def _start_of(day: dt.date) -> dt.datetime:
    tz = zoneinfo.ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE)
    return dt.datetime.combine(day, dt.time(0, 5), tzinfo=tz)


def _tell(day: dt.date, rules: list[Rule]) -> int:
    """Notify the merchants the versions apply to; once per merchant per set of versions."""
    keys = sorted(f"{r.id}@{r.version}" for r in rules)
    digest = hashlib.sha1("|".join(keys).encode(), usedforsecurity=False).hexdigest()[:12]
    told = 0
    for org_id, org_rules in _affected_orgs(rules).items():
        notify(
            kind=wiring.KIND_RULES_ANNOUNCED,
            user_ids=merchant_user_ids(org_id),
            context={
                "date": day.isoformat(),
                "count": len(org_rules),
                "rules": [r.title for r in org_rules][:20],
                "rules_zh": [rule_title_zh(r) for r in org_rules][:20],
            },
            dedupe_key=f"listing-rules:{day.isoformat()}:{org_id}:{digest}",
            link="/portal/listings/rules/",
        )
        told += 1
    return told


def _schedule_rescan(day: dt.date, rules: list[Rule]) -> None:
    schedule_deadline(
        key=f"listings:rules-effective:{day.isoformat()}",
        kind=wiring.RULES_EFFECTIVE_KIND,
        subject_type="listings.rules",
        subject_id=day.isoformat(),
        due_at=_start_of(day),
        payload={"rules": sorted({r.id for r in rules})[:200]},
    )


@transaction.atomic
def announce_rule_changes(*, actor: Any, within_days: int = 60) -> dict[str, Any]:
    """Notify affected merchants of the coming rule versions and schedule one re-scan per
    effective date. Idempotent: a merchant is told once per set of versions, a date's
    re-scan is one deadline."""
    ensure_can(actor, "listings.rescan")
    rules = upcoming_rules(within=dt.timedelta(days=max(1, min(int(within_days), 365))))
    by_date: dict[dt.date, list[Rule]] = defaultdict(list)
    for rule in rules:
        by_date[rule.effective_from].append(rule)
    told = 0
    for day, day_rules in sorted(by_date.items()):
        told += _tell(day, day_rules)
        _schedule_rescan(day, day_rules)
    dates = [d.isoformat() for d in sorted(by_date)]
    summary: dict[str, Any] = {
        "dates": dates,
        "rules": len(rules),
        "notices": told,
    }
    record_event(
        actor=actor,
        action="listings.rules.announce",
        object_type="listings.rules",
        object_id=",".join(dates) or "none",
        after=summary,
    )
    return summary


@transaction.atomic
def announce_rules(rules: list[Rule], *, actor: Any, urgent: bool = False) -> int:
    """Announce versions just stored by the quality team (``services_rules``): tell the
    merchants they apply to, and re-scan on the day they take effect, or now when that is
    today. A retirement only relaxes the rules: merchants are told, nothing is re-scanned."""
    from .services_rescan import queue_rescan

    today = business_today()
    told = 0
    by_date: dict[dt.date, list[Rule]] = defaultdict(list)
    for rule in rules:
        by_date[rule.effective_from].append(rule)
    for day, day_rules in sorted(by_date.items()):
        told += _tell(day, day_rules)
        checking = [r for r in day_rules if r.parameters.get("type") != "retired"]
        if not checking:
            continue
        if day <= today:
            names = ", ".join(sorted(f"{r.id} v{r.version}" for r in checking))
            queue_rescan(
                actor=actor,
                reason=("urgent rule change: " if urgent else "rule change: ") + names,
                grace_days=RESCAN_GRACE_DAYS,
            )
        else:
            _schedule_rescan(day, checking)
    return told


def handle_rules_effective(deadline: Any, point: str) -> None:
    """Deadline handler: the announced versions are in force today; re-scan live listings."""
    from .services_rescan import queue_rescan

    if point != "due":
        return
    queue_rescan(
        actor=None,
        reason=f"rule versions in force from {deadline.subject_id}",
        grace_days=RESCAN_GRACE_DAYS,
    )
