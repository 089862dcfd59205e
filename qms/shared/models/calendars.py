from __future__ import annotations

from django.db import models


class CalendarOverride(models.Model):
    """A reviewed correction to a business calendar for one date.

    Use it when the State Council publishes next year's holiday and make-up working day
    (调休) schedule before the ``holidays`` package does, or for a one-off closure. It wins over
    the package's data for that calendar and date.
    """

    calendar = models.CharField(max_length=20)
    date = models.DateField()
    is_working_day = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendar_override_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.calendar} {self.date}: {'working' if self.is_working_day else 'day off'}"
