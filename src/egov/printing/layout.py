"""Page and block layout of a Decree 30 administrative document, with ReportLab's platypus.

Nothing here knows a particular form: `onestop` composes these pieces. Sizes follow Decree
30/2020, Appendix I: A4, margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm; body 13 pt;
the agency block and the national motto side by side; page numbers centred in the top margin
from the second page on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from egov.printing.fonts import BOLD, ITALIC, REGULAR, register_fonts

MOTTO_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_PRINCIPLES = "Độc lập - Tự do - Hạnh phúc"

MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 25 * mm  # room for the tracking QR code in the bottom-right corner
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
QR_SIZE = 19 * mm

BODY_SIZE = 13


def text(value: object) -> str:
    """Caller data made safe for paragraph markup."""
    return escape(str(value))


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    line: ParagraphStyle
    centre: ParagraphStyle
    title: ParagraphStyle
    header_plain: ParagraphStyle
    header_bold: ParagraphStyle
    motto_nation: ParagraphStyle
    motto_principles: ParagraphStyle
    place_date: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_head: ParagraphStyle
    sign_title: ParagraphStyle
    sign_hint: ParagraphStyle
    small: ParagraphStyle


def make_styles() -> Styles:
    register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=BODY_SIZE,
        leading=BODY_SIZE * 1.3,
        alignment=TA_JUSTIFY,
        spaceAfter=4,
    )

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Styles(
        body=base,
        line=derive("line", alignment=TA_LEFT),
        centre=derive("centre", alignment=TA_CENTER, spaceAfter=0),
        title=derive(
            "title",
            fontName=BOLD,
            fontSize=14,
            leading=18,
            alignment=TA_CENTER,
            spaceBefore=10,
            spaceAfter=2,
        ),
        header_plain=derive("header_plain", alignment=TA_CENTER, spaceAfter=0, leading=15),
        header_bold=derive(
            "header_bold", fontName=BOLD, alignment=TA_CENTER, spaceAfter=0, leading=15
        ),
        motto_nation=derive(
            "motto_nation",
            fontName=BOLD,
            fontSize=12,
            leading=15,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
        motto_principles=derive(
            "motto_principles",
            fontName=BOLD,
            fontSize=13,
            leading=15,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
        place_date=derive("place_date", fontName=ITALIC, alignment=TA_CENTER, spaceAfter=0),
        cell=derive("cell", fontSize=12, leading=14.5, alignment=TA_LEFT, spaceAfter=0),
        cell_centre=derive("cell_centre", fontSize=12, leading=14.5, alignment=TA_CENTER),
        cell_head=derive(
            "cell_head", fontName=BOLD, fontSize=12, leading=14.5, alignment=TA_CENTER
        ),
        sign_title=derive("sign_title", fontName=BOLD, alignment=TA_CENTER, spaceAfter=0),
        sign_hint=derive("sign_hint", fontName=ITALIC, alignment=TA_CENTER, spaceAfter=0),
        small=derive("small", fontSize=9, leading=11, alignment=TA_RIGHT, spaceAfter=0),
    )


class CentredRule(Flowable):
    """A short horizontal rule centred in the width it is given (a table cell's, here)."""

    def __init__(self, width: float, *, gap: float = 4, thickness: float = 0.6) -> None:
        super().__init__()
        self.rule_width = width
        self.gap = gap
        self.thickness = thickness
        self._avail = width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._avail = availWidth
        return availWidth, self.gap + self.thickness

    def draw(self) -> None:
        x = (self._avail - self.rule_width) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, self.thickness / 2, x + self.rule_width, self.thickness / 2)


def _rule(width: float) -> CentredRule:
    return CentredRule(width)


def document_header(
    styles: Styles,
    *,
    parent_name: str,
    name: str,
    number: str,
    place_date: str,
    width: float,
) -> Table:
    """Agency block (left) and national motto (right), then the number and place-date line."""
    left_w = width * 0.40
    right_w = width - left_w
    agency: list[Flowable] = []
    if parent_name:
        agency.append(Paragraph(text(parent_name.upper()), styles.header_plain))
    agency.append(Paragraph(text(name.upper()), styles.header_bold))
    name_w = min(stringWidth(name.upper(), BOLD, BODY_SIZE), left_w)
    agency.append(_rule(max(name_w * 0.4, 20 * mm)))

    principles_w = stringWidth(MOTTO_PRINCIPLES, BOLD, styles.motto_principles.fontSize)
    motto: list[Flowable] = [
        Paragraph(MOTTO_NATION, styles.motto_nation),
        Paragraph(MOTTO_PRINCIPLES, styles.motto_principles),
        _rule(principles_w),
    ]
    number_cell: Flowable | str = (
        Paragraph(f"Số: {text(number)}", styles.header_plain) if number else ""
    )
    table = Table(
        [[agency, motto], [number_cell, Paragraph(text(place_date), styles.place_date)]],
        colWidths=[left_w, right_w],
        hAlign="CENTER",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
            ]
        )
    )
    return table


def title_block(styles: Styles, title: str, dossier_code: str) -> list[Flowable]:
    flow: list[Flowable] = [Spacer(1, 8), Paragraph(text(title.upper()), styles.title)]
    if dossier_code:
        flow.append(
            Paragraph(
                f'Mã hồ sơ: <font name="{BOLD}" size="14">{text(dossier_code)}</font>',
                styles.centre,
            )
        )
    flow.append(Spacer(1, 10))
    return flow


def labelled(styles: Styles, label: str, value: str, *, bold: bool = False) -> Paragraph:
    shown = text(value) if value else "…………………"
    if bold and value:
        shown = f"<b>{shown}</b>"
    return Paragraph(f"{text(label)}: {shown}", styles.line)


def numbered(styles: Styles, items: Sequence[str]) -> list[Flowable]:
    style = ParagraphStyle(
        "numbered", parent=styles.body, leftIndent=10 * mm, firstLineIndent=-6 * mm
    )
    return [Paragraph(f"{i}. {text(item)}", style) for i, item in enumerate(items, 1)]


def grid_table(
    rows: list[list[Any]], col_widths: Sequence[float], *, centre_cols: Sequence[int] = ()
) -> Table:
    """A bordered table whose first row is the header, repeated on every page it spans."""
    table = Table(rows, colWidths=list(col_widths), repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    commands += [("ALIGN", (c, 1), (c, -1), "CENTER") for c in centre_cols]
    table.setStyle(TableStyle(commands))
    return table


@dataclass(frozen=True)
class Signer:
    title: str
    name: str = ""
    hint: str = "(Ký và ghi rõ họ tên)"


def signature_block(styles: Styles, signers: Sequence[Signer], width: float) -> Flowable:
    """One column per signer, right-aligned when alone (as in Decree 30), kept together."""

    def column(s: Signer) -> list[Flowable]:
        cells: list[Flowable] = [Paragraph(text(s.title.upper()), styles.sign_title)]
        if s.hint:
            cells.append(Paragraph(text(s.hint), styles.sign_hint))
        cells.append(Spacer(1, 22 * mm))
        if s.name:
            cells.append(Paragraph(f"<b>{text(s.name)}</b>", styles.centre))
        return cells

    if len(signers) == 1:
        data = [["", column(signers[0])]]
        widths = [width * 0.45, width * 0.55]
    else:
        data = [[column(s) for s in signers]]
        widths = [width / len(signers)] * len(signers)
    table = Table(data, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([Spacer(1, 10), table])


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw `payload` as a vector QR code (segno's matrix) with its bottom-left at (x, y)."""
    import segno  # here: ~11 MB a web process needs only while printing

    qr = segno.make(payload, error="m", micro=False)
    matrix = qr.matrix
    border = 2
    modules = len(matrix) + 2 * border
    cell = size / modules
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)
    for r, row in enumerate(matrix):
        run_start = None
        for c, dark in enumerate([*row, 0]):
            if dark and run_start is None:
                run_start = c
            elif not dark and run_start is not None:
                canvas.rect(
                    x + (border + run_start) * cell,
                    y + size - (border + r + 1) * cell,
                    (c - run_start) * cell,
                    cell,
                    stroke=0,
                    fill=1,
                )
                run_start = None
    canvas.restoreState()
    canvas.linkURL(payload, (x, y, x + size, y + size), relative=0)


@dataclass(frozen=True)
class PageSetup:
    """What is drawn outside the flowing text: the QR code, page numbers, the code footer."""

    title: str
    author: str
    subject: str
    dossier_code: str
    tracking_url: str
    landscape: bool = False


def build_pdf(setup: PageSetup, story: list[Flowable]) -> bytes:
    register_fonts()
    size = landscape(A4) if setup.landscape else A4
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=setup.title,
        author=setup.author,
        subject=setup.subject,
        creator="egov",
        producer="egov (ReportLab)",
        lang="vi-VN",
        initialFontName=REGULAR,
        initialFontSize=BODY_SIZE,
        invariant=1,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_decorate(setup, size))])
    doc.build(story)
    return buffer.getvalue()


def _decorate(setup: PageSetup, size: tuple[float, float]) -> Callable[[Canvas, Any], None]:
    page_w, page_h = size

    def on_page(canvas: Canvas, doc: Any) -> None:
        page = canvas.getPageNumber()
        canvas.saveState()
        if page > 1:
            canvas.setFont(REGULAR, BODY_SIZE)
            canvas.drawCentredString(
                MARGIN_LEFT + (page_w - MARGIN_LEFT - MARGIN_RIGHT) / 2,
                page_h - MARGIN_TOP / 2 - 2 * mm,
                str(page),
            )
            if setup.dossier_code:
                canvas.setFont(REGULAR, 9)
                canvas.drawString(MARGIN_LEFT, 10 * mm, f"Mã hồ sơ: {setup.dossier_code}")
        elif setup.tracking_url:
            right = page_w - MARGIN_RIGHT
            qr_y = 4 * mm
            draw_qr(canvas, setup.tracking_url, right - QR_SIZE, qr_y, QR_SIZE)
            canvas.setFont(REGULAR, 9)
            lines = ["Quét mã QR hoặc truy cập địa chỉ dưới đây", "để tra cứu tình trạng hồ sơ:"]
            lines.append(setup.tracking_url)
            y = qr_y + QR_SIZE / 2 + 6
            for line in lines:
                canvas.drawRightString(right - QR_SIZE - 2 * mm, y, line)
                y -= 11
        canvas.restoreState()

    return on_page
