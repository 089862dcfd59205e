"""Property: whatever sequence of restrictions and lifts happens, the standing and the category
rows always agree with the restrictions in force, and every change left a history row."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qms.merchants import services_standing as standing
from qms.merchants.models import MerchantCategory, StandingChange, StandingRestriction

from .factories import make_category, make_live_merchant

pytestmark = pytest.mark.django_db

REASONS = ["document_expired", "agreement_not_signed", "quality_violation"]
step = st.tuples(
    st.sampled_from(["restrict_category", "lift_category", "restrict", "lift"]),
    st.integers(min_value=0, max_value=1),
    st.sampled_from(REASONS),
)


@pytest.fixture
def merchant():
    cats = (make_category("tea"), make_category("toys"))
    m, _owner = make_live_merchant("Prop Shop", categories=cats)
    return m, [c.pk for c in cats]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(step, max_size=12))
def test_standing_follows_the_restrictions_in_force(merchant, steps):
    m, cats = merchant
    with transaction.atomic():
        changes = 0
        for op, i, reason in steps:
            before = StandingChange.objects.count()
            kw = {"actor": None, "merchant_id": m.pk, "reason_code": reason}
            if op == "restrict_category":
                standing.restrict_category(category_id=cats[i], **kw)
            elif op == "lift_category":
                standing.lift_category_restriction(category_id=cats[i], **kw)
            elif op == "restrict":
                standing.restrict_merchant(**kw)
            else:
                standing.lift_merchant_restriction(**kw)
            changes += StandingChange.objects.count() - before
        m.refresh_from_db()
        open_rows = StandingRestriction.objects.filter(merchant=m, lifted_at__isnull=True)
        assert m.standing == ("restricted" if open_rows.exists() else "active")
        for mc in MerchantCategory.objects.filter(merchant=m):
            in_force = open_rows.filter(category_id=mc.category_id)
            assert mc.status == ("restricted" if in_force.exists() else "active")
            first = in_force.order_by("created_at", "id").first()
            assert mc.restricted_reason_code == (first.reason_code if first else "")
        # one history row per restriction placed or lift that lifted something
        placed = StandingRestriction.objects.filter(merchant=m).count()
        lifted_events = StandingChange.objects.filter(
            merchant=m, action__in=["lift", "lift_category"]
        ).count()
        assert changes == placed + lifted_events
        transaction.set_rollback(True)
