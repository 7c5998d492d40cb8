"""Number and notation (số, ký hiệu), Decree 30/2020 Appendix I §II.3 (reference §1.2).

* named types: ``<số>/<type>-<agency>``, e.g. ``13/CT-UBND``, ``15/QĐ-BNV``;
* công văn: ``<số>/<agency>-<unit or field>``, e.g. ``05/BNV-VP``, ``12/UBND-VX``;
* copies: ``<số>/<copy type>``, e.g. ``05/SY`` (the copying agency is on the stamp);
* thư công: no type abbreviation: ``<số>/<agency>``.

Abbreviations keep their mixed case (``QyĐ``, ``TTr``) and are NFC-normalised; the groups are
joined by "-" with no spaces. The document identifier (mã định danh văn bản, edXML DocumentId)
is ``<OrganId>,<yyyy/MM/dd>,<số>/<ký hiệu>``.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from django.utils.translation import gettext as _

from egov.core.errors import ValidationFailed
from egov.documents.models import DocumentType, FieldAbbreviation, TypeCategory
from egov.documents.numbering import render_number
from egov.organisations.models import Agency, Unit

NOTATION_MAX = 30  # Appendix VI: CodeNotation String(30)


def _abbr(text: str) -> str:
    return unicodedata.normalize("NFC", "".join((text or "").split()))


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def build_notation(
    *,
    number: int,
    doc_type: DocumentType,
    agency: Agency,
    unit: Unit | None = None,
    field_abbreviation: FieldAbbreviation | str | None = None,
) -> tuple[str, str]:
    """``(code_number, code_notation)``, e.g. ``("05", "QĐ-UBND")`` or ``("12", "UBND-VX")``."""
    code_number = render_number(number)
    agency_abbr = _abbr(agency.abbreviation)
    if not agency_abbr:
        raise _refuse("agency", _("Cơ quan chưa có tên viết tắt để ghi ký hiệu văn bản."))
    if doc_type.category == TypeCategory.OFFICIAL_LETTER:
        if isinstance(field_abbreviation, FieldAbbreviation):
            second = _abbr(field_abbreviation.abbreviation)
        elif field_abbreviation:
            second = _abbr(field_abbreviation)
        elif unit is not None:
            second = _abbr(unit.abbreviation)
        else:
            second = ""
        if not second:
            raise _refuse(
                "unit",
                _("Ký hiệu công văn cần chữ viết tắt của đơn vị soạn thảo hoặc của lĩnh vực."),
            )
        notation = f"{agency_abbr}-{second}"
    elif doc_type.category == TypeCategory.COPY:
        notation = _abbr(doc_type.abbreviation)
    elif doc_type.category == TypeCategory.PUBLIC_LETTER:
        notation = agency_abbr
    else:
        type_abbr = _abbr(doc_type.abbreviation)
        if not type_abbr:
            raise _refuse("doc_type", _("Loại văn bản chưa có chữ viết tắt."))
        notation = f"{type_abbr}-{agency_abbr}"
    if len(notation) > NOTATION_MAX:
        raise _refuse(
            "code_notation",
            _("Ký hiệu “%(notation)s” dài quá %(max)s ký tự.")
            % {"notation": notation, "max": NOTATION_MAX},
        )
    return code_number, notation


def number_notation(code_number: str, code_notation: str) -> str:
    """The full string: ``05/QĐ-UBND``."""
    return f"{code_number}/{code_notation}" if code_notation else code_number


def build_document_id(
    *, organ_id: str, issued_date: date, code_number: str, code_notation: str
) -> str:
    """``000.00.00.G22,2015/09/30,7816/VPCP-TTĐT`` (QCVN 102 §1.14)."""
    return (
        f"{organ_id},{issued_date:%Y/%m/%d},"
        f"{unicodedata.normalize('NFC', number_notation(code_number, code_notation))}"
    )


def parse_document_id(value: str) -> tuple[str, date, str, str] | None:
    """The inverse of `build_document_id`, or None when `value` is not one."""
    parts = (value or "").split(",", 2)
    if len(parts) != 3:
        return None
    organ_id, day, code = parts
    try:
        y, m, d = (int(x) for x in day.split("/"))
        issued = date(y, m, d)
    except ValueError:
        return None
    number, _sep, notation = code.partition("/")
    if not organ_id or not number:
        return None
    return organ_id, issued, number, notation
