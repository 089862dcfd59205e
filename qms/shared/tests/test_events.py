from collections import defaultdict

import pytest

from qms.shared import events


def test_publish_calls_subscribers_with_payload(monkeypatch):
    # Only this test's handler: the contexts' own subscribers would need the database.
    monkeypatch.setattr(events, "_handlers", defaultdict(list))
    seen = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe("documents.expired", handler)
    try:
        events.publish("documents.expired", document_id=1, organisation_id=2, type_code="x")
    finally:
        events._handlers["documents.expired"].remove(handler)
    assert seen == [{"document_id": 1, "organisation_id": 2, "type_code": "x"}]


def test_unknown_event_is_refused():
    with pytest.raises(KeyError):
        events.publish("documents.exploded")
    with pytest.raises(KeyError):
        events.subscribe("nope", lambda **_: None)
