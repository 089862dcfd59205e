from __future__ import annotations

import pytest
from django.test import Client, override_settings

from qms.accounts.domain.roles import Role
from qms.accounts.models import LoginAttempt

pytestmark = pytest.mark.django_db


@override_settings(QMS_LOGIN_MAX_FAILURES=3)
def test_login_is_throttled_after_repeated_failures(make_user):
    make_user(Role.REVIEWER, username="rita")
    client = Client()
    for _ in range(3):
        res = client.post("/login/", {"username": "rita", "password": "wrong"})
        assert res.status_code == 400
    res = client.post("/login/", {"username": "rita", "password": "correct horse battery"})
    assert res.status_code == 400
    assert "Too many failed logins" in res.content.decode()
    assert LoginAttempt.objects.filter(username="rita", succeeded=True).count() == 0


def test_login_succeeds_with_right_password(make_user):
    make_user(Role.REVIEWER, username="rita")
    res = Client().post("/login/", {"username": "rita", "password": "correct horse battery"})
    assert res.status_code == 302
