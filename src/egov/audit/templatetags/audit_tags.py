"""Filters for showing audit values compactly."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.template.defaultfilters import truncatechars

register = template.Library()


@register.filter
def audit_value(value: Any, limit: int = 80) -> str:
    """A stored before/after value as short text: "—" for none, JSON for lists and dicts."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return str(truncatechars(text, limit))
