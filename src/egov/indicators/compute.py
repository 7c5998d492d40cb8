"""Indicator values from loaded fact sums: pure functions, no queries.

`FactSet` holds what `selectors.load_facts` read (one query per source); `value_of` answers one
indicator for one agency (or the city) and one period, saying *why* when there is no figure:
no fact rows for the period ("Chưa có số liệu"), a zero denominator, or a source that is not
available yet — never a silent 0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from egov.indicators import formulas
from egov.indicators.models import Aggregation, Direction, Indicator, Unit
from egov.indicators.periods import Period
from egov.indicators.sources import SOURCES

NO_DATA = "no_data"
GOOD, FAIR, POOR = "good", "fair", "poor"
LEVEL_LABELS = {
    GOOD: "Đạt",
    FAIR: "Cần cố gắng",
    POOR: "Chưa đạt",
    NO_DATA: "Chưa có số liệu",
}

Sums = dict[str, int]


@dataclass
class FactSet:
    """Sums per source, agency and month (month None: a snapshot source)."""

    rows: dict[str, dict[tuple[int, dt.date | None], Sums]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # source -> reason
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def agencies(self) -> set[int]:
        return {agency for rows in self.rows.values() for agency, _m in rows}


@dataclass(frozen=True)
class Value:
    value: Decimal | None
    level: str
    reason: str = ""

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def label(self) -> str:
        return _(LEVEL_LABELS[self.level])

    @property
    def badge(self) -> str:
        return {GOOD: "success", FAIR: "warning", POOR: "danger"}.get(self.level, "muted")


@lru_cache(maxsize=512)
def _parsed(formula: str, names: tuple[str, ...]) -> formulas.Node:
    return formulas.parse(formula, names)


def _pick(
    indicator: Indicator,
    rows: dict[tuple[int, dt.date | None], Sums],
    agency_id: int | None,
    period: Period,
) -> list[Sums]:
    months = set(period.months)
    chosen = [
        (month, sums)
        for (agency, month), sums in rows.items()
        if (agency_id is None or agency == agency_id) and (month is None or month in months)
    ]
    if indicator.aggregation == Aggregation.LAST and chosen:
        dated = [m for m, _s in chosen if m is not None]
        if dated:
            latest = max(dated)
            chosen = [(m, s) for m, s in chosen if m == latest]
    return [s for _m, s in chosen]


def level_of(indicator: Indicator, value: Decimal) -> str:
    green, amber = Decimal(indicator.target_green), Decimal(indicator.target_amber)
    if indicator.direction == Direction.LOWER:
        return GOOD if value <= green else FAIR if value <= amber else POOR
    return GOOD if value >= green else FAIR if value >= amber else POOR


def value_of(
    indicator: Indicator, facts: FactSet, *, agency_id: int | None, period: Period
) -> Value:
    source = SOURCES.get(indicator.source)
    if source is None:
        return Value(None, NO_DATA, _("Chưa có nguồn số liệu cho chỉ số này."))
    if indicator.source in facts.unavailable:
        return Value(None, NO_DATA, facts.unavailable[indicator.source])
    try:
        node = _parsed(indicator.formula, facts.fields.get(indicator.source, ()))
    except formulas.FormulaError as exc:
        return Value(None, NO_DATA, _("Công thức chưa dùng được: %(e)s") % {"e": exc})
    chosen = _pick(indicator, facts.rows.get(indicator.source, {}), agency_id, period)
    if not chosen:
        return Value(None, NO_DATA, _("Chưa có số liệu trong kỳ."))
    totals: Sums = defaultdict(int)
    for sums in chosen:
        for name, n in sums.items():
            totals[name] += n or 0
    try:
        raw = formulas.evaluate(node, totals)
    except formulas.NoData:
        return Value(None, NO_DATA, _("Không có số liệu để tính (mẫu số bằng 0)."))
    places = Decimal("1") if indicator.unit == Unit.COUNT else Decimal("0.1")
    if indicator.unit == Unit.RATIO:
        places = Decimal("0.01")
    value = raw.quantize(places, rounding=ROUND_HALF_UP)
    return Value(value, level_of(indicator, value))


def display(indicator: Indicator, value: Value) -> str:
    if value.value is None:
        return _("Chưa có số liệu")
    text = f"{value.value:,}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{text} %" if indicator.unit == Unit.PERCENT else text


def ranked(
    indicator: Indicator,
    facts: FactSet,
    agencies: Iterable[Any],
    period: Period,
) -> list[tuple[Any, Value]]:
    """Agencies best first; those without a figure last (by name)."""
    values = [(a, value_of(indicator, facts, agency_id=a.pk, period=period)) for a in agencies]
    with_data = [(a, v) for a, v in values if v.value is not None]
    without = [(a, v) for a, v in values if v.value is None]
    sign = 1 if indicator.direction == Direction.LOWER else -1
    with_data.sort(key=lambda av: (sign * av[1].value, av[0].name))  # type: ignore[operator]
    without.sort(key=lambda av: av[0].name)
    return with_data + without
