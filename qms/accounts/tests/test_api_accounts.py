from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qms.accounts.domain.roles import Role
from qms.accounts.models import ApiToken
from qms.shared.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_me_lists_roles_and_permissions(make_user, api_client_for):
    user = make_user(Role.REVIEWER)
    res = api_client_for(user).get("/api/v1/accounts/me")
    assert res.status_code == 200
    body = res.json()
    assert body["roles"] == ["reviewer"]
    assert "merchants.decide_application" in body["permissions"]


def test_no_token_is_a_problem_detail(api_client_for):
    res = api_client_for(None).get("/api/v1/accounts/me")
    assert res.status_code == 401
    assert res["Content-Type"] == "application/problem+json"
    assert res.json()["code"] == "not_authenticated"


def test_token_is_hashed_and_revocable(make_user, api_client_for):
    user = make_user(Role.REVIEWER)
    client = api_client_for(user)
    res = client.post("/api/v1/accounts/tokens", {"name": "ci", "scopes": ["read"]})
    assert res.status_code == 201, res.content
    secret = res.json()["token"]
    token = ApiToken.objects.get(pk=res.json()["id"])
    assert secret not in token.key_hash
    assert len(token.key_hash) == 64
    assert AuditEvent.objects.filter(action="token.issue", object_id=str(token.pk)).exists()
    ro = api_client_for(None)
    ro.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert ro.get("/api/v1/accounts/me").status_code == 200
    # read scope cannot write
    denied = ro.post("/api/v1/accounts/tokens", {"name": "x"})
    assert denied.status_code == 403
    assert denied.json()["code"] == "token_scope"
    assert client.post(f"/api/v1/accounts/tokens/{token.pk}/revoke").status_code == 200
    res = ro.get("/api/v1/accounts/me")
    assert res.status_code == 401
    assert res.json()["code"] == "token_revoked"


def test_expired_token_is_refused_with_its_reason(make_user, api_client_for):
    user = make_user(Role.REVIEWER)
    client = api_client_for(user)
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    res = client.get("/api/v1/accounts/me")
    assert res.status_code == 401
    assert res.json()["code"] == "token_expired"


def test_idempotency_key_replays_and_refuses_reuse(make_user, api_client_for):
    user = make_user(Role.REVIEWER)
    client = api_client_for(user)
    first = client.post("/api/v1/accounts/tokens", {"name": "a"}, headers={"Idempotency-Key": "k1"})
    again = client.post("/api/v1/accounts/tokens", {"name": "a"}, headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    other = client.post("/api/v1/accounts/tokens", {"name": "b"}, headers={"Idempotency-Key": "k1"})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert ApiToken.objects.filter(user=user, name="a").count() == 1
