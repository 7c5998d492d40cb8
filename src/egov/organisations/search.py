"""Accent-insensitive matching of agency names ("da nang" finds "Đà Nẵng").

Folding is the platform's (`egov.core.search.fold`); this module only says what an agency's
`search_text` holds, so the services that write agencies all fill it the same way.
"""

from __future__ import annotations

from egov.core.search import fold, search_filter

__all__ = ["agency_search_text", "fold", "search_filter"]


def agency_search_text(*, name: str, abbreviation: str, code: str) -> str:
    """What `Agency.search_text` holds: folded name, abbreviation and code."""
    return fold(f"{name} {abbreviation} {code}")
