"""Staff console: merchant list and detail, the application queue and review page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.accounts.permissions import ensure_can, has_perm
from qms.shared.errors import DomainError, NotFound
from qms.shared.pagination import page_for_view

from . import selectors, selectors_onboarding, services_trader
from . import services_onboarding as onboarding
from .domain.onboarding import allowed_actions
from .domain.reasons import REASONS
from .forms import (
    ApproveForm,
    MerchantFilterForm,
    RejectForm,
    RequestInfoForm,
    SecondApproveForm,
)

QUEUE_STATES = ["submitted", "in_review", "awaiting_second_approval", "info_requested"]


def _page(request: HttpRequest, qs: Any, order: tuple[str, str]) -> tuple[list[Any], str | None]:
    return page_for_view(qs, cursor=request.GET.get("cursor"), order=order)


@login_required
def merchant_list(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "merchants.view")
    form = MerchantFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.search_merchants(actor=request.user, **{k: v or "" for k, v in filters.items()})
    merchants, next_cursor = _page(request, qs, ("-created_at", "-id"))
    return render(
        request,
        "merchants/console/merchant_list.html",
        {
            "form": form,
            "merchants": merchants,
            "next_cursor": next_cursor,
            "counts": selectors.dashboard_counts(actor=request.user),
        },
    )


@login_required
def merchant_detail(request: HttpRequest, merchant_id: int) -> HttpResponse:
    ensure_can(request.user, "merchants.view")
    merchant = selectors.get_merchant(actor=request.user, merchant_id=merchant_id)
    return render(
        request,
        "merchants/console/merchant_detail.html",
        {
            "merchant": merchant,
            "shops": selectors.shops_for(actor=request.user, merchant_id=merchant_id),
            "contacts": selectors.contacts_for(actor=request.user, merchant_id=merchant_id),
            "supplier_links": selectors.supplier_links_for(
                actor=request.user, merchant_id=merchant_id
            ),
            "categories": merchant.categories.select_related("category").order_by("category__code"),
            "trader_info": getattr(merchant, "trader_info", None),
            "applications": selectors_onboarding.applications_for(actor=request.user)
            .filter(merchant=merchant)
            .order_by("-created_at"),
            "timeline": selectors.merchant_timeline(
                actor=request.user, merchant_id=merchant_id, limit=100
            ),
        },
    )


@login_required
def application_queue(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "merchants.review_application")
    state = request.GET.get("state", "")
    if state not in QUEUE_STATES:
        state = ""
    qs = selectors_onboarding.application_queue(
        actor=request.user,
        state=state or None,
        risk=request.GET.get("risk") or None,
        market=request.GET.get("market") or None,
    )
    applications, next_cursor = _page(request, qs, ("submitted_at", "id"))
    return render(
        request,
        "merchants/console/application_queue.html",
        {
            "applications": applications,
            "next_cursor": next_cursor,
            "state": state,
            "states": QUEUE_STATES,
            "counts": selectors.dashboard_counts(actor=request.user),
        },
    )


def _review_context(request: HttpRequest, application_id: int, **forms: Any) -> dict[str, Any]:
    app = selectors_onboarding.get_application(actor=request.user, application_id=application_id)
    initial = {"lock_version": app.lock_version}
    checklist = selectors_onboarding.document_checklist(app)
    actions = {a.value for a in allowed_actions(app.state)}
    return {
        "app": app,
        "merchant": app.merchant,
        "checklist": checklist,
        "missing_count": sum(1 for i in checklist if not i.verified),
        "history": selectors_onboarding.application_history(
            actor=request.user, application_id=app.pk
        ),
        "categories": app.category_rows.select_related("category").order_by("category__code"),
        "brands": app.brands.all(),
        "trader_info": getattr(app.merchant, "trader_info", None),
        "actions": actions,
        "can_decide": has_perm(request.user, "merchants.decide_application"),
        "can_second": has_perm(request.user, "merchants.second_approval")
        and app.first_decision_by_id != request.user.pk,
        "reason_labels": [REASONS[c] for c in app.reason_codes if c in REASONS],
        "request_info_form": forms.get("request_info") or RequestInfoForm(initial=initial),
        "approve_form": forms.get("approve") or ApproveForm(initial=initial),
        "second_form": forms.get("second_approve") or SecondApproveForm(initial=initial),
        "reject_form": forms.get("reject") or RejectForm(initial=initial),
        "error": forms.get("error"),
    }


@login_required
def application_review(request: HttpRequest, application_id: int) -> HttpResponse:
    ensure_can(request.user, "merchants.review_application")
    return render(
        request,
        "merchants/console/application_review.html",
        _review_context(request, application_id),
    )


FORMS = {
    "request_info": RequestInfoForm,
    "approve": ApproveForm,
    "second_approve": SecondApproveForm,
    "reject": RejectForm,
}


def _run(request: HttpRequest, action: str, application_id: int, data: dict[str, Any]) -> None:
    actor, version = request.user, data.get("lock_version")
    if action == "start_review":
        onboarding.start_review(
            actor=actor, application_id=application_id, expected_version=version
        )
    elif action == "request_info":
        onboarding.request_info(
            actor=actor,
            application_id=application_id,
            reason_codes=data["reason_codes"],
            text=data["text"],
            expected_version=version,
        )
    elif action == "approve":
        onboarding.approve_application(
            actor=actor,
            application_id=application_id,
            probation_days=data.get("probation_days"),
            conditions=data.get("conditions", ""),
            expected_version=version,
        )
    elif action == "second_approve":
        onboarding.second_approve_application(
            actor=actor,
            application_id=application_id,
            reason=data.get("reason", ""),
            expected_version=version,
        )
    elif action == "reject":
        onboarding.reject_application(
            actor=actor,
            application_id=application_id,
            reason_codes=data["reason_codes"],
            text=data.get("text", ""),
            expected_version=version,
        )


@login_required
@require_POST
def application_action(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    """One review decision; a conflict (someone decided first) is shown in place."""
    ensure_can(request.user, "merchants.review_application")
    if action not in {"start_review", *FORMS}:
        raise NotFound("No such action.", code="unknown_action")
    form = None
    data: dict[str, Any] = {}
    if action in FORMS:
        form = FORMS[action](request.POST)
        if not form.is_valid():
            ctx = _review_context(request, application_id, **{action: form})
            return render(request, "merchants/console/application_review.html", ctx, status=422)
        data = form.cleaned_data
    else:
        raw = request.POST.get("lock_version", "")
        data = {"lock_version": int(raw) if raw.isdigit() else None}
    try:
        _run(request, action, application_id, data)
    except DomainError as exc:
        ctx = _review_context(
            request, application_id, error=exc, **({action: form} if form is not None else {})
        )
        return render(request, "merchants/console/application_review.html", ctx, status=exc.status)
    messages.success(request, _("Saved: %(action)s.") % {"action": action.replace("_", " ")})
    return redirect("merchants:application_review", application_id=application_id)


@login_required
@require_POST
def trader_verify(request: HttpRequest, merchant_id: int) -> HttpResponse:
    """Verify the EU trader information, or fail it with reasons (one per line)."""
    ensure_can(request.user, "merchants.review_application")
    merchant = selectors.get_merchant(actor=request.user, merchant_id=merchant_id)
    verified = request.POST.get("decision") == "verify"
    reasons = [r.strip() for r in request.POST.get("reasons", "").splitlines() if r.strip()]
    try:
        services_trader.verify_trader_info(
            actor=request.user, merchant_id=merchant.pk, verified=verified, reasons=reasons
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Trader information updated."))
    app_id = request.POST.get("application_id", "")
    if app_id.isdigit():
        return redirect("merchants:application_review", application_id=int(app_id))
    return redirect("merchants:merchant_detail", merchant_id=merchant.pk)
