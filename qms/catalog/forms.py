"""Forms of the catalog console pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.constants import DOCUMENT_TYPE_CODES, MARKETS


class RequirementForm(forms.Form):
    market = forms.ChoiceField(label=_("Market"), choices=[(m, m) for m in MARKETS])
    document_type_code = forms.ChoiceField(
        label=_("Document type"), choices=[(c, c) for c in DOCUMENT_TYPE_CODES]
    )
    mandatory = forms.BooleanField(label=_("Mandatory"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
