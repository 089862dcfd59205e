"""Every state of the listings context has a badge tone and a label of its own."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from qms.listings.domain.review_states import ListingState, TaskState, VersionState
from qms.listings.models.rescan import FINDING_STATES, RESCAN_STATES
from qms.web import states

APPEAL_STATES = ("open", "upheld", "overturned")
ALL = sorted(
    {s.value for s in ListingState}
    | {s.value for s in VersionState}
    | {s.value for s in TaskState}
    | set(RESCAN_STATES)
    | set(FINDING_STATES)
    | set(APPEAL_STATES)
)


@pytest.mark.parametrize("state", ALL)
def test_every_listings_state_is_in_the_table(state):
    assert state in states.STATES


@pytest.mark.parametrize(
    ("state", "tone"),
    [
        ("live", "ok"),
        ("auto_approved", "ok"),
        ("approved", "ok"),
        ("overturned", "ok"),
        ("resolved", "ok"),
        ("done", "ok"),
        ("rejected", "danger"),
        ("upheld", "danger"),
        ("failed", "danger"),
        ("pending", "warn"),
        ("submitted", "info"),
        ("in_review", "info"),
        ("claimed", "info"),
        ("queued", "info"),
        ("running", "info"),
        ("withdrawn", "muted"),
        ("cancelled", "muted"),
    ],
)
def test_tones(state, tone):
    assert states.tone(state) == tone


def test_the_badge_carries_state_and_tone():
    html = render_to_string("web/_state_badge.html", {"state": "overturned"})
    assert 'class="badge badge-ok"' in html
    assert 'data-state="overturned"' in html
    assert "Overturned" in html
