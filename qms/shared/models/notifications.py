from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    """One message to one user: shown in the in-app inbox and sent by e-mail.

    Written by ``qms.shared.notifications.notify`` after the cause commits. ``subject`` and
    ``body`` are already rendered in the user's language (``language``), so the inbox and the
    e-mail task need neither the kind's templates nor the context. At most one row per
    (user, ``dedupe_key``): the database refuses a second.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=100)
    dedupe_key = models.CharField(max_length=200)
    language = models.CharField(max_length=10)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], name="notification_user_dedupe_uniq"
            ),
            models.CheckConstraint(condition=~Q(dedupe_key=""), name="notification_dedupe_key_set"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox_idx"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> user #{self.user_id}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
