"""Capture pages of a running qms into PNG files, as a signed-in user would see them.

Uses Playwright with Debian's Chromium (``/usr/bin/chromium``; ``scripts/ensure-chromium.sh``
installs it). Start a server first, e.g.::

    DJANGO_SETTINGS_MODULE=config.settings.local .venv/bin/qms runserver 127.0.0.1:8765

then::

    .venv/bin/python scripts/screenshots.py --user admin --password '...' \\
        dashboard=/ account=/account/ missing=/no-such-page/
    .venv/bin/python scripts/screenshots.py --anonymous login=/login/
    .venv/bin/python scripts/screenshots.py --user admin --password '...' --lang zh-hans \\
        --width 390 --suffix=-mobile dashboard=/

Each ``name=path`` argument writes ``<out>/<name><suffix>.png`` (default ``docs/screenshots``).
``--lang`` switches the interface language through the page's own language switch.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", metavar="name=path", help="pages to capture")
    parser.add_argument("--base", default="http://127.0.0.1:8765", help="server address")
    parser.add_argument("--user", help="user name to sign in with")
    parser.add_argument("--password", help="password of --user")
    parser.add_argument("--anonymous", action="store_true", help="do not sign in")
    parser.add_argument("--lang", choices=["en", "zh-hans"], help="interface language")
    parser.add_argument("--out", default="docs/screenshots", help="output directory")
    parser.add_argument("--suffix", default="", help="added to each file name")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full-page", action="store_true", help="capture the whole page")
    parser.add_argument(
        "--print",
        action="store_true",
        dest="print_media",
        help="render with the print style sheet (as the page would print)",
    )
    args = parser.parse_args(argv)
    if not args.anonymous and not (args.user and args.password):
        parser.error("give --user and --password, or --anonymous")
    for spec in args.pages:
        if "=" not in spec:
            parser.error(f"{spec!r} is not name=path")
    return args


def sign_in(page: Page, base: str, user: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/login/" in page.url:
        raise SystemExit(f"sign-in as {user!r} failed: still on {page.url}")


def switch_language(page: Page, base: str, lang: str) -> None:
    page.goto(f"{base}/account/" if "/login/" not in page.url else page.url)
    button = page.locator(f"form.lang-switch button[value='{lang}']").first
    if button.get_attribute("aria-pressed") == "true":
        return
    if not button.is_visible():
        page.locator("details.user-menu > summary").click()
    button.click()
    page.wait_for_load_state("networkidle")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": args.width, "height": args.height},
            device_scale_factor=1,
            locale="en-US",
        )
        page = context.new_page()
        if args.anonymous:
            page.goto(f"{args.base}/login/")
        else:
            sign_in(page, args.base, args.user, args.password)
        if args.lang:
            switch_language(page, args.base, args.lang)
        if args.print_media:
            page.emulate_media(media="print")
        for spec in args.pages:
            name, path = spec.split("=", 1)
            page.goto(args.base + path)
            page.wait_for_load_state("networkidle")
            target = out / f"{name}{args.suffix}.png"
            page.screenshot(path=str(target), full_page=args.full_page)
            print(f"{target}  <- {path} (HTTP page title: {page.title()!r})")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
