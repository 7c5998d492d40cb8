"""A leader whose role requires two-factor authentication signs in through a real browser."""

from __future__ import annotations

import os
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from egov.organisations.models import Role, RoleCode
from egov.organisations.testing import make_agency, make_staff

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-lanh-dao-2025"


def code_now(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    device.refresh_from_db()
    drift = device.drift + offset_steps
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


@pytest.fixture
def leader_device(db: None) -> TOTPDevice:
    agency = make_agency(name="Sở Thông tin và Truyền thông")
    leader = make_staff(
        agency=agency,
        roles=[RoleCode.AGENCY_LEADER],
        username="giamdoc",
        password=PASSWORD,
        full_name="Lê Văn Giám",
    )
    Role.objects.filter(code=RoleCode.AGENCY_LEADER).update(requires_two_factor=True)
    return TOTPDevice.objects.create(user=leader.user, name="Điện thoại", confirmed=True)


def sign_in_with_password(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/accounts/login/")
    main = page.get_by_role("main")
    main.get_by_label("Tên đăng nhập").fill("giamdoc")
    main.get_by_label("Mật khẩu").fill(PASSWORD)
    main.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/two-factor/")
    expect(main.get_by_role("heading", level=1)).to_have_text("Xác thực hai lớp")


def test_leader_signs_in_with_password_and_totp_code(page, live_server, leader_device) -> None:
    sign_in_with_password(page, live_server)
    main = page.get_by_role("main")
    main.get_by_label("Mã xác thực").fill(code_now(leader_device))
    main.get_by_role("button", name="Xác nhận").click()

    expect(page).to_have_url(f"{live_server.url}/app/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không gian làm việc")
    expect(page.get_by_role("main")).to_contain_text("Sở Thông tin và Truyền thông")


def test_wrong_code_is_refused_in_the_browser(page, live_server, leader_device) -> None:
    sign_in_with_password(page, live_server)
    main = page.get_by_role("main")
    wrong = code_now(leader_device, offset_steps=10)  # a real code, five minutes off
    field = main.get_by_label("Mã xác thực")
    field.fill(wrong)
    main.get_by_role("button", name="Xác nhận").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/two-factor/")
    expect(main.locator("#id_token_error")).to_contain_text("Mã xác thực không đúng")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", re.compile(r"\bid_token_error\b"))
    # Still signed out: the workspace sends the visitor back to the login page.
    page.goto(f"{live_server.url}/app/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/app/$"))
