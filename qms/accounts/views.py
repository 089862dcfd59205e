"""Account pages: my API tokens, my organisation's team, and (for admins) all users."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qms.shared.errors import DomainError

from . import selectors, services
from .domain.roles import MERCHANT_ROLES, Role
from .permissions import has_perm, profile


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    secret = ""
    error = ""
    if request.method == "POST":
        try:
            days = int(request.POST.get("expires_in_days") or 90)
            scopes = request.POST.getlist("scopes") or ["read"]
            _token, secret = services.issue_token(
                actor=request.user,  # type: ignore[arg-type]
                name=request.POST.get("name", ""),
                scopes=scopes,
                expires_in_days=days,
            )
        except ValueError:
            error = _("The lifetime must be a number of days.")
        except DomainError as exc:
            error = exc.message
    rows = selectors.tokens_of(user=request.user).order_by("-created_at")
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": rows, "secret": secret, "error": error},
        status=422 if error else 200,
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_token(actor=request.user, token_id=token_id)  # type: ignore[arg-type]
        messages.success(request, _("The token was revoked."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:tokens")


def _managed_org_ids(request: HttpRequest) -> list[int]:
    p = profile(request.user)
    return sorted({oid for ids in p.org_ids.values() for oid in ids})


@login_required
def team(request: HttpRequest) -> HttpResponse:
    org_ids = _managed_org_ids(request)
    org_id = int(
        request.GET.get("org") or request.POST.get("org") or (org_ids[0] if org_ids else 0)
    )
    error = ""
    if request.method == "POST":
        try:
            services.invite_member(
                actor=request.user,
                organisation_id=org_id,
                username=request.POST.get("username", ""),
                email=request.POST.get("email", ""),
                role=request.POST.get("role", ""),
                display_name=request.POST.get("display_name", ""),
                password=request.POST.get("password") or None,
            )
            messages.success(request, _("The user was added."))
            return redirect(f"{request.path}?org={org_id}")
        except DomainError as exc:
            error = exc.message
    members = []
    if org_id:
        try:
            members = list(selectors.members_of(actor=request.user, organisation_id=org_id))
        except DomainError as exc:
            error = error or exc.message
    can_manage = has_perm(request.user, "accounts.manage_users") or has_perm(
        request.user, "accounts.manage_own_org"
    )
    roles = (
        [r for r in Role]
        if has_perm(request.user, "accounts.manage_users")
        else [r for r in Role if r in MERCHANT_ROLES]
    )
    return render(
        request,
        "accounts/team.html",
        {
            "members": members,
            "org_id": org_id,
            "can_manage": can_manage,
            "roles": roles,
            "error": error,
            "form": request.POST if error else {},
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def remove_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    try:
        services.remove_membership(
            actor=request.user, membership_id=membership_id, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The role was removed."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"/account/team/?org={request.POST.get('org', '')}")


@login_required
def users(request: HttpRequest) -> HttpResponse:
    try:
        qs = selectors.users_for(actor=request.user, q=request.GET.get("q", "").strip())
    except DomainError as exc:
        return render(request, "web/error.html", {"message": exc.message}, status=403)
    return render(
        request,
        "accounts/users.html",
        {
            "users": qs[:200],
            "q": request.GET.get("q", ""),
            "can_manage": has_perm(request.user, "accounts.manage_users"),
        },
    )


@login_required
@require_POST
def set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        services.set_user_active(
            actor=request.user,
            user_id=user_id,
            active=request.POST.get("active") == "1",
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("The account was updated."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:users")
