"""``qms purge_audit``: delete audit rows older than the retention period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from qms.shared.audit import purge_expired_audit_events


class Command(BaseCommand):
    help = (
        "Delete audit events older than QMS_AUDIT_RETENTION_DAYS (default 3 years). "
        "The only way audit rows are ever deleted; run it daily from the scheduler or cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", help="Pretend it is this UTC date-time (ISO 8601), for tests and back-fills."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options.get("now"):
            now = dt.datetime.fromisoformat(options["now"])
            if timezone.is_naive(now):
                now = now.replace(tzinfo=dt.UTC)
        deleted = purge_expired_audit_events(now=now)
        days = settings.QMS_AUDIT_RETENTION_DAYS
        self.stdout.write(f"Deleted {deleted} audit event(s) older than {days} days.")
