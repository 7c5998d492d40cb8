"""Template helpers of the dossier forms."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def is_required(bound_field: Any) -> bool:
    """Required, also for a procedure's schema field (whose rules say so, not Django's)."""
    field = getattr(bound_field, "field", None)
    if field is None:
        return False
    spec = getattr(field, "spec", None)
    return bool(field.required or (isinstance(spec, dict) and spec.get("required")))
