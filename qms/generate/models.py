"""What the generator remembers: one row per generation run, for ``--resume``."""

from __future__ import annotations

from django.db import models


class GenerationRun(models.Model):
    """A run of ``qms generate``. Each batch of merchants commits in one transaction together
    with ``last_batch`` and ``cursor`` (the next primary key of every table written), so a run
    killed at any moment resumes at the first batch that did not commit and produces exactly
    the rows an uninterrupted run would have."""

    class Status(models.TextChoices):
        RUNNING = "running", "running"
        COMPLETED = "completed", "completed"

    seed = models.BigIntegerField()
    parameters = models.JSONField()
    fingerprint = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    total_batches = models.PositiveIntegerField()
    last_batch = models.IntegerField(default=-1)
    cursor = models.JSONField(default=dict)
    rows_written = models.JSONField(default=dict)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["running", "completed"]), name="genrun_status_valid"
            )
        ]

    def __str__(self) -> str:
        done = f"{self.last_batch + 1}/{self.total_batches}"
        return f"generation #{self.pk} seed={self.seed} {self.status} {done}"
