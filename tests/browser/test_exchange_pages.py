"""The edXML exchange pages of the workspace, in a real browser (issue 4, item 6):

an administrator opens "Liên thông văn bản" from the menu, registers a partner system (its
token shown once), corrects its inbox address; a clerk of the sending agency finds a message
the partner refused (failed, with the partner's error), sends it again and sees it queued.

The failed message is made by the services against the live server itself (the partner's
"inbox" is a path that answers 404, which is final: failed). Everything after is clicked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from playwright.sync_api import expect

from egov.documents.reference import seed
from egov.exchange import services
from egov.exchange.models import OutboundMessage, OutboundStatus, Partner
from egov.exchange.tests.conftest import issued_document, make_here
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff

from .test_shell_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THERE = "000.00.00.H48"


def test_partners_and_a_failed_message_sent_again(
    sign_in: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.EGOV_SIGNING_KEYS_DIR = str(tmp_path / "keys")
    settings.EGOV_SIGNING_PASSPHRASE = "mat-khau-thu"
    seed(apps)  # transactional tests start from a flushed database
    here = make_here()
    clerk = make_staff(agency=here, roles=[R.CLERK], full_name="Văn thư Thành phố").user
    admin = make_staff(agency=make_agency(), roles=[R.ADMINISTRATOR]).user
    base = live_server.url

    # The administrator registers the partner from the menu's page.
    page = sign_in(admin)
    page.goto(f"{base}/app/")
    page.get_by_role("navigation", name="Chức năng").get_by_role(
        "link", name="Liên thông văn bản"
    ).click()
    page.locator("main").get_by_role("link", name="Hệ thống đối tác").click()
    page.get_by_role("link", name="Đăng ký hệ thống đối tác").click()
    form = page.locator("main form")
    form.get_by_label("Tên hệ thống").fill("Hệ thống QLVB tỉnh Quảng Trị")
    form.get_by_label("Mã định danh cơ quan").fill(THERE)
    form.get_by_label("Địa chỉ hộp thư đến (edXML)").fill("ftp://sai-dia-chi")
    form.get_by_role("button", name="Đăng ký").click()
    expect(page.locator("main")).to_contain_text("phải bắt đầu bằng http:// hoặc https://")
    assert not Partner.objects.exists()
    assert serious_violations(page) == []

    page.locator("main form").get_by_label("Địa chỉ hộp thư đến (edXML)").fill(
        f"{base}/khong-co-hop-thu/"
    )
    page.locator("main form").get_by_label("Mã truy cập của đối tác dành cho ta").fill(
        "ma-cua-quang-tri"
    )
    page.locator("main form").get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã đăng ký hệ thống đối tác")
    token = page.locator("#partner-token").inner_text().strip()
    partner = Partner.objects.get(organ_id=THERE)
    assert token.startswith(partner.token_prefix) and partner.token_out == "ma-cua-quang-tri"

    page.get_by_role("link", name="Về danh sách hệ thống đối tác").click()
    row = page.locator("main tr", has_text="Hệ thống QLVB tỉnh Quảng Trị")
    expect(row).to_contain_text("đã có (lưu mã hóa)")
    expect(page.locator("main")).not_to_contain_text(token)
    assert serious_violations(page) == []

    # A document of the city goes out; the partner's "inbox" answers 404: failed.
    document, recipient = issued_document(here)
    outbound = services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
    services.outbound_attempt(outbound_id=outbound.pk, force=True)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.FAILED

    # The clerk sees it failed with the partner's answer, and sends it again.
    clerk_page = sign_in(clerk)
    clerk_page.goto(f"{base}/app/")
    clerk_page.get_by_role("navigation", name="Chức năng").get_by_role(
        "link", name="Liên thông văn bản"
    ).click()
    expect(clerk_page.locator("main").get_by_role("link", name="Hệ thống đối tác")).to_have_count(0)
    message_row = clerk_page.locator(f"#goi-tin-{outbound.public_id}")
    expect(message_row).to_contain_text("Gửi không thành công")
    expect(message_row).to_contain_text("HTTP 404")
    assert serious_violations(clerk_page) == []
    message_row.get_by_role("button", name=re.compile("Gửi lại")).click()
    expect(clerk_page.locator("body")).to_contain_text("vào hàng đợi gửi lại")
    expect(clerk_page.locator(f"#goi-tin-{outbound.public_id}")).to_contain_text("Chờ gửi")
    expect(clerk_page.locator(f"#goi-tin-{outbound.public_id}")).to_contain_text(
        "Gửi lại theo yêu cầu lúc"
    )
    assert OutboundMessage.objects.get(pk=outbound.pk).status == OutboundStatus.QUEUED

    # Meanwhile the administrator corrects the partner's inbox address.
    page.locator("main").get_by_role("link", name="Hệ thống QLVB tỉnh Quảng Trị").click()
    form = page.locator("main form")
    form.get_by_label("Địa chỉ hộp thư đến (edXML)").fill(f"{base}/api/v1/exchange/edxml")
    form.get_by_role("button", name="Lưu").click()
    expect(page.locator("body")).to_contain_text("Đã cập nhật hệ thống đối tác")
    partner.refresh_from_db()
    assert partner.url == f"{base}/api/v1/exchange/edxml"
    assert partner.token_out == "ma-cua-quang-tri"  # left blank: kept
