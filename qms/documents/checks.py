"""The checks of an upload's fields: number format and check character, dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.shared.errors import ValidationFailed

from .domain.types import normalise_number, number_problem
from .models import DocumentType


def business_today() -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE))


def check_fields(
    *, doc_type: DocumentType, number: str, issued_on: dt.date, expires_on: dt.date | None
) -> str:
    number = normalise_number(number)
    if not number:
        raise ValidationFailed(
            _("Enter the document number."), code="document_number_required", field="number"
        )
    problem = number_problem(
        pattern=doc_type.number_pattern, checksum=doc_type.checksum, number=number
    )
    if problem == "pattern":
        raise ValidationFailed(
            _("The number does not have the format of a %(type)s: %(hint)s.")
            % {"type": doc_type.display_name, "hint": doc_type.number_hint},
            code="document_number_invalid",
            field="number",
        )
    if problem == "checksum":
        raise ValidationFailed(
            _("The number's check character is wrong; check for a typo."),
            code="document_number_checksum",
            field="number",
        )
    today = business_today()
    if issued_on > today:
        raise ValidationFailed(
            _("The issue date is in the future."),
            code="document_issued_in_future",
            field="issued_on",
        )
    if expires_on is None and doc_type.requires_expiry:
        raise ValidationFailed(
            _("This type of document needs its expiry date."),
            code="document_expiry_required",
            field="expires_on",
        )
    if expires_on is not None and expires_on <= issued_on:
        raise ValidationFailed(
            _("The expiry date must be after the issue date."),
            code="document_expiry_before_issue",
            field="expires_on",
        )
    if expires_on is not None and expires_on < today:
        raise ValidationFailed(
            _("This document has already expired."),
            code="document_already_expired",
            field="expires_on",
        )
    return number
