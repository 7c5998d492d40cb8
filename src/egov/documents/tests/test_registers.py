"""Appendix IV registers: exact column headers, XLSX rows (write-only workbook), the PDF with
its Vietnamese headers, the export page and the command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from egov.documents import registers
from egov.documents.services import RecipientInput, document_issue, incoming_register
from egov.documents.tests.factories import make_world, signed_document

pytestmark = pytest.mark.django_db

APPENDIX_IV_OUTGOING = [
    "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
    "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận",
    "Ghi chú",
]  # fmt: skip
APPENDIX_IV_INCOMING = [
    "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận",
    "Ghi chú",
]  # fmt: skip
APPENDIX_IV_FOLLOW_UP = [
    "Số đến", "Tên loại, số, ký hiệu, ngày tháng và cơ quan ban hành", "Đơn vị hoặc người nhận",
    "Thời hạn giải quyết", "Tiến độ giải quyết", "Số, ký hiệu văn bản trả lời", "Ghi chú",
]  # fmt: skip


def test_headers_are_appendix_iv_word_for_word() -> None:
    assert list(registers.REGISTERS["outgoing"].headers) == APPENDIX_IV_OUTGOING
    assert list(registers.REGISTERS["incoming"].headers) == APPENDIX_IV_INCOMING
    assert list(registers.REGISTERS["follow-up"].headers) == APPENDIX_IV_FOLLOW_UP


def _issued_world() -> tuple[object, int]:
    w = make_world()
    docs = []
    for i in range(3):
        doc = signed_document(
            w.a, recipients=[RecipientInput(agency=w.b.agency)], subject=f"Về việc thứ {i + 1}"
        )
        docs.append(document_issue(actor=w.a.clerk.user, document=doc))
    year = docs[0].series_year
    assert year is not None
    return w, year


def test_outgoing_xlsx_has_cover_headers_and_rows(tmp_path: Path) -> None:
    w, year = _issued_world()
    out = tmp_path / "so.xlsx"
    count = registers.write_xlsx(
        registers.REGISTERS["outgoing"],
        agency_id=w.a.agency.pk,  # type: ignore[attr-defined]
        agency_name=w.a.agency.name,  # type: ignore[attr-defined]
        year=year,
        out=str(out),
    )
    assert count == 3
    book = load_workbook(out, read_only=True)
    cover = [r[0] for r in book.worksheets[0].iter_rows(values_only=True)]
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in cover and f"Năm {year}" in cover
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert list(rows[0]) == APPENDIX_IV_OUTGOING
    assert rows[1][0] == "(1)" and len(rows) == 2 + 3
    assert rows[2][0] == "01/QĐ-UBND" and "Về việc thứ 1" in rows[2][2]
    assert rows[2][4] == w.b.agency.name  # type: ignore[attr-defined]


def test_incoming_and_follow_up_registers_list_the_registered_document(tmp_path: Path) -> None:
    w, year = _issued_world()
    copy = w.b.agency.documents.filter(direction="incoming").order_by("pk").first()  # type: ignore[attr-defined]
    incoming_register(actor=w.b.clerk.user, agency=w.b.agency, source="platform", document=copy)  # type: ignore[attr-defined]
    for kind, headers in (("incoming", APPENDIX_IV_INCOMING), ("follow-up", APPENDIX_IV_FOLLOW_UP)):
        buffer = io.BytesIO()
        count = registers.write_xlsx(
            registers.REGISTERS[kind], agency_id=w.b.agency.pk,  # type: ignore[attr-defined]
            agency_name="STP", year=year, out=buffer,
        )  # fmt: skip
        assert count == 1
        rows = list(load_workbook(buffer, read_only=True).worksheets[1].iter_rows(values_only=True))
        assert list(rows[0]) == headers
        assert "01/QĐ-UBND" in " ".join(str(v) for v in rows[2])


def test_pdf_is_a_pdf_with_the_vietnamese_headers() -> None:
    w, year = _issued_world()
    data = registers.render_pdf(
        registers.REGISTERS["outgoing"], agency_id=w.a.agency.pk,  # type: ignore[attr-defined]
        agency_name=w.a.agency.name, year=year,  # type: ignore[attr-defined]
    )  # fmt: skip
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text
    assert "Tên loại và trích yếu nội dung" in text and "Trang 2" in text
    assert "01/QĐ-UBND" in text


def test_export_page_serves_xlsx_and_pdf_for_the_own_agency(tmp_path: Path) -> None:
    w, year = _issued_world()
    client = Client()
    client.force_login(w.a.clerk.user)  # type: ignore[attr-defined]
    response = client.get(f"/app/van-ban/so/outgoing/{year}.xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    rows = list(load_workbook(io.BytesIO(data), read_only=True).worksheets[1].iter_rows())
    assert len(rows) == 5
    pdf = client.get(f"/app/van-ban/so/incoming/{year}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/app/van-ban/so/khong-co/{year}.pdf").status_code == 404
    # The other agency's register is its own: nothing of A's in B's outgoing register.
    other = Client()
    other.force_login(w.b.clerk.user)  # type: ignore[attr-defined]
    data = b"".join(other.get(f"/app/van-ban/so/outgoing/{year}.xlsx").streaming_content)  # type: ignore[attr-defined]
    assert len(list(load_workbook(io.BytesIO(data), read_only=True).worksheets[1].iter_rows())) == 2


def test_command_exports_the_register(tmp_path: Path) -> None:
    w, year = _issued_world()
    out = tmp_path / "so-di.xlsx"
    stdout = io.StringIO()
    call_command(
        "registers", "export-register", "--agency", w.a.agency.code, "--year", str(year),  # type: ignore[attr-defined]
        "--kind", "outgoing", "--format", "xlsx", str(out), stdout=stdout,
    )  # fmt: skip
    assert "3 rows" in stdout.getvalue()
    assert len(list(load_workbook(out, read_only=True).worksheets[1].iter_rows())) == 5


def test_xlsx_cells_keep_text_numbers_and_empty_columns_escaped() -> None:
    def rows(agency_id: int, year: int) -> object:
        yield ("=1+1", "A & B <c> \x01d", 3, None, "")

    register = registers.Register("t", "T", ("a", "b", "c", "d", "e"), (1, 1, 1, 1, 1), rows)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    assert registers.write_xlsx(register, agency_id=0, agency_name="X", year=2026, out=buffer) == 1
    book = load_workbook(buffer)
    sheet = book.worksheets[1]
    assert sheet.freeze_panes == "A3" and sheet["A1"].font.b
    assert [c.value for c in sheet[3]] == ["=1+1", "A & B <c> d", 3, None, None]
    assert sheet["A3"].data_type == "s"  # text, never a formula
