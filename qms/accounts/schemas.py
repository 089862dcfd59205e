from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class MembershipOut(Schema):
    organisation_id: int
    organisation_name: str
    organisation_kind: str
    role: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    preferred_language: str
    roles: list[str]
    permissions: list[str]
    memberships: list[MembershipOut]


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    scopes: list[str] = Field(default_factory=lambda: ["read", "write"])
    expires_in_days: int | None = Field(None, ge=1, le=366)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The secret. Shown once; store it now.")


class LoginIn(Schema):
    username: str
    password: str


class MemberOut(Schema):
    membership_id: int
    user_id: int
    username: str
    display_name: str
    email: str
    role: str
    is_active: bool
    created_at: dt.datetime


class MemberIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    email: str = Field(..., min_length=3, max_length=254)
    role: str
    display_name: str = Field("", max_length=150)
    password: str | None = Field(None, description="Leave empty to let the user set one later.")


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    is_active: bool
    last_login: dt.datetime | None
    date_joined: dt.datetime


class AccountReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)
