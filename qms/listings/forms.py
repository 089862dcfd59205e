"""Forms of the listings pages. They parse input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .domain.review_states import REASONS

MARKET_CHOICES = [("CN", _("China (CN)")), ("EU", _("European Union (EU)"))]


def parse_attributes(text: str) -> dict[str, str]:
    """``key: value`` per line (blank lines ignored) -> dict; a line without ``:`` is an error."""
    out: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise forms.ValidationError(
                _("Line %(n)s: write key: value."), params={"n": number}, code="attributes"
            )
        out[key.strip()] = value.strip()
    return out


class ListingForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    markets = forms.MultipleChoiceField(
        label=_("Markets"),
        choices=MARKET_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["CN"],
    )
    brand = forms.ChoiceField(label=_("Brand"), required=False)
    gtin = forms.CharField(label=_("GTIN"), max_length=20, required=False)
    external_id = forms.CharField(label=_("Your id (SKU)"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )
    attributes = forms.CharField(
        label=_("Attributes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One per line, as key: value (e.g. shelf_life: 12 months)."),
    )
    price = forms.DecimalField(
        label=_("Price"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")
    image = forms.FileField(label=_("Image"), required=False, help_text=_("JPEG, PNG or WebP."))

    def __init__(
        self,
        *args: Any,
        categories: list[tuple[str, str]],
        brands: list[tuple[str, str]],
        editing: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["category"].choices = categories  # type: ignore[attr-defined]
        self.fields["brand"].choices = [("", _("No brand")), *brands]  # type: ignore[attr-defined]
        if editing:
            del self.fields["external_id"]

    def clean_attributes(self) -> dict[str, str]:
        return parse_attributes(self.cleaned_data.get("attributes", ""))


class BulkForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("JSONL (one listing per line) or CSV, UTF-8, up to 5 MB.")
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the decision wrong?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason_codes = forms.MultipleChoiceField(
        label=_("Reasons"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note to the merchant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason_codes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = _reason_choices()


def _reason_choices(decision: str | None = None) -> list[tuple[str, str]]:
    """The reason taxonomy in the page's language (the labels are data, in both)."""
    zh = (translation.get_language() or "").lower().startswith("zh")
    return [
        (r.code, r.zh if zh else r.en)
        for r in REASONS
        if decision is None or r.decision == decision
    ]


class TakeDownForm(forms.Form):
    reason_codes = forms.MultipleChoiceField(
        label=_("Reasons"), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("What was found (the merchant reads this)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.CharField(
        label=_("Evidence reference"),
        max_length=500,
        required=False,
        help_text=_("A lab report number, complaint ticket or regulator notice."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason_codes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = _reason_choices("reject")


class RescanForm(forms.Form):
    reason = forms.CharField(label=_("Rule change"), max_length=300)
    grace_days = forms.IntegerField(label=_("Days to fix"), min_value=1, max_value=90, initial=7)
