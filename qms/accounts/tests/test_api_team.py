from __future__ import annotations

import pytest

from qms.accounts.domain.roles import Role
from qms.accounts.models import Membership, User
from qms.shared.models import AuditEvent

pytestmark = pytest.mark.django_db


def _org_of(user):
    return Membership.objects.get(user=user).organisation


def test_owner_adds_staff_to_own_organisation(make_user, api_client_for):
    owner = make_user(Role.MERCHANT_OWNER)
    org = _org_of(owner)
    res = api_client_for(owner).post(
        f"/api/v1/accounts/organisations/{org.pk}/members",
        {"username": "shop-staff", "email": "s@example.com", "role": "merchant_staff"},
    )
    assert res.status_code == 201, res.content
    staff = User.objects.get(username="shop-staff")
    assert Membership.objects.filter(user=staff, organisation=org, role="merchant_staff").exists()
    assert not staff.has_usable_password()
    assert AuditEvent.objects.filter(
        action="membership.add", object_id=str(res.json()["membership_id"])
    ).exists()
    listed = api_client_for(owner).get(f"/api/v1/accounts/organisations/{org.pk}/members").json()
    assert {m["username"] for m in listed} == {owner.username, "shop-staff"}


def test_owner_cannot_grant_platform_roles(make_user, api_client_for):
    owner = make_user(Role.MERCHANT_OWNER)
    org = _org_of(owner)
    res = api_client_for(owner).post(
        f"/api/v1/accounts/organisations/{org.pk}/members",
        {"username": "x1", "email": "x@example.com", "role": "admin"},
    )
    assert res.status_code == 403
    assert res.json()["code"] == "role_not_allowed"
    assert not User.objects.filter(username="x1").exists()


def test_merchant_cannot_see_or_change_another_organisation(make_user, api_client_for):
    a = make_user(Role.MERCHANT_OWNER)
    b = make_user(Role.MERCHANT_OWNER)
    org_b = _org_of(b)
    client = api_client_for(a)
    assert client.get(f"/api/v1/accounts/organisations/{org_b.pk}/members").status_code == 404
    res = client.post(
        f"/api/v1/accounts/organisations/{org_b.pk}/members",
        {"username": "intruder", "email": "i@example.com", "role": "merchant_staff"},
    )
    assert res.status_code == 404
    assert not User.objects.filter(username="intruder").exists()
    m_b = Membership.objects.get(user=b)
    res = client.post(f"/api/v1/accounts/memberships/{m_b.pk}/remove", {"reason": "x"})
    assert res.status_code == 404
    assert Membership.objects.filter(pk=m_b.pk).exists()
    assert client.get("/api/v1/accounts/users").status_code == 403


def test_last_owner_cannot_be_removed(make_user, api_client_for, admin_user):
    owner = make_user(Role.MERCHANT_OWNER)
    m = Membership.objects.get(user=owner)
    res = api_client_for(admin_user).post(
        f"/api/v1/accounts/memberships/{m.pk}/remove", {"reason": "left"}
    )
    assert res.status_code == 409
    assert res.json()["code"] == "last_owner"


def test_admin_disables_a_user_and_the_token_stops_working(make_user, api_client_for, admin_user):
    user = make_user(Role.REVIEWER)
    client = api_client_for(user)
    assert client.get("/api/v1/accounts/me").status_code == 200
    res = api_client_for(admin_user).post(
        f"/api/v1/accounts/users/{user.pk}/disable", {"reason": "left the company"}
    )
    assert res.status_code == 200
    assert res.json()["is_active"] is False
    denied = client.get("/api/v1/accounts/me")
    assert denied.status_code == 401
    assert denied.json()["code"] == "account_disabled"
    assert AuditEvent.objects.filter(action="user.disable", object_id=str(user.pk)).exists()


def test_duplicate_username_is_a_conflict_and_writes_nothing(make_user, api_client_for, admin_user):
    owner = make_user(Role.MERCHANT_OWNER, username="taken")
    org = _org_of(owner)
    before = Membership.objects.count()
    res = api_client_for(admin_user).post(
        f"/api/v1/accounts/organisations/{org.pk}/members",
        {"username": "TAKEN", "email": "t@example.com", "role": "merchant_staff"},
    )
    assert res.status_code == 409
    assert res.json()["code"] == "username_taken"
    assert Membership.objects.count() == before
