"""Template filters of the exchange pages."""

from __future__ import annotations

from typing import Any

from django import template

from egov.exchange.edxml.types import STATUS_LABELS

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    """An edXML status code's meaning: "03" → "Đã tiếp nhận" (unknown codes as they are)."""
    return STATUS_LABELS.get(code or "", code or "")


@register.filter
def get_pair(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping[key]`, or None (a lookup by a variable key, which templates lack)."""
    return mapping.get(key)
