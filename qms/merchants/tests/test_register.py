"""Merchant sign-up from the outside: the public page and the API."""

from __future__ import annotations

import pytest
from django.test import Client

from qms.accounts.models import Membership, Organisation, User
from qms.merchants.models import Application, Merchant
from qms.testing.samples import uscc

pytestmark = pytest.mark.django_db

PASSWORD = "Lantern-Harbour-2026"


def _wrong_check_character(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def _form(**over):
    data = {
        "market": "CN",
        "legal_name": "杭州青禾茶业有限公司",
        "registration_number": uscc(41),
        "display_name": "林美",
        "username": "mei",
        "email": "mei@example.com",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(over)
    return data


def test_sign_up_page_creates_owner_merchant_and_draft_application():
    c = Client()
    assert c.get("/portal/register/").status_code == 200
    res = c.post("/portal/register/", _form())
    assert res.status_code == 302
    assert res["Location"] == "/portal/application/"
    user = User.objects.get(username="mei")
    m = Merchant.objects.get(organisation__memberships__user=user)
    assert m.standing == "pending"
    assert Membership.objects.get(user=user).role == "merchant_owner"
    assert Application.objects.get(merchant=m).state == "draft"
    assert c.get("/portal/").status_code == 200


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"registration_number": _wrong_check_character(uscc(43))}, ""),
        ({"password2": "something-else-2026"}, "The two passwords differ."),
        ({"password": "123", "password2": "123"}, ""),
    ],
)
def test_sign_up_errors_are_shown_in_place_and_nothing_is_written(over, message):
    orgs = Organisation.objects.count()
    res = Client().post("/portal/register/", _form(**over))
    assert res.status_code == 422
    assert 'role="alert"' in res.content.decode()
    if message:
        assert message in res.content.decode()
    assert not User.objects.filter(username="mei").exists()
    assert Organisation.objects.count() == orgs


def test_register_over_the_api_and_duplicates_conflict():
    body = {
        "legal_name": "Nordlicht Handel GmbH",
        "registration_number": uscc(42),
        "username": "nord",
        "email": "n@example.com",
        "password": PASSWORD,
    }
    res = Client().post("/api/v1/merchants/register", body, content_type="application/json")
    assert res.status_code == 201, res.content
    out = res.json()
    assert Application.objects.get(pk=out["application_id"]).merchant_id == out["merchant_id"]
    again = Client().post(
        "/api/v1/merchants/register", {**body, "username": "nord2"}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert not User.objects.filter(username="nord2").exists()
