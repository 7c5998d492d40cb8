"""The shipped font covers Vietnamese fully, carries its licence and stays small."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from egov.printing.fonts import BOLD, BOLD_ITALIC, FONT_DIR, ITALIC, REGULAR, register_fonts

VIETNAMESE = (
    "ĂÂĐÊÔƠƯăâđêôơư"
    + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))  # every precomposed letter with a tone
    + "ÀÁÃÈÉÌÍÒÓÕÙÚÝàáãèéìíòóõùúýĨĩŨũ"
    + "₫"
)


@pytest.mark.parametrize("face", [REGULAR, BOLD, ITALIC, BOLD_ITALIC])
def test_every_vietnamese_letter_has_a_glyph(face: str) -> None:
    register_fonts()
    font = pdfmetrics.getFont(face)
    cmap = font.face.charToGlyph  # type: ignore[attr-defined]
    missing = [ch for ch in VIETNAMESE if ord(ch) not in cmap]
    assert not missing, f"{face} lacks {''.join(missing)}"


def test_the_check_would_see_a_missing_letter() -> None:
    register_fonts()
    cmap = pdfmetrics.getFont(REGULAR).face.charToGlyph  # type: ignore[attr-defined]
    assert ord("ק") not in cmap  # Hebrew was cut from the subset


def test_licence_and_sizes() -> None:
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text()
    files = sorted(FONT_DIR.glob("*.ttf"))
    assert len(files) == 4
    assert all(f.stat().st_size < 200_000 for f in files)
