"""Merchant portal: home with the application's progress, the application form, submit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.accounts.permissions import ensure_can
from qms.catalog import selectors as catalog_selectors
from qms.shared.errors import DomainError, NotFound, ValidationFailed

from . import selectors, selectors_onboarding, services, services_trader
from . import services_onboarding as onboarding
from .domain.onboarding import EDITABLE_STATES, PROGRESS_STEPS, AppState, progress_index
from .domain.registration import validate_registration_number
from .forms import CompanyForm, ContactForm, ScopeForm, ShopForm, TraderInfoForm
from .models import Merchant


def _merchant(request: HttpRequest) -> Merchant:
    ensure_can(request.user, "merchants.view_own")
    merchant = selectors.merchant_of_user(actor=request.user)
    if merchant is None:
        raise NotFound("Your organisation has no merchant profile.", code="merchant_not_found")
    return merchant


def _steps(state: str | None) -> list[dict[str, Any]]:
    reached = progress_index(state) if state else 0
    return [
        {"state": s.value, "done": i < reached or state == "approved", "current": i == reached}
        for i, s in enumerate(PROGRESS_STEPS)
    ]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    app = selectors_onboarding.current_application(actor=request.user, merchant_id=merchant.pk)
    return render(
        request,
        "merchants/portal/home.html",
        {
            "merchant": merchant,
            "app": app,
            "steps": _steps(app.state if app else None),
            "missing": selectors_onboarding.missing_documents(app) if app else {},
            "categories": merchant.categories.select_related("category").order_by("category__code"),
        },
    )


def _category_choices() -> list[tuple[int, str]]:
    zh = (get_language() or "").startswith("zh")
    return [
        (c.pk, f"{c.code} · {c.name_zh if zh else c.name_en} ({c.risk_level})")
        for c in catalog_selectors.active_categories()
    ]


def _brand_choices(actor: Any) -> list[tuple[int, str]]:
    return [(b.pk, str(b)) for b in catalog_selectors.list_brands(actor=actor, status="active")]


def _context(request: HttpRequest, merchant: Merchant, **bound: Any) -> dict[str, Any]:
    app = selectors_onboarding.current_application(actor=request.user, merchant_id=merchant.pk)
    info = getattr(merchant, "trader_info", None)
    company_initial = {f: getattr(merchant, f) for f in services.PROFILE_FIELDS}
    scope_initial = {
        "markets": app.markets if app else ["CN"],
        "categories": [r.category_id for r in app.category_rows.all()] if app else [],
        "brands": [b.pk for b in app.brands.all()] if app else [],
    }
    trader_initial = {f: getattr(info, f) for f in TraderInfoForm.base_fields} if info else {}
    editable = app is not None and AppState(app.state) in EDITABLE_STATES
    return {
        "merchant": merchant,
        "app": app,
        "editable": editable,
        "under_review": app is not None and app.state in services.UNDER_REVIEW,
        "steps": _steps(app.state if app else None),
        "company_form": bound.get("company") or CompanyForm(initial=company_initial),
        "scope_form": bound.get("scope")
        or ScopeForm(
            initial=scope_initial,
            category_choices=_category_choices(),
            brand_choices=_brand_choices(request.user),
        ),
        "shop_form": bound.get("shop") or ShopForm(),
        "contact_form": bound.get("contact") or ContactForm(),
        "trader_form": bound.get("trader") or TraderInfoForm(initial=trader_initial),
        "shops": merchant.shops.order_by("name"),
        "contacts": merchant.contacts.order_by("kind"),
        "trader_info": info,
        "needs_trader": app is not None and "EU" in app.markets,
        "missing": selectors_onboarding.missing_documents(app) if app else {},
        "error": bound.get("error"),
        "error_section": bound.get("error_section", ""),
    }


@login_required
def application(request: HttpRequest) -> HttpResponse:
    merchant = _merchant(request)
    return render(request, "merchants/portal/application.html", _context(request, merchant))


def _save(request: HttpRequest, section: str, merchant: Merchant, form: Any) -> None:
    actor, data = request.user, form.cleaned_data if form is not None else {}
    app = selectors_onboarding.current_application(actor=actor, merchant_id=merchant.pk)
    if section == "company":
        services.update_merchant_profile(actor=actor, merchant_id=merchant.pk, **data)
    elif section == "scope":
        if app is None or AppState(app.state) not in EDITABLE_STATES:
            app = onboarding.create_application(
                actor=actor, merchant_id=merchant.pk, markets=data["markets"]
            )
        onboarding.update_application(
            actor=actor,
            application_id=app.pk,
            markets=data["markets"],
            category_ids=data["categories"],
            brand_ids=data["brands"],
        )
    elif section == "shop":
        services.create_shop(
            actor=actor,
            merchant_id=merchant.pk,
            name=data["name"],
            url=data["url"],
            markets=data["markets"],
        )
    elif section == "contact":
        services.save_contact(actor=actor, merchant_id=merchant.pk, **data)
    elif section == "trader":
        services_trader.save_trader_info(actor=actor, merchant_id=merchant.pk, **data)
    elif section == "submit":
        if app is None:
            raise NotFound("Start an application first.", code="application_not_found")
        if app.state == AppState.INFO_REQUESTED:
            onboarding.resubmit_application(
                actor=actor, application_id=app.pk, response=request.POST.get("response", "")
            )
        else:
            onboarding.submit_application(actor=actor, application_id=app.pk)
    elif section == "withdraw":
        if app is None:
            raise NotFound("No application to withdraw.", code="application_not_found")
        onboarding.withdraw_application(actor=actor, application_id=app.pk)


SECTION_FORMS: dict[str, Any] = {
    "company": CompanyForm,
    "scope": ScopeForm,
    "shop": ShopForm,
    "contact": ContactForm,
    "trader": TraderInfoForm,
    "submit": None,
    "withdraw": None,
}


@login_required
@require_POST
def application_section(request: HttpRequest, section: str) -> HttpResponse:
    merchant = _merchant(request)
    if section not in SECTION_FORMS:
        raise NotFound("No such section.", code="unknown_section")
    form_class = SECTION_FORMS[section]
    form = None
    if form_class is ScopeForm:
        form = ScopeForm(
            request.POST,
            category_choices=_category_choices(),
            brand_choices=_brand_choices(request.user),
        )
    elif form_class is not None:
        form = form_class(request.POST)
    if form is not None and not form.is_valid():
        ctx = _context(request, merchant, **{section: form}, error_section=section)
        return render(request, "merchants/portal/application.html", ctx, status=422)
    try:
        _save(request, section, merchant, form)
    except DomainError as exc:
        ctx = _context(
            request,
            merchant,
            **({section: form} if form is not None else {}),
            error=exc,
            error_section=section,
        )
        return render(request, "merchants/portal/application.html", ctx, status=exc.status)
    messages.success(request, _("Saved."))
    if section in {"submit", "withdraw"}:
        return redirect("portal:home")
    return redirect(reverse("portal:application") + f"#{section}")


@login_required
def check_registration(request: HttpRequest) -> HttpResponse:
    """htmx: validate the registration number as it is typed (no write)."""
    ensure_can(request.user, "merchants.view_own")
    number = request.GET.get("registration_number", "")
    ok, message = False, ""
    if number.strip():
        try:
            normalised = validate_registration_number(
                scheme=request.GET.get("registration_scheme", "cn_uscc"),
                country=request.GET.get("country", "CN"),
                number=number,
            )
        except ValidationFailed as exc:
            message = exc.message
        else:
            ok, message = True, _("Valid: %(number)s") % {"number": normalised}
    return render(
        request,
        "merchants/portal/_registration_check.html",
        {"ok": ok, "message": message, "number": number},
    )
