"""The onboarding application and its history. States and moves: ``domain/onboarding.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..domain.onboarding import OPEN_STATES, AppState

STATE_CHOICES = [(s.value, s.value.replace("_", " ")) for s in AppState]


class Application(models.Model):
    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.CASCADE, related_name="applications"
    )
    state = models.CharField(max_length=30, choices=STATE_CHOICES, default=AppState.DRAFT.value)
    markets = models.JSONField(default=list, blank=True)
    brands = models.ManyToManyField("catalog.Brand", blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_started_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    risk_level = models.CharField(max_length=10, default="low")
    requires_second_approval = models.BooleanField(default=False)
    first_decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_decision_at = models.DateTimeField(null=True, blank=True)
    second_decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    second_decision_at = models.DateTimeField(null=True, blank=True)
    reason_codes = models.JSONField(default=list, blank=True)
    decision_text = models.TextField(blank=True)
    probation_days = models.PositiveIntegerField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    deposit_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    deposit_currency = models.CharField(max_length=3, default="CNY")
    info_request = models.TextField(blank=True)
    info_requested_at = models.DateTimeField(null=True, blank=True)
    info_response_due_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["state", "submitted_at"], name="application_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant"],
                condition=Q(state__in=sorted(s.value for s in OPEN_STATES)),
                name="application_one_open_per_merchant",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in AppState]), name="application_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(deposit_amount__gte=0), name="application_deposit_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"Application #{self.pk} ({self.state})"


class ApplicationCategory(models.Model):
    """A category applied for, with its risk and deposit as they were when submitted."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="category_rows"
    )
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")
    risk_level = models.CharField(max_length=10, default="low")
    deposit_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    deposit_currency = models.CharField(max_length=3, default="CNY")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "category"], name="application_category_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.category_id}"


class ApplicationStatusChange(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30)
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    reason_codes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} -> {self.to_state}"
