"""Dates written the Vietnamese administrative way (Decree 30/2020, Appendix I).

Days below 10 and the months 1 and 2 take a leading zero: "ngày 05 tháng 02 năm 2027", but
"ngày 15 tháng 3 năm 2027". Clock times are always two digits: "09 giờ 05 phút".
Aware datetimes are shown in Asia/Ho_Chi_Minh; naive ones are refused.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def to_local(dt: datetime) -> datetime:
    """The instant in Vietnamese time; a naive datetime is a programming error."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("Cần thời điểm có múi giờ (aware datetime), không nhận giờ 'naive'.")
    return dt.astimezone(VN_TZ)


def _day(d: date) -> date:
    return to_local(d).date() if isinstance(d, datetime) else d


def vn_date(d: date) -> str:
    """`ngày 05 tháng 02 năm 2027` (a datetime is first put in Vietnamese time)."""
    d = _day(d)
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def vn_place_date(place: str, d: date) -> str:
    """`Đà Nẵng, ngày 05 tháng 02 năm 2027`: the place-and-date line of a document."""
    return f"{place}, {vn_date(d)}"


def vn_time(dt: datetime) -> str:
    """`09 giờ 30 phút, ngày 03 tháng 3 năm 2027`."""
    local = to_local(dt)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, {vn_date(local.date())}"
