"""How a visible signature looks and where it sits (shared reference §1.3).

- A signer's signature: the handwritten-signature image (blue, transparent PNG) when one is
  given, centred in the box the document template reserves between the title and the name;
  otherwise a text stamp (name, position, agency, signing time).
- The agency's signature: the red seal image at actual size, covering about the left third of
  the signer's signature (`seal_box_over`); otherwise a text stamp.
- An attachment in a separate file: the agency signs it top-right of page 1 (`attachment_box`),
  no image, Times New Roman 10 pt black: number and notation, then the signing time in ISO 8601.

Text uses the Tinos font shipped in `egov/printing/fonts` (metric-compatible with Times New
Roman, every Vietnamese letter); where it is missing, Noto Sans or DejaVu Sans from the system.
pyHanko's built-in Courier has no Vietnamese letters and is never used for text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom-left

MM = 72 / 25.4
_HERE = Path(__file__).resolve().parent
FONT_CANDIDATES: tuple[Path, ...] = (
    _HERE.parent / "printing" / "fonts" / "Tinos-Regular.ttf",
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)


@dataclass(frozen=True)
class Appearance:
    """Where and how a visible signature is drawn.

    `page` counts from 0; a negative page counts from the end (-1: the last page, where the
    signature block usually is). `box` defaults to the lower right of the page. `image` is a
    PNG (transparent background) drawn instead of the text stamp. `font_size` is for the text.
    """

    page: int = -1
    box: Box | None = None
    image: bytes | None = None
    font_size: int = 9
    border: bool = True


DEFAULT_BOX: Box = (320, 70, 540, 150)
SEAL_SIZE = 36 * MM  # the usual diameter of an agency's round seal


def seal_box_over(signer_box: Box, *, size: float = SEAL_SIZE) -> Box:
    """The agency seal's box: centred vertically on the signer's, its right edge one third
    into the signer's box from the left, so the seal covers about 1/3 of the signature."""
    x1, y1, x2, y2 = signer_box
    right = x1 + (x2 - x1) / 3
    middle = (y1 + y2) / 2
    return (right - size, middle - size / 2, right, middle + size / 2)


def attachment_box(page_width: float, page_height: float) -> Box:
    """Top right of the page, inside the margins (right 15 mm, text in the top 20 mm)."""
    right = page_width - 15 * MM
    top = page_height - 6 * MM
    return (right - 62 * MM, top - 11 * MM, right, top)


@cache
def stamp_font_path() -> Path | None:
    for path in FONT_CANDIDATES:
        if path.is_file():
            return path
    return None


def png_image(data: bytes) -> object:
    """A PIL image from PNG bytes (loaded, so the bytes may go)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return image
