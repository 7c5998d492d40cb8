"""The dossier code: format by configuration, Vietnam day, per agency and day, no gap."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from egov.dossiers.codes import allocate_code
from egov.dossiers.models import DossierCounter
from egov.organisations.testing import make_agency

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_default_format() -> None:
    agency = make_agency(code="000.01.12.H15")
    with transaction.atomic():
        first = allocate_code(agency=agency, at=datetime(2027, 3, 3, 9, tzinfo=VN))
        second = allocate_code(agency=agency, at=datetime(2027, 3, 3, 16, tzinfo=VN))
    assert (first, second) == ("000.01.12.H15-270303-0001", "000.01.12.H15-270303-0002")


def test_the_day_is_vietnams() -> None:
    agency = make_agency(code="000.01.13.H15")
    with transaction.atomic():
        # 18:30 UTC on 02/03 is 01:30 on 03/03 in Vietnam
        code = allocate_code(agency=agency, at=datetime(2027, 3, 2, 18, 30, tzinfo=UTC))
    assert code == "000.01.13.H15-270303-0001"


def test_sequences_are_per_agency_and_day() -> None:
    a, b = make_agency(code="000.01.14.H15"), make_agency(code="000.01.15.H15")
    day1, day2 = datetime(2027, 3, 3, 9, tzinfo=VN), datetime(2027, 3, 4, 9, tzinfo=VN)
    with transaction.atomic():
        codes = [
            allocate_code(agency=a, at=day1),
            allocate_code(agency=b, at=day1),
            allocate_code(agency=a, at=day2),
            allocate_code(agency=a, at=day1),
        ]
    assert [c[-11:] for c in codes] == [
        "270303-0001",
        "270303-0001",
        "270304-0001",
        "270303-0002",
    ]


def test_format_from_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EGOV_DOSSIER_CODE_FORMAT = "HS-{agency_code}/{date:%Y%m%d}/{seq:05d}"
    agency = make_agency(code="000.01.16.H15")
    with transaction.atomic():
        code = allocate_code(agency=agency, at=datetime(2027, 3, 3, 9, tzinfo=VN))
    assert code == "HS-000.01.16.H15/20270303/00001"


def test_a_rolled_back_submission_leaves_no_gap() -> None:
    agency = make_agency(code="000.01.17.H15")
    when = datetime(2027, 3, 3, 9, tzinfo=VN)
    with transaction.atomic():
        allocate_code(agency=agency, at=when)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        allocate_code(agency=agency, at=when)
        raise Boom
    with transaction.atomic():
        assert allocate_code(agency=agency, at=when).endswith("-0002")
    assert DossierCounter.objects.get(agency=agency).last_value == 2
