"""The platform takes a live listing down: a complaint, a failed lab test, a regulator's notice.

A takedown is a human decision on the live version, so it reuses the review machinery: the
version is rejected with reason codes from the taxonomy, a note citing the evidence, and who
decided; the listing goes off sale (``pending``) under a *review hold*. The merchant is told why
and can either appeal (a different reviewer decides; overturned, the version is live again) or
submit a corrected version, which goes to a reviewer even when the rules find nothing: the
takedown may be about things the rules cannot see (a failed sample, a fake certificate). A
reviewer's approval lifts the hold.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.accounts.permissions import ensure_can
from qms.shared.audit import record_event
from qms.shared.errors import Conflict, NotFound, ValidationFailed
from qms.shared.events import publish
from qms.shared.notifications import notify
from qms.shared.rules import business_today
from qms.shared.signals import emit_signal

from . import wiring
from .domain.review_states import REASONS_BY_CODE, Action, Decision, ListingState
from .models import Listing, ListingVersion
from .services_review import parse_reasons, record_decision
from .services_routing import cancel_tasks, merchant_user_ids, transition

MIN_NOTE = 10
MAX_EVIDENCE = 500


@transaction.atomic
def take_down_listing(
    *, actor: Any, listing_id: int, reason_codes: list[str], note: str, evidence: str = ""
) -> Listing:
    """Take the live version off sale with reasons and evidence; hold the listing for review."""
    ensure_can(actor, "listings.take_down")
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("live_version")
        .filter(pk=listing_id)
        .first()
    )
    if listing is None:
        raise NotFound(_("No such listing."), code="listing_not_found")
    reasons = parse_reasons(Decision.REJECT.value, reason_codes)
    text = str(note or "").replace("\x00", "").strip()
    if len(text) < MIN_NOTE:
        raise ValidationFailed(
            _("Say what was found (at least %(n)s characters): the merchant reads it.")
            % {"n": MIN_NOTE},
            code="note_required",
            field="note",
        )
    proof = str(evidence or "").replace("\x00", "").strip()[:MAX_EVIDENCE]
    version = listing.live_version
    if listing.state != ListingState.LIVE.value or version is None:
        raise Conflict(_("Only a live listing can be taken down."), code="listing_not_live")
    version = ListingVersion.objects.select_for_update().get(pk=version.pk)
    cancel_tasks(version)  # a quality sample of it has nothing left to decide
    record_decision(version, actor, reasons, text[:4000])
    transition(version, Action.REJECT, actor=actor, reason="taken down: " + ", ".join(reasons))
    before = {"state": listing.state, "live_version": version.pk}
    listing.live_version = None
    listing.state = ListingState.PENDING.value
    day = business_today()
    listing.review_hold = f"taken down on {day:%Y-%m-%d}: {', '.join(reasons)}"[:300]
    listing.updated_at = timezone.now()
    listing.save(update_fields=["live_version", "state", "review_hold", "updated_at"])
    record_event(
        actor=actor,
        obj=listing,
        action="listings.listing.take_down",
        before=before,
        after={"state": listing.state, "review_hold": listing.review_hold},
        reason=text[:500],
        organisation_id=listing.merchant_org_id,
        detail={"version_id": version.pk, "reason_codes": reasons, "evidence": proof},
    )
    publish(
        "listings.listing_taken_down",
        listing_id=listing.pk,
        version_id=version.pk,
        organisation_id=listing.merchant_org_id,
        reason_codes=reasons,
        evidence=proof,
    )
    emit_signal(
        subject_type="listings.listing",
        subject_id=listing.pk,
        organisation_id=listing.merchant_org_id,
        kind=wiring.SIGNAL_TAKEN_DOWN,
        severity="high",
        evidence={"version_id": version.pk, "reason_codes": reasons, "evidence": proof},
        source="listings",
        dedupe_key=f"listing-version:{version.pk}:taken-down",
    )
    notify(
        kind=wiring.KIND_TAKEN_DOWN,
        user_ids=merchant_user_ids(listing.merchant_org_id),
        context={
            "listing_id": listing.pk,
            "title": version.title,
            "reasons": [REASONS_BY_CODE[c].en for c in reasons],
            "reasons_zh": [REASONS_BY_CODE[c].zh for c in reasons],
            "note": text[:1000],
        },
        dedupe_key=f"listing-version:{version.pk}:taken-down",
        link=f"/portal/listings/{listing.pk}/",
    )
    return listing
