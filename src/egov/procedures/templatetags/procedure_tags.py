"""Template filters of the catalogue pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """75000 → "75.000 đồng" (Vietnamese thousands separator); 0 → "Miễn phí"."""
    if not amount:
        return _("Miễn phí")
    return _("%(amount)s đồng") % {"amount": f"{int(amount):,}".replace(",", ".")}
