"""Agreement fingerprints, sections, required topics, and the in-force verdict."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qms.merchants.domain.agreements import (
    SignatureFacts,
    TemplateStatus,
    agreement_in_force,
    missing_topics,
    next_template_status,
    normalise_text,
    resign_deadline,
    sections,
    text_fingerprint,
)
from qms.shared.errors import IllegalTransition

SOURCE = (
    Path(__file__).resolve().parent.parent / "templates" / "merchants" / "agreements" / "source"
)
EN = (SOURCE / "quality-agreement-v1.en.md").read_text(encoding="utf-8")
ZH = (SOURCE / "quality-agreement-v1.zh.md").read_text(encoding="utf-8")


def _fp(**kw):
    base = dict(code="q", version=1, title="T", title_zh="标", body_en="a", body_zh="甲")
    base.update(kw)
    return text_fingerprint(**base)


def test_fingerprint_is_sha256_hex_and_stable():
    fp = _fp()
    assert len(fp) == 64
    assert int(fp, 16) >= 0
    assert fp == _fp()


@given(st.text(max_size=30), st.text(max_size=30))
def test_moving_text_between_parts_changes_the_fingerprint(a, b):
    if a + b and (a, b) != ("", ""):
        joined = _fp(body_en=a + b, body_zh="")
        split = _fp(body_en=a, body_zh=b)
        assert (joined == split) == (b == "")


def test_every_part_is_covered():
    base = _fp()
    for name, value in [
        ("code", "r"),
        ("version", 2),
        ("title", "U"),
        ("title_zh", "乙"),
        ("body_en", "b"),
        ("body_zh", "乙"),
    ]:
        assert _fp(**{name: value}) != base, name


def test_normalise_text_unifies_line_endings():
    assert normalise_text("a\r\nb\rc  \n\n") == "a\nb\nc\n"


def test_template_states():
    assert next_template_status("draft", "publish") is TemplateStatus.PUBLISHED
    assert next_template_status("published", "retire") is TemplateStatus.RETIRED
    for state, action in [("published", "edit"), ("retired", "publish"), ("draft", "retire")]:
        with pytest.raises(IllegalTransition):
            next_template_status(state, action)


def test_shipped_agreement_has_every_required_section_in_both_languages():
    assert missing_topics(body_en=EN, body_zh=ZH) == []
    en, zh = sections(EN), sections(ZH)
    assert [s.heading for s in en[1:]] == [
        "1. Quality standards",
        "2. Inspection cooperation",
        "3. Penalties for breach",
        "4. Recall duties",
        "5. Term, changes and re-signing",
    ]
    assert [s.heading for s in zh[1:]] == [
        "一、质量标准",
        "二、检验配合",
        "三、违约责任",
        "四、召回义务",
        "五、期限、变更与重新签署",
    ]
    assert en[0].heading == ""
    assert "Product Quality Agreement" in en[0].text


def test_missing_topics_are_named():
    assert missing_topics(body_en="## 1. Quality standards\nx", body_zh="## 质量标准\n甲") == [
        "en:inspection",
        "en:penalt",
        "en:recall",
        "zh:检验",
        "zh:违约",
        "zh:召回",
    ]


def test_resign_deadline_bounds():
    assert resign_deadline(published_on=dt.date(2026, 11, 25), days=30) == dt.date(2026, 12, 25)
    with pytest.raises(ValueError):
        resign_deadline(published_on=dt.date(2026, 11, 25), days=3)


def test_in_force_states():
    deadline = dt.date(2026, 12, 25)
    signed = SignatureFacts(
        current_version=2, current_deadline=deadline, signed_versions=frozenset({1, 2})
    )
    grace = SignatureFacts(
        current_version=2, current_deadline=deadline, signed_versions=frozenset({1})
    )
    asked = SignatureFacts(
        current_version=1,
        current_deadline=deadline,
        signed_versions=frozenset(),
        live_before_publication=True,
    )
    newcomer = SignatureFacts(
        current_version=2, current_deadline=deadline, signed_versions=frozenset()
    )
    day = dt.date(2026, 12, 1)
    assert agreement_in_force(signed, today=day) == (True, "signed")
    assert agreement_in_force(grace, today=day) == (True, "grace")
    assert agreement_in_force(grace, today=deadline) == (True, "grace")
    assert agreement_in_force(grace, today=deadline + dt.timedelta(days=1)) == (False, "overdue")
    assert agreement_in_force(asked, today=day) == (True, "grace")
    assert agreement_in_force(newcomer, today=day) == (False, "unsigned")
