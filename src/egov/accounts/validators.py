"""Identity numbers of citizens and businesses: the 12-digit CCCD and the tax code (MST).

Each check returns a Vietnamese message naming the problem, or None when the value is valid.
Services call them; forms only show what the service says.
"""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import (
    MinimumLengthValidator as _DjangoMinimumLengthValidator,
)
from django.utils import timezone
from django.utils.translation import gettext as _

# First three digits of a personal identification number: the province or centrally-run city
# of birth registration (Circular 07/2016/TT-BCA, kept by Circular 59/2021/TT-BCA). The 2025
# merger of provinces did not renumber existing citizens, so all 63 historical codes stay valid.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_CITIZEN_ID_RE = re.compile(r"^\d{12}$")
_TAX_CODE_RE = re.compile(r"^(?P<main>\d{10})(?:-(?P<branch>\d{3}))?$")


def normalize_number(value: str) -> str:
    """Drop the spaces and dots people type inside long numbers ("079 201 000 123")."""
    return re.sub(r"[\s.]", "", value or "")


def birth_year_of(citizen_id: str) -> int:
    """Digit 4 encodes gender and century (0/1: 1900s, 2/3: 2000s … 8/9: 2200s); 5–6 the year."""
    century = int(citizen_id[3]) // 2
    return 1900 + 100 * century + int(citizen_id[4:6])


def citizen_id_problem(value: str) -> str | None:
    """Why a 12-digit personal identification number (số định danh cá nhân, CCCD) is invalid.

    Structure (Circular 59/2021/TT-BCA, Art. 7): 3 digits province of birth registration,
    1 digit gender and century, 2 digits year of birth, 6 random digits. There is no check digit.
    """
    if not _CITIZEN_ID_RE.match(value):
        return _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    if value[:3] not in PROVINCE_CODES:
        return _("Ba chữ số đầu (%(code)s) không phải mã tỉnh, thành phố hợp lệ.") % {
            "code": value[:3]
        }
    if birth_year_of(value) > timezone.localdate().year:
        return _("Chữ số thứ 4 đến 6 cho năm sinh %(year)s, chưa tới năm đó.") % {
            "year": birth_year_of(value)
        }
    return None


def tax_code_check_digit(first_nine: str) -> int:
    """The tenth digit of a tax code: 10 − (Σ dᵢ·wᵢ mod 11), written 0 when that gives 10.

    The "10 → invalid" reading found in some references rejects real codes: 0301471130 has a
    weighted sum divisible by 11 and check digit 0. Accepting both remainders 0 and 10 as "0"
    admits at most a few codes that were never issued, a lesser harm than refusing a real
    business (existence is checked against the tax register, not here).
    """
    total = sum(int(d) * w for d, w in zip(first_nine, TAX_CODE_WEIGHTS, strict=True))
    return (10 - total % 11) % 10


def tax_code_problem(value: str) -> str | None:
    """Why a tax code (mã số thuế) is invalid.

    Accepted: 10 digits (an enterprise or organisation, last digit a check digit),
    10 digits + "-" + 3 digits (a dependent unit or branch, 001–999), or, since 1 July 2025
    (Circular 86/2024/TT-BTC), a household business's 12-digit personal identification number.
    """
    if _CITIZEN_ID_RE.match(value):
        problem = citizen_id_problem(value)
        return None if problem is None else _("Mã số thuế 12 số là số định danh: ") + problem
    match = _TAX_CODE_RE.match(value)
    if not match:
        return _(
            "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số "
            "của đơn vị phụ thuộc (ví dụ 0100109106-001)."
        )
    main, branch = match["main"], match["branch"]
    if int(main[9]) != tax_code_check_digit(main[:9]):
        return _("Mã số thuế không đúng: chữ số kiểm tra (chữ số thứ 10) không khớp.")
    if branch == "000":
        return _("Số thứ tự đơn vị phụ thuộc phải từ 001 trở lên.")
    return None


class MinimumLengthValidator(_DjangoMinimumLengthValidator):
    """Django's rule, with its message in Vietnamese (Django's own vi catalogue lacks it)."""

    def get_error_message(self) -> str:
        return _("Mật khẩu này quá ngắn: cần ít nhất %(n)d ký tự.") % {"n": self.min_length}

    def get_help_text(self) -> str:
        return _("Mật khẩu cần có ít nhất %(n)d ký tự.") % {"n": self.min_length}
