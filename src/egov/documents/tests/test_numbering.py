"""Number series (Decree 30 Art. 15, 22.2): per agency and calendar year, restart on 1 January,
no gap on rollback, secret documents and copies apart, incoming its own series."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from egov.documents.models import NumberSeries
from egov.documents.numbering import (
    allocate_number,
    incoming_series_key,
    legal_year,
    outgoing_series_key,
)
from egov.documents.services import document_issue
from egov.documents.tests.factories import bare_signed, doc_type, make_side
from egov.organisations.testing import make_agency

pytestmark = pytest.mark.django_db


def _take(agency, year, key="outgoing"):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return allocate_number(agency=agency, year=year, series_key=key)


def test_numbers_start_at_one_and_restart_each_year() -> None:
    agency = make_agency()
    assert [_take(agency, 2026) for _ in range(3)] == [1, 2, 3]
    assert _take(agency, 2027) == 1
    assert _take(agency, 2026) == 4


def test_series_are_per_agency_and_key() -> None:
    a, b = make_agency(), make_agency()
    assert _take(a, 2026) == 1
    assert _take(b, 2026) == 1
    assert _take(a, 2026, "incoming") == 1
    assert _take(a, 2026) == 2


def test_a_rolled_back_issue_hands_its_number_back() -> None:
    agency = make_agency()
    assert _take(agency, 2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert allocate_number(agency=agency, year=2026, series_key="outgoing") == 2
        raise RuntimeError("the issue failed after the number was taken")
    assert _take(agency, 2026) == 2
    assert NumberSeries.objects.get(agency=agency, year=2026, key="outgoing").last == 2


def test_the_year_is_vietnams() -> None:
    # 31/12/2026 17:30 UTC is already 1 January 2027 in Hà Nội
    assert legal_year(datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == 2026
    assert legal_year(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == 2027


def test_series_keys() -> None:
    agency = make_agency()
    qd = doc_type("quyet-dinh")
    assert outgoing_series_key(agency=agency, doc_type=qd, secret=False) == "outgoing"
    assert outgoing_series_key(agency=agency, doc_type=qd, secret=True) == "outgoing:secret"
    assert (
        outgoing_series_key(agency=agency, doc_type=doc_type("ban-sao-y"), secret=False)
        == outgoing_series_key(agency=agency, doc_type=doc_type("ban-sao-luc"), secret=False)
        == "outgoing:copy"
    )
    assert incoming_series_key(secret=False) == "incoming"
    assert incoming_series_key(secret=True) == "incoming:secret"


def test_secret_documents_have_their_own_series_when_issued() -> None:
    side = make_side(abbreviation="UBND")
    first = bare_signed(side)
    secret = bare_signed(side, secret=True)
    second = bare_signed(side)
    for d in (first, secret, second):
        document_issue(actor=side.clerk.user, document=d)
    assert (first.code_number, secret.code_number, second.code_number) == ("01", "01", "02")
    assert secret.series_key == "outgoing:secret"


def test_issue_restarts_on_the_first_of_january(monkeypatch: pytest.MonkeyPatch) -> None:
    from egov.documents.services import _common

    side = make_side(abbreviation="UBND")
    moments = iter([datetime(2026, 12, 31, 9, 0, tzinfo=UTC)] * 50)
    monkeypatch.setattr(_common, "now", lambda: next(moments))
    late = [bare_signed(side) for _ in range(2)]
    for d in late:
        document_issue(actor=side.clerk.user, document=d)
    moments = iter([datetime(2027, 1, 1, 1, 0, tzinfo=UTC)] * 50)
    new_year = bare_signed(side)
    document_issue(actor=side.clerk.user, document=new_year)
    assert [d.code_number for d in late] == ["01", "02"]
    assert new_year.code_number == "01"
    assert new_year.issued_date.isoformat() == "2027-01-01"
    assert new_year.document_id.split(",")[1] == "2027/01/01"
