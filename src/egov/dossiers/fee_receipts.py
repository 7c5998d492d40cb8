"""The fee receipt of a dossier as PDF: what was due, what was paid and confirmed, what is left.

"Giấy xác nhận nộp phí, lệ phí" is the platform's confirmation of payments an officer has
confirmed (cash at the counter, or a bank transfer checked against the account statement).
It is not the tax authority's receipt (biên lai thu phí, lệ phí), which the agency's finance
office issues under its own rules. Only confirmed payments are listed; a pending transfer is
not proof of payment. Built with the `egov.printing` layout helpers, like the one-stop forms.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from egov.dossiers import selectors
from egov.dossiers.fees import fee_summary
from egov.dossiers.models import Dossier, PaymentStatus
from egov.dossiers.payments import providers
from egov.dossiers.printouts import agency_header
from egov.dossiers.tracking import public_url
from egov.printing.dates import to_local, vn_place_date, vn_time
from egov.printing.layout import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PageSetup,
    Signer,
    build_pdf,
    document_header,
    grid_table,
    labelled,
    make_styles,
    signature_block,
    text,
    title_block,
)

TITLE = "Giấy xác nhận nộp phí, lệ phí"
WIDTH = 210 * mm - MARGIN_LEFT - MARGIN_RIGHT


def money(amount: int) -> str:
    """125000 → "125.000 đồng"."""
    return f"{int(amount):,} đồng".replace(",", ".")


def _provider_name(code: str) -> str:
    provider = providers().get(code)
    return str(provider.name) if provider is not None else code


def _person(user: object) -> str:
    return str(getattr(user, "full_name", "") or user or "")


def fee_receipt_pdf(dossier: Dossier, *, now: datetime | None = None) -> bytes | None:
    """The receipt, or None while no payment of the dossier is confirmed."""
    summary = fee_summary(dossier)
    confirmed = [
        p
        for p in selectors.dossier_payments(dossier)
        if p.status == PaymentStatus.CONFIRMED and p.confirmed_at is not None
    ]
    if not confirmed:
        return None
    issued = now or timezone.now()
    header = agency_header(dossier.agency)
    s = make_styles()
    story: list[Flowable] = [
        document_header(
            s,
            parent_name=header.parent_name,
            name=header.name,
            number="",
            place_date=vn_place_date(header.place, to_local(issued)),
            width=WIDTH,
        ),
        *title_block(s, TITLE, dossier.code),
        Paragraph(f"{text(header.office_in_text)} xác nhận đã nhận của:", s.body),
        labelled(s, "Ông/Bà (tổ chức)", dossier.applicant_name, bold=True),
        labelled(s, "Địa chỉ", dossier.applicant_address),
        labelled(s, "Nội dung yêu cầu giải quyết", dossier.procedure.name),
        Paragraph("1. Các khoản phí, lệ phí phải nộp:", s.body),
    ]
    due_rows: list[list[object]] = [
        [Paragraph(h, s.cell_head) for h in ("STT", "Khoản thu", "Số tiền")]
    ]
    for i, item in enumerate(summary.items, 1):
        due_rows.append(
            [
                Paragraph(str(i), s.cell_centre),
                Paragraph(text(item.name), s.cell),
                Paragraph(money(item.amount), s.cell),
            ]
        )
    due_rows.append(
        [
            "",
            Paragraph("<b>Tổng cộng</b>", s.cell),
            Paragraph(f"<b>{money(summary.total_due)}</b>", s.cell),
        ]
    )
    story.append(grid_table(due_rows, [12 * mm, WIDTH - 12 * mm - 45 * mm, 45 * mm]))
    story += [Spacer(1, 6), Paragraph("2. Các khoản đã nộp (đã xác nhận):", s.body)]
    paid_rows: list[list[object]] = [
        [
            Paragraph(h, s.cell_head)
            for h in ("STT", "Hình thức", "Mã giao dịch", "Xác nhận lúc", "Số tiền")
        ]
    ]
    for i, payment in enumerate(confirmed, 1):
        assert payment.confirmed_at is not None
        paid_rows.append(
            [
                Paragraph(str(i), s.cell_centre),
                Paragraph(text(_provider_name(payment.provider)), s.cell),
                Paragraph(text(payment.reference), s.cell),
                Paragraph(text(vn_time(payment.confirmed_at)), s.cell),
                Paragraph(money(payment.amount), s.cell),
            ]
        )
    fixed = [12 * mm, 38 * mm, 34 * mm, 40 * mm]
    story.append(grid_table(paid_rows, [*fixed, WIDTH - sum(fixed)]))
    story += [
        Spacer(1, 6),
        Paragraph(f"3. Tổng số đã nộp: <b>{money(summary.paid)}</b>", s.body),
        Paragraph(f"4. Số còn phải nộp: <b>{money(summary.outstanding)}</b>", s.body),
    ]
    officer = confirmed[-1].confirmed_by
    story.append(signature_block(s, [Signer("Người xác nhận", _person(officer))], WIDTH))
    return build_pdf(
        PageSetup(
            title=f"{TITLE} — {dossier.code}",
            author=header.name,
            subject=TITLE,
            dossier_code=dossier.code,
            tracking_url=public_url(dossier.code),
        ),
        story,
    )
