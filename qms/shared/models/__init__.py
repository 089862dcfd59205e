from .audit import AuditEvent
from .calendars import CalendarOverride
from .deadlines import Deadline, DeadlineFiring, DeadlineStatus
from .idempotency import IdempotencyRecord
from .notifications import Notification
from .signals import QualitySignal

__all__ = [
    "AuditEvent",
    "CalendarOverride",
    "Deadline",
    "DeadlineFiring",
    "DeadlineStatus",
    "IdempotencyRecord",
    "Notification",
    "QualitySignal",
]
