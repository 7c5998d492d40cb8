"""The applicant's fees over REST, twin of the dossier page's fees panel
(`views_citizen_payments`), mounted under /api/v1/dossiers by `dossiers.api`:

* ``GET /dossiers/{code}/payments`` — what is due, paid, pending and left; the payments
  recorded; the instructions of the online provider when something is left to pay.
* ``POST /dossiers/{code}/payments`` — record the bank's reference of a transfer
  (`services.payment_record`; pending until a one-stop officer confirms it).
* ``GET /dossiers/{code}/payments/receipt`` — the receipt of the confirmed payments (PDF).

For the signed-in applicant of the dossier only; anyone else's call answers 404 like a
missing dossier. Refusals are problem documents (422 bad input, 409 the dossier's state).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from egov.api.auth import api_auth
from egov.api.schemas import ProblemOut
from egov.core.errors import NotFound
from egov.dossiers import services
from egov.dossiers.fees import fee_summary
from egov.dossiers.models import DossierStatus, Payment, PaymentStatus
from egov.dossiers.payments import PaymentProvider, providers
from egov.dossiers.policy import access_dossier_for_applicant
from egov.printing.responses import pdf_response

router = Router(auth=api_auth)

CLOSED = (DossierStatus.REFUSED, DossierStatus.WITHDRAWN)


class FeeItemOut(Schema):
    name: str = Field(..., examples=["Lệ phí đăng ký khai sinh"])
    amount: int = Field(..., description="đồng", examples=[25000])


class PaymentOut(Schema):
    id: str = Field(..., description="Mã công khai của khoản thanh toán")
    provider: str = Field(..., examples=["bank_transfer"])
    provider_name: str = Field(..., examples=["Chuyển khoản ngân hàng"])
    reference: str = Field(..., examples=["FT26331004200"])
    amount: int = Field(..., examples=[25000])
    status: str = Field(..., examples=["pending"])
    status_label: str = Field(..., examples=["Chờ xác nhận"])
    note: str = Field("", description="Lý do khi cán bộ không xác nhận")
    recorded_at: datetime
    confirmed_at: datetime | None = None


class InstructionsOut(Schema):
    provider: str = Field(..., examples=["bank_transfer"])
    title: str = Field(..., examples=["Chuyển khoản ngân hàng"])
    lines: list[str]
    amount: int = Field(..., description="Số tiền cần chuyển (đồng)", examples=[25000])
    transfer_note: str = Field(..., description="Nội dung chuyển khoản: mã hồ sơ")
    redirect_url: str = ""


class FeesOut(Schema):
    items: list[FeeItemOut]
    total_due: int
    paid: int = Field(..., description="Đã nộp, đã được xác nhận")
    pending: int = Field(..., description="Đã ghi nhận, chờ cán bộ xác nhận")
    outstanding: int = Field(..., description="Còn phải nộp (chưa tính khoản chờ xác nhận)")
    is_paid: bool
    payments: list[PaymentOut]
    instructions: InstructionsOut | None = Field(
        None, description="Cách nộp trực tuyến, khi còn khoản chưa nộp"
    )
    receipt_available: bool = Field(..., description="Có giấy xác nhận nộp phí (PDF)")


class PaymentIn(Schema):
    provider: str = Field("bank_transfer", examples=["bank_transfer"])
    reference: str = Field(..., description="Mã giao dịch của ngân hàng", examples=["FT2633100"])
    amount: int = Field(..., description="Số tiền đã chuyển (đồng)", examples=[25000])


def _online_provider() -> PaymentProvider | None:
    return next((p for p in providers().values() if p.applicant_may_record), None)


def _payment_out(payment: Payment) -> dict[str, Any]:
    known = providers()
    return {
        "id": str(payment.public_id),
        "provider": payment.provider,
        "provider_name": str(known[payment.provider].name)
        if payment.provider in known
        else payment.provider,
        "reference": payment.reference,
        "amount": payment.amount,
        "status": payment.status,
        "status_label": str(PaymentStatus(payment.status).label),
        "note": payment.note if payment.status == PaymentStatus.REJECTED else "",
        "recorded_at": payment.created_at,
        "confirmed_at": payment.confirmed_at,
    }


@router.get(
    "/{code}/payments",
    response={200: FeesOut, 401: ProblemOut, 404: ProblemOut},
    summary="Phí, lệ phí của hồ sơ và cách nộp trực tuyến (người nộp)",
)
def dossier_fees(request: HttpRequest, code: str) -> Any:
    dossier = access_dossier_for_applicant(request.user, code)
    summary = fee_summary(dossier)
    provider = _online_provider()
    instructions = None
    if provider is not None and summary.unclaimed > 0 and dossier.status not in CLOSED:
        started = provider.start(dossier)
        instructions = {
            "provider": started.provider,
            "title": started.title,
            "lines": list(started.lines),
            "amount": summary.unclaimed,
            "transfer_note": started.transfer_note,
            "redirect_url": started.redirect_url,
        }
    return {
        "items": [{"name": i.name, "amount": i.amount} for i in summary.items],
        "total_due": summary.total_due,
        "paid": summary.paid,
        "pending": summary.pending,
        "outstanding": summary.outstanding,
        "is_paid": summary.is_paid,
        "payments": [_payment_out(p) for p in summary.payments],
        "instructions": instructions,
        "receipt_available": any(p.status == PaymentStatus.CONFIRMED for p in summary.payments),
    }


@router.post(
    "/{code}/payments",
    response={
        201: PaymentOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ProblemOut,
    },
    summary="Ghi nhận mã giao dịch chuyển khoản (chờ cán bộ một cửa xác nhận)",
)
def dossier_payment_record(request: HttpRequest, code: str, payload: PaymentIn) -> Any:
    dossier = access_dossier_for_applicant(request.user, code)
    payment = services.payment_record(
        actor=request.user,
        dossier=dossier,
        provider=payload.provider,
        reference=payload.reference,
        amount=payload.amount,
    )
    return Status(201, _payment_out(payment))


@router.get(
    "/{code}/payments/receipt",
    response={200: None, 401: ProblemOut, 404: ProblemOut},
    summary="Giấy xác nhận nộp phí, lệ phí (PDF) của các khoản đã xác nhận",
    openapi_extra={
        "responses": {200: {"content": {"application/pdf": {"schema": {"type": "string"}}}}}
    },
)
def dossier_fee_receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access_dossier_for_applicant(request.user, code)
    from egov.dossiers.fee_receipts import fee_receipt_pdf  # ReportLab on first use

    pdf = fee_receipt_pdf(dossier)
    if pdf is None:
        raise NotFound(_("Chưa có khoản phí, lệ phí nào được xác nhận."))
    return pdf_response(pdf, f"giay-xac-nhan-nop-phi-{dossier.code}.pdf")
