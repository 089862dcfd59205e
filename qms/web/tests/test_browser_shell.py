"""The shell in Chromium: the language follows the user and the switch, the small-screen menu
opens and closes, the keyboard reaches the content first."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from qms.accounts.domain.roles import Role
from qms.testing.fixtures import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_sign_in_uses_the_preferred_language_and_the_switch_changes_it(
    page: Any, make_user: Any
) -> None:
    make_user(Role.REVIEWER, username="wang", display_name="王芳", preferred_language="zh-hans")
    page.goto("/login/")
    page.get_by_label("User name").fill("wang")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="入驻审核")).to_be_visible()

    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()


def test_small_screens_open_and_close_the_menu(page: Any, make_user: Any, log_in: Any) -> None:
    log_in(page, make_user(Role.ADMIN, preferred_language="en"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/account/")
    nav = page.locator("#app-nav")
    toggle = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()


def test_the_first_tab_reaches_the_skip_link(page: Any, make_user: Any, log_in: Any) -> None:
    log_in(page, make_user(Role.ADMIN, preferred_language="en"))
    page.goto("/account/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/account/#main$"))
