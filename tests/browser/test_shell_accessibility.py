"""The shells in a real browser: axe-core finds no serious or critical accessibility problem
on the portal home, the login page and the workspace home; the workspace menu stays reachable
on a 375 px phone; keyboard users get the skip link and a visible focus ring.

The `browser` and `page` fixtures (Debian's Chromium driven by Playwright, a fresh context per
test) come from tests/browser/conftest.py. axe-core is vendored in `vendor/axe.min.js`
(its version is in docs/decisions/0011-frontend.md).
Set EGOV_SCREENSHOTS=/some/dir to also save screenshots of each page at phone and desktop
widths, for looking at the shells.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the fixtures
# are still plain synchronous calls (conftest.py sets the same; kept so this file stands alone).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.test import Client
from playwright.sync_api import Page

from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def official(live_server: Any, page: Page) -> Any:
    """A specialist of a department, signed in in the browser context."""
    agency = make_agency(name="Sở Thông tin và Truyền thông")
    staff = make_staff(
        agency=agency, roles=[RoleCode.SPECIALIST, RoleCode.CLERK], full_name="Nguyễn Thị Lan"
    )
    make_staff(agency=agency)
    client = Client()
    client.force_login(staff.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return staff


def serious_violations(page: Page) -> list[str]:
    """Run axe-core on the page; describe each serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [", ".join(node["target"]) for node in violation["nodes"]]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
            )
    return found


def screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("EGOV_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def has_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_portal_home_has_no_serious_violation(
    live_server: Any, page: Page, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/")

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("searchbox", name="Tên thủ tục hoặc từ khóa").is_visible()
    assert serious_violations(page) == []
    assert not has_horizontal_scroll(page)
    screenshot(page, f"portal-home-{viewport['width']}")


def test_login_page_has_no_serious_violation(live_server: Any, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")

    assert page.locator("main h1").first.is_visible()
    assert serious_violations(page) == []
    screenshot(page, "login-1366")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_workspace_home_has_no_serious_violation(
    live_server: Any, official: Any, page: Page, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/app/")

    assert page.get_by_role("heading", level=1, name="Không gian làm việc").is_visible()
    assert page.get_by_text("Sở Thông tin và Truyền thông").first.is_visible()
    assert serious_violations(page) == []
    assert not has_horizontal_scroll(page)
    screenshot(page, f"workspace-home-{viewport['width']}")


def test_workspace_menu_is_reachable_on_a_phone(
    live_server: Any, official: Any, page: Page
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/app/")
    menu = page.get_by_role("navigation", name="Chức năng")
    toggle = page.get_by_role("button", name="Danh mục")

    # Collapsed at first, so the page's content comes first on a small screen.
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    toggle.click()

    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    link = menu.get_by_role("link", name="Cơ quan & cán bộ")
    if link.count() == 0:  # the section's page may not be mounted yet; home is always there
        link = menu.get_by_role("link", name="Trang chủ")
    assert link.is_visible()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert serious_violations(page) == []
    screenshot(page, "workspace-menu-open-375")

    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()


def test_workspace_menu_is_a_column_on_desktop(live_server: Any, official: Any, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/app/")

    assert not page.get_by_role("button", name="Danh mục").is_visible()
    assert page.get_by_role("navigation", name="Chức năng").is_visible()
    assert page.get_by_role("button", name="Đăng xuất").is_visible()


def test_keyboard_users_get_the_skip_link_and_a_visible_focus(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    page.keyboard.press("Tab")
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.boxShadow, s.outlineStyle]; }"
    )
    assert ring[0] != "none" or ring[1] != "none", ring


def test_language_switch_turns_the_page_english(live_server: Any, page: Page) -> None:
    page.goto(f"{live_server.url}/")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Tiếng Việt").is_visible()


def test_not_found_page_has_no_serious_violation(live_server: Any, page: Page) -> None:
    response = page.goto(f"{live_server.url}/khong-co-trang-nay/")

    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Không tìm thấy trang bạn yêu cầu"
    assert serious_violations(page) == []


def test_htmx_is_loaded_and_sends_the_csrf_token(
    live_server: Any, official: Any, page: Page
) -> None:
    page.goto(f"{live_server.url}/app/")

    assert page.evaluate("() => window.htmx && window.htmx.version") == "2.0.11"
    token = page.evaluate(
        "() => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']"
    )
    cookie = next(c for c in page.context.cookies() if c["name"] == "csrftoken")
    assert token and cookie["value"]  # the masked token in the page pairs with the cookie
    with page.expect_response(lambda r: "/i18n/setlang/" in r.url) as answered:
        page.evaluate(
            "() => htmx.ajax('POST', '/i18n/setlang/', {target: '#messages', swap: 'none',"
            " values: {language: 'vi', next: '/app/'}})"
        )
    request = answered.value.request
    assert request.headers.get("x-csrftoken") == token
    assert request.headers.get("hx-request") == "true"
    assert answered.value.status == 302  # accepted: Django's CSRF check would answer 403
