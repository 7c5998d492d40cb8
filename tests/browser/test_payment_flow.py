"""Fees paid online, in a real browser (issue 3, item 7):

a citizen opens their dossier, reads the bank-transfer instructions (amount, the dossier code
as the transfer note), records the bank's reference — first with a mistake the page explains,
then right —; the one-stop officer confirms it on the dossier's workspace page; the citizen
sees the fee paid and downloads the receipt listing what was paid.

The dossier is submitted through the service (the submission pages have their own browser
test, test_one_stop_flow.py); everything after is clicked.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from egov.dossiers import services
from egov.dossiers.models import Payment, PaymentStatus
from egov.dossiers.testing import World, make_world
from egov.procedures.inputs import FeeInput

from .test_shell_accessibility import DESKTOP, PHONE, has_horizontal_scroll, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(live_server: Any) -> World:
    return make_world(
        fees=(FeeInput(name="Lệ phí cấp giấy", counter_amount=50000, online_amount=25000),)
    )


@pytest.fixture
def actors(sign_in: Any) -> Any:
    """`actors(user)`: a page signed in as that user (the shared `sign_in`)."""
    return sign_in


def test_citizen_records_a_transfer_officer_confirms_citizen_gets_the_receipt(
    live_server: Any, world: World, actors: Any
) -> None:
    dossier = services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Trần Thị Hoa"},
        papers=world.uploads(),
    )

    # The citizen reads what is due and how to transfer it.
    citizen = actors(world.citizen)
    citizen.goto(f"{live_server.url}/dich-vu-cong/ho-so-cua-toi/{dossier.code}/")
    fees = citizen.get_by_role("region", name="Phí, lệ phí")
    expect(fees).to_contain_text("Lệ phí cấp giấy")
    expect(fees).to_contain_text("Còn phải nộp25.000 đồng")
    transfer = citizen.get_by_role("region", name="Chuyển khoản ngân hàng")
    expect(transfer).to_contain_text(f"Ghi nội dung chuyển khoản: {dossier.code}.")
    expect(transfer.locator(".transfer-note")).to_have_text(dossier.code)
    expect(transfer.get_by_label("Số tiền đã chuyển (đồng)")).to_have_value("25000")

    # A mistake first: the amount is more than is due. The page says why; nothing is kept.
    transfer.get_by_label("Mã giao dịch của ngân hàng").fill("FT26331 0042")
    transfer.get_by_label("Số tiền đã chuyển (đồng)").fill("250.000")
    transfer.get_by_role("button", name="Ghi nhận đã chuyển khoản").click()
    expect(citizen.get_by_role("main")).to_contain_text(
        "Số tiền vượt quá số còn phải nộp (25.000 đồng)."
    )
    assert not Payment.objects.exists()
    # The panel, its instructions and the form with its error are accessible, also on a phone.
    assert serious_violations(citizen) == []
    citizen.set_viewport_size(PHONE)
    assert not has_horizontal_scroll(citizen)
    citizen.set_viewport_size(DESKTOP)

    # Then right.
    transfer = citizen.get_by_role("region", name="Chuyển khoản ngân hàng")
    transfer.get_by_label("Số tiền đã chuyển (đồng)").fill("25.000")
    transfer.get_by_role("button", name="Ghi nhận đã chuyển khoản").click()
    expect(citizen.get_by_text("Đã ghi nhận mã giao dịch")).to_be_visible()
    fees = citizen.get_by_role("region", name="Phí, lệ phí")
    expect(fees).to_contain_text("FT26331 0042")
    expect(fees).to_contain_text("Chờ xác nhận")
    expect(citizen.get_by_role("button", name="Ghi nhận đã chuyển khoản")).to_have_count(0)
    payment = Payment.objects.get()
    assert (payment.reference, payment.amount, payment.status) == (
        "FT26331 0042",
        25000,
        PaymentStatus.PENDING,
    )

    # The one-stop officer checks the account statement and confirms on the dossier's page.
    officer = actors(world.officer.user)
    officer.goto(f"{live_server.url}/app/ho-so/{dossier.public_id}/")
    row = officer.locator("#dossier-live tr", has_text="FT26331 0042")
    row.get_by_role("button", name="Xác nhận").click()
    expect(officer.locator("#dossier-live")).to_contain_text("Đã xác nhận")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED

    # The citizen sees the fee paid and downloads the receipt.
    citizen.reload()
    fees = citizen.get_by_role("region", name="Phí, lệ phí")
    expect(fees).to_contain_text("Đã nộp đủ")
    expect(fees).to_contain_text("Đã xác nhận")
    receipt = fees.get_by_role("link", name="Giấy xác nhận nộp phí, lệ phí (PDF)")
    href = receipt.get_attribute("href")
    assert href is not None
    response = citizen.request.get(f"{live_server.url}{href}")
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
