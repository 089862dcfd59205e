"""Console pages for standing: the panel on the merchant detail page (an htmx fragment) and the
re-verification queue."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.accounts.permissions import ensure_can, has_perm
from qms.shared.errors import DomainError, ValidationFailed

from . import selectors_agreements as sel
from . import services_reverification as reverification
from . import services_standing as standing
from .domain.standing import Reason, Standing, allowed_actions, reason_label
from .models import MerchantCategory, ReverificationTask

TARGETS = [
    (Standing.RESTRICTED.value, pgettext_lazy("standing target", "Restrict (whole merchant)")),
    (Standing.ACTIVE.value, pgettext_lazy("standing target", "Active (lift all restrictions)")),
    (Standing.SUSPENDED.value, pgettext_lazy("standing target", "Suspend")),
    (Standing.TERMINATED.value, pgettext_lazy("standing target", "Terminate")),
]


def _reasons() -> list[tuple[str, str]]:
    lang = get_language() or "en"
    return [(r.value, reason_label(r.value, lang)) for r in Reason]


class StandingForm(forms.Form):
    to = forms.ChoiceField(label=gettext_lazy("New standing"), choices=TARGETS)
    reason_code = forms.ChoiceField(label=gettext_lazy("Reason"), choices=())
    reason_text = forms.CharField(
        label=gettext_lazy("Explanation (shown to the merchant)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reason_code"].choices = _reasons()  # type: ignore[attr-defined]
        self.fields["reason_code"].initial = Reason.QUALITY_VIOLATION.value


class CategoryForm(forms.Form):
    category_id = forms.IntegerField(widget=forms.HiddenInput)
    op = forms.ChoiceField(
        choices=[("restrict", "restrict"), ("lift", "lift")], widget=forms.HiddenInput
    )
    reason_code = forms.ChoiceField(label=gettext_lazy("Reason"), choices=())
    reason_text = forms.CharField(label=gettext_lazy("Explanation"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reason_code"].choices = _reasons()  # type: ignore[attr-defined]


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=ReverificationTask.Outcome.choices
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@login_required
def standing_panel(request: HttpRequest, merchant_id: int) -> HttpResponse:
    """GET: the panel (a fragment for htmx, a whole page otherwise). POST: change the standing
    or restrict/lift one category, then the panel again with the outcome (htmx always gets 200,
    so that the fragment with the error is swapped in)."""
    ensure_can(request.user, "merchants.view")
    merchant = sel.scoped_merchant(actor=request.user, merchant_id=merchant_id)
    can_change = has_perm(request.user, "merchants.change_standing")
    form, error, notice, status = StandingForm(), "", "", 200
    htmx = request.headers.get("HX-Request") == "true"
    if request.method == "POST":
        ensure_can(request.user, "merchants.change_standing")
        data = request.POST
        try:
            if data.get("op") in ("restrict", "lift"):
                cat_form = CategoryForm(data)
                if not cat_form.is_valid():
                    raise_invalid(cat_form)
                _category_action(request, merchant.pk, cat_form.cleaned_data)
            else:
                form = StandingForm(data)
                if not form.is_valid():
                    raise_invalid(form)
                standing.change_standing(
                    actor=request.user, merchant_id=merchant.pk, **form.cleaned_data
                )
                form = StandingForm()
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            if not htmx:
                messages.success(request, _("Standing updated."))
                return redirect("merchants:standing_panel", merchant_id=merchant.pk)
            notice = _("Standing updated.")
        merchant.refresh_from_db()
    ok, why = sel.can_sell(merchant_id=merchant.pk)
    template = "merchants/standing/_panel_body.html" if htmx else "merchants/standing/page.html"
    return render(
        request,
        template,
        {
            "merchant": merchant,
            "form": form,
            "error": error,
            "notice": notice,
            "can_change": can_change,
            "can_sell": ok,
            "why_not": why,
            "allowed": [a.value for a in allowed_actions(merchant.standing)],
            "restrictions": sel.restrictions_in_force(actor=request.user, merchant_id=merchant.pk),
            "history": sel.standing_history(actor=request.user, merchant_id=merchant.pk)[:20],
            "categories": MerchantCategory.objects.filter(merchant=merchant)
            .select_related("category")
            .order_by("category__code"),
            "category_form": CategoryForm(),
        },
        status=200 if htmx else status,
    )


def raise_invalid(form: forms.Form) -> None:
    first = next(iter(form.errors.values()))[0]
    raise ValidationFailed(str(first), code="invalid_form")


def _category_action(request: HttpRequest, merchant_id: int, data: dict) -> None:
    kw = {
        "actor": request.user,
        "merchant_id": merchant_id,
        "category_id": data["category_id"],
        "reason_code": data["reason_code"],
        "reason_text": data["reason_text"],
    }
    if data["op"] == "restrict":
        standing.restrict_category(**kw)
    else:
        standing.lift_category_restriction(**kw)


STATE_FILTERS = [
    ("due", pgettext_lazy("reverification filter", "Due within 14 days or overdue")),
    ("open", pgettext_lazy("reverification filter", "Open")),
    ("overdue", pgettext_lazy("reverification filter", "Overdue")),
    ("done", pgettext_lazy("reverification filter", "Done")),
    ("", pgettext_lazy("reverification filter", "All")),
]


@login_required
def reverification_queue(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "merchants.view")
    state = request.GET.get("state", "due")
    if state not in dict(STATE_FILTERS):
        state = "due"
    tasks = sel.reverification_tasks_for(actor=request.user, state=state or None)[:200]
    return render(
        request,
        "merchants/standing/reverification_queue.html",
        {
            "tasks": tasks,
            "state": state,
            "filters": STATE_FILTERS,
            "counts": sel.reverification_counts(actor=request.user),
            "can_complete": has_perm(request.user, "merchants.reverify"),
            "form": CompleteForm(),
        },
    )


@login_required
@require_POST
def reverification_complete(request: HttpRequest, task_id: int) -> HttpResponse:
    task = sel.reverification_task_for(actor=request.user, task_id=task_id)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an outcome."))
    else:
        try:
            reverification.complete_reverification(
                actor=request.user, task_id=task.pk, **form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Re-verification of %(merchant)s recorded.")
                % {"merchant": task.merchant.legal_name},
            )
    state = request.POST.get("state", "due")
    return redirect(reverse("merchants:reverification_queue") + "?" + urlencode({"state": state}))
