"""Public sign-up for merchants: creates the organisation, the owner and a draft application."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from qms.accounts.services import check_login_throttle
from qms.shared.errors import DomainError

from .services import register_merchant_applicant

FIELDS = ("legal_name", "registration_number", "username", "email", "display_name")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:home")
    error = ""
    data = {k: request.POST.get(k, "").strip() for k in FIELDS}
    if request.method == "POST":
        password = request.POST.get("password", "")
        market = request.POST.get("market", "CN")
        try:
            # Sign-ups share the login throttle per address, so a script cannot mass-register.
            check_login_throttle(username=data["username"], ip=request.META.get("REMOTE_ADDR"))
            if password != request.POST.get("password2", ""):
                raise DomainError("The two passwords differ.", code="password_mismatch")
            register_merchant_applicant(
                organisation_name=data["legal_name"],
                username=data["username"],
                email=data["email"],
                password=password,
                legal_name=data["legal_name"],
                country="CN" if market == "CN" else request.POST.get("country", "DE"),
                registration_scheme="cn_uscc" if market == "CN" else "eu_trade_register",
                registration_number=data["registration_number"],
                markets=(market,),
                display_name=data["display_name"],
                preferred_language=request.LANGUAGE_CODE or "zh-hans",
            )
        except DomainError as exc:
            error = exc.message
        else:
            from qms.accounts.models import User

            user = User.objects.get(username=data["username"])
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("portal:application")
    return render(
        request,
        "merchants/portal/register.html",
        {"error": error, "data": data},
        status=422 if error else 200,
    )
