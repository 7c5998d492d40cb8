"""edXML date and instant formats.

Emitted: ``yyyy/MM/dd`` (dates) and ``yyyy/MM/dd HH:mm:ss`` (instants, Vietnam time, no offset).
Parsed: those, ``dd/MM/yyyy`` and ``dd/MM/yyyy HH:mm:ss`` (a provincial .NET system), minutes
without seconds, and a bare date where an instant is expected (midnight).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# Messages carry local wall-clock time with no offset; Vietnam has one time zone and no DST.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

_DATE_FORMATS = ("%Y/%m/%d", "%d/%m/%Y")
_INSTANT_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d/%m/%Y %H:%M",
    *_DATE_FORMATS,
)


def format_date(value: dt.date) -> str:
    return f"{value:%Y/%m/%d}"


def format_instant(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(VIETNAM)
    return f"{value:%Y/%m/%d %H:%M:%S}"


def parse_date(text: str) -> dt.date:
    """Raises ValueError on anything else."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_instant(text: str) -> dt.datetime:
    """An aware datetime in Vietnam time. Raises ValueError on anything else."""
    text = text.strip()
    for fmt in _INSTANT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=VIETNAM)
        except ValueError:
            continue
    raise ValueError(text)
