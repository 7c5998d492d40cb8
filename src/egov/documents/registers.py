"""The registers of Decree 30/2020 Appendix IV, printed (PDF) and exported (XLSX).

* Sổ đăng ký văn bản đi (outgoing, 10 columns), Sổ đăng ký văn bản đến (incoming, 10 columns)
  and Sổ theo dõi giải quyết văn bản đến (follow-up, 7 columns), with the column headers of
  Appendix IV word for word and the row of column numbers under them.
* Each starts with its cover: the agency, the register's name and the year.
* XLSX is streamed straight into the zip member, a few hundred rows at a time, from
  `values_list` rows read with `.iterator(chunk_size=2000)`, so a year of 50,000 outgoing
  documents exports in flat memory; the view serves the temporary file as it is read. The
  package is the minimal SpreadsheetML one (workbook, styles, two sheets, inline strings, no
  shared strings): openpyxl's write-only workbook builds a `Cell` per value and cost 8 s of
  the 10 s budget on 500,000 cells, this writer about a sixth of that
  (`benchmarks/documents/export_profile.py`). openpyxl still reads the files in the tests.
* PDF is ReportLab, landscape A4, Tinos (the embedded Vietnamese font), the header row repeated
  on every page, page numbers at the foot. Rows go into tables of a few hundred rows each so the
  layout never holds the whole year in one flowable.

Secret documents are not in these registers: they have their own series and register.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache
from itertools import islice
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from django.db import connection
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


@lru_cache(maxsize=4096)
def _day(value: date) -> str:
    # A register holds a year of a few hundred distinct days: strftime once per day, not per row.
    return value.strftime("%d/%m/%Y")


def _d(value: date | datetime | None, tz: tzinfo | None = None) -> str:
    """dd/mm/yyyy; a datetime in local time (`tz`, the current time zone by default)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(tz or timezone.get_current_timezone())
        value = value.date()
    return _day(value)


def _number_notation(number: str, notation: str) -> str:
    if not number:
        return notation or ""
    return f"{number}/{notation}" if notation else number


def _type_subject(type_name: str, subject: str) -> str:
    return f"{type_name}: {subject}" if type_name else subject


def _batches(rows: Iterator[Row], size: int = selectors.CHUNK) -> Iterator[list[Row]]:
    while batch := list(islice(rows, size)):
        yield batch


# documents.Recipient (the PostgreSQL tests run it, so a renamed column fails there).
_RECIPIENT_PLACES_SQL = """
    SELECT document_id, string_agg(organ_name, %s ORDER BY kind, id)
    FROM documents_recipient WHERE document_id = ANY(%s) GROUP BY document_id
"""


def _recipient_places(document_ids: list[int]) -> dict[int, str]:
    """Per document, its recipients' names joined with "; " (in recipient kind, then id order).

    On PostgreSQL one `string_agg` per batch with the ids as one array parameter (`= ANY(%s)`,
    not an `IN` of 2,000 placeholders that psycopg splits and PostgreSQL plans every time):
    0.4 s instead of 1.4 s for the 100,000 recipients of a 50,000-row register. Elsewhere
    (SQLite) the per-recipient selector, joined here.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_RECIPIENT_PLACES_SQL, ["; ", list(document_ids)])
            return dict(cursor.fetchall())
    names = selectors.outgoing_recipient_names(document_ids)
    return {pk: "; ".join(found) for pk, found in names.items()}


def outgoing_rows(agency_id: int, year: int) -> Iterator[Row]:
    rows = selectors.outgoing_register_rows(agency_id, year)
    tz = timezone.get_current_timezone()
    for batch in _batches(rows):
        names = _recipient_places([r[-1] for r in batch])
        for (
            number, notation, issued, type_name, subject, signer, to_places, unit, amount,
            issued_at, note, pk,
        ) in batch:  # fmt: skip
            places = names.get(pk) or to_places
            yield (
                _number_notation(number, notation),
                _d(issued),
                _type_subject(type_name, subject),
                signer,
                places,
                unit or "",
                amount if amount is not None else "",
                _d(issued_at, tz),
                "",
                note,
            )


def incoming_rows(agency_id: int, year: int) -> Iterator[Row]:
    rows = selectors.incoming_register_rows(agency_id, year)
    tz = timezone.get_current_timezone()
    for (
        arrival, arrival_number, organ, number, notation, issued, type_name, subject, to_places,
        directed_at, note,
    ) in rows:  # fmt: skip
        yield (
            _d(arrival, tz),
            arrival_number,
            organ,
            _number_notation(number, notation),
            _d(issued, tz),
            _type_subject(type_name, subject),
            to_places,
            _d(directed_at, tz),
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


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/worksheet" Target="worksheets/sheet2.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles (`s`): 0 plain, 1 bold 13 pt, 2 bold 16 pt, 3 bold centred and wrapped (headers).
_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="4"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="16"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)  # fmt: skip
# XML 1.0 forbids most control characters even escaped; Excel keeps at most 32,767 per cell.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _escape_text(text: str) -> str:
    # str.replace on the rare hit is several times faster than str.translate with a table.
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text


_CELL_MAX = 32767
_FLUSH_ROWS = 500
# Level 1: a third of the compression time of the default 6; the file is larger (4.8 MB for
# 50,000 outgoing rows, against 3.7 MB from openpyxl at level 6 with shared strings).
_ZIP_LEVEL = 1


def _columns(n: int) -> list[str]:
    letters = []
    for i in range(1, n + 1):
        name = ""
        while i:
            i, r = divmod(i - 1, 26)
            name = chr(65 + r) + name
        letters.append(name)
    return letters


def _row_xml(number: int, values: Iterable[Any], columns: list[str], style: int = 0) -> str:
    """One `<row>`: strings inline (never formulas), numbers as numbers; an empty value is an
    empty cell (as openpyxl writes it), so every row read back has all its columns."""
    s = f' s="{style}"' if style else ""
    cells = []
    for column, value in zip(columns, values, strict=False):
        if value is None or value == "":
            cells.append(f'<c r="{column}{number}"{s}/>')
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            cells.append(f'<c r="{column}{number}"{s}><v>{value}</v></c>')
            continue
        text = str(value)
        if len(text) > _CELL_MAX:
            text = text[:_CELL_MAX]
        cells.append(
            f'<c r="{column}{number}"{s} t="inlineStr"><is><t xml:space="preserve">'
            f"{_escape_text(text)}</t></is></c>"
        )
    return f'<row r="{number}">{"".join(cells)}</row>'


def _sheet_head(widths: Iterable[float], *, frozen_rows: int = 0) -> str:
    pane = (
        f'<pane ySplit="{frozen_rows}" topLeftCell="A{frozen_rows + 1}" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft"/>'
        if frozen_rows
        else ""
    )
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    return (
        _XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )


_SHEET_TAIL = "</sheetData></worksheet>"


def write_xlsx(
    register: Register, *, agency_id: int, agency_name: str, year: int, out: IO[bytes] | str
) -> int:
    """Write the register to `out` (a path or a binary file); returns the number of rows.

    Two sheets: the cover (agency, register, year) and the register (Appendix IV headers in
    bold, the row of column numbers, then the rows), its two head rows frozen.
    """
    cover_sheet, register_sheet = _("Bìa"), _("Sổ")
    workbook = (
        _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
        f'<sheets><sheet name={quoteattr(cover_sheet)} sheetId="1" r:id="rId1"/>'
        f'<sheet name={quoteattr(register_sheet)} sheetId="2" r:id="rId2"/></sheets></workbook>'
    )
    cover = [
        (agency_name.upper(), 1),
        ("", 0),
        (register.title, 2),
        (_("Năm %(y)s") % {"y": year}, 1),
    ]
    columns = _columns(len(register.headers))
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        book.writestr(
            "xl/worksheets/sheet1.xml",
            _sheet_head([80])
            + "".join(_row_xml(i, [v], ["A"], style) for i, (v, style) in enumerate(cover, 1))
            + _SHEET_TAIL,
        )
        with book.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as sheet:
            head = _sheet_head([round(w * 12, 1) for w in register.widths], frozen_rows=2)
            numbers = [f"({i})" for i in range(1, len(columns) + 1)]
            pending = [
                head,
                _row_xml(1, register.headers, columns, 3),
                _row_xml(2, numbers, columns),
            ]
            for count, row in enumerate(register.rows(agency_id, year), start=1):
                pending.append(_row_xml(count + 2, row, columns))
                if len(pending) >= _FLUSH_ROWS:
                    sheet.write("".join(pending).encode())
                    pending.clear()
            pending.append(_SHEET_TAIL)
            sheet.write("".join(pending).encode())
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
