"""The embedded font: Tinos (metric-compatible with Times New Roman, full Vietnamese).

The TTF files in `fonts/` are a Latin + Vietnamese subset of Tinos 1.33 (SIL OFL 1.1, see
`fonts/README.md`). They are registered with ReportLab once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "Tinos"
REGULAR = "Tinos"
BOLD = "Tinos-Bold"
ITALIC = "Tinos-Italic"
BOLD_ITALIC = "Tinos-BoldItalic"

_FILES = {
    REGULAR: ("Tinos-Regular.ttf", 0, 0),
    BOLD: ("Tinos-Bold.ttf", 1, 0),
    ITALIC: ("Tinos-Italic.ttf", 0, 1),
    BOLD_ITALIC: ("Tinos-BoldItalic.ttf", 1, 1),
}


@cache
def register_fonts() -> str:
    """Register the four faces and the family (so `<b>` and `<i>` in paragraphs work)."""
    for name, (filename, bold, italic) in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        addMapping(FAMILY, bold, italic, name)
    return FAMILY
