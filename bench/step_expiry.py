"""One step of the expiry benchmark, in its own process against one scratch database.

``describe``: the parameters of the last completed generation run (or null).
``ours``: ``run_due_deadlines`` at 00:30 the day after the data's "today": the nightly pass
over every document's deadline, firing what fell due (warnings and lapses, handlers included).
``naive``: the same pass as a per-document loop over all documents, calling the same handler
for every document with a point in the window.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from zoneinfo import ZoneInfo

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from qms.documents.expiry import WARNING_DAYS, deadline_key, handle_expiry_deadline, lapse_moment  # noqa: E402
from qms.documents.models import Document  # noqa: E402
from qms.generate.models import GenerationRun  # noqa: E402
from qms.shared.deadlines import run_due_deadlines  # noqa: E402
from qms.shared.models import Deadline  # noqa: E402


def window(as_of: str) -> tuple[dt.datetime, dt.datetime]:
    """(the data's present, the moment of the nightly scan)."""
    tz = ZoneInfo(settings.QMS_BUSINESS_TIME_ZONE)
    day = dt.date.fromisoformat(as_of)
    since = dt.datetime.combine(day, dt.time(10), tzinfo=tz)
    scan = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 30), tzinfo=tz)
    return since, scan


def describe() -> dict | None:
    run = GenerationRun.objects.filter(status="completed").order_by("-id").first()
    return run.parameters if run else None


def ours(as_of: str) -> dict:
    _since, scan = window(as_of)
    started = time.perf_counter()
    fired = run_due_deadlines(now=scan, limit=1_000_000)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "fired": fired,
        "documents": Document.objects.count(),
        "deadlines": Deadline.objects.count(),
    }


def naive(as_of: str) -> dict:
    since, scan = window(as_of)
    started = time.perf_counter()
    fired = scanned = 0
    for doc in (
        Document.objects.select_related("document_type").order_by("pk").iterator(chunk_size=5000)
    ):
        scanned += 1
        if doc.status != "verified" or doc.expires_on is None:
            continue
        due = lapse_moment(doc.expires_on)
        points = [
            (f"warn:{d}d", due - dt.timedelta(days=d)) for d in sorted(WARNING_DAYS, reverse=True)
        ]
        points.append(("due", due))
        hits = [name for name, at in points if since < at <= scan]
        if hits:
            deadline = Deadline.objects.get(key=deadline_key(doc.pk))
            with transaction.atomic():
                handle_expiry_deadline(deadline, hits[-1])
            fired += 1
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "fired": fired, "documents": scanned}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "describe":
        print(json.dumps(describe()))
    else:
        print(json.dumps(ours(sys.argv[2]) if mode == "ours" else naive(sys.argv[2])))
