"""Writes for people, organisations, memberships and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qms.shared.audit import record_event
from qms.shared.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    Throttled,
    ValidationFailed,
)

from .domain.roles import ROLE_ORG_KIND, TOKEN_SCOPES, OrgKind, Role
from .models import ApiToken, LoginAttempt, Membership, Organisation, User
from .permissions import ensure_can, forget, profile

TOKEN_PREFIX = "qms_"  # noqa: S105 - a public marker, not a secret


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_organisation(*, actor: Any, kind: OrgKind | str, name: str) -> Organisation:
    kind = OrgKind(kind)
    if not name.strip():
        raise ValidationFailed("An organisation needs a name.", code="organisation_name_required")
    org = Organisation.objects.create(kind=kind.value, name=name.strip())
    record_event(
        actor=actor,
        obj=org,
        action="organisation.create",
        after={"kind": kind.value, "name": org.name},
    )
    return org


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    email: str,
    password: str | None,
    display_name: str = "",
    preferred_language: str = "zh-hans",
    check_password: bool = True,
) -> User:
    username = username.strip()
    if not username:
        raise ValidationFailed("A user name is required.", code="username_required")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("This user name is taken.", code="username_taken", username=username)
    user = User(
        username=username,
        email=email.strip(),
        display_name=display_name,
        preferred_language=preferred_language,
    )
    if password:
        if check_password:
            try:
                validate_password(password, user)
            except DjangoValidationError as exc:
                raise ValidationFailed(" ".join(exc.messages), code="weak_password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record_event(
        actor=actor,
        obj=user,
        action="user.create",
        after={"username": username, "email": user.email},
    )
    return user


@transaction.atomic
def add_membership(
    *, actor: Any, user: User, organisation: Organisation, role: Role | str
) -> Membership:
    role = Role(role)
    if ROLE_ORG_KIND[role].value != organisation.kind:
        raise ValidationFailed(
            f"The role {role.value} belongs in a {ROLE_ORG_KIND[role].value} organisation, "
            f"not a {organisation.kind} one.",
            code="role_org_mismatch",
        )
    try:
        with transaction.atomic():
            m = Membership.objects.create(user=user, organisation=organisation, role=role.value)
    except IntegrityError as exc:
        raise Conflict("The user already has this role here.", code="membership_exists") from exc
    record_event(
        actor=actor,
        obj=m,
        action="membership.add",
        after={"user": user.pk, "organisation": organisation.pk, "role": role.value},
    )
    forget(user)
    return m


@transaction.atomic
def issue_token(
    *,
    actor: User,
    name: str,
    scopes: list[str] | None = None,
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``actor`` itself. Returns the row and the secret (shown once)."""
    profile(actor)
    scopes = sorted(set(scopes or ["read", "write"]))
    unknown = [s for s in scopes if s not in TOKEN_SCOPES]
    if unknown:
        raise ValidationFailed(
            f"Unknown scope(s): {', '.join(unknown)}.",
            code="unknown_scope",
            allowed=sorted(TOKEN_SCOPES),
        )
    days = settings.QMS_TOKEN_DEFAULT_DAYS if expires_in_days is None else expires_in_days
    if days < 1 or days > 366:
        raise ValidationFailed(
            "A token lives between 1 and 366 days.", code="invalid_token_lifetime"
        )
    if not name.strip():
        raise ValidationFailed("Give the token a name.", code="token_name_required")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip()[:100],
        prefix=secret[:12],
        key_hash=hash_token(secret),
        scopes=scopes,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    record_event(
        actor=actor,
        obj=token,
        action="token.issue",
        after={"name": token.name, "scopes": scopes, "expires_at": token.expires_at},
    )
    return token, secret


@transaction.atomic
def revoke_token(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None or (token.user_id != actor.pk and not _can_manage_tokens(actor)):
        raise NotFound("No such token.", code="token_not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=actor, obj=token, action="token.revoke")
    return token


def _can_manage_tokens(actor: User) -> bool:
    try:
        ensure_can(actor, "accounts.manage_tokens")
    except Exception:
        return False
    return True


def user_for_token(secret: str) -> tuple[User, ApiToken]:
    """The user behind a bearer secret, or NotAuthenticated with the reason."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(secret)).first()
    if token is None:
        raise NotAuthenticated("The API token is not valid.", code="token_invalid")
    now = timezone.now()
    if token.revoked_at is not None:
        raise NotAuthenticated("The API token has been revoked.", code="token_revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise NotAuthenticated("The API token has expired.", code="token_expired")
    if not token.user.is_active:
        raise NotAuthenticated("The account is disabled.", code="account_disabled")
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


def check_login_throttle(*, username: str, ip: str | None) -> None:
    window = timezone.now() - dt.timedelta(seconds=settings.QMS_LOGIN_WINDOW_SECONDS)
    limit = settings.QMS_LOGIN_MAX_FAILURES
    recent = LoginAttempt.objects.filter(at__gte=window, succeeded=False)
    by_user = recent.filter(username__iexact=username).count()
    by_ip = recent.filter(ip=ip).count() if ip else 0
    if by_user >= limit or by_ip >= limit * 4:
        raise Throttled(
            "Too many failed logins. Wait a few minutes and try again.",
            code="login_throttled",
            retry_after=settings.QMS_LOGIN_WINDOW_SECONDS,
        )


def login_with_password(*, request: Any, username: str, password: str) -> User:
    """Check the throttle, authenticate, and record the attempt."""
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    check_login_throttle(username=username, ip=ip)
    user = authenticate(request, username=username, password=password)
    LoginAttempt.objects.create(username=username[:150], ip=ip or None, succeeded=user is not None)
    if user is None:
        raise NotAuthenticated("The user name or password is wrong.", code="login_failed")
    return user


def _ensure_can_manage_org(actor: Any, organisation: Organisation) -> None:
    """Platform admins manage any organisation; a merchant owner manages its own."""
    p = profile(actor)
    if "accounts.manage_users" in p.permissions:
        return
    if "accounts.manage_own_org" in p.permissions and organisation.pk in p.org_ids.get(
        organisation.kind, frozenset()
    ):
        return
    raise NotFound("No such organisation.", code="organisation_not_found")


@transaction.atomic
def invite_member(
    *,
    actor: Any,
    organisation_id: int,
    username: str,
    email: str,
    role: Role | str,
    display_name: str = "",
    password: str | None = None,
) -> Membership:
    """Create a user in an organisation with one role. Owners may add owner/staff only."""
    organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("No such organisation.", code="organisation_not_found")
    _ensure_can_manage_org(actor, organisation)
    try:
        role = Role(role)
    except ValueError as exc:
        raise ValidationFailed(f"Unknown role {role!r}.", code="unknown_role") from exc
    if "accounts.manage_users" not in profile(actor).permissions and role not in {
        Role.MERCHANT_OWNER,
        Role.MERCHANT_STAFF,
    }:
        raise PermissionDenied("You may add owners and staff only.", code="role_not_allowed")
    if "@" not in email:
        raise ValidationFailed("Give a valid e-mail address.", code="invalid_email")
    user = create_user(
        actor=actor, username=username, email=email, password=password, display_name=display_name
    )
    return add_membership(actor=actor, user=user, organisation=organisation, role=role)


@transaction.atomic
def remove_membership(*, actor: Any, membership_id: int, reason: str = "") -> None:
    m = (
        Membership.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=membership_id)
        .first()
    )
    if m is None:
        raise NotFound("No such membership.", code="membership_not_found")
    _ensure_can_manage_org(actor, m.organisation)
    if m.user_id == getattr(actor, "pk", None):
        raise Conflict("You cannot remove your own role.", code="cannot_remove_self")
    if (
        m.role == Role.MERCHANT_OWNER.value
        and not Membership.objects.filter(
            organisation=m.organisation, role=Role.MERCHANT_OWNER.value
        )
        .exclude(pk=m.pk)
        .exists()
    ):
        raise Conflict("An organisation keeps at least one owner.", code="last_owner")
    record_event(
        actor=actor,
        obj=m,
        action="membership.remove",
        reason=reason,
        before={"user": m.user_id, "organisation": m.organisation_id, "role": m.role},
        organisation_id=m.organisation_id if m.organisation.kind != "platform" else None,
    )
    m.delete()
    forget(m.user)


@transaction.atomic
def set_user_active(*, actor: Any, user_id: int, active: bool, reason: str = "") -> User:
    """Disable (or re-enable) an account: it can no longer log in, and its tokens stop working."""
    ensure_can(actor, "accounts.manage_users")
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    if user.pk == getattr(actor, "pk", None) and not active:
        raise Conflict("You cannot disable your own account.", code="cannot_disable_self")
    if not reason.strip():
        raise ValidationFailed("Give a reason.", code="reason_required")
    if user.is_active != active:
        before = {"is_active": user.is_active}
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_event(
            actor=actor,
            obj=user,
            action="user.activate" if active else "user.disable",
            before=before,
            after={"is_active": active},
            reason=reason,
        )
    return user
