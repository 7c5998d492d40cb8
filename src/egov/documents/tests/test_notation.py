"""Number and notation (Decree 30 Appendix I §II.3): the reference's own examples."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from egov.core.errors import ValidationFailed
from egov.documents.models import DocumentType, FieldAbbreviation
from egov.documents.notation import (
    build_document_id,
    build_notation,
    number_notation,
    parse_document_id,
)
from egov.documents.numbering import render_number
from egov.organisations.testing import make_agency, make_unit

pytestmark = pytest.mark.django_db


def _type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def test_named_type_is_type_then_agency() -> None:
    ubnd = make_agency(abbreviation="UBND")
    assert build_notation(number=13, doc_type=_type("chi-thi"), agency=ubnd) == ("13", "CT-UBND")
    bnv = make_agency(abbreviation="BNV")
    number, notation = build_notation(number=15, doc_type=_type("quyet-dinh"), agency=bnv)
    assert number_notation(number, notation) == "15/QĐ-BNV"


def test_official_letter_is_agency_then_unit_or_field() -> None:
    bnv = make_agency(abbreviation="BNV")
    vp = make_unit(agency=bnv, abbreviation="VP")
    cong_van = _type("cong-van")
    assert number_notation(*build_notation(number=5, doc_type=cong_van, agency=bnv, unit=vp)) == (
        "05/BNV-VP"
    )
    ubnd = make_agency(abbreviation="UBND")
    vx = FieldAbbreviation.objects.create(agency=ubnd, abbreviation="VX", name="Văn hóa – xã hội")
    built = build_notation(number=12, doc_type=cong_van, agency=ubnd, field_abbreviation=vx)
    assert number_notation(*built) == "12/UBND-VX"


def test_official_letter_without_unit_or_field_is_refused() -> None:
    ubnd = make_agency(abbreviation="UBND")
    with pytest.raises(ValidationFailed) as info:
        build_notation(number=1, doc_type=_type("cong-van"), agency=ubnd)
    assert "unit" in info.value.fields


def test_mixed_case_abbreviations_are_kept() -> None:
    ubnd = make_agency(abbreviation="UBND")
    assert build_notation(number=3, doc_type=_type("quy-dinh"), agency=ubnd)[1] == "QyĐ-UBND"
    assert build_notation(number=4, doc_type=_type("to-trinh"), agency=ubnd)[1] == "TTr-UBND"
    assert build_notation(number=5, doc_type=_type("chuong-trinh"), agency=ubnd)[1] == "CTr-UBND"


def test_abbreviations_are_nfc() -> None:
    # Đ typed as D + combining stroke does not exist; test a decomposed accent instead.
    decomposed = unicodedata.normalize("NFD", "ĐA")
    ubnd = make_agency(abbreviation="UBND")
    t = _type("de-an")
    t.abbreviation = decomposed
    _, notation = build_notation(number=1, doc_type=t, agency=ubnd)
    assert notation == unicodedata.normalize("NFC", "ĐA-UBND")
    assert unicodedata.is_normalized("NFC", _type("quyet-dinh").abbreviation)


def test_copies_and_public_letters() -> None:
    ubnd = make_agency(abbreviation="UBND")
    assert number_notation(*build_notation(number=5, doc_type=_type("ban-sao-y"), agency=ubnd)) == (
        "05/SY"
    )
    assert build_notation(number=7, doc_type=_type("ban-trich-sao"), agency=ubnd)[1] == "TrS"
    assert build_notation(number=8, doc_type=_type("thu-cong"), agency=ubnd)[1] == "UBND"


def test_numbers_below_ten_get_a_leading_zero() -> None:
    assert [render_number(n) for n in (1, 5, 9, 10, 13, 200)] == [
        "01",
        "05",
        "09",
        "10",
        "13",
        "200",
    ]
    with pytest.raises(ValueError):
        render_number(0)


def test_document_identifier_round_trip() -> None:
    value = build_document_id(
        organ_id="000.00.00.G22",
        issued_date=date(2015, 9, 30),
        code_number="7816",
        code_notation="VPCP-TTĐT",
    )
    assert value == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert parse_document_id(value) == ("000.00.00.G22", date(2015, 9, 30), "7816", "VPCP-TTĐT")
    assert parse_document_id("rác") is None
