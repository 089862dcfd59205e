"""The inbox page: own notifications, htmx mark-read fragment, mark all read."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qms.shared.models import Notification

from .factories import NotificationFactory


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_inbox_shows_my_notifications_only(make_user):
    me, other = make_user(preferred_language="en"), make_user()
    NotificationFactory(user=me, subject="Your licence expires soon", link="/portal/")
    NotificationFactory(user=other, subject="Someone else's news")
    res = _client(me).get(reverse("notifications:inbox"))
    assert res.status_code == 200
    html = res.content.decode()
    assert "Your licence expires soon" in html
    assert "Someone else&#x27;s news" not in html
    assert "Someone else's news" not in html
    assert 'hx-post="/notifications/' in html


def test_anonymous_is_sent_to_login(db):
    res = Client().get(reverse("notifications:inbox"))
    assert res.status_code == 302
    assert "/login/" in res["Location"]


def test_htmx_mark_read_returns_the_row(make_user):
    me = make_user()
    n = NotificationFactory(user=me, subject="Check this")
    res = _client(me).post(reverse("notifications:mark_read", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert res.status_code == 200
    assert res["HX-Trigger"] == "notifications-changed"
    html = res.content.decode()
    assert html.startswith(f'<tr id="notification-{n.pk}"')
    assert "Mark read" not in html
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_mark_read_of_another_users_row_is_404(make_user):
    me, other = make_user(), make_user()
    foreign = NotificationFactory(user=other)
    res = _client(me).post(reverse("notifications:mark_read", args=[foreign.pk]))
    assert res.status_code == 404
    assert Notification.objects.get(pk=foreign.pk).read_at is None


def test_mark_all_read_redirects_to_the_inbox(make_user):
    me = make_user()
    NotificationFactory.create_batch(3, user=me)
    res = _client(me).post(reverse("notifications:mark_all_read"))
    assert res.status_code == 302
    assert res["Location"] == reverse("notifications:inbox")
    assert Notification.objects.filter(user=me, read_at__isnull=True).count() == 0


def test_unread_filter(make_user):
    me = make_user(preferred_language="en")
    NotificationFactory(user=me, subject="Old news", read_at=timezone.now())
    NotificationFactory(user=me, subject="Fresh news")
    html = _client(me).get(reverse("notifications:inbox") + "?show=unread").content.decode()
    assert "Fresh news" in html
    assert "Old news" not in html
