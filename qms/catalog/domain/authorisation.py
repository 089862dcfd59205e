"""Brand authorisation chains: owner -> distributor(s) -> merchant. Pure Python.

A link says "grantor lets grantee sell the brand in these markets between these dates". A link
is good on a day and market only if it and every link above it, up to the owner, are good:
not revoked by that day, started, not ended, covering the market, and granted by the party
that received the link above. ``evaluate_chain`` checks one chain; ``best_chain`` picks the
first good chain among several candidates, or reports why the closest one fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

MAX_CHAIN_LENGTH = 5


class ChainFailure(StrEnum):
    NO_AUTHORISATION = "no_authorisation"
    BRAND_SUSPENDED = "brand_suspended"
    REVOKED = "revoked"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    MARKET_NOT_COVERED = "market_not_covered"
    CHAIN_BROKEN = "chain_broken"
    CHAIN_TOO_LONG = "chain_too_long"


FAILURE_MESSAGES: dict[ChainFailure, str] = {
    ChainFailure.NO_AUTHORISATION: "No authorisation for this brand reaches the organisation.",
    ChainFailure.BRAND_SUSPENDED: "The brand is suspended on the platform.",
    ChainFailure.REVOKED: "A link of the chain was revoked.",
    ChainFailure.NOT_YET_VALID: "A link of the chain is not valid yet.",
    ChainFailure.EXPIRED: "A link of the chain has expired.",
    ChainFailure.MARKET_NOT_COVERED: "A link of the chain does not cover this market.",
    ChainFailure.CHAIN_BROKEN: "A link was granted by someone who did not hold the brand.",
    ChainFailure.CHAIN_TOO_LONG: "The chain has more links than allowed.",
}


@dataclass(frozen=True)
class Link:
    """One authorisation as the chain logic needs it."""

    id: int
    parent_id: int | None
    grantee_org_id: int
    grantor_org_id: int | None
    markets: frozenset[str]
    valid_from: dt.date
    valid_to: dt.date | None = None
    revoked_on: dt.date | None = None  # business date the revocation took effect

    def failure_on(self, *, on: dt.date, market: str) -> ChainFailure | None:
        """Why this one link, taken alone, is not good on ``on`` for ``market`` (or None)."""
        if self.revoked_on is not None and self.revoked_on <= on:
            return ChainFailure.REVOKED
        if on < self.valid_from:
            return ChainFailure.NOT_YET_VALID
        if self.valid_to is not None and on > self.valid_to:
            return ChainFailure.EXPIRED
        if market not in self.markets:
            return ChainFailure.MARKET_NOT_COVERED
        return None


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    chain: tuple[Link, ...] = ()  # from the owner's link down to the grantee's
    failure: ChainFailure | None = None
    failing_link_id: int | None = None
    candidates: tuple[ChainVerdict, ...] = field(default=(), compare=False)

    @property
    def message(self) -> str:
        return "" if self.failure is None else FAILURE_MESSAGES[self.failure]


def chain_upwards(link_id: int, links: Mapping[int, Link]) -> tuple[Link, ...]:
    """The chain ending at ``link_id``, owner first. Stops at a missing parent or a cycle."""
    out: list[Link] = []
    seen: set[int] = set()
    current: int | None = link_id
    while current is not None and current in links and current not in seen:
        seen.add(current)
        out.append(links[current])
        current = links[current].parent_id
    out.reverse()
    return tuple(out)


def evaluate_chain(
    chain: Sequence[Link], *, on: dt.date, market: str, brand_active: bool = True
) -> ChainVerdict:
    """Check one chain, owner's link first. The first failing link (from the top) decides."""
    if not chain:
        return ChainVerdict(ok=False, failure=ChainFailure.NO_AUTHORISATION)
    if not brand_active:
        return ChainVerdict(ok=False, chain=tuple(chain), failure=ChainFailure.BRAND_SUSPENDED)
    if len(chain) > MAX_CHAIN_LENGTH:
        return ChainVerdict(
            ok=False,
            chain=tuple(chain),
            failure=ChainFailure.CHAIN_TOO_LONG,
            failing_link_id=chain[-1].id,
        )
    if chain[0].parent_id is not None:  # the top link's parent is missing: not from the owner
        return ChainVerdict(
            ok=False,
            chain=tuple(chain),
            failure=ChainFailure.CHAIN_BROKEN,
            failing_link_id=chain[0].id,
        )
    previous: Link | None = None
    for link in chain:
        if previous is not None and (
            link.parent_id != previous.id or link.grantor_org_id != previous.grantee_org_id
        ):
            return ChainVerdict(
                ok=False,
                chain=tuple(chain),
                failure=ChainFailure.CHAIN_BROKEN,
                failing_link_id=link.id,
            )
        failure = link.failure_on(on=on, market=market)
        if failure is not None:
            return ChainVerdict(
                ok=False, chain=tuple(chain), failure=failure, failing_link_id=link.id
            )
        previous = link
    return ChainVerdict(ok=True, chain=tuple(chain))


def best_chain(
    *,
    grantee_org_id: int,
    links: Iterable[Link],
    on: dt.date,
    market: str,
    brand_active: bool = True,
) -> ChainVerdict:
    """Whether ``grantee_org_id`` holds the brand on ``on`` in ``market``.

    ``links`` are all links of one brand (or at least every link above the grantee's). Returns
    the first good chain; otherwise the failure of the candidate whose failure is lowest in
    its chain (closest to being good), with every candidate's verdict attached.
    """
    by_id = {link.id: link for link in links}
    ends = sorted(
        (link for link in by_id.values() if link.grantee_org_id == grantee_org_id),
        key=lambda link: link.id,
    )
    if not ends:
        return ChainVerdict(ok=False, failure=ChainFailure.NO_AUTHORISATION)
    verdicts = [
        evaluate_chain(
            chain_upwards(end.id, by_id), on=on, market=market, brand_active=brand_active
        )
        for end in ends
    ]
    for verdict in verdicts:
        if verdict.ok:
            return verdict

    def closeness(v: ChainVerdict) -> int:
        ids = [link.id for link in v.chain]
        return ids.index(v.failing_link_id) if v.failing_link_id in ids else -1

    worst_first = max(verdicts, key=closeness)
    return ChainVerdict(
        ok=False,
        chain=worst_first.chain,
        failure=worst_first.failure,
        failing_link_id=worst_first.failing_link_id,
        candidates=tuple(verdicts),
    )


def grant_problem(
    *,
    parent: Link | None,
    markets: frozenset[str],
    valid_from: dt.date,
    valid_to: dt.date | None,
    grantor_org_id: int | None,
    today: dt.date,
) -> tuple[str, str] | None:
    """Why a new link under ``parent`` may not be created: (code, message), or None.

    A sub-licence cannot give more than its grantor holds: markets within the parent's, dates
    within the parent's, granted by the parent's grantee, and the parent not revoked or ended.
    """
    if not markets:
        return "authorisation_markets_required", "Name at least one market."
    if valid_to is not None and valid_to < valid_from:
        return "authorisation_dates_invalid", "The end date is before the start date."
    if parent is None:
        return None
    if parent.revoked_on is not None:
        return "authorisation_parent_revoked", "The authorisation above this one was revoked."
    if parent.valid_to is not None and parent.valid_to < today:
        return "authorisation_parent_expired", "The authorisation above this one has expired."
    if grantor_org_id is not None and grantor_org_id != parent.grantee_org_id:
        return (
            "authorisation_grantor_mismatch",
            "Only the holder of the authorisation above may grant this one.",
        )
    if not markets <= parent.markets:
        extra = ", ".join(sorted(markets - parent.markets))
        return (
            "authorisation_markets_exceed_parent",
            f"The authorisation above does not cover these markets: {extra}.",
        )
    if valid_from < parent.valid_from or (
        parent.valid_to is not None and (valid_to is None or valid_to > parent.valid_to)
    ):
        return (
            "authorisation_outlives_parent",
            "The dates must lie within the dates of the authorisation above.",
        )
    return None
