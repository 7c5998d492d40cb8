"""What each dashboard shows, built from fact sums (selectors.load_facts) and compute; the
same structures feed the HTML pages, the XLSX and PDF exports and the monthly report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from egov.indicators import compute, selectors
from egov.indicators.compute import Value
from egov.indicators.models import Indicator, IndicatorGroup
from egov.indicators.periods import KIND_LABELS, Period

TREND = 6


@dataclass
class Table:
    """A table as plain text cells: what the page shows and what the exports write."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Line:
    indicator: Indicator
    value: Value
    text: str
    trend: list[tuple[Period, Value]]
    city: Value | None = None
    city_text: str = ""
    ranking: list[tuple[Any, Value]] = field(default_factory=list)
    svg: Any = None  # the trend chart and its table, drawn by the view
    cell: Any = None  # the figure with its level, drawn by the view

    @property
    def group_label(self) -> str:
        return str(IndicatorGroup(self.indicator.group).label)


def _trend_text(indicator: Indicator, trend: list[tuple[Period, Value]]) -> str:
    return "; ".join(f"{p.label}: {compute.display(indicator, v)}" for p, v in trend)


def city_dashboard(period: Period, *, trend: int = TREND) -> dict[str, Any]:
    items = selectors.indicators()
    periods = period.trend(trend)
    # Agencies are ranked for the period only; the trend is the city's.
    facts = selectors.load_facts(
        sources={i.source for i in items}, periods=periods, agencies_for=[period]
    )
    agencies = selectors.agencies_for_ranking()
    lines = []
    for indicator in items:
        value = compute.value_of(indicator, facts, agency_id=None, period=period)
        lines.append(
            Line(
                indicator=indicator,
                value=value,
                text=compute.display(indicator, value),
                trend=[
                    (p, compute.value_of(indicator, facts, agency_id=None, period=p))
                    for p in periods
                ],
                ranking=compute.ranked(indicator, facts, agencies, period),
            )
        )
    table = Table(
        _("Chỉ số toàn thành phố – %(p)s") % {"p": period.label},
        [
            _("Mã"),
            _("Chỉ số"),
            _("Nhóm"),
            _("Giá trị"),
            _("Đánh giá"),
            _("Dẫn đầu"),
            _("Cuối bảng"),
            _("Xu hướng"),
        ],
    )
    for line in lines:
        with_data = [(a, v) for a, v in line.ranking if v.has_data]
        best = (
            f"{with_data[0][0].name} ({compute.display(line.indicator, with_data[0][1])})"
            if with_data
            else "—"
        )
        worst = (
            f"{with_data[-1][0].name} ({compute.display(line.indicator, with_data[-1][1])})"
            if with_data
            else "—"
        )
        table.rows.append(
            [
                line.indicator.code,
                line.indicator.name,
                line.group_label,
                line.text,
                line.value.label,
                best,
                worst,
                _trend_text(line.indicator, line.trend),
            ]
        )
    return {
        "period": period,
        "lines": lines,
        "tables": [table],
        "kind_label": KIND_LABELS[period.kind],
    }


def indicator_dashboard(
    indicator: Indicator, period: Period, *, trend: int = TREND
) -> dict[str, Any]:
    periods = period.trend(trend)
    facts = selectors.load_facts(sources={indicator.source}, periods=periods)
    agencies = selectors.agencies_for_ranking()
    ranking = compute.ranked(indicator, facts, agencies, period)
    city_trend = [
        (p, compute.value_of(indicator, facts, agency_id=None, period=p)) for p in periods
    ]
    rows = []
    for agency, value in ranking:
        agency_trend = [
            (p, compute.value_of(indicator, facts, agency_id=agency.pk, period=p)) for p in periods
        ]
        rows.append((agency, value, compute.display(indicator, value), agency_trend))
    ranking_table = Table(
        _("%(code)s – %(name)s – %(p)s: xếp hạng cơ quan")
        % {"code": indicator.code, "name": indicator.name, "p": period.label},
        [_("Hạng"), _("Cơ quan"), _("Giá trị"), _("Đánh giá"), _("Xu hướng")],
    )
    rank = 0
    for agency, value, text, agency_trend in rows:
        rank += 1 if value.has_data else 0
        ranking_table.rows.append(
            [
                str(rank) if value.has_data else "—",
                agency.name,
                text,
                value.label,
                _trend_text(indicator, agency_trend),
            ]
        )
    trend_table = Table(
        _("Toàn thành phố theo kỳ"),
        [_("Kỳ"), _("Giá trị"), _("Đánh giá")],
        [[p.label, compute.display(indicator, v), v.label] for p, v in city_trend],
    )
    return {
        "period": period,
        "indicator": indicator,
        "rows": rows,
        "city_trend": city_trend,
        "city": (city := compute.value_of(indicator, facts, agency_id=None, period=period)),
        "city_text": compute.display(indicator, city),
        "tables": [ranking_table, trend_table],
    }


def agency_dashboard(
    agency: Any,
    period: Period,
    *,
    trend: int = TREND,
    items: list[Indicator] | None = None,
    facts: compute.FactSet | None = None,
) -> dict[str, Any]:
    """One agency's figures; `items` and `facts` may be loaded once for many agencies."""
    items = selectors.indicators() if items is None else items
    periods = period.trend(trend)
    if facts is None:  # the agency's own trend; the city for the period only
        facts = selectors.load_facts(
            sources={i.source for i in items},
            periods=periods,
            agencies_for=[period],
            whole=[agency.pk],
        )
    lines = []
    for indicator in items:
        value = compute.value_of(indicator, facts, agency_id=agency.pk, period=period)
        city = compute.value_of(indicator, facts, agency_id=None, period=period)
        lines.append(
            Line(
                indicator=indicator,
                value=value,
                text=compute.display(indicator, value),
                trend=[
                    (p, compute.value_of(indicator, facts, agency_id=agency.pk, period=p))
                    for p in periods
                ],
                city=city,
                city_text=compute.display(indicator, city),
            )
        )
    table = Table(
        _("%(agency)s – %(p)s") % {"agency": agency.name, "p": period.label},
        [
            _("Mã"),
            _("Chỉ số"),
            _("Giá trị"),
            _("Đánh giá"),
            _("Toàn thành phố"),
            _("Ghi chú"),
            _("Xu hướng"),
        ],
    )
    for line in lines:
        table.rows.append(
            [
                line.indicator.code,
                line.indicator.name,
                line.text,
                line.value.label,
                line.city_text,
                line.value.reason,
                _trend_text(line.indicator, line.trend),
            ]
        )
    return {"period": period, "agency": agency, "lines": lines, "tables": [table]}
