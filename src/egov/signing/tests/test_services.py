"""Signing and verifying PDFs with the test PKI (conftest)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from egov.core.errors import AppError, ValidationFailed
from egov.organisations.models import Agency, Position
from egov.organisations.testing import make_agency, make_staff
from egov.signing.appearance import Appearance, attachment_box, seal_box_over, stamp_font_path
from egov.signing.services import sign_attachment, sign_pdf
from egov.signing.tests.conftest import AGENCY_CODE, SIGNER, STRANGER, blank_pdf
from egov.signing.verification import INVALID, UNKNOWN_SIGNER, VALID, verify_pdf

pytestmark = pytest.mark.django_db

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def agency() -> Agency:
    return make_agency(code=AGENCY_CODE, name="Sở Nội vụ", abbreviation="SNV")


@pytest.fixture
def signer(agency: Agency) -> Any:
    position = Position.objects.create(code="giam-doc-thu", name="Giám đốc", is_leader=True)
    return make_staff(
        agency=agency, username=SIGNER, full_name="Nguyễn Văn Ấn", position=position
    ).user


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed by this test"
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def _sign(signer: Any, pdf: bytes | None = None, **kwargs: Any) -> bytes:
    return sign_pdf(
        pdf_bytes=pdf or blank_pdf(),
        signer_user=signer,
        reason="Ký duyệt",
        location="Đà Nẵng",
        **kwargs,
    )


def test_signed_pdf_verifies_valid(signer: Any, tmp_path: Path) -> None:
    signed = _sign(signer, at=dt.datetime(2026, 11, 20, 9, 5, 7, tzinfo=VN))
    result = verify_pdf(signed)
    assert result.status == VALID, result.reason
    assert result.signer_names == ["Nguyễn Văn Ấn"]
    assert result.covers_whole_file
    (info,) = result.signatures
    assert info.field_name == "ChuKySo1"
    assert info.signing_time is not None
    assert abs(info.signing_time - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_vietnamese_names_render_in_the_stamp(signer: Any, tmp_path: Path) -> None:
    assert stamp_font_path() is not None
    signed = _sign(signer, at=dt.datetime(2026, 11, 20, 9, 5, 7, tzinfo=VN))
    text = _text(signed, tmp_path)
    assert "Ký bởi: Nguyễn Văn Ấn" in text
    assert "Chức vụ: Giám đốc" in text
    assert "Cơ quan: Sở Nội vụ" in text
    assert "Thời gian ký: 20/11/2026 09:05:07 +0700" in text


def test_a_flipped_byte_is_invalid(signer: Any) -> None:
    signed = bytearray(_sign(signer))
    at = signed.index(b"(Trang 1)") + 1
    signed[at : at + 1] = b"X"  # same length: the byte ranges still line up
    result = verify_pdf(bytes(signed))
    assert result.status == INVALID
    assert not result.signatures[0].intact


def test_an_update_appended_after_signing_is_flagged(signer: Any) -> None:
    signed = _sign(signer)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 14 Tf 72 700 Td (Da sua) Tj ET")
    )
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert result.status == INVALID
    (info,) = result.signatures
    assert info.intact  # the signed revision itself is untouched…
    assert not info.covers_whole_file  # …but the file goes beyond it
    assert "sửa đổi sau khi ký" in result.reason


def test_a_certificate_from_an_unknown_ca_is_an_unknown_signer(agency: Agency) -> None:
    stranger = make_staff(agency=agency, username=STRANGER, full_name="Người Lạ").user
    result = verify_pdf(_sign(stranger))
    assert result.status == UNKNOWN_SIGNER
    assert result.signer_names == ["Người Lạ"]
    assert result.signatures[0].intact


def test_signer_then_agency_both_valid(signer: Any, agency: Agency, tmp_path: Path) -> None:
    signer_box = (330.0, 90.0, 510.0, 160.0)
    first = _sign(signer, appearance=Appearance(box=signer_box))
    seal = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    for x in range(120):
        for y in range(120):
            if (x - 60) ** 2 + (y - 60) ** 2 <= 58**2:
                seal.putpixel((x, y), (200, 0, 0, 160))
    png = io.BytesIO()
    seal.save(png, format="PNG")
    both = sign_pdf(
        pdf_bytes=first,
        agency=agency,
        reason="Đóng dấu",
        location="Đà Nẵng",
        appearance=Appearance(box=seal_box_over(signer_box), image=png.getvalue(), border=False),
    )
    result = verify_pdf(both)
    assert result.status == VALID, result.reason
    assert result.signer_names == ["Nguyễn Văn Ấn", "Sở Nội vụ"]
    first_sig, second_sig = result.signatures
    assert not first_sig.covers_whole_file and first_sig.status == VALID
    assert second_sig.covers_whole_file
    # The first signature's own bytes are intact, and still verify alone.
    assert verify_pdf(first).status == VALID


def test_seal_covers_the_left_third_of_the_signature() -> None:
    x1, y1, x2, y2 = seal_box_over((300, 100, 480, 160), size=100)
    assert x2 == 360  # one third of 180 points into the signer's box
    assert x1 == 260
    assert (y1 + y2) / 2 == 130


def test_attachment_signature(agency: Agency, tmp_path: Path) -> None:
    at = dt.datetime(2026, 11, 20, 14, 30, 5, tzinfo=VN)
    signed = sign_attachment(
        pdf_bytes=blank_pdf(pages=2), agency=agency, number_notation="125/QĐ-SNV", at=at
    )
    result = verify_pdf(signed)
    assert result.status == VALID, result.reason
    assert result.signer_names == ["Sở Nội vụ"]
    text = _text(signed, tmp_path)
    first_page = text.split("\f")[0]
    assert "125/QĐ-SNV" in first_page
    assert "2026-11-20T14:30:05+07:00" in first_page
    x1, y1, x2, y2 = attachment_box(595, 842)
    assert x2 < 595 and y2 < 842 and x1 > 595 / 2 and y1 > 842 - 72  # top right


def test_garbage_is_invalid_not_an_exception() -> None:
    for garbage in (b"", b"not a pdf", b"%PDF-1.7\n garbage", bytes(range(256)) * 10):
        result = verify_pdf(garbage)
        assert result.status == INVALID
        assert result.reason


def test_an_unsigned_pdf_is_not_valid() -> None:
    result = verify_pdf(blank_pdf())
    assert (result.status, result.reason_code) == (INVALID, "unsigned")


def test_missing_key_and_bad_input(agency: Agency) -> None:
    nobody = make_staff(agency=agency, username="chua-co-khoa").user
    with pytest.raises(AppError) as missing:
        _sign(nobody)
    assert missing.value.code == "signing_key_missing"
    with pytest.raises(ValidationFailed):
        sign_pdf(pdf_bytes=b"hello", agency=agency, reason="x", location="y")
    with pytest.raises(ValidationFailed):
        sign_pdf(pdf_bytes=blank_pdf(), reason="x", location="y")


def test_wrong_passphrase_is_a_clear_error(settings: Any, signer: Any) -> None:
    settings.EGOV_SIGNING_PASSPHRASE = "sai"
    with pytest.raises(AppError) as error:
        _sign(signer)
    assert error.value.code == "signing_key_unreadable"


def test_invisible_signature(signer: Any, tmp_path: Path) -> None:
    signed = _sign(signer, visible=False, field_name="Duyet")
    result = verify_pdf(signed)
    assert result.status == VALID
    assert result.signatures[0].field_name == "Duyet"
    assert "Ký bởi" not in _text(signed, tmp_path)
