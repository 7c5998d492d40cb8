"""The registers of Decree 30/2020 Appendix IV, printed (PDF) and exported (XLSX).

* Sổ đăng ký văn bản đi (outgoing, 10 columns), Sổ đăng ký văn bản đến (incoming, 10 columns)
  and Sổ theo dõi giải quyết văn bản đến (follow-up, 7 columns), with the column headers of
  Appendix IV word for word and the row of column numbers under them.
* Each starts with its cover: the agency, the register's name and the year.
* XLSX is written with openpyxl's write-only workbook (rows go to a temporary file as they
  come) from `values_list` rows read with `.iterator(chunk_size=2000)`, so a year of 50,000
  outgoing documents exports in flat memory; the view serves the temporary file as it is read.
* PDF is ReportLab, landscape A4, Tinos (the embedded Vietnamese font), the header row repeated
  on every page, page numbers at the foot. Rows go into tables of a few hundred rows each so the
  layout never holds the whole year in one flowable.

Secret documents are not in these registers: they have their own series and register.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.documents import selectors
from egov.documents.models import DocumentStatus

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Register:
    kind: str
    title: str
    headers: tuple[str, ...]
    widths: tuple[float, ...]  # relative widths of the columns
    rows: Callable[[int, int], Iterator[Row]]


OUTGOING_HEADERS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
INCOMING_HEADERS = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
FOLLOW_UP_HEADERS = (
    "Số đến",
    "Tên loại, số, ký hiệu, ngày tháng và cơ quan ban hành",
    "Đơn vị hoặc người nhận",
    "Thời hạn giải quyết",
    "Tiến độ giải quyết",
    "Số, ký hiệu văn bản trả lời",
    "Ghi chú",
)


def _d(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def _number_notation(number: str, notation: str) -> str:
    if not number:
        return notation or ""
    return f"{number}/{notation}" if notation else number


def _type_subject(type_name: str, subject: str) -> str:
    return f"{type_name}: {subject}" if type_name else subject


def _batches(rows: Iterator[Row], size: int = selectors.CHUNK) -> Iterator[list[Row]]:
    while batch := list(islice(rows, size)):
        yield batch


def outgoing_rows(agency_id: int, year: int) -> Iterator[Row]:
    rows = selectors.outgoing_register_rows(agency_id, year)
    for batch in _batches(rows):
        names = selectors.outgoing_recipient_names([r[-1] for r in batch])
        for (
            number, notation, issued, type_name, subject, signer, to_places, unit, amount,
            issued_at, note, pk,
        ) in batch:  # fmt: skip
            places = "; ".join(names.get(pk, [])) or to_places
            yield (
                _number_notation(number, notation),
                _d(issued),
                _type_subject(type_name, subject),
                signer,
                places,
                unit or "",
                amount if amount is not None else "",
                _d(issued_at),
                "",
                note,
            )


def incoming_rows(agency_id: int, year: int) -> Iterator[Row]:
    rows = selectors.incoming_register_rows(agency_id, year)
    for (
        arrival, arrival_number, organ, number, notation, issued, type_name, subject, to_places,
        directed_at, note,
    ) in rows:  # fmt: skip
        yield (
            _d(arrival),
            arrival_number,
            organ,
            _number_notation(number, notation),
            _d(issued),
            _type_subject(type_name, subject),
            to_places,
            _d(directed_at),
            "",
            note,
        )


def _progress(status: str, closed_at: datetime | None, on_time: bool | None) -> str:
    if status == DocumentStatus.DONE:
        when = _d(closed_at)
        return (
            _("Đã giải quyết %(d)s (đúng hạn)") % {"d": when}
            if on_time
            else _("Đã giải quyết %(d)s (quá hạn)") % {"d": when}
        )
    return str(DocumentStatus(status).label) if status in DocumentStatus.values else status


def follow_up_rows(agency_id: int, year: int) -> Iterator[Row]:
    rows = selectors.follow_up_rows(agency_id, year)
    for batch in _batches(rows):
        summaries = selectors.handling_summaries([r[0] for r in batch])
        for (
            pk, arrival_number, type_name, number, notation, issued, organ, to_places, due,
            status, closed_at, on_time, note,
        ) in batch:  # fmt: skip
            summary = summaries.get(pk, {"handlers": [], "replies": []})
            described = ", ".join(
                p for p in (type_name, _number_notation(number, notation), _d(issued), organ) if p
            )
            yield (
                arrival_number,
                described,
                "; ".join(summary["handlers"]) or to_places,
                _d(due),
                _progress(status, closed_at, on_time),
                "; ".join(summary["replies"]),
                note,
            )


REGISTERS: dict[str, Register] = {
    "outgoing": Register(
        "outgoing",
        "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
        OUTGOING_HEADERS,
        (1.4, 1.0, 3.2, 1.3, 2.0, 1.4, 0.7, 1.0, 0.9, 1.1),
        outgoing_rows,
    ),
    "incoming": Register(
        "incoming",
        "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
        INCOMING_HEADERS,
        (1.0, 0.7, 1.8, 1.4, 1.0, 3.2, 1.6, 1.0, 0.9, 1.1),
        incoming_rows,
    ),
    "follow-up": Register(
        "follow-up",
        "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
        FOLLOW_UP_HEADERS,
        (0.8, 3.6, 2.0, 1.2, 2.0, 1.6, 1.2),
        follow_up_rows,
    ),
}


def register_for(kind: str) -> Register | None:
    return REGISTERS.get(kind)


# --- XLSX ----------------------------------------------------------------------------------------


def write_xlsx(
    register: Register, *, agency_id: int, agency_name: str, year: int, out: IO[bytes] | str
) -> int:
    """Write the register to `out` (a path or a binary file); returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    cover = book.create_sheet(_("Bìa"))
    for value, size in ((agency_name.upper(), 13), ("", 0), (register.title, 16), (
        _("Năm %(y)s") % {"y": year}, 13,
    )):  # fmt: skip
        cell = WriteOnlyCell(cover, value=value)
        if size:
            cell.font = Font(bold=True, size=size)
        cover.append([cell])
    cover.column_dimensions["A"].width = 80

    sheet = book.create_sheet(_("Sổ"))
    sheet.freeze_panes = "A3"
    for i, width in enumerate(register.widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = round(width * 12, 1)
    bold = Font(bold=True)
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    header = []
    for title in register.headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.alignment = bold, centred
        header.append(cell)
    sheet.append(header)
    sheet.append([f"({i})" for i in range(1, len(register.headers) + 1)])
    count = 0
    for row in register.rows(agency_id, year):
        sheet.append(row)
        count += 1
    book.save(out)
    return count


def xlsx_tempfile(register: Register, *, agency_id: int, agency_name: str, year: int) -> IO[bytes]:
    """The register in a temporary file (deleted when closed), rewound for reading."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    write_xlsx(register, agency_id=agency_id, agency_name=agency_name, year=year, out=handle)
    handle.seek(0)
    return handle


# --- PDF -----------------------------------------------------------------------------------------

PDF_TABLE_ROWS = 300


def _pdf_tables(
    register: Register, rows: Iterable[Row], styles: Any, width: float
) -> Iterator[Any]:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    total = sum(register.widths)
    col_widths = [width * w / total for w in register.widths]
    head = [Paragraph(f"<b>{h}</b>", styles["head"]) for h in register.headers]
    numbers = [Paragraph(f"({i})", styles["head"]) for i in range(1, len(register.headers) + 1)]
    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    for batch in _batches(iter(rows), PDF_TABLE_ROWS):
        body = [[Paragraph(_escape(v), styles["cell"]) for v in row] for row in batch]
        yield Table([head, numbers, *body], colWidths=col_widths, repeatRows=2, style=style)
    # An empty register still prints its header.
    yield Table([head, numbers], colWidths=col_widths, repeatRows=2, style=style)


def _escape(value: Any) -> str:
    from xml.sax.saxutils import escape

    return escape("" if value is None else str(value))


def render_pdf(register: Register, *, agency_id: int, agency_name: str, year: int) -> bytes:
    """The register as a printable PDF (landscape A4, cover page, page numbers)."""
    import io

    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    from egov.printing.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    page = landscape(A4)
    margin = 15 * mm
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=f"{register.title} {year}",
        author=agency_name,
    )
    styles = {
        "cover_agency": ParagraphStyle(
            "ca", fontName=BOLD, fontSize=15, leading=20, alignment=TA_CENTER
        ),
        "cover_title": ParagraphStyle(
            "ct", fontName=BOLD, fontSize=26, leading=34, alignment=TA_CENTER
        ),
        "cover_year": ParagraphStyle(
            "cy", fontName=BOLD, fontSize=16, leading=22, alignment=TA_CENTER
        ),
        "head": ParagraphStyle("h", fontName=REGULAR, fontSize=9, leading=11, alignment=TA_CENTER),
        "cell": ParagraphStyle("c", fontName=REGULAR, fontSize=9, leading=11),
    }
    story: list[Any] = [
        Paragraph(_escape(agency_name.upper()), styles["cover_agency"]),
        Spacer(1, 50 * mm),
        Paragraph(_escape(register.title), styles["cover_title"]),
        Spacer(1, 10 * mm),
        Paragraph(_escape(_("Năm %(y)s") % {"y": year}), styles["cover_year"]),
        PageBreak(),
    ]
    tables = list(
        _pdf_tables(register, register.rows(agency_id, year), styles, page[0] - 2 * margin)
    )
    story += tables if len(tables) == 1 else tables[:-1]

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 9)
        canvas.drawCentredString(page[0] / 2, 8 * mm, _("Trang %(n)s") % {"n": document.page})
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
