from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..domain.severity import Severity


class QualitySignal(models.Model):
    """One observation that quality may be at risk, from any context: the entry of the loop.

    ``subject_type`` (``app_label.model``) and ``subject_id`` name what it is about (a SKU, a
    merchant, a lot); ``organisation`` is the merchant or supplier it concerns, for scoping.
    ``dedupe_key`` makes emitting idempotent: the same observation is stored once.
    Never changed once written: analytics reads new rows by id as a watermark.
    """

    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=100)
    severity = models.CharField(max_length=10, choices=[(s.value, s.value) for s in Severity])
    evidence = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=100)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=[s.value for s in Severity]), name="signal_severity_valid"
            ),
            models.CheckConstraint(condition=~Q(dedupe_key=""), name="signal_dedupe_key_set"),
        ]
        indexes = [
            models.Index(fields=["organisation", "occurred_at"], name="signal_org_idx"),
            models.Index(fields=["kind", "occurred_at"], name="signal_kind_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="signal_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} [{self.severity}] {self.subject_type}#{self.subject_id}"

    @property
    def merchant_org_id(self) -> int | None:
        """The brief's name for ``organisation_id`` (a merchant's or supplier's organisation)."""
        return self.organisation_id
