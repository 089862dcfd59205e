"""The reviewer queue: one task per version awaiting a human, and merchants' appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..domain.review_states import TaskKind, TaskState

ACTIVE_TASK_STATES = [TaskState.OPEN.value, TaskState.CLAIMED.value]


class ReviewTask(models.Model):
    version = models.ForeignKey(
        "listings.ListingVersion", on_delete=models.CASCADE, related_name="tasks"
    )
    merchant_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=[(k.value, k.value) for k in TaskKind])
    state = models.CharField(
        max_length=10,
        choices=[(s.value, s.value) for s in TaskState],
        default=TaskState.OPEN.value,
    )
    risk_score = models.PositiveSmallIntegerField(default=0)
    excluded_reviewer_ids = models.JSONField(default=list, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=10, blank=True)
    reason_codes = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # the review SLA: one CN working day after the task opened (services_routing.open_task)
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-risk_score", "created_at", "id"]
        indexes = [models.Index(fields=["state", "-risk_score", "created_at"], name="ltask_q_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(state__in=ACTIVE_TASK_STATES),
                name="ltask_one_active_per_version",
            ),
            models.CheckConstraint(
                condition=~Q(state=TaskState.CLAIMED.value) | Q(claimed_by__isnull=False),
                name="ltask_claimed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in TaskKind]), name="ltask_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in TaskState]), name="ltask_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"T{self.pk} {self.kind}"


class Appeal(models.Model):
    """A merchant's appeal against a rejected version: one per version."""

    version = models.OneToOneField(
        "listings.ListingVersion", on_delete=models.CASCADE, related_name="appeal"
    )
    merchant_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    state = models.CharField(max_length=12, default="open")  # open | upheld | overturned
    task = models.ForeignKey(ReviewTask, on_delete=models.SET_NULL, null=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["open", "upheld", "overturned"]), name="lappeal_state_valid"
            )
        ]

    def __str__(self) -> str:
        return f"A{self.pk}"
