"""Writes for quality agreements: drafts, publication (with the re-signing round), signatures.

Publishing a version retires the one before it, notifies every live merchant and gives each a
deadline (``merchant:<id>:agreement:<code>``) with reminders 7 and 1 days before. A merchant that
has not signed by then is restricted with reason ``agreement_not_signed``; signing lifts it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from qms.accounts.permissions import ensure_can, profile
from qms.accounts.selectors import user_ids_in_organisation
from qms.shared.audit import record_event
from qms.shared.deadlines import cancel_deadline, schedule_deadline
from qms.shared.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from qms.shared.events import publish
from qms.shared.models import Deadline
from qms.shared.notifications import notify

from .domain.agreements import (
    DEFAULT_RESIGN_DAYS,
    RESIGN_WARNINGS,
    TemplateStatus,
    missing_topics,
    next_template_status,
    normalise_text,
    resign_deadline,
    text_fingerprint,
)
from .domain.standing import LIVE_STANDINGS, RESTRICTABLE
from .models import AgreementSignature, AgreementTemplate, Merchant
from .services_standing import (
    business_today,
    end_of_business_day,
    lift_merchant_restriction,
    restrict_merchant,
)

RESIGN_KIND = "merchants.agreement_resign"
DEFAULT_CODE = "quality-agreement"
SOURCE_DIR = Path(__file__).resolve().parent / "templates" / "merchants" / "agreements" / "source"
TEXT_FIELDS = ("title", "title_zh", "body_en", "body_zh")


def deadline_key(merchant_id: int, code: str) -> str:
    return f"merchant:{merchant_id}:agreement:{code}"


def _fingerprint(t: AgreementTemplate) -> str:
    return text_fingerprint(
        code=t.code,
        version=t.version,
        title=t.title,
        title_zh=t.title_zh,
        body_en=t.body_en,
        body_zh=t.body_zh,
    )


def _clean(fields: dict[str, str]) -> dict[str, str]:
    out = {}
    for name in TEXT_FIELDS:
        value = fields.get(name, "")
        value = " ".join(value.split()) if name.startswith("title") else normalise_text(value)
        if not value.strip():
            raise ValidationFailed(
                f"{name} is required.", code="agreement_text_required", field=name
            )
        out[name] = value
    return out


@transaction.atomic
def create_template_draft(
    *,
    actor: Any,
    code: str,
    title: str,
    title_zh: str,
    body_en: str,
    body_zh: str,
    change_summary: str = "",
) -> AgreementTemplate:
    """A new draft: the next version of ``code`` (version 1 for a new code)."""
    if actor is not None:
        ensure_can(actor, "merchants.manage_agreements")
    code = code.strip().lower()
    if not code or not all(c.isalnum() or c == "-" for c in code):
        raise ValidationFailed(
            "The code is lower-case letters, digits and hyphens.", code="agreement_code_invalid"
        )
    text = _clean({"title": title, "title_zh": title_zh, "body_en": body_en, "body_zh": body_zh})
    last = (
        AgreementTemplate.objects.select_for_update().filter(code=code).aggregate(v=Max("version"))
    )
    if AgreementTemplate.objects.filter(code=code, status=TemplateStatus.DRAFT).exists():
        raise Conflict(
            "There is already a draft of this agreement; edit it instead.",
            code="agreement_draft_exists",
        )
    template = AgreementTemplate(
        code=code,
        version=(last["v"] or 0) + 1,
        status="draft",
        change_summary=change_summary.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
        **text,
    )
    template.text_sha256 = _fingerprint(template)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as exc:
        raise Conflict(
            "This version was created concurrently.", code="agreement_version_taken"
        ) from exc
    record_event(
        actor=actor,
        obj=template,
        action="agreement.create_draft",
        after={"code": code, "version": template.version, "text_sha256": template.text_sha256},
    )
    return template


@transaction.atomic
def update_template_draft(*, actor: Any, template_id: int, **changes: str) -> AgreementTemplate:
    """Edit a draft's texts (any of title, title_zh, body_en, body_zh, change_summary)."""
    ensure_can(actor, "merchants.manage_agreements")
    template = AgreementTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise NotFound("No such agreement template.", code="agreement_not_found")
    next_template_status(template.status, "edit")
    unknown = set(changes) - {*TEXT_FIELDS, "change_summary"}
    if unknown:
        raise ValidationFailed(
            f"Cannot change {', '.join(sorted(unknown))}.", code="field_not_editable"
        )
    before = template.text_sha256
    merged = {name: changes.get(name, getattr(template, name)) for name in TEXT_FIELDS}
    for name, value in _clean(merged).items():
        setattr(template, name, value)
    if "change_summary" in changes:
        template.change_summary = changes["change_summary"].strip()
    template.text_sha256 = _fingerprint(template)
    template.save()
    record_event(
        actor=actor,
        obj=template,
        action="agreement.edit_draft",
        before={"text_sha256": before},
        after={"text_sha256": template.text_sha256},
    )
    return template


@transaction.atomic
def publish_template(
    *,
    actor: Any,
    template_id: int,
    resign_days: int = DEFAULT_RESIGN_DAYS,
    effective_at: dt.datetime | None = None,
) -> AgreementTemplate:
    """Publish a draft: it becomes the version in force, the previous one is retired, and every
    live merchant is asked to sign it within ``resign_days``."""
    if actor is not None:
        ensure_can(actor, "merchants.manage_agreements")
    template = AgreementTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise NotFound("No such agreement template.", code="agreement_not_found")
    template.status = next_template_status(template.status, "publish").value
    missing = missing_topics(body_en=template.body_en, body_zh=template.body_zh)
    if missing:
        raise ValidationFailed(
            "The agreement lacks required sections.",
            code="agreement_sections_missing",
            missing=missing,
        )
    if _fingerprint(template) != template.text_sha256:
        raise Conflict(
            "The stored text does not match its fingerprint.", code="agreement_text_corrupt"
        )
    try:
        deadline = resign_deadline(published_on=business_today(), days=resign_days)
    except ValueError as exc:
        raise ValidationFailed(str(exc), code="resign_days_invalid") from exc
    now = timezone.now()
    # effective_at: when the text binds those who signed it (now, or a later date no later
    # than the signing deadline, e.g. the start of a quarter)
    if effective_at is not None and not (
        now - dt.timedelta(minutes=5) <= effective_at <= end_of_business_day(deadline)
    ):
        raise ValidationFailed(
            "The effective date must lie between now and the signing deadline.",
            code="effective_at_invalid",
        )
    previous = (
        AgreementTemplate.objects.select_for_update()
        .filter(code=template.code, status=TemplateStatus.PUBLISHED)
        .first()
    )
    if previous is not None:
        previous.status = next_template_status(previous.status, "retire").value
        previous.retired_at = now
        previous.save(update_fields=["status", "retired_at"])
        record_event(
            actor=actor,
            obj=previous,
            action="agreement.retire",
            after={"superseded_by": template.pk},
        )
    template.published_at, template.effective_at = now, effective_at or now
    template.published_by = actor if getattr(actor, "pk", None) else None
    template.resign_deadline = deadline
    template.save(
        update_fields=["status", "published_at", "effective_at", "published_by", "resign_deadline"]
    )
    record_event(
        actor=actor,
        obj=template,
        action="agreement.publish",
        after={
            "version": template.version,
            "resign_deadline": deadline,
            "text_sha256": template.text_sha256,
            "retired": previous.pk if previous else None,
        },
    )
    _ask_to_sign(template)
    return template


def _ask_to_sign(template: AgreementTemplate) -> None:
    merchants = Merchant.objects.filter(standing__in=[s.value for s in LIVE_STANDINGS]).only(
        "pk", "organisation_id", "legal_name"
    )
    assert template.resign_deadline is not None
    due_at = end_of_business_day(template.resign_deadline)
    for merchant in merchants.iterator(chunk_size=500):
        schedule_deadline(
            key=deadline_key(merchant.pk, template.code),
            kind=RESIGN_KIND,
            subject_type="merchants.merchant",
            subject_id=str(merchant.pk),
            due_at=due_at,
            warnings=RESIGN_WARNINGS,
            payload={"template_id": template.pk},
        )
        notify(
            kind="merchants.agreement_published",
            user_ids=user_ids_in_organisation(organisation_id=merchant.organisation_id),
            context=_context(template),
            link="/portal/agreement/",
            dedupe_key=f"merchants.agreement_published:{template.pk}:{merchant.pk}",
        )


def ask_new_merchant_to_sign(*, merchant_id: int) -> int:
    """A merchant that has just been approved signs the agreements in force before it may sell:
    tell its users (no deadline; ``can_sell`` says no until then). How many were unsigned."""
    merchant = Merchant.objects.filter(pk=merchant_id).first()
    if merchant is None:
        return 0
    unsigned = [
        t
        for t in AgreementTemplate.objects.filter(status=TemplateStatus.PUBLISHED)
        if not _signed(merchant.pk, t.pk)
    ]
    for template in unsigned:
        notify(
            kind="merchants.agreement_sign_required",
            user_ids=user_ids_in_organisation(organisation_id=merchant.organisation_id),
            context=_context(template),
            link="/portal/agreement/",
            dedupe_key=f"merchants.agreement_sign_required:{template.pk}:{merchant.pk}",
        )
    return len(unsigned)


def _context(template: AgreementTemplate) -> dict[str, Any]:
    return {
        "title": template.title,
        "title_zh": template.title_zh,
        "version": template.version,
        "deadline": template.resign_deadline.isoformat() if template.resign_deadline else "",
    }


def _signed(merchant_id: int, template_id: int) -> bool:
    return AgreementSignature.objects.filter(
        merchant_id=merchant_id, template_id=template_id
    ).exists()


def handle_resign_deadline(deadline: Deadline, point: str) -> None:
    """Reminders before the re-signing deadline; a restriction when it passes unsigned."""
    merchant_id = int(deadline.subject_id)
    template = AgreementTemplate.objects.filter(pk=deadline.payload.get("template_id")).first()
    merchant = Merchant.objects.filter(pk=merchant_id).first()
    if template is None or merchant is None or template.status != TemplateStatus.PUBLISHED:
        return  # superseded: the newer version has its own deadline
    if _signed(merchant_id, template.pk) or merchant.standing not in RESTRICTABLE:
        return
    if point == "due":
        restrict_merchant(
            actor=None,
            merchant_id=merchant_id,
            reason_code="agreement_not_signed",
            reason_text=f"{template.title} v{template.version}",
            evidence={
                "template_id": template.pk,
                "version": template.version,
                "deadline": str(template.resign_deadline),
            },
        )
        return
    notify(
        kind="merchants.agreement_resign_reminder",
        user_ids=user_ids_in_organisation(organisation_id=merchant.organisation_id),
        context=_context(template),
        link="/portal/agreement/",
        dedupe_key=f"merchants.agreement_reminder:{template.pk}:{merchant_id}:{point}",
    )


@transaction.atomic
def sign_agreement(
    *,
    actor: Any,
    merchant_id: int,
    template_id: int,
    text_sha256: str,
    ip: str | None = None,
    user_agent: str = "",
    language: str = "zh-hans",
) -> AgreementSignature:
    """The merchant's owner accepts the exact text it was shown (``text_sha256`` echoes the
    fingerprint it received). Refused if that text is no longer the version in force."""
    p = profile(actor)
    merchant = Merchant.objects.select_for_update().filter(pk=merchant_id).first()
    if merchant is None or merchant.organisation_id not in p.merchant_org_ids:
        raise NotFound("No such merchant.", code="merchant_not_found")
    ensure_can(actor, "merchants.sign_agreement", merchant_org_id=merchant.organisation_id)
    template = AgreementTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None or template.status == TemplateStatus.DRAFT:
        raise NotFound("No such agreement.", code="agreement_not_found")
    if template.status != TemplateStatus.PUBLISHED:
        raise Conflict(
            "A newer version of this agreement is in force; read and sign that one.",
            code="agreement_not_current",
        )
    if text_sha256.strip().lower() != template.text_sha256:
        raise Conflict(
            "The agreement text changed since it was shown to you; read it again.",
            code="agreement_text_changed",
            expected=template.text_sha256,
        )
    if merchant.standing == "terminated":
        raise IllegalTransition(state=merchant.standing, action="sign_agreement")
    if _signed(merchant.pk, template.pk):
        raise Conflict("This agreement is already signed.", code="agreement_already_signed")
    signature = AgreementSignature.objects.create(
        merchant=merchant,
        template=template,
        signer=actor,
        signer_name=(str(actor) or actor.username)[:150],
        signed_at=timezone.now(),
        ip=ip or None,
        user_agent=(user_agent or "")[:400],
        language=language if language in ("en", "zh-hans") else "zh-hans",
        text_sha256=template.text_sha256,
    )
    record_event(
        actor=actor,
        obj=signature,
        action="agreement.sign",
        organisation_id=merchant.organisation_id,
        after={
            "template_id": template.pk,
            "version": template.version,
            "text_sha256": template.text_sha256,
            "ip": ip,
            "user_agent": user_agent,
        },
    )
    cancel_deadline(key=deadline_key(merchant.pk, template.code))
    if merchant.standing in RESTRICTABLE:
        lift_merchant_restriction(
            actor=None,
            merchant_id=merchant.pk,
            reason_code="agreement_signed",
            reason_text=f"{template.title} v{template.version}",
            only_reason_codes=["agreement_not_signed"],
            evidence={"signature_id": signature.pk, "signed_by": actor.pk},
        )
    publish("merchants.agreement_signed", merchant_id=merchant.pk, template_id=template.pk)
    return signature


def load_source_text(name: str) -> str:
    return (SOURCE_DIR / name).read_text(encoding="utf-8")


@transaction.atomic
def ensure_default_agreement(
    *, actor: Any = None, resign_days: int = DEFAULT_RESIGN_DAYS
) -> AgreementTemplate:
    """The platform's starting quality agreement (version 1, zh-Hans and English), created
    and published if this code has no version yet. Safe to run any number of times."""
    existing = AgreementTemplate.objects.filter(code=DEFAULT_CODE).order_by("-version").first()
    if existing is not None:
        return existing
    draft = create_template_draft(
        actor=actor,
        code=DEFAULT_CODE,
        title="Product Quality Agreement",
        title_zh="商品质量协议",
        body_en=load_source_text("quality-agreement-v1.en.md"),
        body_zh=load_source_text("quality-agreement-v1.zh.md"),
        change_summary="First version.",
    )
    return publish_template(actor=actor, template_id=draft.pk, resign_days=resign_days)
