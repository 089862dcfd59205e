"""Agreement templates: drafts, publication with the re-signing round, signatures, deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from qms.accounts.domain.roles import Role
from qms.merchants import services_agreements as agreements
from qms.merchants.domain.agreements import text_fingerprint
from qms.merchants.models import AgreementSignature, AgreementTemplate, StandingChange
from qms.merchants.selectors_agreements import agreement_status, can_sell
from qms.shared.deadlines import run_due_deadlines
from qms.shared.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from qms.shared.events import subscribe
from qms.shared.models import AuditEvent, Deadline, Notification

from .factories import add_staff, make_category, make_live_merchant, make_merchant

pytestmark = pytest.mark.django_db

BODY_EN = (
    "Intro.\n## 1. Quality standards\nGB.\n## 2. Inspection\nSamples.\n"
    "## 3. Penalties\nDeposit.\n## 4. Recall duties\n24 hours.\n"
)
BODY_ZH = (
    "前言。\n## 一、质量标准\n国标。\n## 二、检验配合\n抽样。\n"
    "## 三、违约责任\n保证金。\n## 四、召回义务\n24小时。\n"
)


@pytest.fixture
def world(make_user: Callable[..., Any]) -> dict[str, Any]:
    toys = make_category("toys")
    merchant, owner = make_live_merchant("Toy Shop", categories=(toys,))
    other, other_owner = make_live_merchant("Other Shop", categories=(toys,))
    return {
        "toys": toys,
        "merchant": merchant,
        "owner": owner,
        "other": other,
        "other_owner": other_owner,
        "qm": make_user(Role.QUALITY_MANAGER, username="qm1"),
        "reviewer": make_user(Role.REVIEWER, username="rev1"),
    }


def _draft(w, code="quality", **kw):
    data = dict(
        code=code, title="Quality Agreement", title_zh="质量协议", body_en=BODY_EN, body_zh=BODY_ZH
    )
    data.update(kw)
    return agreements.create_template_draft(actor=w["qm"], **data)


def _sign(w, template, who="owner", merchant="merchant", **kw):
    return agreements.sign_agreement(
        actor=w[who],
        merchant_id=w[merchant].pk,
        template_id=template.pk,
        text_sha256=kw.pop("sha", template.text_sha256),
        ip="203.0.113.9",
        user_agent="pytest",
        **kw,
    )


def test_draft_gets_the_next_version_and_the_fingerprint_of_its_text(world):
    w = world
    t = _draft(w, body_en=BODY_EN.replace("\n", "\r\n"))
    assert (t.code, t.version, t.status) == ("quality", 1, "draft")
    assert t.body_en == BODY_EN
    assert t.text_sha256 == text_fingerprint(
        code="quality",
        version=1,
        title="Quality Agreement",
        title_zh="质量协议",
        body_en=BODY_EN,
        body_zh=BODY_ZH,
    )
    with pytest.raises(Conflict) as exc:
        _draft(w)
    assert exc.value.code == "agreement_draft_exists"
    edited = agreements.update_template_draft(
        actor=w["qm"], template_id=t.pk, body_en=BODY_EN + "More.\n"
    )
    assert edited.text_sha256 != t.text_sha256
    assert (
        AuditEvent.objects.filter(action="agreement.edit_draft", object_id=str(t.pk)).count() == 1
    )


def test_only_agreement_managers_write_templates(world):
    w = world
    for who in ("reviewer", "owner"):
        with pytest.raises(PermissionDenied):
            _draft(dict(w, qm=w[who]))
    with pytest.raises(ValidationFailed) as exc:
        _draft(w, code="Quality Agreement!")
    assert exc.value.code == "agreement_code_invalid"
    with pytest.raises(ValidationFailed) as exc:
        _draft(w, body_zh="  ")
    assert exc.value.code == "agreement_text_required"


def test_publishing_needs_the_required_sections(world):
    w = world
    t = _draft(w, body_en="## 1. Quality standards\nOnly this.\n")
    with pytest.raises(ValidationFailed) as exc:
        agreements.publish_template(actor=w["qm"], template_id=t.pk)
    assert exc.value.code == "agreement_sections_missing"
    assert exc.value.details["missing"] == ["en:inspection", "en:penalt", "en:recall"]
    t.refresh_from_db()
    assert t.status == "draft"


def test_publish_asks_every_live_merchant_to_sign(world, django_capture_on_commit_callbacks):
    w = world
    pending, _app, pending_owner = make_merchant("Applicant")
    staff = add_staff(w["merchant"], "clerk")
    with django_capture_on_commit_callbacks(execute=True):
        t = agreements.publish_template(actor=w["qm"], template_id=_draft(w).pk, resign_days=14)
    assert t.status == "published"
    assert t.resign_deadline == agreements.business_today() + dt.timedelta(days=14)
    keys = set(Deadline.objects.values_list("key", flat=True))
    assert keys == {
        f"merchant:{w['merchant'].pk}:agreement:quality",
        f"merchant:{w['other'].pk}:agreement:quality",
    }
    d = Deadline.objects.get(key=f"merchant:{w['merchant'].pk}:agreement:quality")
    assert d.payload == {"template_id": t.pk}
    assert [p[0] for p in d.points] == ["warn:7d", "warn:1d", "due"]
    notified = set(
        Notification.objects.filter(kind="merchants.agreement_published").values_list(
            "user__username", flat=True
        )
    )
    assert notified == {w["owner"].username, "clerk", w["other_owner"].username}
    assert pending_owner.username not in notified
    assert staff.username in notified
    # asked to sign: in grace until the deadline, so selling goes on
    status = agreement_status(merchant_id=w["merchant"].pk)
    assert [(i.template.pk, i.state, i.satisfied) for i in status.items] == [(t.pk, "grace", True)]
    assert can_sell(merchant_id=w["merchant"].pk) == (True, [])
    # a merchant that joins later must sign first
    assert agreement_status(merchant_id=pending.pk).unsigned_codes == ["quality"]


def test_sign_records_the_exact_text_and_who(world, django_capture_on_commit_callbacks):
    w = world
    t = agreements.publish_template(actor=w["qm"], template_id=_draft(w).pk)
    seen: list[dict[str, Any]] = []
    subscribe("merchants.agreement_signed", lambda **kw: seen.append(kw))
    sig = _sign(w, t, language="en")
    assert (sig.signer, sig.text_sha256, sig.ip, sig.user_agent, sig.language) == (
        w["owner"],
        t.text_sha256,
        "203.0.113.9",
        "pytest",
        "en",
    )
    assert seen[-1] == {"merchant_id": w["merchant"].pk, "template_id": t.pk}
    audit = AuditEvent.objects.get(action="agreement.sign")
    assert audit.organisation_id == w["merchant"].organisation_id
    assert audit.after["text_sha256"] == t.text_sha256
    assert Deadline.objects.get(key=f"merchant:{w['merchant'].pk}:agreement:quality").status == (
        "cancelled"
    )
    assert agreement_status(merchant_id=w["merchant"].pk).items[0].state == "signed"
    with pytest.raises(Conflict) as exc:
        _sign(w, t)
    assert exc.value.code == "agreement_already_signed"


def test_sign_refuses_changed_text_other_merchants_and_staff(world):
    w = world
    t = agreements.publish_template(actor=w["qm"], template_id=_draft(w).pk)
    with pytest.raises(Conflict) as exc:
        _sign(w, t, sha="0" * 64)
    assert exc.value.code == "agreement_text_changed"
    with pytest.raises(NotFound):
        _sign(w, t, merchant="other")  # owner of Toy Shop signing for Other Shop
    with pytest.raises(NotFound):
        _sign(w, t, who="qm")
    staff = add_staff(w["merchant"], "clerk")
    with pytest.raises(PermissionDenied):
        _sign(dict(w, clerk=staff), t, who="clerk")
    assert not AgreementSignature.objects.exists()


def test_a_retired_version_cannot_be_signed(world):
    w = world
    v1 = agreements.publish_template(actor=w["qm"], template_id=_draft(w).pk)
    v2 = agreements.publish_template(
        actor=w["qm"], template_id=_draft(w, title="Quality Agreement 2").pk
    )
    v1.refresh_from_db()
    assert (v1.status, v2.version, v2.status) == ("retired", 2, "published")
    with pytest.raises(Conflict) as exc:
        _sign(w, v1)
    assert exc.value.code == "agreement_not_current"
    with pytest.raises(IllegalTransition):
        agreements.publish_template(actor=w["qm"], template_id=v1.pk)


def test_unsigned_by_the_deadline_restricts_and_signing_lifts(
    world, django_capture_on_commit_callbacks
):
    w = world
    t = agreements.publish_template(actor=w["qm"], template_id=_draft(w).pk, resign_days=7)
    _sign(w, t, merchant="other", who="other_owner")
    due = Deadline.objects.get(key=f"merchant:{w['merchant'].pk}:agreement:quality").due_at
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due_deadlines(now=due - dt.timedelta(days=7)) == 1  # the 7-day reminder
    reminder = Notification.objects.get(user=w["owner"], kind="merchants.agreement_resign_reminder")
    assert "Quality Agreement" in reminder.subject or "质量协议" in reminder.subject
    run_due_deadlines(now=due + dt.timedelta(minutes=1))
    w["merchant"].refresh_from_db()
    assert w["merchant"].standing == "restricted"
    change = StandingChange.objects.get(merchant=w["merchant"])
    assert (change.reason_code, change.actor, change.evidence["template_id"]) == (
        "agreement_not_signed",
        None,
        t.pk,
    )
    after = t.resign_deadline + dt.timedelta(days=1)
    assert can_sell(merchant_id=w["merchant"].pk, on=after) == (
        False,
        ["restricted_agreement_not_signed", "agreement_not_signed"],
    )
    w["other"].refresh_from_db()
    assert w["other"].standing == "active"
    _sign(w, t)
    w["merchant"].refresh_from_db()
    assert w["merchant"].standing == "active"
    assert can_sell(merchant_id=w["merchant"].pk, on=after) == (True, [])


def test_default_agreement_is_loaded_once(world):
    first = agreements.ensure_default_agreement()
    again = agreements.ensure_default_agreement()
    assert first.pk == again.pk
    assert AgreementTemplate.objects.count() == 1
    assert (first.code, first.version, first.status) == ("quality-agreement", 1, "published")
    assert "## 4. Recall duties" in first.body_en
    assert "## 四、召回义务" in first.body_zh
    assert first.published_at <= timezone.now()


def test_effective_date_lies_between_now_and_the_deadline(world):
    w = world
    draft = _draft(w)
    with pytest.raises(ValidationFailed) as exc:
        agreements.publish_template(
            actor=w["qm"],
            template_id=draft.pk,
            resign_days=10,
            effective_at=timezone.now() + dt.timedelta(days=30),
        )
    assert exc.value.code == "effective_at_invalid"
    later = timezone.now() + dt.timedelta(days=5)
    t = agreements.publish_template(
        actor=w["qm"], template_id=draft.pk, resign_days=10, effective_at=later
    )
    assert t.effective_at == later
