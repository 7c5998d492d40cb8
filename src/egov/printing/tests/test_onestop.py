"""Each form renders a real PDF whose text, fonts, QR link and pages can be read back."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from egov.printing import layout
from egov.printing.onestop import (
    ApologyLetter,
    ControlStep,
    Form,
    PaperLine,
    Refusal,
    StepOutcome,
    SupplementRequest,
    render_pdf,
)
from egov.printing.samples import (
    CODE,
    TRACKING,
    apology,
    at,
    control_sheet,
    receipt,
    refusal,
    samples,
    supplement,
)
from egov.printing.tests import pdfreader

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def flat(pdf: bytes) -> str:
    """The document's text with line breaks folded, for phrases that wrap."""
    return " ".join(pdfreader.text(pdf).split())


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: render_pdf(form) for name, form in samples().items()}


def test_every_form_is_a_pdf_with_the_header_and_the_dossier_code(
    rendered: dict[str, bytes],
) -> None:
    for name, pdf in rendered.items():
        assert pdf.startswith(b"%PDF-1."), name
        assert pdf.rstrip().endswith(b"%%EOF"), name
        lines = pdfreader.text(pdf).splitlines()
        assert MOTTO[0] in lines and MOTTO[1] in lines, name
        assert "UBND THÀNH PHỐ ĐÀ NẴNG" in lines and "UBND PHƯỜNG HẢI CHÂU" in lines, name
        if name != "mau-03-tu-choi":  # the refused dossier has no code
            assert f"Mã hồ sơ: {CODE}" in lines, name


def test_titles(rendered: dict[str, bytes]) -> None:
    titles = {
        "mau-01-tiep-nhan": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "mau-02-bo-sung": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "mau-03-tu-choi": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "mau-04-xin-loi": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "mau-05-kiem-soat": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    }
    for name, title in titles.items():
        assert title in pdfreader.text(rendered[name]).splitlines()


def test_only_the_embedded_font_is_used(rendered: dict[str, bytes]) -> None:
    for name, pdf in rendered.items():
        for page in pdfreader.pages(pdf):
            assert page.fonts, name
            for base in page.fonts.values():
                assert re.fullmatch(r"[A-Z]{6}\+Tinos(-Bold|-Italic|-BoldItalic)?", base), base
        assert b"/FontFile2" in pdf  # the TrueType program is inside the file
        assert b"Helvetica" not in pdf and b"Times-Roman" not in pdf


def test_receipt_text_round_trips(rendered: dict[str, bytes]) -> None:
    text = flat(rendered["mau-01-tiep-nhan"])
    assert "Đà Nẵng, ngày 03 tháng 3 năm 2027" in text
    assert "Ông/Bà (tổ chức): Nguyễn Thị Ánh Tuyết" in text
    assert "Phường Hòa Cường" in text
    assert "Căn cước công dân của người đi đăng ký" in text
    assert "4. Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 03 tháng 3 năm 2027" in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 10 tháng 3" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Trần Văn Đức" in text


def test_online_receipt_has_no_applicant_signature() -> None:
    pdf = render_pdf(dataclasses.replace(receipt(), applicant_signs=False))
    assert "NGƯỜI NỘP HỒ SƠ" not in flat(pdf)
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in flat(pdf)


def test_supplement_lists_everything_missing(rendered: dict[str, bytes]) -> None:
    text = flat(rendered["mau-02-bo-sung"])
    for i, item in enumerate(supplement().missing, 1):
        assert f"{i}. {item}" in text
    assert "Thời gian chờ bổ sung hồ sơ không tính vào thời hạn giải quyết." in text
    assert "NGƯỜI HƯỚNG DẪN" in text


def test_refusal_states_its_reasons(rendered: dict[str, bytes]) -> None:
    text = flat(rendered["mau-03-tu-choi"])
    assert "từ chối tiếp nhận, giải quyết hồ sơ này vì lý do sau:" in text
    assert refusal().reasons[0] in text
    assert "Đà Nẵng, ngày 05 tháng 02 năm 2027" in text  # February: leading zero


def test_apology_gives_old_and_new_dates(rendered: dict[str, bytes]) -> None:
    text = flat(rendered["mau-04-xin-loi"])
    assert "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết" in text
    assert "Thời hẹn trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 10 tháng 3 năm 2027" in text
    assert "hẹn lại thời gian trả kết quả vào 16 giờ 30 phút, ngày 15 tháng 3 năm 2027" in text
    assert apology().reason in text
    assert "CHỦ TỊCH" in text and "Lê Thị Hồng Nhung" in text


def test_control_sheet_rows_and_landscape(rendered: dict[str, bytes]) -> None:
    pdf = rendered["mau-05-kiem-soat"]
    text = flat(pdf)
    assert "(Kèm theo hồ sơ của: Nguyễn Thị Ánh Tuyết)" in text
    assert "Ngày hẹn trả kết quả: 16 giờ 30 phút, ngày 10 tháng 3 năm 2027" in text
    lines = pdfreader.text(pdf).splitlines()
    for outcome in ("Trước hạn", "Đúng hạn", "Quá hạn"):
        assert outcome in lines
    assert "Đã gửi phiếu" in text and "Phạm Quốc Hưng" in text
    assert "10 giờ 15 phút, ngày 03 tháng 3 năm 2027" in text
    width, height = _media_box(pdf)
    assert width > height  # A4 landscape
    width, height = _media_box(render_pdf(receipt()))
    assert (round(width), round(height)) == (595, 842)  # A4 portrait


def _media_box(pdf: bytes) -> tuple[float, float]:
    box = re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", pdf)
    assert box
    return float(box.group(1)), float(box.group(2))


def test_the_tracking_link_is_on_the_first_page_only(rendered: dict[str, bytes]) -> None:
    for name in ("mau-01-tiep-nhan", "mau-04-xin-loi", "mau-05-kiem-soat"):
        first = pdfreader.pages(rendered[name])[0]
        assert any(TRACKING.encode() in a and b"/URI" in a for a in first.annotations), name
        assert TRACKING in first.text.splitlines()
    no_link = pdfreader.pages(rendered["mau-03-tu-choi"])[0]  # refusal sample has no URL
    assert not no_link.annotations


def test_the_qr_code_encodes_the_tracking_url(monkeypatch: pytest.MonkeyPatch) -> None:
    import segno

    payloads: list[str] = []
    real = segno.make

    def spy(content: str, **kwargs: object) -> object:
        payloads.append(content)
        return real(content, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(segno, "make", spy)
    render_pdf(receipt())
    assert payloads == [TRACKING]


def test_long_paper_lists_paginate() -> None:
    form = dataclasses.replace(
        receipt(),
        papers=[PaperLine(f"Giấy tờ kèm theo số {i}", 1, "Bản sao") for i in range(1, 81)],
    )
    pages = pdfreader.pages(render_pdf(form))
    assert len(pages) >= 3
    assert "Giấy tờ kèm theo số 80" in "\n".join(p.text for p in pages[-2:])
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in pages[-1].text
    for number, page in enumerate(pages[1:], 2):
        lines = page.text.splitlines()
        assert str(number) in lines  # page number (top margin), none on page 1
        assert f"Mã hồ sơ: {CODE}" in lines
    assert "Tên giấy tờ" in pages[1].text  # the table header repeats
    assert "1" not in pages[0].text.splitlines()[:3]


def test_caller_text_is_not_markup() -> None:
    form = dataclasses.replace(receipt(), applicant_name="Công ty <b>A&B</b> Hải Châu")
    assert "Công ty <b>A&B</b> Hải Châu" in flat(render_pdf(form))


def test_output_is_deterministic() -> None:
    assert render_pdf(control_sheet()) == render_pdf(control_sheet())


@pytest.mark.parametrize(
    "make",
    [
        lambda: SupplementRequest(**{**_fields(supplement()), "missing": ["  "]}),
        lambda: Refusal(**{**_fields(refusal()), "reasons": []}),
        lambda: ApologyLetter(**{**_fields(apology()), "new_due_at": at(2027, 3, 10, 16, 30)}),
        lambda: dataclasses.replace(receipt(), received_at=datetime(2027, 3, 3, 9, 30)),
        lambda: dataclasses.replace(receipt(), due_at=at(2027, 3, 2)),
        lambda: ControlStep(name="x", from_unit="a", to_unit="b", outcome="Sắp hết hạn"),
    ],
)
def test_invalid_forms_are_refused(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


def _fields(form: Form) -> dict[str, object]:
    return {f.name: getattr(form, f.name) for f in dataclasses.fields(form)}


def test_step_outcome_values() -> None:
    assert [o.value for o in StepOutcome] == ["Trước hạn", "Đúng hạn", "Quá hạn"]


def test_unknown_form_type() -> None:
    with pytest.raises(TypeError):
        render_pdf(object())  # type: ignore[arg-type]


def test_the_drawn_modules_are_the_qr_symbol() -> None:
    """Read the filled squares back from the page and compare them with segno's matrix."""
    from io import BytesIO

    import segno
    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    canvas = Canvas(buffer, pageCompression=0)
    layout.draw_qr(canvas, TRACKING, 100, 100, 60)
    canvas.showPage()
    canvas.save()
    content = b"".join(
        pdfreader.stream(body)
        for body in pdfreader.objects(buffer.getvalue()).values()
        if b" re f" in body
    )
    rects = [
        tuple(map(float, m))
        for m in re.findall(rb"n ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re f", content)
    ]
    matrix = segno.make(TRACKING, error="m", micro=False).matrix
    modules = len(matrix) + 4
    cell = 60 / modules
    dark = set()
    for x, y, w, _h in rects:
        col = round((x - 100) / cell) - 2
        row = modules - 1 - round((y - 100) / cell) - 2
        dark.update((row, col + i) for i in range(round(w / cell)))
    expected = {(r, c) for r, line in enumerate(matrix) for c, v in enumerate(line) if v}
    assert dark == expected


def test_a_scanner_reads_the_printed_qr_code(tmp_path: Path) -> None:
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(render_pdf(receipt()))
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", pdf, tmp_path / "p"], check=True
    )
    png = next(tmp_path.glob("p*.png"))
    out = subprocess.run(
        ["zbarimg", "-q", "--raw", png], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == TRACKING
