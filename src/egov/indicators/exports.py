"""Every dashboard table as XLSX (openpyxl, write-only) and PDF (egov.printing, Tinos)."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from egov.indicators.dashboards import Table
from egov.printing.layout import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    PageSetup,
    build_pdf,
    grid_table,
    make_styles,
    text,
)


def to_xlsx(tables: Sequence[Table]) -> bytes:
    # Imported here: openpyxl costs a web process ~23 MB, and few requests export.
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for n, table in enumerate(tables, start=1):
        sheet = book.create_sheet(title=f"Bang {n}")
        sheet.append([table.title])
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(tables: Sequence[Table], *, title: str, author: str = "egov") -> bytes:
    styles = make_styles()
    story: list[Flowable] = []
    width = landscape(A4)[0] - MARGIN_LEFT - MARGIN_RIGHT
    for table in tables:
        story.append(Paragraph(text(table.title), styles.title))
        story.append(Spacer(1, 3 * mm))
        cols = max(len(table.headers), 1)
        first = min(70 * mm, width / cols * 2)
        rest = (width - first) / max(cols - 1, 1)
        widths = [rest] * cols
        if cols > 1:
            widths[1] = first
        rows = [[Paragraph(text(h), styles.small) for h in table.headers]] + [
            [Paragraph(text(c), styles.small) for c in row] for row in table.rows
        ]
        story.append(grid_table(rows, widths))
        story.append(Spacer(1, 6 * mm))
    setup = PageSetup(
        title=title, author=author, subject=title, dossier_code="", tracking_url="", landscape=True
    )
    return build_pdf(setup, story)
