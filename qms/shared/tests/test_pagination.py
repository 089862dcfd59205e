from __future__ import annotations

import base64
import json

import pytest

from qms.shared.errors import ValidationFailed
from qms.shared.models import AuditEvent
from qms.shared.pagination import paginate

pytestmark = pytest.mark.django_db


def _cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _events(n: int) -> None:
    from django.db import transaction

    from qms.shared.audit import record_event

    with transaction.atomic():
        for i in range(n):
            record_event(actor=None, action="t", object_type="x.y", object_id=i)


def test_pages_cover_every_row_once_in_order():
    _events(7)
    qs = AuditEvent.objects.all()
    seen, cursor = [], None
    while True:
        rows, cursor = paginate(qs, cursor=cursor, limit=3, order=("-at", "-id"))
        seen += [r.pk for r in rows]
        if cursor is None:
            break
    assert seen == list(AuditEvent.objects.order_by("-at", "-id").values_list("pk", flat=True))
    assert len(seen) == 7


@pytest.mark.parametrize(
    "cursor",
    ["%%%", _cursor(["not a date", 1]), _cursor(["2026-01-01T00:00:00+00:00", "x"]), _cursor([1])],
)
def test_bad_cursor_is_a_validation_error_not_a_crash(cursor):
    _events(2)
    with pytest.raises(ValidationFailed) as exc:
        paginate(AuditEvent.objects.all(), cursor=cursor, limit=1, order=("-at", "-id"))
    assert exc.value.code == "invalid_cursor"


def test_limit_out_of_range_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        paginate(AuditEvent.objects.all(), cursor=None, limit=0)
    assert exc.value.code == "invalid_limit"
