"""Forms of the rule book pages. They parse input; ``services_rules`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.ruleset import KIND_LABELS, TERM_KINDS
from .forms import MARKET_CHOICES

SEVERITY_CHOICES = [
    ("", _("Default for the kind")),
    ("critical", _("Critical: reject")),
    ("high", _("High: reject")),
    ("medium", _("Medium: manual review")),
    ("low", _("Low: manual review")),
]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _codes(text: str) -> list[str]:
    return [c.strip() for c in (text or "").replace("\n", ",").split(",") if c.strip()]


class _Timing(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the earliest allowed, 7 days from today (today when urgent)."),
    )
    urgent = forms.BooleanField(
        label=_("Urgent: no 7-day notice (a newly prohibited item, a regulator's order)"),
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class TermRuleForm(_Timing):
    term = forms.CharField(label=_("Term"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, KIND_LABELS[k][0]) for k in TERM_KINDS])
    markets = forms.MultipleChoiceField(
        label=_("Markets"),
        choices=MARKET_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["CN"],
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=SEVERITY_CHOICES, required=False)
    allow = forms.CharField(
        label=_("Allowed contexts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: longer phrases containing the term that are fine (第一次)."),
    )
    categories = forms.CharField(
        label=_("Only in categories"),
        required=False,
        help_text=_("Category codes, comma separated; empty for all."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("Empty: the basis of the starting rules of the same kind."),
    )

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "term": d["term"],
            "kind": d["kind"],
            "markets": d["markets"],
            "severity": d["severity"],
            "allow": _lines(d["allow"]),
            "categories": _codes(d["categories"]),
            "legal_basis": d["legal_basis"],
            "effective_from": d["effective_from"],
            "urgent": d["urgent"],
            "reason": d["reason"],
        }


class RuleChangeForm(_Timing):
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=[("", _("Unchanged")), *SEVERITY_CHOICES[1:]],
        required=False,
    )
    allow = forms.CharField(
        label=_("Allowed contexts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. Term rules only."),
    )
    markets = forms.MultipleChoiceField(
        label=_("Markets"),
        choices=MARKET_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: unchanged."),
    )

    def service_kwargs(self, *, is_term: bool, allow_before: list[str]) -> dict:
        d = self.cleaned_data
        allow = _lines(d["allow"])
        return {
            "severity": d["severity"] or None,
            "markets": d["markets"] or None,
            "allow": allow if is_term and allow != allow_before else None,
            "effective_from": d["effective_from"],
            "urgent": d["urgent"],
            "reason": d["reason"],
        }


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Why retire it"), max_length=300)
    effective_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )
