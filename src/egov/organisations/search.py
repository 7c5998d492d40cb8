"""Accent-insensitive matching of agency names ("da nang" finds "Đà Nẵng").

The platform's shared helper is `egov.core.search.fold`; this module uses it when present
(see `fold`) and keeps the same folding rules otherwise: NFD, drop combining marks, map đ/Đ
to d/D, lowercase, collapse spaces.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lowercase, strip Vietnamese diacritics, map đ→d; whitespace collapsed."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def agency_search_text(*, name: str, abbreviation: str, code: str) -> str:
    """What `Agency.search_text` holds: folded name, abbreviation and code."""
    return fold(f"{name} {abbreviation} {code}")
