"""The staff dashboard as data: work-queue cards, the applications chart, recent activity.

Counts come from each context's ``selectors.dashboard_counts(actor=)``, a mapping of
``key -> int`` (plus, from merchants, ``applications_by_state``: ``state -> int``). The
keys read here are listed in ``CARDS``. A context not installed yet shows its cards with a
dash instead of a number.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qms.accounts.permissions import ActorProfile
from qms.shared.models import AuditEvent

from . import states
from .nav import resolve_url

logger = logging.getLogger(__name__)

SOURCES = {
    "merchants": "qms.merchants.selectors",
    "documents": "qms.documents.selectors",
    "listings": "qms.listings.selectors",
}


@dataclass(frozen=True)
class Card:
    key: str
    source: str
    label: str | Promise
    hint: str | Promise
    url_name: str
    permission: str
    icon: str
    tone: str = states.INFO
    query: str = ""


CARDS: tuple[Card, ...] = (
    Card(
        "applications_to_review",
        "merchants",
        _("Applications to review"),
        _("Submitted and in review"),
        "merchants:application_queue",
        "merchants.review_application",
        "inbox",
    ),
    Card(
        "awaiting_second_approval",
        "merchants",
        _("Awaiting second approval"),
        _("High-risk approvals need a second person"),
        "merchants:application_queue",
        "merchants.review_application",
        "check",
        states.WARN,
        "state=awaiting_second_approval",
    ),
    Card(
        "documents_to_verify",
        "documents",
        _("Documents to verify"),
        _("Uploaded, not yet checked"),
        "documents:review_queue",
        "documents.view",
        "file",
    ),
    Card(
        "documents_expiring_30d",
        "documents",
        _("Expiring within 30 days"),
        _("Licences and certificates"),
        "documents:expiring",
        "documents.view",
        "clock",
        states.WARN,
    ),
    Card(
        "reverifications_due",
        "merchants",
        _("Re-verifications due"),
        _("Periodic checks of merchant data"),
        "merchants:reverification_queue",
        "merchants.reverify",
        "refresh",
        states.WARN,
    ),
    Card(
        "listings_to_review",
        "listings",
        _("Listings to review"),
        _("Rule hits, high risk, samples and appeals"),
        "listings:queue",
        "listings.review",
        "list",
    ),
    Card(
        "rescan_findings_open",
        "listings",
        _("Listings to correct"),
        _("Flagged by a re-scan, deadline running"),
        "listings:rescan_list",
        "listings.view",
        "refresh",
        states.WARN,
    ),
    Card(
        "rule_changes_upcoming",
        "listings",
        _("Rule changes coming"),
        _("Listing rules taking effect within 60 days"),
        "listings:rule_list",
        "listings.view",
        "shield",
        states.INFO,
    ),
    Card(
        "agreements_unsigned",
        "merchants",
        _("Agreements unsigned"),
        _("Quality agreements awaiting signature"),
        "merchants:agreement_list",
        "merchants.view",
        "pen",
        states.DANGER,
    ),
)


def _as_mapping(value: Any) -> dict[str, Any]:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"dashboard_counts returned {type(value).__name__}, expected a mapping")


def source_counts(source: str, *, actor: Any) -> dict[str, Any] | None:
    """``dashboard_counts(actor=)`` of one context, or None while that selector is absent."""
    module_name = SOURCES[source]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None
    fn = getattr(module, "dashboard_counts", None)
    if fn is None:
        return None
    return _as_mapping(fn(actor=actor))


@dataclass(frozen=True)
class CardView:
    card: Card
    value: int | None
    url: str | None


def all_counts(p: ActorProfile, *, actor: Any) -> dict[str, dict[str, Any] | None]:
    """The counts of every source one of the actor's cards needs (one call per source)."""
    needed = {card.source for card in CARDS if card.permission in p.permissions}
    if "merchants.view" in p.permissions:
        needed.add("merchants")  # the applications chart
    return {source: source_counts(source, actor=actor) for source in sorted(needed)}


def cards_for(p: ActorProfile, counts: Mapping[str, Mapping[str, Any] | None]) -> list[CardView]:
    out = []
    for card in CARDS:
        if card.permission not in p.permissions:
            continue
        data = counts.get(card.source)
        raw = data.get(card.key) if data is not None else None
        url = resolve_url(card.url_name)
        if url and card.query:
            url = f"{url}?{card.query}"
        out.append(CardView(card=card, value=int(raw) if raw is not None else None, url=url))
    return out


@dataclass(frozen=True)
class Bar:
    state: str
    label: str | Promise
    count: int
    tone: str
    y: int
    width: float
    text_y: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    total: int
    height: int
    label_width: int = 180
    plot_width: int = 240


ROW = 34
BAR = 20


def applications_chart(by_state: Mapping[str, int] | None) -> Chart | None:
    """A horizontal bar per application state, in workflow order, scaled to the largest."""
    if by_state is None:
        return None
    order = list(states.APPLICATION_STATES) + sorted(
        s for s in by_state if s not in states.APPLICATION_STATES
    )
    rows = [(s, int(by_state.get(s, 0) or 0)) for s in order]
    rows = [r for r in rows if r[1] or r[0] in states.APPLICATION_STATES]
    peak = max((c for _, c in rows), default=0)
    chart = Chart(bars=[], total=sum(c for _, c in rows), height=len(rows) * ROW)
    for i, (state, count) in enumerate(rows):
        width = round(chart.plot_width * count / peak, 1) if peak else 0.0
        chart.bars.append(
            Bar(
                state=state,
                label=states.label(state),
                count=count,
                tone=states.tone(state),
                y=i * ROW + (ROW - BAR) // 2,
                width=max(width, 2.0) if count else 0.0,
                text_y=i * ROW + ROW // 2,
            )
        )
    return chart


def recent_activity(p: ActorProfile, *, limit: int = 8) -> list[AuditEvent] | None:
    """The latest audit rows, for a user who may read the audit log; None otherwise."""
    if "audit.view" not in p.permissions:
        return None
    return list(AuditEvent.objects.select_related("actor").order_by("-at", "-id")[:limit])
