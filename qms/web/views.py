"""The shell's own pages: sign-in, sign-out, the staff dashboard and the account page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from qms.accounts.permissions import profile
from qms.accounts.selectors import memberships_of
from qms.accounts.services import login_with_password
from qms.shared.errors import DomainError

from . import dashboard
from .nav import MERCHANT, STAFF, audience_of, resolve_url

# The sign-in errors raised by accounts, marked here so that they are translated.
LOGIN_MESSAGES = (
    gettext_noop("The user name or password is wrong."),
    gettext_noop("Too many failed logins. Wait a few minutes and try again."),
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff see the dashboard; merchant users go to their portal; anyone else to the
    account page."""
    p = profile(request.user)
    audience = audience_of(p)
    if audience == MERCHANT:
        portal = resolve_url("portal:home")
        return redirect(portal or "web:account")
    if audience != STAFF:
        return redirect("web:account")
    counts = dashboard.all_counts(p, actor=request.user)
    merchants = counts.get("merchants")
    by_state = merchants.get("applications_by_state") if merchants is not None else None
    return render(
        request,
        "web/home.html",
        {
            "cards": dashboard.cards_for(p, counts),
            "chart": dashboard.applications_chart(by_state),
            "applications_url": resolve_url("merchants:application_queue"),
            "activity": dashboard.recent_activity(p),
            "audit_url": resolve_url("audit:list"),
        },
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Who am I: name, e-mail, language, organisations and roles."""
    return render(
        request,
        "web/account.html",
        {
            "memberships": list(memberships_of(user=request.user)),
        },
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Sign in with user name and password (throttled by ``login_with_password``). The
    interface language becomes the user's preferred language."""
    next_url = _safe_next(request)
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url or "web:home")
    error = ""
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        try:
            user = login_with_password(
                request=request, username=username, password=request.POST.get("password", "")
            )
        except DomainError as exc:
            error = _(exc.message)
        else:
            login(request, user)
            response = redirect(next_url or "web:home")
            language = user.preferred_language
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                )
            return response
    return render(
        request,
        "web/login.html",
        {
            "error": error,
            "username": username,
            "next": next_url,
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out on POST (a GET only shows the sign-in page: links must not sign people out)."""
    if request.method == "POST" and request.user.is_authenticated:
        logout(request)
        messages.success(request, _("You have signed out."))
    return redirect("web:login")
