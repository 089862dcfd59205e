"""Factories for the shared models. Audit rows are normally written by ``record_event``
inside a service; tests that need rows at given times build them here."""

from __future__ import annotations

import factory
from django.utils import timezone

from qms.shared.models import AuditEvent, Notification, QualitySignal


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    at = factory.LazyFunction(timezone.now)
    actor = None
    actor_label = "system"
    action = "documents.verify"
    object_type = "documents.document"
    object_id = factory.Sequence(lambda n: str(n + 1))
    object_repr = factory.Sequence(lambda n: f"Business licence {n + 1}")
    organisation_id = None
    before = None
    after = None
    reason = ""


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    kind = "shared.test"
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    language = "en"
    subject = factory.Sequence(lambda n: f"Subject {n}")
    body = "Body"
    created_at = factory.LazyFunction(timezone.now)


class QualitySignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualitySignal

    subject_type = "catalog.sku"
    subject_id = factory.Sequence(lambda n: str(n + 1))
    kind = "shared.test_signal"
    severity = "medium"
    evidence = factory.LazyFunction(dict)
    source = "tests"
    occurred_at = factory.LazyFunction(timezone.now)
    dedupe_key = factory.Sequence(lambda n: f"signal:{n}")
