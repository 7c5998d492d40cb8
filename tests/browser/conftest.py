"""Browser tests: a real Chromium driven by Playwright against pytest-django's live server.

Reuse in any test module under tests/browser/::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_something(page, live_server): page.goto(live_server.url + "/")

Chromium is Debian's (`/usr/bin/chromium`, or the path in EGOV_CHROMIUM), never a download by
Playwright. Pages open in Vietnamese (locale vi-VN), as the platform's default audience.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses database access
# from a thread with a running loop unless told it is safe (it is: the loop only drives
# the browser, test code stays synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000


def chromium_path() -> str:
    path = os.environ.get("EGOV_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            f"Chromium not found at {path}: install Debian's chromium (apt-get install chromium) "
            "or set EGOV_CHROMIUM to its path.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module.

    Module scope, not session: only one sync Playwright can run in a thread at a time, and a
    module that starts its own (with `sync_playwright()`) must find none running.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (own cookies) and page per test."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


STAFF_PASSWORD = "matkhau-thu-123"  # organisations.testing's factories' password


@pytest.fixture
def sign_in(browser: Any, live_server: Any) -> Iterator[Any]:
    """`sign_in(user)`: a page in a new context (own cookies), signed in through the login form.

    Several people can be signed in at once, each in their own context, as in a real office.
    """
    import re

    from playwright.sync_api import expect

    contexts: list[Any] = []

    def open_as(user: Any, password: str = STAFF_PASSWORD) -> Any:
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        main = page.locator("main")
        main.get_by_label("Tên đăng nhập").fill(user.username)
        main.get_by_label("Mật khẩu").fill(password)
        main.get_by_role("button", name="Đăng nhập").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    yield open_as
    for context in contexts:
        context.close()
