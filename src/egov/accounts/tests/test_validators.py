from __future__ import annotations

import pytest

from egov.accounts.validators import (
    citizen_id_problem,
    normalize_number,
    tax_code_check_digit,
    tax_code_problem,
)


@pytest.mark.parametrize(
    "value",
    [
        "048090000123",  # Đà Nẵng, male born 1990
        "001301012345",  # Hà Nội, female born 2001
        "079200000001",  # Hồ Chí Minh, male born 2000
        "096185999999",  # Cà Mau, female born 1985
    ],
)
def test_valid_citizen_ids(value: str) -> None:
    assert citizen_id_problem(value) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("04809000012", "12 chữ số"),  # 11 digits
        ("0480900001234", "12 chữ số"),  # 13 digits
        ("04809000012a", "12 chữ số"),
        ("003090000123", "003"),  # 003 is not a province code
        ("097090000123", "097"),  # beyond 096
        ("000090000123", "000"),
        ("048499000123", "năm sinh"),  # digit 4 = 4: born 2199
    ],
)
def test_invalid_citizen_ids(value: str, fragment: str) -> None:
    problem = citizen_id_problem(value)
    assert problem is not None
    assert fragment in problem


@pytest.mark.parametrize(
    "value",
    [
        "0100109106",  # Viettel
        "0301471130",  # weighted sum divisible by 11: check digit 0
        "0100107370",  # Petrolimex: remainder 10, check digit 0
        "0100112437",  # Vietcombank
        "0101248141",  # FPT
        "0100109106-001",  # a dependent unit
        "048090000123",  # household business: personal identification number (from 1/7/2025)
    ],
)
def test_valid_tax_codes(value: str) -> None:
    assert tax_code_problem(value) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("0100109107", "chữ số kiểm tra"),
        ("0301471131", "chữ số kiểm tra"),
        ("010010910", "10 chữ số"),
        ("0100109106-01", "10 chữ số"),
        ("0100109106001", "10 chữ số"),
        ("0100109106-000", "001"),
        ("003090000123", "003"),
    ],
)
def test_invalid_tax_codes(value: str, fragment: str) -> None:
    problem = tax_code_problem(value)
    assert problem is not None
    assert fragment in problem


def test_check_digit_rule() -> None:
    # 0*31+1*29+0*23+0*19+1*17+0*13+9*7+1*5+0*3 = 114; 114 mod 11 = 4; 10 - 4 = 6
    assert tax_code_check_digit("010010910") == 6
    # 286 = 26 * 11: remainder 0 gives "10", written 0
    assert tax_code_check_digit("030147113") == 0


def test_normalize_number_drops_spaces_and_dots() -> None:
    assert normalize_number(" 048 090.000 123 ") == "048090000123"
