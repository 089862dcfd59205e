"""notify(): after commit only, once per (user, dedupe_key), in the user's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from qms.shared import notifications
from qms.shared.errors import NotFound, ValidationFailed
from qms.shared.models import Notification
from qms.shared.notifications import NotificationKind, notify, register_kind
from qms.shared.tasks import send_notification_email

KIND = NotificationKind(
    key="shared.test_expiring",
    subject={
        "en": "{{ doc }} expires in {{ days }} days",
        "zh-hans": "{{ doc }}将在 {{ days }} 天后到期",
    },
    body={
        "en": "Dear {{ name }},\nplease upload a new {{ doc }} before {{ day|date:'Y-m-d' }}.",
        "zh-hans": "{{ name }}，您好：\n请在 {{ day|date:'Y-m-d' }} 前上传新的{{ doc }}。",
    },
)


@pytest.fixture(autouse=True)
def _kind():
    register_kind(KIND)
    yield
    notifications._kinds.pop(KIND.key, None)


def _notify(user_ids, key="doc:1:30d", **kw):
    import datetime as dt

    notify(
        kind=KIND.key,
        user_ids=user_ids,
        context={"doc": "SC licence", "days": 30, "name": "Li", "day": dt.date(2026, 12, 25)},
        dedupe_key=key,
        link="/portal/documents/1/",
        **kw,
    )


def test_kind_needs_both_languages_and_valid_templates():
    with pytest.raises(ValueError, match="zh-hans"):
        NotificationKind(key="x.y", subject={"en": "a"}, body={"en": "b", "zh-hans": "c"})
    with pytest.raises(ValueError, match="valid template"):
        NotificationKind(
            key="x.y", subject={"en": "{% if %}", "zh-hans": "a"}, body={"en": "b", "zh-hans": "c"}
        )


def test_a_key_cannot_be_registered_twice_differently():
    register_kind(KIND)  # the same definition again: harmless
    other = NotificationKind(
        key=KIND.key, subject={"en": "x", "zh-hans": "x"}, body={"en": "y", "zh-hans": "y"}
    )
    with pytest.raises(ValueError, match="already registered"):
        register_kind(other)


def test_unknown_kind_and_bad_keys_are_refused(make_user):
    user = make_user()
    with pytest.raises(KeyError):
        notify(kind="shared.nope", user_ids=[user.pk], context={}, dedupe_key="k")
    with pytest.raises(ValidationFailed) as exc:
        notify(kind=KIND.key, user_ids=[user.pk], context={}, dedupe_key="")
    assert exc.value.code == "notification_dedupe_key_invalid"
    for link in ("javascript:alert(1)", "//evil.example/x", "portal/documents/1/"):
        with pytest.raises(ValidationFailed) as bad_link:
            notify(kind=KIND.key, user_ids=[user.pk], context={}, dedupe_key="k", link=link)
        assert bad_link.value.code == "notification_link_invalid"


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(make_user):
    user = make_user(preferred_language="en")

    def change_that_fails() -> None:
        with transaction.atomic():
            _notify([user.pk])
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_sent_after_commit_and_only_once_per_dedupe_key(make_user):
    user = make_user(preferred_language="en")
    with transaction.atomic():
        _notify([user.pk])
        assert Notification.objects.count() == 0  # not before the commit
        assert mail.outbox == []
    with transaction.atomic():
        _notify([user.pk, user.pk])
    row = Notification.objects.get()
    assert (row.user_id, row.dedupe_key, row.language) == (user.pk, "doc:1:30d", "en")
    assert row.subject == "SC licence expires in 30 days"
    assert row.emailed_at is not None
    assert row.read_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "SC licence expires in 30 days"
    assert message.body == (
        "Dear Li,\nplease upload a new SC licence before 2026-12-25.\n\n"
        "http://127.0.0.1:8000/portal/documents/1/"
    )


def test_email_in_simplified_chinese_for_a_zh_hans_user(
    make_user, django_capture_on_commit_callbacks
):
    zh = make_user(preferred_language="zh-hans")
    en = make_user(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([zh.pk, en.pk])
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[zh.email].subject == "SC licence将在 30 天后到期"
    assert by_address[zh.email].body.startswith(
        "Li，您好：\n请在 2026-12-25 前上传新的SC licence。"
    )
    assert by_address[en.email].subject == "SC licence expires in 30 days"
    assert Notification.objects.get(user=zh).language == "zh-hans"


def test_inactive_users_and_users_without_address(make_user, django_capture_on_commit_callbacks):
    gone = make_user()
    gone.is_active = False
    gone.save()
    silent = make_user()
    silent.email = ""
    silent.save()
    with django_capture_on_commit_callbacks(execute=True):
        _notify([gone.pk, silent.pk])
    assert list(Notification.objects.values_list("user_id", flat=True)) == [silent.pk]
    assert Notification.objects.get().emailed_at is None
    assert mail.outbox == []


def test_email_task_is_idempotent(make_user, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        _notify([user.pk])
    row = Notification.objects.get()
    result = send_notification_email.enqueue(notification_id=row.pk)
    assert result.return_value == "already_sent"
    assert send_notification_email.enqueue(notification_id=row.pk + 999).return_value == "missing"
    assert len(mail.outbox) == 1


def test_database_refuses_a_second_row_for_the_same_user_and_key(make_user):
    user = make_user()
    Notification.objects.create(
        user=user, kind=KIND.key, dedupe_key="k", language="en", subject="s", body="b"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            user=user, kind=KIND.key, dedupe_key="k", language="en", subject="s", body="b"
        )


def test_unread_count_inbox_and_mark_read(make_user, django_capture_on_commit_callbacks):
    user, other = make_user(), make_user()
    with django_capture_on_commit_callbacks(execute=True):
        _notify([user.pk, other.pk], key="a")
        _notify([user.pk], key="b")
    assert notifications.unread_count(user.pk) == 2
    first = notifications.inbox(user_id=user.pk).first()
    assert first is not None
    assert first.dedupe_key == "b"
    notifications.mark_read(actor=user, notification_id=first.pk)
    notifications.mark_read(actor=user, notification_id=first.pk)  # idempotent
    assert notifications.unread_count(user.pk) == 1
    assert [n.dedupe_key for n in notifications.inbox(user_id=user.pk, unread_only=True)] == ["a"]
    foreign = Notification.objects.get(user=other)
    with pytest.raises(NotFound):
        notifications.mark_read(actor=user, notification_id=foreign.pk)
    assert notifications.mark_all_read(actor=user) == 1
    assert notifications.unread_count(user.pk) == 0
    assert notifications.unread_count(other.pk) == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_delivered_at_once(make_user):
    user = make_user(preferred_language="en")
    _notify([user.pk], key="doc:2:7d")
    assert Notification.objects.filter(user=user, dedupe_key="doc:2:7d").count() == 1
    assert [m.subject for m in mail.outbox] == ["SC licence expires in 30 days"]
