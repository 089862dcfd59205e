from __future__ import annotations

import pytest
from django.test import Client

from qms.accounts.domain.roles import Role
from qms.accounts.models import ApiToken, Membership, User

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_token_page_issues_shows_secret_once_and_revokes(make_user):
    user = make_user(Role.REVIEWER)
    c = _login(user)
    res = c.post("/account/tokens/", {"name": "erp", "scopes": ["read"], "expires_in_days": "30"})
    assert res.status_code == 200
    token = ApiToken.objects.get(user=user, name="erp")
    assert token.prefix in res.content.decode()
    again = c.get("/account/tokens/").content.decode()
    assert "shown only once" not in again
    assert c.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_shows_error_in_place(make_user):
    c = _login(make_user(Role.REVIEWER))
    res = c.post("/account/tokens/", {"name": "", "expires_in_days": "30"})
    assert res.status_code == 422
    assert "Give the token a name." in res.content.decode()


def test_owner_adds_staff_on_team_page(make_user):
    owner = make_user(Role.MERCHANT_OWNER)
    org = Membership.objects.get(user=owner).organisation
    c = _login(owner)
    res = c.post(
        "/account/team/",
        {"org": org.pk, "username": "newbie", "email": "n@example.com", "role": "merchant_staff"},
    )
    assert res.status_code == 302
    assert Membership.objects.filter(user__username="newbie", organisation=org).exists()
    page = c.get(f"/account/team/?org={org.pk}").content.decode()
    assert "newbie" in page


def test_team_page_of_another_org_shows_nothing(make_user):
    a = make_user(Role.MERCHANT_OWNER)
    b = make_user(Role.MERCHANT_OWNER, username="secret-owner")
    org_b = Membership.objects.get(user=b).organisation
    page = _login(a).get(f"/account/team/?org={org_b.pk}").content.decode()
    assert "secret-owner" not in page


def test_users_page_is_for_staff_only(make_user, admin_user):
    assert _login(make_user(Role.MERCHANT_OWNER)).get("/console/users/").status_code == 403
    res = _login(admin_user).get("/console/users/?q=admin")
    assert res.status_code == 200
    assert "admin" in res.content.decode()
    target = make_user(Role.REVIEWER, username="leaver")
    _login(admin_user).post(
        f"/console/users/{target.pk}/active/", {"active": "0", "reason": "left"}
    )
    assert User.objects.get(pk=target.pk).is_active is False


def test_users_page_offers_disable_only_to_those_who_may(make_user, admin_user):
    reviewer = make_user(Role.REVIEWER)
    make_user(Role.INSPECTOR, username="someone")
    assert "Disable" not in _login(reviewer).get("/console/users/").content.decode()
    assert "Disable" in _login(admin_user).get("/console/users/").content.decode()
