"""Stands in for a context's selectors module in the dashboard tests."""

from __future__ import annotations

from typing import Any

CALLS: list[Any] = []


def dashboard_counts(*, actor: Any) -> dict[str, Any]:
    CALLS.append(actor)
    return {
        "applications_to_review": 7,
        "awaiting_second_approval": 2,
        "reverifications_due": 3,
        "agreements_unsigned": 1250,
        "documents_to_verify": 11,
        "documents_expiring_30d": 4,
        "listings_to_review": 9,
        "rescan_findings_open": 5,
        "rule_changes_upcoming": 2,
        "applications_by_state": {"submitted": 5, "in_review": 2, "approved": 9},
    }
