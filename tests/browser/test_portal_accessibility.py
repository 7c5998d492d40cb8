"""Issue 3, section 8: the public portal's one-stop pages are accessible (no serious or critical
axe-core violation) and mobile-friendly (no horizontal scroll at 375 px).

Pages: the home, the procedure catalogue with a search, a procedure's page, the tracking form,
a tracking result (anonymous, and after a wrong code: the plain not-found page), and the online
submission form (signed in as a citizen), also with its errors shown.
The world is `egov.dossiers.testing.make_world` (a published full-online procedure, a ward, a
department, a citizen) plus one dossier submitted through the service.
Set EGOV_SCREENSHOTS=/some/dir to keep a screenshot of each page at each width.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from egov.dossiers import services
from egov.dossiers.testing import World, make_world, pdf, png

from .test_shell_accessibility import (
    DESKTOP,
    PHONE,
    has_horizontal_scroll,
    screenshot,
    serious_violations,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server: Any) -> World:
    return make_world()


@pytest.fixture
def code(world: World) -> str:
    first, second = world.papers[:2]
    dossier = services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Trần Thị Hoa", "so_ban": 1},
        papers=[(first.pk, pdf("to-khai.pdf", b"a11y")), (second.pk, png())],
    )
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    return dossier.code


def sign_in(page: Page, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def check(page: Page, name: str, width: int) -> list[str]:
    problems = [f"{name}: {v}" for v in serious_violations(page)]
    if has_horizontal_scroll(page):
        problems.append(f"{name}: scrolls horizontally at {width}px")
    screenshot(page, f"portal-{name}-{width}")
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_one_stop_pages(
    live_server: Any, page: Page, world: World, code: str, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    width = viewport["width"]
    base = live_server.url
    problems: list[str] = []

    page.goto(f"{base}/")
    problems += check(page, "home", width)

    # The catalogue with an accent-insensitive search. (The home page's search box does not
    # reach the catalogue yet: it still answers "the catalogue is being loaded".)
    page.goto(f"{base}/thu-tuc/?q=thu+tuc+thu")
    expect(page.get_by_role("link", name=world.procedure.name).first).to_be_visible()
    problems += check(page, "catalogue-search", width)

    page.get_by_role("link", name=world.procedure.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.procedure.name)
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    problems += check(page, "procedure", width)

    page.goto(f"{base}/tra-cuu/")
    expect(page.get_by_label("Mã hồ sơ")).to_be_visible()
    problems += check(page, "tracking-form", width)

    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(page.get_by_role("main")).to_contain_text("Đang giải quyết")
    problems += check(page, "tracking-result", width)

    page.goto(f"{base}/tra-cuu/?code=000.00.00.H00-000000-0000")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy hồ sơ")
    problems += check(page, "tracking-not-found", width)

    assert problems == []


@pytest.mark.parametrize(
    "viewport",
    [
        DESKTOP,
        PHONE,
    ],
    ids=["desktop", "phone"],
)
def test_online_submission_form(
    live_server: Any, page: Page, world: World, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    width = viewport["width"]
    sign_in(page, live_server, world.citizen)
    problems: list[str] = []

    page.goto(f"{live_server.url}/dich-vu-cong/nop/{world.procedure.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(world.procedure.name)
    problems += check(page, "submission-form", width)

    # Sent empty: the error summary and the errors next to the fields must be accessible too.
    page.get_by_role("button", name="Xem lại hồ sơ").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Họ và tên")).to_have_attribute("aria-invalid", "true")
    problems += check(page, "submission-errors", width)

    assert problems == []
