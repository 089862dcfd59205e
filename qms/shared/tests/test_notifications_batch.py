"""batched_delivery(): what committed inside the block is delivered together at its end."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from qms.shared import notifications
from qms.shared.models import Notification
from qms.shared.notifications import (
    NotificationKind,
    Pending,
    batched_delivery,
    deliver_many,
    notify,
    register_kind,
)
from qms.shared.tasks import send_notification_emails

KIND = NotificationKind(
    key="shared.test_batch",
    subject={"en": "Point {{ n }}", "zh-hans": "第 {{ n }} 点"},
    body={"en": "Body {{ n }}", "zh-hans": "正文 {{ n }}"},
)


@pytest.fixture(autouse=True)
def _kind() -> Any:
    register_kind(KIND)
    yield
    notifications._kinds.pop(KIND.key, None)


def _notify(user_ids: list[int], n: int, key: str) -> None:
    notify(kind=KIND.key, user_ids=user_ids, context={"n": n}, dedupe_key=key, link="/x/")


@pytest.mark.django_db(transaction=True)
def test_committed_work_is_delivered_once_at_the_end_of_the_block(make_user: Any) -> None:
    en = make_user(preferred_language="en")
    zh = make_user(preferred_language="zh-hans")
    with batched_delivery():
        with transaction.atomic():
            _notify([en.pk, zh.pk], 1, "k:1")
        with transaction.atomic():
            _notify([en.pk], 1, "k:1")  # the same (user, key): counts once
            _notify([en.pk], 2, "k:2")
        try:
            with transaction.atomic():
                _notify([en.pk], 3, "k:3")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        with transaction.atomic():
            _notify([zh.pk], 4, "k:4")
            try:
                with transaction.atomic():  # a savepoint rolled back: its notify is gone
                    _notify([zh.pk], 5, "k:5")
                    raise RuntimeError("savepoint rolled back")
            except RuntimeError:
                pass
        assert Notification.objects.count() == 0  # committed, but not delivered yet
        assert mail.outbox == []
    rows = set(Notification.objects.values_list("user_id", "dedupe_key", "subject"))
    assert rows == {
        (en.pk, "k:1", "Point 1"),
        (zh.pk, "k:1", "第 1 点"),
        (en.pk, "k:2", "Point 2"),
        (zh.pk, "k:4", "第 4 点"),
    }
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (en.email, "Point 1"),
            (zh.email, "第 1 点"),
            (en.email, "Point 2"),
            (zh.email, "第 4 点"),
        ]
    )
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    with batched_delivery(), transaction.atomic():
        _notify([en.pk, zh.pk], 1, "k:1")  # a later batch repeats nothing
    assert Notification.objects.count() == 4
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True)
def test_outside_a_block_each_commit_delivers_at_once(make_user: Any) -> None:
    user = make_user(preferred_language="en")
    with transaction.atomic():
        _notify([user.pk], 1, "k:1")
    assert Notification.objects.filter(user=user, dedupe_key="k:1").count() == 1


def test_deliver_many_takes_a_handful_of_queries_whatever_the_number(
    make_user: Any, django_assert_max_num_queries: Any
) -> None:
    users = [make_user(preferred_language="en") for _ in range(3)]
    items = [
        Pending(
            spec=KIND,
            user_ids=[u.pk for u in users],
            context={"n": i},
            dedupe_key=f"k:{i}",
        )
        for i in range(40)
    ]
    # users, rows already there, one bulk insert (in a savepoint), the new ids (the e-mail
    # tasks are looked at, not run).
    with (
        mock.patch.object(notifications, "send_notification_emails") as many_task,
        mock.patch.object(notifications, "send_notification_email") as one_task,
        django_assert_max_num_queries(7),
    ):
        new_ids = deliver_many(items)
    assert len(new_ids) == 120
    assert Notification.objects.count() == 120
    calls = many_task.enqueue.call_args_list
    assert len(calls) == 1  # 120 ids: one task (of at most EMAIL_TASK_SIZE)
    assert sorted(calls[0].kwargs["notification_ids"]) == sorted(new_ids)
    assert one_task.enqueue.call_count == 0
    assert deliver_many(items) == []


def test_the_bulk_email_task_sends_each_row_once(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user(preferred_language="en")
    nobody = make_user(preferred_language="en")
    nobody.email = ""
    nobody.save()
    with django_capture_on_commit_callbacks(execute=True):
        _notify([user.pk, nobody.pk], 1, "k:1")
    mail.outbox.clear()
    Notification.objects.update(emailed_at=None)
    ids = sorted(Notification.objects.values_list("id", flat=True))
    result = send_notification_emails.enqueue(notification_ids=[*ids, ids[-1] + 999])
    assert result.return_value == {"sent": 1, "no_address": 1, "missing": 1}
    assert len(mail.outbox) == 1
    again = send_notification_emails.enqueue(notification_ids=ids)
    assert again.return_value == {"already_sent": 1, "no_address": 1}
    assert len(mail.outbox) == 1
