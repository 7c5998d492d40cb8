"""The applicant's fees on their own dossier page: what is due and paid, the bank-transfer
instructions, recording the bank's reference, the receipt once an officer has confirmed.

Bad input (empty or overlong reference, an amount not due, a fee already paid, another's
dossier) gets a Vietnamese message and records nothing.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from egov.audit.models import AuditEntry
from egov.dossiers import services
from egov.dossiers.models import Dossier, Payment, PaymentStatus
from egov.dossiers.testing import World, make_world
from egov.organisations.testing import make_citizen
from egov.procedures.inputs import FeeInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world(
        fees=(
            FeeInput(name="Lệ phí cấp giấy", counter_amount=50000, online_amount=25000),
            FeeInput(name="Phí thẩm định", kind="fee", counter_amount=100000, online_amount=100000),
        )
    )


@pytest.fixture
def dossier(world: World) -> Dossier:
    return services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Nguyễn Văn Bình"},
        papers=world.uploads(),
    )


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(dossier: Dossier) -> str:
    return reverse("portal:dossiers:my_dossier", args=[dossier.code])


def pay(client: Client, dossier: Dossier, **data: str) -> Any:
    return client.post(reverse("portal:dossiers:my_payment", args=[dossier.code]), data)


def receipt(dossier: Dossier) -> str:
    return reverse("portal:dossiers:my_fee_receipt", args=[dossier.code])


def payment_audit_count(dossier: Dossier) -> int:
    return AuditEntry.objects.filter(
        action__startswith="payment.",
        object_type="dossiers.dossier",
        object_id=str(dossier.public_id),
    ).count()


def test_page_shows_fees_due_and_the_bank_transfer_instructions(
    world: World, dossier: Dossier
) -> None:
    response = login(world.citizen).get(page(dossier))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Lệ phí cấp giấy" in html and "25.000 đồng" in html  # the online amount
    assert "Phí thẩm định" in html and "125.000 đồng" in html  # the total
    assert "Chuyển khoản ngân hàng" in html
    assert f"Ghi nội dung chuyển khoản: {dossier.code}." in html
    assert 'class="transfer-note">' + dossier.code in html
    assert 'name="reference"' in html and 'value="125000"' in html
    assert "Giấy xác nhận nộp phí" not in html  # nothing confirmed yet


def test_recording_a_reference_then_the_officer_confirms_and_the_receipt_lists_it(
    world: World, dossier: Dossier
) -> None:
    client = login(world.citizen)

    response = pay(
        client, dossier, provider="bank_transfer", reference="FT2611 0042", amount="125.000"
    )

    assert response.status_code == 302 and response["Location"].endswith("#payment")
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.provider, payment.reference, payment.amount, payment.status) == (
        "bank_transfer",
        "FT2611 0042",
        125000,
        PaymentStatus.PENDING,
    )
    assert payment_audit_count(dossier) == 1
    html = client.get(page(dossier)).content.decode()
    assert "Đã ghi nhận mã giao dịch" in html
    assert "FT2611 0042" in html and "Chờ xác nhận" in html
    assert 'name="reference"' not in html  # nothing more to claim
    assert client.get(receipt(dossier)).status_code == 404  # pending is not paid

    services.payment_confirm(actor=world.officer.user, payment=payment)

    html = client.get(page(dossier)).content.decode()
    assert "Đã xác nhận" in html and "Đã nộp đủ" in html
    assert receipt(dossier) in html
    pdf = client.get(receipt(dossier))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-"
    assert pdf["Cache-Control"] == "private, no-store"


def test_a_partial_transfer_leaves_the_rest_to_pay(world: World, dossier: Dossier) -> None:
    client = login(world.citizen)
    pay(client, dossier, provider="bank_transfer", reference="FT-1", amount="25000")

    html = client.get(page(dossier)).content.decode()

    assert 'value="100000"' in html  # the form offers what is left
    assert "Chờ cán bộ xác nhận" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reference": "", "amount": "125000"}, "Vui lòng nhập mã giao dịch (tối đa 100 ký tự)."),
        (
            {"reference": "   ", "amount": "125000"},
            "Vui lòng nhập mã giao dịch (tối đa 100 ký tự).",
        ),
        ({"reference": "X" * 101, "amount": "125000"}, "Vui lòng nhập mã giao dịch"),
        ({"reference": "FT-9", "amount": ""}, "Số tiền phải là số nguyên dương (đồng)."),
        ({"reference": "FT-9", "amount": "abc"}, "Số tiền phải là số nguyên dương (đồng)."),
        ({"reference": "FT-9", "amount": "-5"}, "Số tiền phải là số nguyên dương (đồng)."),
        ({"reference": "FT-9", "amount": "0"}, "Số tiền phải là số nguyên dương (đồng)."),
        ({"reference": "FT-9", "amount": "125001"}, "Số tiền vượt quá số còn phải nộp"),
        (
            {"reference": "FT-9", "amount": "1000", "provider": "counter"},
            "do cán bộ một cửa ghi nhận",
        ),
        (
            {"reference": "FT-9", "amount": "1000", "provider": "paypal"},
            "Hình thức thanh toán không được hỗ trợ",
        ),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_changes_nothing(
    world: World, dossier: Dossier, data: dict[str, str], message: str
) -> None:
    response = pay(login(world.citizen), dossier, **{"provider": "bank_transfer", **data})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Payment.objects.filter(dossier=dossier).exists()
    assert payment_audit_count(dossier) == 0


def test_nothing_more_once_paid(world: World, dossier: Dossier) -> None:
    client = login(world.citizen)
    pay(client, dossier, provider="bank_transfer", reference="FT-1", amount="125000")
    services.payment_confirm(actor=world.officer.user, payment=Payment.objects.get(dossier=dossier))

    response = pay(client, dossier, provider="bank_transfer", reference="FT-2", amount="1000")

    assert response.status_code == 422
    assert "Số tiền vượt quá số còn phải nộp (0 đồng)." in response.content.decode()
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_a_reference_used_before_is_refused(world: World, dossier: Dossier) -> None:
    client = login(world.citizen)
    pay(client, dossier, provider="bank_transfer", reference="FT-1", amount="25000")

    response = pay(client, dossier, provider="bank_transfer", reference="FT-1", amount="25000")

    assert response.status_code == 422
    assert "Mã giao dịch FT-1 đã được ghi nhận trước đó." in response.content.decode()
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_another_applicants_dossier_is_not_found(world: World, dossier: Dossier) -> None:
    stranger = login(make_citizen())

    assert pay(stranger, dossier, reference="FT-1", amount="1000").status_code == 404
    assert stranger.get(receipt(dossier)).status_code == 404
    assert not Payment.objects.exists()


def test_staff_and_anonymous_cannot_use_the_applicant_pages(world: World, dossier: Dossier) -> None:
    officer = login(world.officer.user)
    assert pay(officer, dossier, reference="FT-1", amount="1000").status_code == 404
    anonymous = Client().post(
        reverse("portal:dossiers:my_payment", args=[dossier.code]),
        {"reference": "FT-1", "amount": "1000"},
    )
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not Payment.objects.exists()


def test_get_is_not_allowed_on_the_payment_form(world: World, dossier: Dossier) -> None:
    response = login(world.citizen).get(reverse("portal:dossiers:my_payment", args=[dossier.code]))

    assert response.status_code == 405


def test_withdrawn_dossier_offers_no_payment(world: World, dossier: Dossier) -> None:
    services.dossier_withdraw(actor=world.citizen, dossier=dossier, reason="Nộp nhầm")
    client = login(world.citizen)

    html = client.get(page(dossier)).content.decode()
    response = pay(client, dossier, provider="bank_transfer", reference="FT-1", amount="1000")

    assert 'name="reference"' not in html
    assert response.status_code == 422
    assert "Hồ sơ đã kết thúc, không nộp phí được." in response.content.decode()
    assert not Payment.objects.exists()


def test_a_rejected_transfer_shows_why_and_the_form_again(world: World, dossier: Dossier) -> None:
    client = login(world.citizen)
    pay(client, dossier, provider="bank_transfer", reference="FT-1", amount="125000")
    services.payment_confirm(
        actor=world.officer.user,
        payment=Payment.objects.get(dossier=dossier),
        accept=False,
        note="Không thấy giao dịch trên sao kê",
    )

    html = client.get(page(dossier)).content.decode()

    assert "Không xác nhận – Không thấy giao dịch trên sao kê" in html
    assert 'name="reference"' in html and 'value="125000"' in html


def test_dossier_without_fees_shows_no_payment_panel(world: World) -> None:
    free = make_world(fees=())
    dossier = services.dossier_submit_online(
        actor=free.citizen,
        procedure=free.procedure,
        agency=free.ward,
        form_data={"ho_ten": "Nguyễn Văn Bình"},
        papers=free.uploads(),
    )

    html = login(free.citizen).get(page(dossier)).content.decode()

    assert 'id="payment"' not in html


def test_receipt_lists_what_was_due_and_what_was_paid(world: World, dossier: Dossier) -> None:
    client = login(world.citizen)
    pay(client, dossier, provider="bank_transfer", reference="FT-PARTIAL-1", amount="25000")
    pay(client, dossier, provider="bank_transfer", reference="FT-PENDING-2", amount="100000")
    first, _pending = Payment.objects.filter(dossier=dossier).order_by("id")
    services.payment_confirm(actor=world.officer.user, payment=first)

    pdf = client.get(receipt(dossier)).content
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )

    assert "GIẤY XÁC NHẬN NỘP PHÍ, LỆ PHÍ" in text
    assert dossier.code in text
    assert "Lệ phí cấp giấy" in text and "Phí thẩm định" in text
    assert "125.000 đồng" in text  # the total due
    assert "FT-PARTIAL-1" in text  # the confirmed payment…
    assert "FT-PENDING-2" not in text  # …and not the one still pending
    assert "Tổng số đã nộp: 25.000 đồng" in text
    assert "Số còn phải nộp: 100.000 đồng" in text


def test_panel_in_english(world: World, dossier: Dossier, settings: Any) -> None:
    client = login(world.citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(page(dossier)).content.decode()

    assert "Amount to transfer" in html and "Record my transfer" in html
    assert "Bank transaction reference" in html
