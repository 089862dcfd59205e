"""Background tasks of the shared mechanisms. Each takes ids and is safe to run twice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Notification

logger = logging.getLogger(__name__)


def site_url() -> str:
    """The public address e-mails link to (``QMS_SITE_URL``), without a trailing slash."""
    return str(getattr(settings, "QMS_SITE_URL", "")).rstrip("/")


@task()
def send_notification_email(notification_id: int) -> str:
    """E-mail one notification to its user, once: ``sent``, ``already_sent``,
    ``no_address`` or ``missing``. The row is locked while sending, and ``emailed_at`` set in
    the same transaction, so two workers cannot both send it."""
    return _send_one(notification_id)


@task()
def send_notification_emails(notification_ids: list[int]) -> dict[str, int]:
    """``send_notification_email`` for many rows (queued in bulk by the notifications
    mechanism): each row in its own transaction, so one failure does not undo the others'
    ``emailed_at``. How many ended how; a failed row stays unsent and the task fails after
    the others are done, so running it again sends exactly the rows that are left."""
    outcome: dict[str, int] = {}
    failed: list[int] = []
    for notification_id in notification_ids:
        try:
            result = _send_one(int(notification_id))
        except Exception:
            logger.exception("notification %s: sending failed", notification_id)
            failed.append(int(notification_id))
            continue
        outcome[result] = outcome.get(result, 0) + 1
    if failed:
        raise RuntimeError(f"Sending notifications {failed} failed; the others were sent.")
    return outcome


def _send_one(notification_id: int) -> str:
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if row is None:
            return "missing"
        if row.emailed_at is not None:
            return "already_sent"
        address = getattr(row.user, "email", "")
        if not address:
            logger.info("notification %s: user #%s has no e-mail address", row.pk, row.user_id)
            return "no_address"
        body = row.body
        if row.link:
            absolute = row.link.startswith(("http://", "https://"))
            body = f"{body}\n\n{row.link if absolute else site_url() + row.link}"
        EmailMessage(
            subject=row.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"X-QMS-Notification": row.kind},
        ).send()
        row.emailed_at = timezone.now()
        row.save(update_fields=["emailed_at"])
    return "sent"
