"""Electronic identifier codes of agencies (Decision 20/2020/QĐ-TTg): `LLL.KK.JJ.Xnn`.

Written from the lowest level to the highest; unused levels are zeros. The level-1 code of the
province is configuration (settings.EGOV_PROVINCE_CODE), never a constant here.
"""

from __future__ import annotations

import re

from egov.core.errors import ValidationFailed

AGENCY_CODE_RE = re.compile(r"^(?P<l4>\d{3})\.(?P<l3>\d{2})\.(?P<l2>\d{2})\.(?P<l1>[A-Z]\d{2})$")


def validate_agency_code(code: str, *, field: str = "code") -> str:
    """Return the code if well-formed, else raise ValidationFailed naming the field."""
    value = (code or "").strip().upper()
    if not AGENCY_CODE_RE.match(value):
        raise ValidationFailed(
            f"Mã định danh “{code}” không đúng định dạng LLL.KK.JJ.Xnn (ví dụ 000.00.00.H15).",
            fields={field: ["Mã định danh phải có dạng LLL.KK.JJ.Xnn, ví dụ 000.01.00.H15."]},
        )
    return value


def level1_of(code: str) -> str:
    match = AGENCY_CODE_RE.match(code)
    return match.group("l1") if match else ""
