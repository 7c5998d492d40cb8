"""One official document from draft to closed, through a real browser (issue 4, "Done when"):
a specialist drafts with a PDF and submits; the unit head, the clerk (format check) and the
leader approve; the leader signs; the clerk issues (the number appears); the second agency's
clerk finds it in the incoming queue, registers it and submits it to the leader; the leader
assigns a main handler with a deadline in working days; the handler drafts the reply, links it,
and closes; the first agency sees the recipient's status "done".

Each person signs in through the login form in a browser context of their own. The document is
on paper channel so signing records the handwritten signature (the PAdES path is covered by the
services' tests with the demo keys). Waits are on text and URLs, never sleeps.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from egov.documents.reference import seed
from egov.documents.tests.factories import make_world, pdf_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SUBJECT = "Về việc phối hợp kiểm tra an toàn phòng cháy"


def click(page: Page, name: str) -> None:
    page.locator("main").get_by_role("button", name=name, exact=True).first.click()


def test_document_from_draft_to_closed_across_two_agencies(sign_in: Any, live_server: Any) -> None:
    # Transactional tests start from a flushed database: put the reference tables back.
    seed(apps)
    w = make_world()
    base = live_server.url

    # A's specialist drafts with a PDF and submits.
    specialist = sign_in(w.a.specialist.user)
    specialist.goto(f"{base}/app/van-ban/du-thao/moi/")
    form = specialist.locator("main form")
    form.get_by_label("Loại văn bản").select_option(label="Quyết định (cá biệt)")
    form.get_by_label("Trích yếu").fill(SUBJECT)
    form.get_by_label("Hình thức").select_option(value="paper")
    form.get_by_label("Nơi nhận trên hệ thống").select_option(value=str(w.b.agency.pk))
    form.get_by_label("Tệp văn bản (PDF hoặc DOCX)").set_input_files(
        {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Du thao")}
    )
    click(specialist, "Lưu dự thảo")
    expect(specialist.locator("main")).to_contain_text("Đã tạo dự thảo.")
    document_url = specialist.url
    click(specialist, "Trình duyệt")
    expect(specialist.locator("#trang-thai")).to_have_text("Đang trình duyệt")

    # The unit head, the clerk (format check) and the leader approve; the leader signs.
    for reviewer in (w.a.unit_head, w.a.clerk):
        page = sign_in(reviewer.user)
        page.goto(document_url)
        click(page, "Duyệt")
        expect(page.locator("main")).to_contain_text("Đã duyệt dự thảo.")
    leader = sign_in(w.a.leader.user)
    leader.goto(document_url)
    click(leader, "Duyệt")
    expect(leader.locator("#trang-thai")).to_have_text("Đã duyệt")
    click(leader, "Ký văn bản")
    expect(leader.locator("#trang-thai")).to_have_text("Đã ký")

    # A's clerk issues: the number and notation appear.
    clerk_a = sign_in(w.a.clerk.user)
    clerk_a.goto(document_url)
    click(clerk_a, "Cấp số và phát hành")
    expect(clerk_a.locator("#so-ky-hieu")).to_have_text("01/QĐ-UBND")
    expect(clerk_a.locator("#noi-nhan")).to_contain_text("Đã đến")

    # B's clerk finds it in the incoming queue, registers it, submits it to the leader.
    clerk_b = sign_in(w.b.clerk.user)
    clerk_b.goto(f"{base}/app/van-ban/van-ban-den/")
    clerk_b.locator("main").get_by_role("link", name=re.compile(SUBJECT)).click()
    click(clerk_b, "Tiếp nhận, vào sổ")
    expect(clerk_b.locator("#so-den")).to_contain_text("1")
    incoming_url = clerk_b.url
    clerk_b.locator("main").get_by_label("Lãnh đạo").select_option(value=str(w.b.leader.pk))
    click(clerk_b, "Trình lãnh đạo")
    expect(clerk_b.locator("#trang-thai")).to_have_text("Đã trình lãnh đạo")

    # B's leader assigns the main handler with a deadline from the working calendar.
    leader_b = sign_in(w.b.leader.user)
    leader_b.goto(incoming_url)
    leader_b.locator("main").get_by_role("link", name="Chỉ đạo, phân công xử lý").click()
    form = leader_b.locator("main form")
    form.get_by_label("Ý kiến chỉ đạo").fill("Giao chuyên viên kiểm tra, trả lời trong 5 ngày")
    form.get_by_label("Xử lý chính").select_option(value=str(w.b.specialist.pk))
    form.get_by_label("Hạn xử lý (số ngày làm việc)").fill("5")
    click(leader_b, "Phân công")
    expect(leader_b.locator("#trang-thai")).to_have_text("Đã phân công")

    # B's handler drafts the reply, links it, records progress and closes.
    handler = sign_in(w.b.specialist.user)
    handler.goto(f"{base}/app/van-ban/du-thao/moi/")
    form = handler.locator("main form")
    form.get_by_label("Loại văn bản").select_option(label="Công văn")
    form.get_by_label("Trích yếu").fill("Trả lời về việc phối hợp kiểm tra")
    form.get_by_label("Hình thức").select_option(value="paper")
    click(handler, "Lưu dự thảo")
    expect(handler.locator("main")).to_contain_text("Đã tạo dự thảo.")
    handler.goto(f"{base}/app/van-ban/viec-cua-toi/")
    handler.locator("main").get_by_role("link", name=re.compile(SUBJECT)).click()
    handler.locator("main").get_by_label("Văn bản đi trả lời").select_option(index=1)
    click(handler, "Gắn văn bản trả lời")
    expect(handler.locator("#van-ban-tra-loi")).to_contain_text("Trả lời về việc phối hợp")
    click(handler, "Hoàn thành xử lý")
    expect(handler.locator("#trang-thai")).to_have_text("Đã xử lý xong")

    # The sender sees the receiver's status: done.
    clerk_a.goto(document_url)
    expect(clerk_a.locator("#noi-nhan")).to_contain_text("Đã xử lý xong")
