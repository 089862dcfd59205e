from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import DocumentType


class UploadForm(forms.Form):
    """The portal upload form. Business checks (number format, dates, the file itself)
    happen in ``services.upload_document``; its errors are put back on these fields."""

    document_type = forms.ChoiceField(label=_("Document type"))
    number = forms.CharField(label=_("Document number"), max_length=100)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    issued_on = forms.DateField(
        label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for documents without an end date."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, types: list[DocumentType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(t.code, t.display_name) for t in types]
        self.types = {t.code: t for t in types}
        self.fields["file"].help_text = _("PDF, JPEG or PNG, at most %(size)s.") % {
            "size": filesizeformat(settings.QMS_MAX_UPLOAD_BYTES)
        }


class VerifyForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# The reasons of ``domain.states.REJECT_REASONS`` as translatable labels (same keys, tested).
REASON_LABELS = {
    "illegible": _("The scan is illegible or incomplete"),
    "wrong_type": _("The file is not a document of the declared type"),
    "number_mismatch": _("The number entered does not match the document"),
    "holder_mismatch": _("The document is issued to another company or person"),
    "expired": _("The document has expired or expires too soon"),
    "scope_insufficient": _("The licence scope does not cover the goods sold"),
    "forgery_suspected": _("The document appears altered or forged"),
    "issuer_unverifiable": _("The issuer or the number cannot be confirmed at the source"),
    "other": _("Other (explained in the note)"),
}


class RejectForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *REASON_LABELS.items()],
    )
    note = forms.CharField(
        label=_("Note to the merchant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Which form field a service error belongs to, by error code prefix.
FILE_ERROR_PREFIX = "file_"
