"""Re-scans: after a rule change every live listing is checked again, in batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

RESCAN_STATES = ("queued", "running", "done", "failed")
FINDING_STATES = ("open", "resolved", "withdrawn")


class RescanJob(models.Model):
    state = models.CharField(max_length=10, default="queued")
    reason = models.CharField(max_length=300)
    grace_days = models.PositiveSmallIntegerField(default=7)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    last_listing_id = models.BigIntegerField(default=0)  # watermark: resumable batches
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RESCAN_STATES), name="rescan_state_valid"),
            models.CheckConstraint(
                condition=Q(processed__lte=models.F("total")) | Q(total=0),
                name="rescan_progress_le_total",
            ),
        ]

    def __str__(self) -> str:
        return f"R{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(self.processed * 100 / self.total) if self.total else 0


class RescanFinding(models.Model):
    """A live listing the re-scan found non-compliant, with its withdrawal deadline."""

    job = models.ForeignKey(RescanJob, on_delete=models.CASCADE, related_name="findings")
    listing = models.ForeignKey("listings.Listing", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        "listings.ListingVersion", on_delete=models.CASCADE, related_name="+"
    )
    merchant_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    hits = models.JSONField(default=list)
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, default="open")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "listing"], name="rescan_finding_uniq"),
            models.CheckConstraint(
                condition=Q(state__in=FINDING_STATES), name="rescan_finding_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"F{self.pk}"
