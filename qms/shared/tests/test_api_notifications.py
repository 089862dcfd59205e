"""/api/v1/notifications from the outside: own inbox only, cursor pagination, mark read."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qms.shared.models import Notification

from .factories import NotificationFactory

BASE = "/api/v1/notifications"


def test_list_is_my_own_inbox_newest_first_with_cursor(make_user, api_client_for):
    me, other = make_user(), make_user()
    now = timezone.now()
    mine = [
        NotificationFactory(user=me, created_at=now - dt.timedelta(minutes=i)) for i in range(3)
    ]
    NotificationFactory(user=other)
    client = api_client_for(me)
    first = client.get(BASE, params={"limit": 2})
    assert first.status_code == 200
    body = first.json()
    assert [i["id"] for i in body["items"]] == [mine[0].pk, mine[1].pk]
    assert body["items"][0]["is_read"] is False
    second = client.get(BASE, params={"limit": 2, "cursor": body["next_cursor"]}).json()
    assert [i["id"] for i in second["items"]] == [mine[2].pk]
    assert second["next_cursor"] is None


def test_unread_filter_count_and_mark_read(make_user, api_client_for):
    me = make_user()
    a = NotificationFactory(user=me)
    b = NotificationFactory(user=me)
    client = api_client_for(me)
    assert client.get(f"{BASE}/unread-count").json() == {"unread": 2}
    res = client.post(f"{BASE}/{a.pk}/read")
    assert res.status_code == 200
    assert res.json()["is_read"] is True
    unread = client.get(BASE, params={"unread": "true"}).json()["items"]
    assert [i["id"] for i in unread] == [b.pk]
    assert client.post(f"{BASE}/read-all").json() == {"marked": 1}
    assert client.get(f"{BASE}/unread-count").json() == {"unread": 0}


def test_another_users_notification_is_404_and_unchanged(make_user, api_client_for):
    me, other = make_user(), make_user()
    foreign = NotificationFactory(user=other)
    res = api_client_for(me).post(f"{BASE}/{foreign.pk}/read")
    assert res.status_code == 404
    assert res.json()["code"] == "notification_not_found"
    assert Notification.objects.get(pk=foreign.pk).read_at is None
    api_client_for(me).post(f"{BASE}/read-all")
    assert Notification.objects.get(pk=foreign.pk).read_at is None


def test_anonymous_is_401(api_client_for, db):
    assert api_client_for(None).get(BASE).status_code == 401


def test_list_query_count_does_not_grow_with_rows(
    make_user, api_client_for, django_assert_max_num_queries
):
    me = make_user()
    NotificationFactory.create_batch(20, user=me)
    client = api_client_for(me)
    with django_assert_max_num_queries(4):
        assert len(client.get(BASE).json()["items"]) == 20
