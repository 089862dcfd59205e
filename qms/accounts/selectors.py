from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken, Membership


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


def user_ids_with_roles(*, roles: list[str]) -> list[int]:
    """Active platform users holding any of ``roles`` (e.g. reviewers to alert)."""
    qs = Membership.objects.filter(role__in=roles, user__is_active=True, organisation__is_active=True)
    return sorted(set(qs.values_list("user_id", flat=True)))
