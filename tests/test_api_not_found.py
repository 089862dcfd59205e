from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/merchants/abc/agreement", "/api/v2/"])
def test_unknown_api_paths_are_problem_details(path):
    res = Client().get(path)
    assert res.status_code == 404
    assert res["Content-Type"] == "application/problem+json"
    assert res.json()["code"] == "not_found"


def test_api_root_leads_to_the_docs():
    res = Client().get("/api/")
    assert res.status_code == 302
    assert res["Location"] == "/api/docs"


def test_post_to_unknown_path_with_session_is_still_a_problem(admin_user):
    c = Client(enforce_csrf_checks=True)
    c.force_login(admin_user)
    res = c.post("/api/v1/accounts/users/null/enable", {}, content_type="application/json")
    assert res.status_code == 404
    assert res["Content-Type"] == "application/problem+json"


def test_huge_id_is_not_found_not_a_crash(admin_user, api_client_for):
    res = api_client_for(admin_user).get(
        "/api/v1/accounts/organisations/11577242354999262900196999168/members"
    )
    assert res.status_code in {404, 422}
    assert res["Content-Type"] == "application/problem+json"


def test_anonymous_post_is_401_and_session_post_without_csrf_is_403(admin_user):
    res = Client(enforce_csrf_checks=True).post(
        "/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json"
    )
    assert res.status_code == 401
    assert res.json()["code"] == "not_authenticated"
    c = Client(enforce_csrf_checks=True)
    c.force_login(admin_user)
    res = c.post("/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json")
    assert res.status_code == 403
    assert res.json()["code"] == "csrf_failed"
