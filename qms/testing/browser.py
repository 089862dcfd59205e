"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Fixtures:
- ``chromium``: one headless Chromium per test session (``/usr/bin/chromium``, or
  ``QMS_CHROMIUM``). When it is missing the test fails under ``CI=true`` and is skipped with a
  message elsewhere (``bash scripts/ensure-chromium.sh`` installs it).
- ``page``: a fresh browser context (own cookies, English, Asia/Shanghai clock) on the live
  server; ``page.goto("/login/")`` works with relative URLs. A static file that fails to load
  fails the test. On failure a screenshot goes to ``test-results/<test>.png``.
- ``log_in``: ``log_in(page, user)`` logs a user in by session cookie, without the login form.

Every test that uses ``page`` or ``chromium`` is marked ``browser`` automatically, so
``-m "not browser"`` leaves them out; mark them explicitly anyway for readers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
BROWSER_FIXTURES = frozenset({"page", "chromium", "log_in"})
RESULTS_DIR = Path(os.environ.get("QMS_TEST_RESULTS", "test-results"))
# How long one Playwright action or assertion waits before it fails, in milliseconds.
TIMEOUT_MS = int(os.environ.get("QMS_BROWSER_TIMEOUT_MS", "10000"))


def chromium_path() -> str:
    return os.environ.get("QMS_CHROMIUM", "/usr/bin/chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


_REPORT_KEY = pytest.StashKey[pytest.TestReport]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_REPORT_KEY] = report
    return report


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    executable = chromium_path()
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        message = (
            f"Debian's Chromium is not installed at {executable}: run "
            "`bash scripts/ensure-chromium.sh` (as root) or set QMS_CHROMIUM."
        )
        if in_ci():
            pytest.fail(message + " CI requires the browser tests.", pytrace=False)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop on this thread; the test code still calls the
    # ORM synchronously between browser steps, which is safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(
    chromium: Any, live_server: Any, transactional_db: Any, request: pytest.FixtureRequest
) -> Generator[Any]:
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    pg = context.new_page()
    broken_assets: list[str] = []

    def _watch(response: Any) -> None:
        if "/static/" in response.url and response.status >= 400:
            broken_assets.append(f"{response.status} {response.url}")

    pg.on("response", _watch)
    try:
        yield pg
        assert not broken_assets, f"static files failed to load: {broken_assets}"
    finally:
        report = request.node.stash.get(_REPORT_KEY, None)
        if report is not None and report.failed:
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
            try:
                pg.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
            except Exception as exc:  # the page may already be gone; the failure is what matters
                print(f"no screenshot for {request.node.nodeid}: {exc}")
        context.close()


@pytest.fixture
def log_in(live_server: Any) -> Callable[[Any, Any], None]:
    """Log `user` in on `page` by handing the browser a fresh session cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore

    def _log_in(pg: Any, user: Any) -> None:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        pg.context.clear_cookies()
        pg.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return _log_in
