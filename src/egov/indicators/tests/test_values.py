"""Indicator values on hand-computed fact rows; missing data says so instead of 0.

Every figure is checked on both paths: `compute.value_of` (the totals kept per source and
period, what the pages use) and `compute.value_of_direct` (the straightforward selection).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from egov.documents.models import DocumentMonthlyFact
from egov.indicators import compute, selectors
from egov.indicators.models import DossierMonthlyFact, Indicator
from egov.indicators.periods import Period
from egov.organisations.testing import make_agency

pytestmark = pytest.mark.django_db

MARCH = Period(2026, "month", 3)
Q1 = Period(2026, "quarter", 1)


def fact(agency, month: int, level: str = "full_online", **counts: int) -> DossierMonthlyFact:
    return DossierMonthlyFact.objects.create(
        agency=agency, month=dt.date(2026, month, 1), service_level=level, **counts
    )


PATHS: dict[str, Callable[..., compute.Value]] = {
    "fast": compute.value_of,
    "direct": compute.value_of_direct,
}
_path: list[Callable[..., compute.Value]] = [compute.value_of]


@pytest.fixture(autouse=True, params=sorted(PATHS))
def _both_paths(request: Any) -> Iterator[None]:
    _path[0] = PATHS[request.param]
    yield
    _path[0] = compute.value_of


def value(code: str, period: Period, agency=None) -> compute.Value:
    indicator = Indicator.objects.get(code=code)
    facts = selectors.load_facts(sources={indicator.source}, periods=[period])
    return _path[0](indicator, facts, agency_id=agency.pk if agency else None, period=period)


def test_seven_of_ten_on_time_is_seventy_percent() -> None:
    a = make_agency()
    fact(a, 3, decided=10, decided_on_time=4, decided_late=2)
    fact(a, 3, level="partial_online", decided=4, decided_on_time=3, decided_late=1)

    v = value("766-2.1", MARCH, a)

    assert v.value == Decimal("70.0")
    assert v.level == compute.POOR  # target 95 / 85
    assert compute.display(Indicator.objects.get(code="766-2.1"), v) == "70,0 %"


def test_no_rows_is_no_data_not_zero() -> None:
    a = make_agency()
    fact(a, 2, decided=5, decided_on_time=5)  # another month

    v = value("766-2.1", MARCH, a)

    assert v.value is None
    assert v.level == compute.NO_DATA
    assert v.label == "Chưa có số liệu"
    assert "Chưa có số liệu" in v.reason


def test_zero_denominator_is_no_data_and_a_real_zero_is_zero() -> None:
    a, b = make_agency(), make_agency()
    fact(a, 3, received=4)  # rows exist, nothing decided
    fact(b, 3, decided=2, decided_late=2)

    assert value("766-2.1", MARCH, a).value is None
    assert "mẫu số" in value("766-2.1", MARCH, a).reason
    zero = value("766-2.1", MARCH, b)
    assert zero.value == Decimal("0.0")
    assert zero.level == compute.POOR


def test_city_sums_agencies_and_quarter_sums_months() -> None:
    a, b = make_agency(), make_agency()
    fact(a, 1, decided_on_time=9, decided_late=1)
    fact(a, 3, decided_on_time=10, decided_late=0)
    fact(b, 2, decided_on_time=1, decided_late=9)
    fact(b, 4, decided_on_time=0, decided_late=50)  # Q2: outside

    assert value("766-2.1", Q1, a).value == Decimal("95.0")
    assert value("766-2.1", Q1, a).level == compute.GOOD
    assert value("766-2.1", Q1, b).value == Decimal("10.0")
    assert value("766-2.1", Q1).value == Decimal("66.7")  # 20 of 30


def test_ranking_puts_no_data_last() -> None:
    a, b, c = make_agency(name="A"), make_agency(name="B"), make_agency(name="C")
    fact(a, 3, received=10, received_online=2)
    fact(b, 3, received=10, received_online=9)
    indicator = Indicator.objects.get(code="766-3.3")
    facts = selectors.load_facts(sources={"dossiers"}, periods=[MARCH])

    ranked = compute.ranked(indicator, facts, [a, b, c], MARCH)

    assert [(ag.name, v.value) for ag, v in ranked] == [
        ("B", Decimal("90.0")),
        ("A", Decimal("20.0")),
        ("C", None),
    ]


def test_lower_is_better_thresholds() -> None:
    indicator = Indicator(
        code="x",
        name="x",
        group="assignments",
        source="assignments",
        formula="overdue_open",
        unit="count",
        direction="lower",
        target_green=Decimal(0),
        target_amber=Decimal(3),
    )
    assert compute.level_of(indicator, Decimal(0)) == compute.GOOD
    assert compute.level_of(indicator, Decimal(3)) == compute.FAIR
    assert compute.level_of(indicator, Decimal(4)) == compute.POOR


def test_documents_source_read_as_kept_by_the_documents_app() -> None:
    a = make_agency()
    DocumentMonthlyFact.objects.create(
        agency=a,
        month=dt.date(2026, 3, 1),
        sent_electronic=6,
        sent_paper=2,
        received_electronic=1,
        received_paper=1,
        digitally_signed=4,
        incoming_on_time=3,
        incoming_late=1,
    )
    assert value("VB-1", MARCH, a).value == Decimal("70.0")  # 7 of 10
    assert value("VB-2", MARCH, a).value == Decimal("50.0")  # 4 of 8
    assert value("VB-3", MARCH, a).value == Decimal("75.0")


def test_source_without_data_feed_says_so() -> None:
    v = value("766-1.2", MARCH, make_agency())
    assert v.value is None
    assert "nguồn" in v.reason


def test_snapshot_source_applies_to_every_period() -> None:
    from django.apps import apps

    TrainingFact = apps.get_model("training", "TrainingFact")
    a = make_agency()
    TrainingFact.objects.update_or_create(
        agency=a, defaults={"staff_total": 20, "basic_met": 15, "advanced_met": 4}
    )
    assert value("NL-1", MARCH, a).value == Decimal("75.0")
    assert value("NL-2", Q1, a).value == Decimal("20.0")
