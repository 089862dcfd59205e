"""How a state looks on a page: its badge tone and its translated label.

One table for every context's states (documents, merchants' standing, applications,
agreements...), so the same word always has the same colour. A state not listed here is shown
with the muted tone and its code humanised ("awaiting_payment" -> "Awaiting payment").
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

OK, WARN, DANGER, INFO, MUTED = "ok", "warn", "danger", "info", "muted"
TONES = (OK, WARN, DANGER, INFO, MUTED)

STATES: dict[str, tuple[str, str | Promise]] = {
    # documents
    "pending": (WARN, pgettext_lazy("state", "Pending")),
    "verified": (OK, pgettext_lazy("state", "Verified")),
    "rejected": (DANGER, pgettext_lazy("state", "Rejected")),
    "expired": (DANGER, pgettext_lazy("state", "Expired")),
    "expiring": (WARN, pgettext_lazy("state", "Expiring")),
    "superseded": (MUTED, pgettext_lazy("state", "Superseded")),
    # merchant standing, category status
    "active": (OK, pgettext_lazy("state", "Active")),
    "restricted": (WARN, pgettext_lazy("state", "Restricted")),
    "suspended": (DANGER, pgettext_lazy("state", "Suspended")),
    "terminated": (MUTED, pgettext_lazy("state", "Terminated")),
    "inactive": (MUTED, pgettext_lazy("state", "Inactive")),
    # applications
    "draft": (MUTED, pgettext_lazy("state", "Draft")),
    "submitted": (INFO, pgettext_lazy("state", "Submitted")),
    "in_review": (INFO, pgettext_lazy("state", "In review")),
    "info_requested": (WARN, pgettext_lazy("state", "Information requested")),
    "awaiting_second_approval": (WARN, pgettext_lazy("state", "Awaiting second approval")),
    "approved": (OK, pgettext_lazy("state", "Approved")),
    "withdrawn": (MUTED, pgettext_lazy("state", "Withdrawn")),
    # listings (listing, version, review task, appeal, re-scan job and finding; pending,
    # submitted, in_review, approved, rejected, withdrawn, open, done, cancelled above)
    "auto_approved": (OK, pgettext_lazy("state", "Auto-approved")),
    "live": (OK, pgettext_lazy("state", "Live")),
    "claimed": (INFO, pgettext_lazy("state", "Claimed")),
    "upheld": (DANGER, pgettext_lazy("state", "Upheld")),  # the appeal failed: still rejected
    "overturned": (OK, pgettext_lazy("state", "Overturned")),  # the appeal won: approved
    "queued": (INFO, pgettext_lazy("state", "Queued")),
    "running": (INFO, pgettext_lazy("state", "Running")),
    "resolved": (OK, pgettext_lazy("state", "Resolved")),  # a corrected version went live
    # listing rules (retired below)
    "in_force": (OK, pgettext_lazy("state", "In force")),
    "changing": (WARN, pgettext_lazy("state", "Changing")),  # a newer version is announced
    "upcoming": (INFO, pgettext_lazy("state", "Upcoming")),
    # agreements, authorisations, re-verification
    "signed": (OK, pgettext_lazy("state", "Signed")),
    "unsigned": (WARN, pgettext_lazy("state", "Unsigned")),
    "revoked": (DANGER, pgettext_lazy("state", "Revoked")),
    "published": (OK, pgettext_lazy("state", "Published")),
    "retired": (MUTED, pgettext_lazy("state", "Retired")),
    "due": (WARN, pgettext_lazy("state", "Due")),
    "overdue": (DANGER, pgettext_lazy("state", "Overdue")),
    "completed": (OK, pgettext_lazy("state", "Completed")),
    "done": (OK, pgettext_lazy("state", "Done")),
    "cancelled": (MUTED, pgettext_lazy("state", "Cancelled")),
    "unverified": (WARN, pgettext_lazy("state", "Unverified")),
    "failed": (DANGER, pgettext_lazy("state", "Failed")),
    "confirmed": (OK, pgettext_lazy("state", "Confirmed")),
    "updated": (INFO, pgettext_lazy("state", "Updated")),
    "open": (INFO, pgettext_lazy("state", "Open")),
    "closed": (MUTED, pgettext_lazy("state", "Closed")),
    # risk levels
    "low": (OK, pgettext_lazy("risk", "Low")),
    "medium": (WARN, pgettext_lazy("risk", "Medium")),
    "high": (DANGER, pgettext_lazy("risk", "High")),
    # severities of quality signals (low/medium/high above)
    "info": (INFO, pgettext_lazy("severity", "Info")),
    "critical": (DANGER, pgettext_lazy("severity", "Critical")),
}

ROLES: dict[str, str | Promise] = {
    "admin": pgettext_lazy("role", "Administrator"),
    "quality_manager": pgettext_lazy("role", "Quality manager"),
    "reviewer": pgettext_lazy("role", "Reviewer"),
    "inspector": pgettext_lazy("role", "Inspector"),
    "auditor": pgettext_lazy("role", "Auditor"),
    "cs_agent": pgettext_lazy("role", "Customer service agent"),
    "lab_user": pgettext_lazy("role", "Laboratory user"),
    "merchant_owner": pgettext_lazy("role", "Merchant owner"),
    "merchant_staff": pgettext_lazy("role", "Merchant staff"),
}

ORG_KINDS: dict[str, str | Promise] = {
    "platform": pgettext_lazy("organisation", "Platform"),
    "merchant": pgettext_lazy("organisation", "Merchant"),
    "supplier": pgettext_lazy("organisation", "Supplier"),
    "lab": pgettext_lazy("organisation", "Laboratory"),
}

# The order applications move through, for charts and filters.
APPLICATION_STATES = (
    "draft",
    "submitted",
    "in_review",
    "info_requested",
    "awaiting_second_approval",
    "approved",
    "rejected",
    "withdrawn",
)


def _code(state: object) -> str:
    return str(getattr(state, "value", state) or "")


def tone(state: object) -> str:
    """The badge tone of ``state`` (an enum member or its value)."""
    entry = STATES.get(_code(state))
    return entry[0] if entry else MUTED


def label(state: object) -> str | Promise:
    """The translated label of ``state``; an unknown code humanised."""
    code = _code(state)
    entry = STATES.get(code)
    if entry:
        return entry[1]
    return code.replace("_", " ").capitalize() if code else _("Unknown")
