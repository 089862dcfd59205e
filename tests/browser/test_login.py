"""Signing in and out in a real browser, as a person would."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from qms.accounts.domain.roles import Role
from qms.testing.fixtures import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_wrong_password_is_refused_in_place_then_sign_in_and_out(page: Any, make_user: Any) -> None:
    make_user(Role.REVIEWER, username="rita", preferred_language="en")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.get_by_label("User name").fill("rita")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    alert = page.get_by_role("alert")
    expect(alert).to_have_text("The user name or password is wrong.")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_label("User name")).to_have_value("rita")
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    expect(page.get_by_role("alert")).to_have_count(0)
    menu = page.locator("details.user-menu summary")
    expect(menu).to_contain_text("rita")

    menu.click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("status")).to_contain_text("You have signed out.")

    page.goto("/account/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/account/$"))
