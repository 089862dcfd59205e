"""Quality signals: idempotent emission, the event, and scoping from the outside."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from qms.shared import events, signals
from qms.shared.errors import PermissionDenied, ValidationFailed
from qms.shared.models import QualitySignal
from qms.shared.signals import emit_signal, register_signal_kind, signals_for

from .factories import QualitySignalFactory

KIND = "shared.test_signal"
BASE = "/api/v1/signals"


@pytest.fixture(autouse=True)
def _kind():
    register_signal_kind(KIND, description="A signal used by the shared tests")
    yield
    signals._kinds.pop(KIND, None)


def _org(user):
    return user.memberships.get().organisation


def _emit(org_id, key="rma:1:defect", **kw):
    fields = {
        "subject_type": "catalog.sku",
        "subject_id": 42,
        "organisation_id": org_id,
        "kind": KIND,
        "severity": "high",
        "evidence": {"rma_id": 1, "at": dt.date(2026, 5, 1)},
        "source": "aftersales",
        "dedupe_key": key,
    }
    fields.update(kw)
    return emit_signal(**fields)


def test_emit_is_idempotent_on_dedupe_key_and_publishes_once(make_user):
    org = _org(make_user("merchant_owner"))
    seen = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe("signals.emitted", handler)
    try:
        first = _emit(org.pk)
        again = _emit(org.pk, severity="critical", evidence={"other": True})
    finally:
        events._handlers["signals.emitted"].remove(handler)
    assert again.pk == first.pk
    assert QualitySignal.objects.count() == 1
    stored = QualitySignal.objects.get()
    assert (stored.severity, stored.subject_id, stored.organisation_id) == ("high", "42", org.pk)
    assert stored.merchant_org_id == org.pk
    assert stored.evidence == {"rma_id": 1, "at": "2026-05-01"}
    assert seen == [
        {"signal_id": first.pk, "kind": KIND, "severity": "high", "organisation_id": org.pk}
    ]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"kind": "shared.unregistered"}, "signal_kind_unknown"),
        ({"severity": "urgent"}, "signal_severity_invalid"),
        ({"dedupe_key": ""}, "signal_dedupe_key_invalid"),
        ({"source": ""}, "signal_incomplete"),
    ],
)
def test_invalid_signals_are_refused(db, change, code):
    with pytest.raises(ValidationFailed) as exc:
        _emit(None, **change)
    assert exc.value.code == code
    assert QualitySignal.objects.count() == 0


def test_database_refuses_unknown_severity_and_duplicate_keys(db):
    QualitySignalFactory(dedupe_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        QualitySignalFactory(dedupe_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        QualitySignalFactory(severity="urgent")


def test_register_kind_checks_the_name():
    with pytest.raises(ValueError, match=r"<context>\.<what>"):
        register_signal_kind("nodot", description="x")
    with pytest.raises(ValueError, match="another description"):
        register_signal_kind(KIND, description="something else")


def test_selector_scopes_and_filters(make_user, reviewer):
    owner = make_user("merchant_owner")
    mine, theirs = _org(owner), _org(make_user("merchant_owner"))
    now = timezone.now()
    a = QualitySignalFactory(organisation=mine, severity="low", occurred_at=now)
    b = QualitySignalFactory(organisation=mine, severity="critical", occurred_at=now)
    c = QualitySignalFactory(organisation=theirs, severity="high")
    assert set(signals_for(owner)) == {a, b}
    assert list(signals_for(owner, organisation_id=theirs.pk)) == []
    assert set(signals_for(reviewer)) == {a, b, c}
    assert set(signals_for(reviewer, min_severity="high")) == {b, c}
    assert list(signals_for(reviewer, since=now + dt.timedelta(seconds=1))) == []
    with pytest.raises(PermissionDenied):
        signals_for(make_user())  # a consumer: no role at all
    with pytest.raises(ValidationFailed):
        signals_for(reviewer, min_severity="urgent")


def test_api_staff_see_all_merchants_only_their_own(make_user, reviewer, api_client_for):
    owner = make_user("merchant_owner")
    mine, theirs = _org(owner), _org(make_user("merchant_owner"))
    own = QualitySignalFactory(organisation=mine)
    foreign = QualitySignalFactory(organisation=theirs)

    staff_ids = {i["id"] for i in api_client_for(reviewer).get(BASE).json()["items"]}
    assert staff_ids == {own.pk, foreign.pk}

    merchant = api_client_for(owner)
    body = merchant.get(BASE).json()
    assert [i["id"] for i in body["items"]] == [own.pk]
    assert body["items"][0]["organisation_id"] == mine.pk
    asked = merchant.get(BASE, params={"organisation_id": theirs.pk}).json()
    assert asked["items"] == []

    consumer = api_client_for(make_user())
    res = consumer.get(BASE)
    assert res.status_code == 403
    assert res.json()["code"] == "permission_denied"


def test_api_filters_and_paginates(make_user, reviewer, api_client_for):
    now = timezone.now()
    rows = [
        QualitySignalFactory(occurred_at=now - dt.timedelta(hours=i), severity="medium")
        for i in range(3)
    ]
    QualitySignalFactory(kind="shared.other", occurred_at=now)
    client = api_client_for(reviewer)
    page = client.get(BASE, params={"kind": KIND, "limit": 2}).json()
    assert [i["id"] for i in page["items"]] == [rows[0].pk, rows[1].pk]
    rest = client.get(BASE, params={"kind": KIND, "limit": 2, "cursor": page["next_cursor"]})
    assert [i["id"] for i in rest.json()["items"]] == [rows[2].pk]
    bad = client.get(BASE, params={"min_severity": "urgent"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "signal_severity_invalid"
