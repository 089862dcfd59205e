from __future__ import annotations

from django.db import models
from django.db.models import Q


class DeadlineStatus(models.TextChoices):
    ACTIVE = "active", "active"
    PAUSED = "paused", "paused"
    FIRED = "fired", "fired"
    CANCELLED = "cancelled", "cancelled"


class Deadline(models.Model):
    """One persistent timer: a due time with optional warning points before it.

    ``points`` is computed when the deadline is scheduled (or resumed): a list of
    ``[name, epoch_seconds]`` sorted by time, e.g. ``[["warn:30d", …], ["due", …]]``.
    ``next_fire_at`` is the earliest point not yet handed to the scheduler, or NULL when
    nothing is left (or the deadline is paused/cancelled); the scheduler's due query is a
    range scan on its partial index.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=100)
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    due_at = models.DateTimeField()
    warnings = models.JSONField(default=list, blank=True)  # seconds before due_at
    calendar = models.CharField(max_length=20, null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.ACTIVE
    )
    points = models.JSONField(default=list, blank=True)
    next_fire_at = models.DateTimeField(null=True, blank=True)
    paused_remaining = models.DurationField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_fire_at"],
                name="deadline_next_fire_idx",
                condition=Q(next_fire_at__isnull=False),
            ),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in DeadlineStatus]),
                name="deadline_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status}, due {self.due_at:%Y-%m-%d %H:%M})"


class DeadlineFiring(models.Model):
    """One point of one deadline that fired. The unique constraint makes it happen once.

    When several points are due at once only the latest is handed over and recorded here;
    the earlier ones are passed over (a 30-day warning is pointless 5 days before).
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="firings")
    point = models.CharField(max_length=30)
    fired_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "point"], name="deadline_firing_once"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id}:{self.point} at {self.fired_at:%Y-%m-%d %H:%M}"
