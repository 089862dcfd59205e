from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..domain.roles import OrgKind, Role


class User(AbstractUser):
    """A person. Platform staff, merchant staff and lab users belong to organisations;
    a consumer belongs to none."""

    display_name = models.CharField(max_length=150, blank=True)
    preferred_language = models.CharField(
        max_length=10, choices=[("en", "English"), ("zh-hans", "简体中文")], default="zh-hans"
    )
    time_zone = models.CharField(max_length=64, default="Asia/Shanghai")
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        db_table = "accounts_user"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def audit_label(self) -> str:
        return f"{self.username} (#{self.pk})"


class Organisation(models.Model):
    """The platform itself, a merchant, a supplier or a lab: who users act for."""

    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in OrgKind])
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "name"], name="org_kind_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in OrgKind]), name="org_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One role of one user in one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=[(r.value, r.value) for r in Role])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_uniq"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}: {self.role}"


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 of the secret is stored; the secret is
    shown once at creation. ``prefix`` (the first characters) identifies it in lists."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)


class LoginAttempt(models.Model):
    """Failed and successful logins, for throttling and for the audit of access."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    succeeded = models.BooleanField()
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"], name="login_ip_at_idx")]

    def __str__(self) -> str:
        return f"{self.username} {'ok' if self.succeeded else 'failed'} {self.at:%Y-%m-%d %H:%M}"
