from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ApiToken, Membership


def memberships_of(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user.pk).select_related("organisation").order_by("id")


def tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk)
