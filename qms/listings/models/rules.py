"""Rule versions added by the quality team (the starting set lives in ``data/*.json``).

Rows are append-only: a change to a rule is a new row with the next version number, and a
retirement is a version whose ``parameters["type"]`` is ``"retired"``. Every process loads the
rows into the ``listings`` rule registry (``qms.listings.rules.sync_rules``), so a change made
in the console reaches the API workers and the task workers without a deploy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RuleVersion(models.Model):
    rule_id = models.CharField(max_length=120)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=300)
    severity = models.CharField(max_length=10)
    markets = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    parameters = models.JSONField(default=dict)
    message_en = models.TextField()
    message_zh = models.TextField()
    effective_from = models.DateField()
    announced_on = models.DateField()
    urgent = models.BooleanField(default=False)
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["rule_id", "version"], name="listing_rule_version_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.version}"
