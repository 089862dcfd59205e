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
    assert res.status_code == 302 and res["Location"] == "/api/docs"
