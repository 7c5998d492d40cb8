"""Template helpers for the language switcher."""

from __future__ import annotations

import unicodedata

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def language_choices() -> list[tuple[str, str]]:
    """(code, name) for each language, the name written in that language (settings.LANGUAGES).

    `get_available_languages` would translate the names into the current language ("Tiếng Anh"),
    which is not how a reader looks for their own language.
    """
    return [(code, unicodedata.normalize("NFC", str(name))) for code, name in settings.LANGUAGES]
