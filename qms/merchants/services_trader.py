"""EU trader information (DSA Art. 30): save, re-check, verify.

Any change to the trader fields resets the status to ``unverified`` and queues a re-check
(``tasks.recheck_trader_info``): the automatic checks fail it with reasons, or hand it to a
reviewer to verify.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from qms.documents import selectors as documents_selectors
from qms.shared.audit import record_event, snapshot
from qms.shared.errors import Conflict, NotFound, ValidationFailed

from . import notifications
from .domain.iban import normalise_iban
from .domain.trader import TraderData, self_certification_hash, trader_problems
from .models import TRADER_FIELDS, TraderInfo
from .services import _edit_perm, lock_merchant

AUDIT_FIELDS = (*TRADER_FIELDS, "verification_status", "verification_reasons")


def _identity_document_ok(info: TraderInfo) -> bool:
    """The identity document the trader named is the organisation's own, of the identity
    type, verified and in force (another verified document does not stand in for it)."""
    if info.identity_document_id is None:
        return False
    doc = documents_selectors.valid_document(
        organisation_id=info.merchant.organisation_id,
        type_code="identity_document",
        document_id=info.identity_document_id,
    )
    return doc is not None


def automatic_problems(info: TraderInfo) -> list[str]:
    return trader_problems(
        TraderData(
            name=info.name,
            address=info.address,
            phone=info.phone,
            email=info.email,
            identity_document_verified=_identity_document_ok(info),
            payment_account_iban=info.payment_account_iban,
            trade_register_name=info.trade_register_name,
            trade_register_number=info.trade_register_number,
            self_certified=info.self_certified,
        )
    )


@transaction.atomic
def save_trader_info(
    *,
    actor: Any,
    merchant_id: int,
    name: str,
    address: str,
    phone: str,
    email: str,
    identity_document_id: int | None = None,
    payment_account_holder: str = "",
    payment_account_iban: str = "",
    trade_register_name: str = "",
    trade_register_number: str = "",
    self_certified: bool = False,
) -> TraderInfo:
    merchant = lock_merchant(actor=actor, merchant_id=merchant_id, perm=_edit_perm(actor))
    info = TraderInfo.objects.select_for_update().filter(merchant=merchant).first()
    created = info is None
    if info is None:
        info = TraderInfo(merchant=merchant)
    before = None if created else snapshot(info, AUDIT_FIELDS)
    values = {
        "name": name.strip(),
        "address": address.strip(),
        "phone": phone.strip(),
        "email": email.strip(),
        "identity_document_id": identity_document_id,
        "payment_account_holder": payment_account_holder.strip(),
        "payment_account_iban": normalise_iban(payment_account_iban),
        "trade_register_name": trade_register_name.strip(),
        "trade_register_number": trade_register_number.strip(),
        "self_certified": self_certified,
    }
    if not values["name"] or not values["email"]:
        raise ValidationFailed(
            "Trader information needs at least a name and an e-mail address.",
            code="trader_info_incomplete",
        )
    changed = created or any(getattr(info, k) != v for k, v in values.items())
    if not changed:
        return info
    for key, value in values.items():
        setattr(info, key, value)
    now = timezone.now()
    if self_certified:
        info.self_certified_at = now
        info.self_certification_text_hash = self_certification_hash()
    else:
        info.self_certified_at, info.self_certification_text_hash = None, ""
    info.verification_status = "unverified"
    info.verification_reasons = []
    info.verified_by, info.verified_at = None, None
    info.recheck_requested_at = info.updated_at = now
    info.save()
    record_event(
        actor=actor,
        obj=info,
        action="trader_info.save",
        organisation_id=merchant.organisation_id,
        before=before,
        after=snapshot(info, AUDIT_FIELDS),
    )
    from .tasks import recheck_trader_info

    info_id = info.pk
    transaction.on_commit(lambda: recheck_trader_info.enqueue(trader_info_id=info_id))
    return info


@transaction.atomic
def recheck_trader_info_now(*, trader_info_id: int) -> TraderInfo | None:
    """The queued re-check (system actor): fail with reasons, or ask a reviewer to verify.
    Safe to run twice; does nothing once the data was decided or changed again."""
    info = (
        TraderInfo.objects.select_for_update()
        .select_related("merchant")
        .filter(pk=trader_info_id)
        .first()
    )
    if (
        info is None
        or info.verification_status != "unverified"
        or info.recheck_requested_at is None
    ):
        return info
    problems = automatic_problems(info)
    requested = info.recheck_requested_at
    info.recheck_requested_at = None
    fields = ["recheck_requested_at"]
    if problems:
        info.verification_status, info.verification_reasons = "failed", problems
        fields += ["verification_status", "verification_reasons"]
    info.save(update_fields=fields)
    record_event(
        actor=None,
        obj=info,
        action="trader_info.recheck",
        organisation_id=info.merchant.organisation_id,
        after={"verification_status": info.verification_status, "problems": problems},
    )
    key = f"trader:{info.pk}:{requested.isoformat()}"
    if problems:
        notifications.send(
            "merchants.trader_info_failed",
            user_ids=notifications.merchant_user_ids(info.merchant.organisation_id),
            context={"reasons": ", ".join(problems)},
            dedupe_key=key,
        )
    else:
        notifications.send(
            "merchants.trader_info_to_verify",
            user_ids=notifications.reviewer_ids(),
            context={"merchant": info.merchant.legal_name},
            dedupe_key=key,
        )
    return info


@transaction.atomic
def verify_trader_info(
    *, actor: Any, merchant_id: int, verified: bool, reasons: list[str] | None = None
) -> TraderInfo:
    """A reviewer's decision. ``verified=True`` is refused while an automatic check fails."""
    merchant = lock_merchant(
        actor=actor, merchant_id=merchant_id, perm="merchants.review_application"
    )
    info = TraderInfo.objects.select_for_update().filter(merchant=merchant).first()
    if info is None:
        raise NotFound(
            "The merchant has not given trader information.", code="trader_info_not_found"
        )
    if info.verification_status != "unverified":
        raise Conflict(
            f"The trader information is already {info.verification_status}; it is "
            "checked again when the merchant changes it.",
            code="trader_info_decided",
        )
    before = snapshot(info, ("verification_status", "verification_reasons"))
    if verified:
        problems = automatic_problems(info)
        if problems:
            raise ValidationFailed(
                "The trader information fails automatic checks.",
                code="trader_info_checks_failed",
                problems=problems,
            )
        info.verification_status, info.verification_reasons = "verified", []
    else:
        if not reasons:
            raise ValidationFailed("Say why the trader information fails.", code="reason_required")
        info.verification_status, info.verification_reasons = "failed", list(reasons)
    info.verified_by, info.verified_at = actor, timezone.now()
    info.recheck_requested_at = None
    info.save(
        update_fields=[
            "verification_status",
            "verification_reasons",
            "verified_by",
            "verified_at",
            "recheck_requested_at",
        ]
    )
    record_event(
        actor=actor,
        obj=info,
        action="trader_info.verify",
        organisation_id=merchant.organisation_id,
        before=before,
        after=snapshot(info, ("verification_status", "verification_reasons")),
    )
    if not verified:
        notifications.send(
            "merchants.trader_info_failed",
            user_ids=notifications.merchant_user_ids(merchant.organisation_id),
            context={"reasons": ", ".join(info.verification_reasons)},
            dedupe_key=f"trader:{info.pk}:decided:{info.verified_at.isoformat()}",
        )
    return info
