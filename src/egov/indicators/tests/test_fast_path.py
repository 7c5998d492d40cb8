"""The totals kept per source and period (`compute.value_of`, what every dashboard uses) give
exactly the figures of the straightforward evaluation (`compute.value_of_direct`: select the
agency's rows from all the source's rows, sum, evaluate) — for every seeded indicator, for each
agency and the city, over months, quarters, half-years and years, including agencies and
sources with no data, which must say so rather than show 0."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.apps import apps

from egov.documents.models import DocumentMonthlyFact
from egov.indicators import compute, selectors
from egov.indicators.models import CatalogueFact, DossierMonthlyFact, Indicator
from egov.indicators.periods import Period
from egov.organisations.testing import make_agency

pytestmark = pytest.mark.django_db

LEVELS = ("full_online", "partial_online", "")
PERIODS = (
    [Period(2026, "month", m) for m in range(1, 10)]
    + [Period(2026, "quarter", q) for q in (1, 2, 3)]
    + [Period(2026, "half", h) for h in (1, 2)]
    + [Period(2026, "year", 1), Period(2025, "year", 1)]
)


def _dossier_counts(rng: random.Random) -> dict[str, int]:
    decided = rng.choice([0, 0, 3, 10, 57])
    late = rng.randint(0, decided)
    received = rng.choice([0, 4, 20, 100])
    returned = rng.randint(0, decided)
    rated = rng.randint(0, returned)
    satisfied = rng.randint(0, rated)
    return {
        "submitted": received + rng.randint(0, 3),
        "received": received,
        "received_online": rng.randint(0, received),
        "received_digitised": rng.randint(0, received),
        "decided": decided,
        "decided_on_time": decided - late,
        "decided_late": late,
        "late_with_apology": rng.randint(0, late),
        "returned": returned,
        "returned_online": rng.randint(0, returned),
        "results_signed": rng.randint(0, returned),
        "payments_confirmed": (paid := rng.randint(0, 9)),
        "payments_online": rng.randint(0, paid),
        "rated": rated,
        "rated_satisfied": satisfied,
        "rated_acceptable": rng.randint(0, rated - satisfied),
    }


@pytest.fixture
def city() -> list[object]:
    """Four agencies: A everywhere, B in fewer months, C thinly, D with no fact row at all."""
    rng = random.Random(5)
    a, b, c, d = (make_agency(name=n) for n in ("A", "B", "C", "D"))
    for agency, months in ((a, range(1, 9)), (b, (1, 2, 4, 5, 7)), (c, (2, 8))):
        for month in months:
            for level in LEVELS[: rng.randint(1, 3)]:
                DossierMonthlyFact.objects.create(
                    agency=agency,
                    month=dt.date(2026, month, 1),
                    service_level=level,
                    **_dossier_counts(rng),
                )
    # The catalogue is read at the period's last month: A has months 1-6, B 1-4, C only 2,
    # so a quarter's city figure and each agency's come from different months.
    for agency, months in ((a, range(1, 7)), (b, range(1, 5)), (c, (2,))):
        for month in months:
            procedures = rng.randint(0, 40)
            published = rng.randint(0, procedures)
            CatalogueFact.objects.create(
                agency=agency,
                month=dt.date(2026, month, 1),
                procedures=procedures,
                published=published,
                full_online=rng.randint(0, published),
                partial_online=rng.randint(0, published),
            )
    for agency, months in ((a, range(2, 8)), (b, (3,))):
        for month in months:
            DocumentMonthlyFact.objects.create(
                agency=agency,
                month=dt.date(2026, month, 1),
                sent_electronic=rng.randint(0, 30),
                sent_paper=rng.randint(0, 5),
                received_electronic=rng.randint(0, 30),
                received_paper=rng.randint(0, 5),
                digitally_signed=rng.randint(0, 20),
                incoming_on_time=rng.randint(0, 20),
                incoming_late=rng.randint(0, 4),
            )
    assignment_fact = apps.get_model("assignments", "AssignmentMonthlyFact")
    for month in (1, 3, 4):
        assignment_fact.objects.create(
            agency=a,
            month=dt.date(2026, month, 1),
            assigned=10,
            done=month,
            done_on_time=month - 1,
            done_late=1,
            overdue_open=month % 3,
        )
    training_fact = apps.get_model("training", "TrainingFact")
    for agency, total in ((a, 20), (b, 0)):  # B: no staff, a zero denominator
        training_fact.objects.update_or_create(
            agency=agency, defaults={"staff_total": total, "basic_met": total // 2}
        )
    # No infrastructure fact at all: the NL-3..5 indicators have no data anywhere.
    Indicator.objects.create(  # a dossier indicator read at the period's last month
        code="X-LAST",
        name="Hồ sơ tiếp nhận tháng cuối kỳ",
        group="766_progress",
        source="dossiers",
        formula="received",
        aggregation="last",
        unit="count",
        target_green=Decimal(10),
        target_amber=Decimal(5),
    )
    return [a, b, c, d]


def test_fast_path_gives_the_straightforward_figures(city: list[object]) -> None:
    indicators = selectors.indicators()
    assert len(indicators) > 20
    facts = selectors.load_facts(sources={i.source for i in indicators}, periods=PERIODS)
    cases = [
        (indicator, agency, period)
        for indicator in indicators
        for agency in [None, *(a.pk for a in city)]  # type: ignore[attr-defined]
        for period in PERIODS
    ]
    random.Random(1).shuffle(cases)  # the kept totals must not depend on the order asked

    figures = 0
    for indicator, agency, period in cases:
        fast = compute.value_of(indicator, facts, agency_id=agency, period=period)
        direct = compute.value_of_direct(indicator, facts, agency_id=agency, period=period)
        assert fast == direct, (indicator.code, agency, period)
        assert compute.value_of(indicator, facts, agency_id=agency, period=period) == fast
        figures += fast.value is not None
    assert figures > 300  # most cases have a figure: the comparison is not of empties

    # A fresh fact set asked in another order gives the same figures.
    again = selectors.load_facts(sources={i.source for i in indicators}, periods=PERIODS)
    for indicator, agency, period in reversed(cases):
        assert compute.value_of(
            indicator, again, agency_id=agency, period=period
        ) == compute.value_of(indicator, facts, agency_id=agency, period=period)


@pytest.mark.parametrize(
    "ranked", [Period(2026, "month", 5), Period(2026, "quarter", 2), Period(2026, "month", 9)]
)
def test_city_totals_read_per_month_give_the_same_figures(
    city: list[object], ranked: Period
) -> None:
    """The city page reads each agency's rows for the ranked period only and the city's
    totals (summed in the query) for the other months of its trend; an agency's page the
    same, plus its own rows for every month (`whole`)."""
    indicators = selectors.indicators()
    sources = {i.source for i in indicators}
    full = selectors.load_facts(sources=sources, periods=PERIODS)
    light = selectors.load_facts(sources=sources, periods=PERIODS, agencies_for=[ranked])
    own = city[1].pk  # type: ignore[attr-defined]
    page = selectors.load_facts(
        sources=sources, periods=PERIODS, agencies_for=[ranked], whole=[own]
    )
    for indicator in indicators:
        for period in PERIODS:
            for agency in (None, own):
                assert compute.value_of(
                    indicator, page, agency_id=agency, period=period
                ) == compute.value_of_direct(indicator, full, agency_id=agency, period=period)
    assert light.city_rows["dossiers"]  # the other months came as city totals
    for indicator in indicators:
        for period in PERIODS:
            assert compute.value_of(
                indicator, light, agency_id=None, period=period
            ) == compute.value_of_direct(indicator, full, agency_id=None, period=period), (
                indicator.code,
                period,
            )
        for agency in city:
            pk = agency.pk  # type: ignore[attr-defined]
            assert compute.value_of(
                indicator, light, agency_id=pk, period=ranked
            ) == compute.value_of_direct(indicator, full, agency_id=pk, period=ranked)
    dossier_indicator = next(i for i in indicators if i.source == "dossiers")
    with pytest.raises(compute.FactsNotLoaded):  # the reference needs every row
        compute.value_of_direct(dossier_indicator, light, agency_id=None, period=ranked)
    with pytest.raises(compute.FactsNotLoaded):  # never a silent "no data"
        compute.value_of(
            dossier_indicator, light, agency_id=city[0].pk, period=Period(2026, "year", 1)
        )


def test_missing_data_says_so_on_the_fast_path(city: list[object]) -> None:
    a, b, _c, d = city
    indicators = {i.code: i for i in selectors.indicators()}
    facts = selectors.load_facts(sources={i.source for i in indicators.values()}, periods=PERIODS)

    def value(code: str, agency: object | None, period: Period) -> compute.Value:
        pk = agency.pk if agency is not None else None  # type: ignore[attr-defined]
        return compute.value_of(indicators[code], facts, agency_id=pk, period=period)

    q2 = Period(2026, "quarter", 2)
    for code in ("NL-3", "NL-4", "NL-5"):  # no infrastructure fact anywhere
        for agency in (None, a, d):
            v = value(code, agency, q2)
            assert (v.value, v.level) == (None, compute.NO_DATA)
            assert v.reason == "Chưa có số liệu trong kỳ."
    assert "nguồn" in value("766-1.2", None, q2).reason  # no source for the indicator
    assert value("766-2.1", d, q2).value is None  # an agency without rows: no data, not 0
    assert value("766-2.1", None, Period(2025, "year", 1)).value is None
    assert "mẫu số" in value("NL-1", b, q2).reason  # B has no staff: a zero denominator
    assert value("NL-1", a, q2).value == Decimal("50.0")
    assert value("NV-2", b, q2).value is None  # B has no assignment facts: not "0 overdue"

    # The catalogue at the end of Q2 (months 4-6): A's June row; B's own latest is April;
    # the city reads the latest month any agency has, June, so only A's row counts.
    def share(row: CatalogueFact) -> Decimal | None:
        if not row.procedures:
            return None
        return (Decimal(100) * row.published / row.procedures).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    june = CatalogueFact.objects.get(agency=a, month=dt.date(2026, 6, 1))
    april = CatalogueFact.objects.get(agency=b, month=dt.date(2026, 4, 1))
    assert value("766-1.1", None, q2) == value("766-1.1", a, q2)
    assert value("766-1.1", a, q2).value == share(june)
    assert value("766-1.1", b, q2).value == share(april)
