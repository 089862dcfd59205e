"""Merchant standing history, the restrictions in force, and periodic re-verification tasks.

The transition table is ``domain/standing.py``; writes are in ``services_standing.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..domain.standing import Reason, Standing

REASON_CHOICES = [(r.value, r.value.replace("_", " ")) for r in Reason]
STANDING_VALUES = [s.value for s in Standing]


class StandingChange(models.Model):
    """One change of a merchant's standing or of one of its categories. Append-only."""

    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.CASCADE, related_name="standing_changes"
    )
    category = models.ForeignKey(
        "catalog.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_standing = models.CharField(max_length=20)
    to_standing = models.CharField(max_length=20)
    reason_code = models.CharField(max_length=50, choices=REASON_CHOICES)
    reason_text = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    evidence = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["merchant", "at"], name="standing_change_merchant_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_standing__in=STANDING_VALUES) & Q(to_standing__in=STANDING_VALUES),
                name="standing_change_states_valid",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.merchant_id}: {self.from_standing} -> {self.to_standing} ({self.reason_code})"
        )


class StandingRestriction(models.Model):
    """A restriction in force (``lifted_at`` empty) on the whole merchant (no category) or on
    one of its categories. Several causes may hold at once; each is lifted on its own."""

    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.CASCADE, related_name="restrictions"
    )
    category = models.ForeignKey(
        "catalog.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason_code = models.CharField(max_length=50, choices=REASON_CHOICES)
    document_type_code = models.CharField(max_length=60, blank=True)
    reason_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason_code = models.CharField(max_length=50, blank=True)
    lift_reason_text = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["merchant", "lifted_at"], name="restriction_merchant_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "category", "reason_code", "document_type_code"],
                condition=Q(lifted_at__isnull=True, category__isnull=False),
                name="restriction_category_open_uniq",
            ),
            models.UniqueConstraint(
                fields=["merchant", "reason_code", "document_type_code"],
                condition=Q(lifted_at__isnull=True, category__isnull=True),
                name="restriction_merchant_open_uniq",
            ),
        ]

    def __str__(self) -> str:
        where = f"category {self.category_id}" if self.category_id else "merchant"
        return f"{self.merchant_id} {where}: {self.reason_code}"


class ReverificationTask(models.Model):
    """Periodic re-verification of a merchant's identity and licences (PRC E-Commerce Law
    Art. 27: checked and updated at least every six months)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        OVERDUE = "overdue", _("Overdue")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Information confirmed")
        UPDATED = "updated", _("Information updated")
        FAILED = "failed", _("Verification failed")

    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.CASCADE, related_name="reverification_tasks"
    )
    due_on = models.DateField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"], name="reverification_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant"],
                condition=Q(state__in=["open", "overdue"]),
                name="reverification_one_open_per_merchant",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "overdue", "done", "cancelled"]),
                name="reverification_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(completed_at__isnull=False),
                name="reverification_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Re-verification of {self.merchant_id} due {self.due_on} ({self.state})"
