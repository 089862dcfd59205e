"""Page forms of the console and portal: input shapes only; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .domain.reasons import reason_choices
from .models import ContactKind, RegistrationScheme, RiskLevel, Standing

MARKET_CHOICES = [("CN", _("China")), ("EU", _("European Union"))]


def _reasons(use: str) -> list[tuple[str, str]]:
    """Reason choices in the active language (the codes are what is stored)."""
    zh = (get_language() or "").startswith("zh")
    return [(r.code, r.zh if zh else r.en) for r in reason_choices(use)]


class _ReasonForm(forms.Form):
    reason_use = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason_codes"].choices = _reasons(self.reason_use)  # type: ignore[attr-defined]


class MerchantFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    standing = forms.ChoiceField(
        label=_("Standing"), required=False, choices=[("", _("Any standing")), *Standing.choices]
    )
    risk = forms.ChoiceField(
        label=_("Risk"), required=False, choices=[("", _("Any risk")), *RiskLevel.choices]
    )
    market = forms.ChoiceField(
        label=_("Market"), required=False, choices=[("", _("Any market")), *MARKET_CHOICES]
    )
    category = forms.CharField(label=_("Category code"), required=False)


class CompanyForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    legal_name_en = forms.CharField(label=_("Legal name (English)"), max_length=200, required=False)
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, initial="CN")
    registration_scheme = forms.ChoiceField(
        label=_("Registration"), choices=RegistrationScheme.choices
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        help_text=_("In China the 18-character unified social credit code."),
    )
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=100)
    registered_address = forms.CharField(label=_("Registered address"), max_length=300)
    business_scope = forms.CharField(
        label=_("Business scope"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    established_on = forms.DateField(
        label=_("Established on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ScopeForm(forms.Form):
    markets = forms.MultipleChoiceField(
        label=_("Markets"), choices=MARKET_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.TypedMultipleChoiceField(
        label=_("Categories"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    brands = forms.TypedMultipleChoiceField(
        label=_("Brands"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(
        self,
        *args: object,
        category_choices: list[tuple[int, str]],
        brand_choices: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["categories"].choices = category_choices  # type: ignore[attr-defined]
        self.fields["brands"].choices = brand_choices  # type: ignore[attr-defined]


class ShopForm(forms.Form):
    name = forms.CharField(label=_("Shop name"), max_length=150)
    url = forms.URLField(label=_("Shop address (URL)"), required=False, assume_scheme="https")
    markets = forms.MultipleChoiceField(
        label=_("Markets"),
        choices=MARKET_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contact for"), choices=ContactKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail"))


class TraderInfoForm(forms.Form):
    name = forms.CharField(label=_("Trader name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail"))
    identity_document_id = forms.IntegerField(
        label=_("Identity document"),
        required=False,
        help_text=_("The number of an uploaded identity document (Documents page)."),
    )
    payment_account_holder = forms.CharField(
        label=_("Account holder"), max_length=200, required=False
    )
    payment_account_iban = forms.CharField(label=_("IBAN"), max_length=42, required=False)
    trade_register_name = forms.CharField(label=_("Trade register"), max_length=200, required=False)
    trade_register_number = forms.CharField(
        label=_("Trade register number"), max_length=60, required=False
    )
    self_certified = forms.BooleanField(
        label=_(
            "I certify that I offer only products that comply with Union law (DSA Art. 30(1)(e))."
        ),
        required=False,
    )


class RequestInfoForm(_ReasonForm):
    reason_use = "request_info"
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    reason_codes = forms.MultipleChoiceField(
        label=_("Reasons"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(
        label=_("What the merchant must provide"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    probation_days = forms.IntegerField(
        label=_("Probation (days)"), required=False, min_value=0, max_value=365
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SecondApproveForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Note"), required=False)


class RejectForm(_ReasonForm):
    reason_use = "reject"
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    reason_codes = forms.MultipleChoiceField(
        label=_("Reasons"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
