from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken, Membership, Organisation, User


def memberships_of(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("organisation").order_by("id")


def tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk)


def user_ids_in_organisation(*, organisation_id: int, roles: list[str] | None = None) -> list[int]:
    """Active users of an organisation (optionally only some roles): notification recipients."""
    qs = Membership.objects.filter(organisation_id=organisation_id, user__is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    return sorted(set(qs.values_list("user_id", flat=True)))


def user_ids_by_organisation(*, organisation_ids: list[int]) -> dict[int, list[int]]:
    """``user_ids_in_organisation`` for many organisations in one query (per 500): each id
    maps to its active users, sorted (an empty list when it has none)."""
    wanted = sorted(set(organisation_ids))
    found: dict[int, set[int]] = {org_id: set() for org_id in wanted}
    for i in range(0, len(wanted), 500):
        qs = Membership.objects.filter(
            organisation_id__in=wanted[i : i + 500], user__is_active=True
        ).values_list("organisation_id", "user_id")
        for org_id, user_id in qs:
            found[org_id].add(user_id)
    return {org_id: sorted(ids) for org_id, ids in found.items()}


def user_ids_with_roles(*, roles: list[str]) -> list[int]:
    """Active platform users holding any of ``roles`` (e.g. reviewers to alert)."""
    qs = Membership.objects.filter(
        role__in=roles, user__is_active=True, organisation__is_active=True
    )
    return sorted(set(qs.values_list("user_id", flat=True)))


def members_of(*, actor: Any, organisation_id: int) -> QuerySet[Membership]:
    """Members of an organisation the actor may manage or belongs to (else: NotFound)."""
    from qms.shared.errors import NotFound

    from .permissions import profile

    p = profile(actor)
    mine = any(organisation_id in ids for ids in p.org_ids.values())
    if not mine and "accounts.view_users" not in p.permissions:
        raise NotFound("No such organisation.", code="organisation_not_found")
    if not mine and not Organisation.objects.filter(pk=organisation_id).exists():
        raise NotFound("No such organisation.", code="organisation_not_found")
    return (
        Membership.objects.filter(organisation_id=organisation_id)
        .select_related("user", "organisation")
        .order_by("id")
    )


def users_for(*, actor: Any, q: str = "") -> QuerySet[User]:
    """All users, for platform staff who may view them."""
    from django.db.models import Q

    from .permissions import ensure_can

    ensure_can(actor, "accounts.view_users")
    qs = User.objects.all().order_by("-id")
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(email__icontains=q) | Q(display_name__icontains=q)
        )
    return qs
