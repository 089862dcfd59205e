"""Deadline handlers of the onboarding workflow (fired by ``qms.shared.deadlines``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qms.shared.deadlines import register_handler

from .models import Application


def on_info_response(deadline: Any, point: str) -> None:
    """``due``: withdraw the unanswered application; ``warn:*``: remind the merchant."""
    from . import services_onboarding

    application_id = int(deadline.subject_id)
    if point == "due":
        services_onboarding.expire_application(application_id=application_id)
        return
    with transaction.atomic():
        app = Application.objects.select_related("merchant").filter(pk=application_id).first()
        if app is None or app.state != "info_requested" or app.info_response_due_at is None:
            return
        services_onboarding.notify_info_due_soon(app, point=point)


def on_review_sla(deadline: Any, point: str) -> None:
    """The application has been in review for the SLA: warn the reviewers."""
    from . import services_onboarding

    with transaction.atomic():
        app = (
            Application.objects.select_related("merchant")
            .filter(pk=int(deadline.subject_id))
            .first()
        )
        if app is None or app.state != "in_review":
            return
        services_onboarding.notify_review_overdue(app, point=point)


def register_handlers() -> None:
    register_handler("merchants.info_response", on_info_response)
    register_handler("merchants.review_sla", on_review_sla)
