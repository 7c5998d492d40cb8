"""The one-stop-shop forms of Circular 01/2018/TT-VPCP as plain data, and `render_pdf`.

Callers (the dossiers app) build one of the dataclasses below from their own records and get
PDF bytes back; this module imports no domain app and touches no database.

    pdf = render_pdf(ReceiptSlip(agency=AgencyHeader(...), dossier_code=..., ...))

| dataclass           | form                                                        |
|---------------------|-------------------------------------------------------------|
| `ReceiptSlip`       | Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả              |
| `SupplementRequest` | Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ              |
| `Refusal`           | Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ             |
| `ApologyLetter`     | Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả            |
| `ControlSheet`      | Mẫu 05 Phiếu kiểm soát quá trình giải quyết hồ sơ           |

Datetimes must be aware; they are printed in Asia/Ho_Chi_Minh. The forms are legal texts in
Vietnamese and are not translated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from egov.printing.dates import to_local, vn_place_date, vn_time
from egov.printing.layout import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PageSetup,
    Signer,
    Styles,
    build_pdf,
    document_header,
    grid_table,
    labelled,
    make_styles,
    numbered,
    signature_block,
    text,
    title_block,
)

A4_WIDTH = 210 * mm
A4_HEIGHT = 297 * mm
PORTRAIT_WIDTH = A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
LANDSCAPE_WIDTH = A4_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT

DEFAULT_OFFICE = "Bộ phận tiếp nhận và trả kết quả"


@dataclass(frozen=True)
class AgencyHeader:
    """The issuing agency as the header prints it.

    `parent_name` (upper-case, plain) sits above `name` (upper-case, bold); `place` starts the
    place-and-date line; the body text names the receiving office as `office_name` followed by
    `display_name` (or `name` when that is empty).
    """

    name: str
    place: str
    parent_name: str = ""
    office_name: str = DEFAULT_OFFICE
    display_name: str = ""  # the agency in running text, e.g. "Ủy ban nhân dân phường Hải Châu"

    @property
    def in_text(self) -> str:
        return self.display_name or self.name

    @property
    def office_in_text(self) -> str:
        return f"{self.office_name} {self.in_text}"


@dataclass(frozen=True)
class PaperLine:
    """One paper of the dossier: its name, how many, and original or copy."""

    name: str
    copies: int = 1
    original_or_copy: str = "Bản chính"


class StepOutcome(StrEnum):
    EARLY = "Trước hạn"
    ON_TIME = "Đúng hạn"
    LATE = "Quá hạn"


@dataclass(frozen=True)
class ControlStep:
    """One hand-over of the dossier, a row of the control sheet."""

    name: str
    from_unit: str
    to_unit: str
    handed_over_at: datetime | None = None
    from_person: str = ""
    to_person: str = ""
    outcome: StepOutcome | str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.handed_over_at is not None:
            to_local(self.handed_over_at)
        if self.outcome is not None and self.outcome != "":
            StepOutcome(self.outcome)  # "Trước hạn", "Đúng hạn" or "Quá hạn" only


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(*values: datetime | None) -> None:
    for value in values:
        if value is not None:
            to_local(value)


@dataclass(frozen=True)
class ReceiptSlip:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    agency: AgencyHeader
    dossier_code: str
    applicant_name: str
    applicant_address: str
    procedure_name: str
    papers: Sequence[PaperLine]
    received_at: datetime
    due_at: datetime
    receiving_officer: str
    tracking_url: str = ""
    phone: str = ""
    email: str = ""
    number: str = ""
    processing_time: str = ""  # e.g. "05 ngày làm việc", as the procedure states it
    dossier_sets: int = 1
    result_delivery: str = ""  # e.g. "Bộ phận Một cửa" or "Dịch vụ bưu chính công ích"
    register_entry: str = ""  # e.g. "Quyển số 01, số thứ tự 125"
    applicant_signs: bool = True  # False for dossiers submitted online
    issued_at: datetime | None = None  # defaults to received_at

    TITLE = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"

    def __post_init__(self) -> None:
        _aware(self.received_at, self.due_at, self.issued_at)
        if self.due_at < self.received_at:
            raise ValueError("Ngày hẹn trả kết quả không được trước ngày tiếp nhận.")


@dataclass(frozen=True)
class SupplementRequest:
    """Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ — everything missing, in one request."""

    agency: AgencyHeader
    dossier_code: str
    applicant_name: str
    applicant_address: str
    procedure_name: str
    missing: Sequence[str]
    officer: str
    received_at: datetime | None = None
    note: str = ""
    contact: str = ""  # whom to call with questions, e.g. "Bộ phận Một cửa, 0236 3822 111"
    tracking_url: str = ""
    phone: str = ""
    number: str = ""
    issued_at: datetime = field(default_factory=_now)

    TITLE = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"

    def __post_init__(self) -> None:
        _aware(self.received_at, self.issued_at)
        if not [m for m in self.missing if m.strip()]:
            raise ValueError(
                "Phiếu yêu cầu bổ sung phải nêu đầy đủ, một lần, các nội dung cần bổ sung."
            )


@dataclass(frozen=True)
class Refusal:
    """Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    agency: AgencyHeader
    applicant_name: str
    applicant_address: str
    procedure_name: str
    reasons: Sequence[str]
    officer: str
    dossier_code: str = ""  # a refused dossier may have no code
    tracking_url: str = ""
    phone: str = ""
    number: str = ""
    issued_at: datetime = field(default_factory=_now)

    TITLE = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"

    def __post_init__(self) -> None:
        _aware(self.issued_at)
        if not [r for r in self.reasons if r.strip()]:
            raise ValueError("Phiếu từ chối phải nêu rõ lý do.")


@dataclass(frozen=True)
class ApologyLetter:
    """Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả."""

    agency: AgencyHeader
    dossier_code: str
    applicant_name: str
    procedure_name: str
    received_at: datetime
    original_due_at: datetime
    new_due_at: datetime
    reason: str
    signer_name: str = ""
    signer_title: str = "Thủ trưởng cơ quan"
    honorific: str = "Ông/Bà"  # "" for an organisation: the text then says "Quý cơ quan, tổ chức"
    tracking_url: str = ""
    number: str = ""
    issued_at: datetime = field(default_factory=_now)

    TITLE = "Phiếu xin lỗi và hẹn lại ngày trả kết quả"

    def __post_init__(self) -> None:
        _aware(self.received_at, self.original_due_at, self.new_due_at, self.issued_at)
        if self.new_due_at <= self.original_due_at:
            raise ValueError("Ngày hẹn lại phải sau ngày hẹn trả kết quả ban đầu.")
        if not self.reason.strip():
            raise ValueError("Phiếu xin lỗi phải nêu lý do chậm trả kết quả.")


@dataclass(frozen=True)
class ControlSheet:
    """Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ (landscape, one row per hand-over)."""

    agency: AgencyHeader
    dossier_code: str
    applicant_name: str
    due_at: datetime
    steps: Sequence[ControlStep]
    procedure_name: str = ""
    tracking_url: str = ""
    number: str = ""
    signature_space: bool = True  # room in each row for the hand-over signatures
    issued_at: datetime = field(default_factory=_now)

    TITLE = "Phiếu kiểm soát quá trình giải quyết hồ sơ"

    def __post_init__(self) -> None:
        _aware(self.due_at, self.issued_at)


Form = ReceiptSlip | SupplementRequest | Refusal | ApologyLetter | ControlSheet


def render_pdf(form: Form) -> bytes:
    """The form as a PDF (A4, fonts embedded), ready to store, send or serve."""
    builder = _BUILDERS.get(type(form))
    if builder is None:
        raise TypeError(f"Không có mẫu in cho {type(form).__name__}.")
    styles = make_styles()
    story = builder(form, styles)
    setup = PageSetup(
        title=f"{form.TITLE} — {form.dossier_code}" if form.dossier_code else form.TITLE,
        author=form.agency.name,
        subject=form.TITLE,
        dossier_code=form.dossier_code,
        tracking_url=form.tracking_url,
        landscape=isinstance(form, ControlSheet),
    )
    return build_pdf(setup, story)


def _issued(form: Form) -> datetime:
    if isinstance(form, ReceiptSlip):
        return form.issued_at or form.received_at
    return form.issued_at


def _head(form: Form, styles: Styles, width: float) -> list[Flowable]:
    agency = form.agency
    return [
        document_header(
            styles,
            parent_name=agency.parent_name,
            name=agency.name,
            number=form.number,
            place_date=vn_place_date(agency.place, to_local(_issued(form))),
            width=width,
        ),
        *title_block(styles, form.TITLE, form.dossier_code),
    ]


def _p(styles: Styles, markup: str) -> Paragraph:
    return Paragraph(markup, styles.body)


def _receipt(form: ReceiptSlip, s: Styles) -> list[Flowable]:
    w = PORTRAIT_WIDTH
    story = _head(form, s, w)
    story += [
        _p(s, f"{text(form.agency.office_in_text)} tiếp nhận hồ sơ của:"),
        labelled(s, "Ông/Bà (tổ chức)", form.applicant_name, bold=True),
        labelled(s, "Địa chỉ", form.applicant_address),
        Paragraph(
            f"Số điện thoại: {text(form.phone) or '…………'}"
            + (f"&nbsp;&nbsp;&nbsp;&nbsp;Email: {text(form.email)}" if form.email else ""),
            s.line,
        ),
        labelled(s, "Nội dung yêu cầu giải quyết", form.procedure_name),
        _p(s, "1. Thành phần hồ sơ nộp gồm:"),
    ]
    rows: list[list[Any]] = [
        [
            Paragraph("STT", s.cell_head),
            Paragraph("Tên giấy tờ", s.cell_head),
            Paragraph("Hình thức", s.cell_head),
            Paragraph("Số lượng", s.cell_head),
        ]
    ]
    for i, paper in enumerate(form.papers, 1):
        rows.append(
            [
                Paragraph(str(i), s.cell_centre),
                Paragraph(text(paper.name), s.cell),
                Paragraph(text(paper.original_or_copy), s.cell_centre),
                Paragraph(str(paper.copies), s.cell_centre),
            ]
        )
    story.append(grid_table(rows, [12 * mm, w - 12 * mm - 38 * mm - 20 * mm, 38 * mm, 20 * mm]))
    closing: list[Flowable] = [
        Spacer(1, 6),
        _p(s, f"2. Số lượng hồ sơ: {form.dossier_sets:02d} (bộ)"),
        _p(
            s,
            "3. Thời gian giải quyết hồ sơ theo quy định là: "
            + (text(form.processing_time) if form.processing_time else "…………"),
        ),
        _p(s, f"4. Thời gian nhận hồ sơ: {vn_time(form.received_at)}"),
        _p(s, f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{vn_time(form.due_at)}</b>"),
        _p(
            s,
            "6. Đăng ký nhận kết quả tại: "
            + (text(form.result_delivery) if form.result_delivery else "…………"),
        ),
    ]
    if form.register_entry:
        closing.append(_p(s, f"Vào Sổ theo dõi hồ sơ: {text(form.register_entry)}"))
    signers = [Signer("Người nộp hồ sơ")] if form.applicant_signs else []
    signers.append(Signer("Người tiếp nhận hồ sơ", form.receiving_officer))
    closing.append(signature_block(s, signers, w))
    story.append(KeepTogether(closing))  # the dates and the signatures never part
    return story


def _supplement(form: SupplementRequest, s: Styles) -> list[Flowable]:
    w = PORTRAIT_WIDTH
    story = _head(form, s, w)
    when = f"Ngày {vn_time(form.received_at).split(', ngày ', 1)[1]}, " if form.received_at else ""
    story += [
        labelled(s, "Hồ sơ của", form.applicant_name, bold=True),
        labelled(s, "Địa chỉ", form.applicant_address),
    ]
    if form.phone:
        story.append(labelled(s, "Số điện thoại", form.phone))
    story += [
        labelled(s, "Nội dung yêu cầu giải quyết", form.procedure_name),
        _p(
            s,
            f"{when}{text(form.agency.office_in_text)} đã tiếp nhận hồ sơ "
            "nêu trên. Sau khi xem xét, đối chiếu thành phần hồ sơ, đề nghị Ông/Bà (tổ chức) "
            "bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
        ),
        *numbered(s, [m for m in form.missing if m.strip()]),
    ]
    if form.note:
        story.append(_p(s, f"Ghi chú: {text(form.note)}"))
    contact = f" ({text(form.contact)})" if form.contact else ""
    story.append(
        _p(
            s,
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà (tổ chức) liên hệ "
            f"{text(form.agency.office_name)}{contact} để được hướng dẫn.",
        )
    )
    story.append(signature_block(s, [Signer("Người hướng dẫn", form.officer)], w))
    return story


def _refusal(form: Refusal, s: Styles) -> list[Flowable]:
    w = PORTRAIT_WIDTH
    story = _head(form, s, w)
    story += [
        _p(s, f"{text(form.agency.office_in_text)} tiếp nhận hồ sơ của:"),
        labelled(s, "Ông/Bà (tổ chức)", form.applicant_name, bold=True),
        labelled(s, "Địa chỉ", form.applicant_address),
    ]
    if form.phone:
        story.append(labelled(s, "Số điện thoại", form.phone))
    story += [
        labelled(s, "Nội dung yêu cầu giải quyết", form.procedure_name),
        _p(
            s,
            "Sau khi nghiên cứu, đối chiếu với các quy định hiện hành, "
            f"{text(form.agency.office_name)} từ chối tiếp nhận, giải quyết hồ sơ này "
            "vì lý do sau:",
        ),
        *numbered(s, [r for r in form.reasons if r.strip()]),
        _p(s, "Xin thông báo để Ông/Bà (tổ chức) được biết và thực hiện."),
        signature_block(s, [Signer("Người tiếp nhận hồ sơ", form.officer)], w),
    ]
    return story


def _apology(form: ApologyLetter, s: Styles) -> list[Flowable]:
    w = PORTRAIT_WIDTH
    story = _head(form, s, w)
    you = form.honorific or "Quý cơ quan, tổ chức"
    addressee = f"{form.honorific} {form.applicant_name}".strip()
    story += [
        Paragraph(f"Kính gửi: <b>{text(addressee)}</b>", s.centre),
        Spacer(1, 8),
        _p(
            s,
            f"Ngày {vn_time(form.received_at).split(', ngày ', 1)[1]}, "
            f"{text(form.agency.in_text)}"
            f" tiếp nhận giải quyết hồ sơ của {text(you)} đề nghị giải quyết thủ tục "
            f"<b>{text(form.procedure_name)}</b>. Mã hồ sơ: <b>{text(form.dossier_code)}</b>.",
        ),
        _p(s, f"Thời hẹn trả kết quả giải quyết hồ sơ: {vn_time(form.original_due_at)}."),
        _p(
            s,
            f"Tuy nhiên đến nay, hồ sơ của {text(you)} chưa được giải quyết xong, "
            f"lý do: {text(form.reason)}",
        ),
        _p(
            s,
            f"Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của {text(you)}. "
            f"Chúng tôi xin lỗi {text(you)} và hẹn lại thời gian trả kết quả vào "
            f"<b>{vn_time(form.new_due_at)}</b>.",
        ),
        _p(s, f"Xin trân trọng cảm ơn sự hợp tác của {text(you)}."),
        signature_block(s, [Signer(form.signer_title, form.signer_name, "(Ký tên, đóng dấu)")], w),
    ]
    return story


def _control(form: ControlSheet, s: Styles) -> list[Flowable]:
    w = LANDSCAPE_WIDTH
    story = _head(form, s, w)
    story.append(Paragraph(f"(Kèm theo hồ sơ của: <b>{text(form.applicant_name)}</b>)", s.centre))
    if form.procedure_name:
        story.append(Paragraph(f"Thủ tục: {text(form.procedure_name)}", s.centre))
    story += [
        Paragraph(f"Ngày hẹn trả kết quả: <b>{vn_time(form.due_at)}</b>", s.centre),
        Spacer(1, 8),
    ]
    head = [
        "STT",
        "Bước xử lý",
        "Bên giao hồ sơ (cơ quan, người giao)",
        "Bên nhận hồ sơ (cơ quan, người nhận)",
        "Thời gian giao, nhận hồ sơ",
        "Kết quả (trước hạn / đúng hạn / quá hạn)",
        "Ghi chú",
    ]
    rows: list[list[Any]] = [[Paragraph(h, s.cell_head) for h in head]]

    def party(unit: str, person: str) -> list[Flowable]:
        cell: list[Flowable] = [Paragraph(text(unit), s.cell)]
        if person:
            cell.append(Paragraph(f"<i>{text(person)}</i>", s.cell))
        if form.signature_space:
            cell.append(Spacer(1, 10 * mm))
        return cell

    for i, step in enumerate(form.steps, 1):
        when = vn_time(step.handed_over_at) if step.handed_over_at else ""
        outcome = str(StepOutcome(step.outcome)) if step.outcome else ""
        rows.append(
            [
                Paragraph(str(i), s.cell_centre),
                Paragraph(text(step.name), s.cell),
                party(step.from_unit, step.from_person),
                party(step.to_unit, step.to_person),
                Paragraph(text(when), s.cell),
                Paragraph(f"<b>{text(outcome)}</b>" if outcome else "", s.cell_centre),
                Paragraph(text(step.note), s.cell),
            ]
        )
    fixed = [12 * mm, 45 * mm, 50 * mm, 50 * mm, 40 * mm, 28 * mm]
    story.append(grid_table(rows, [*fixed, w - sum(fixed)]))
    return story


_BUILDERS: dict[type, Callable[[Any, Styles], list[Flowable]]] = {
    ReceiptSlip: _receipt,
    SupplementRequest: _supplement,
    Refusal: _refusal,
    ApologyLetter: _apology,
    ControlSheet: _control,
}
