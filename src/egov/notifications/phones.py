"""Vietnamese phone numbers: 10 digits starting with 0, or +84 followed by 9 digits."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from egov.core.errors import ValidationFailed

_SEPARATORS = re.compile(r"[\s.\-()]")
_NATIONAL = re.compile(r"^0[1-9]\d{8}$")
_INTERNATIONAL = re.compile(r"^\+84[1-9]\d{8}$")


def phone_normalise(raw: str) -> str:
    """The number in national form (``0905123456``); raises `ValidationFailed` if invalid.

    Accepts spaces, dots, dashes and brackets between digits, ``0…`` (10 digits) and
    ``+84…`` / ``84…`` (the same number without its leading 0).
    """
    value = _SEPARATORS.sub("", raw or "")
    if value.startswith("84") and len(value) == 11:
        value = "+" + value
    if _INTERNATIONAL.match(value):
        return "0" + value[3:]
    if _NATIONAL.match(value):
        return value
    raise ValidationFailed(
        _("Số điện thoại không hợp lệ: cần 10 chữ số bắt đầu bằng 0, hoặc +84 và 9 chữ số."),
        fields={"phone": [_("Số điện thoại không hợp lệ.")]},
    )


def phone_is_valid(raw: str) -> bool:
    try:
        phone_normalise(raw)
    except ValidationFailed:
        return False
    return True


def phone_international(national: str) -> str:
    """``0905123456`` → ``+84905123456`` (what most SMS gateways want)."""
    return "+84" + phone_normalise(national)[1:]
