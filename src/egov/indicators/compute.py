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
from functools import lru_cache, partial
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


_NO_MONTHS: frozenset[dt.date] = frozenset()


class FactsNotLoaded(LookupError):
    """An agency's figure asked of facts read as the city's totals for that period."""


@dataclass
class FactSet:
    """Sums per source, agency and month (month None: a snapshot source).

    What a period needs is summed once per source and period and kept here — each agency's
    totals and the city's — with the values computed from them, so a page asking for 23
    indicators over 70 agencies and 7 periods sums each fact row once and evaluates each
    formula once per figure (`value_of`). Fill `rows` before the first figure is asked for
    (as `selectors.load_facts` does): what is kept does not follow later changes to `rows`.
    """

    rows: dict[str, dict[tuple[int, dt.date | None], Sums]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # source -> reason
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Months read as the city's totals (the rows of every agency not in `whole` added up in
    # the query): no other agency's figure can be computed for them.
    city_rows: dict[str, dict[dt.date | None, Sums]] = field(default_factory=dict)
    city_only: dict[str, set[dt.date]] = field(default_factory=dict)
    whole: set[int] = field(default_factory=set)
    _by_month: dict[str, dict[dt.date | None, dict[int, Sums]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _city_month: dict[tuple[str, dt.date | None], Sums] = field(
        default_factory=dict, repr=False, compare=False
    )
    _totals: dict[tuple[str, Period, bool], dict[int | None, Sums | None]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _plans: dict[tuple[Any, ...], _Plan] = field(default_factory=dict, repr=False, compare=False)
    _values: dict[tuple[Any, ...], dict[int | None, Value]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def agencies(self) -> set[int]:
        return {agency for rows in self.rows.values() for agency, _m in rows}

    def _months(self, source: str) -> dict[dt.date | None, dict[int, Sums]]:
        """The source's rows by month, then agency (month None: the snapshot rows)."""
        by_month = self._by_month.get(source)
        if by_month is None:
            by_month = self._by_month[source] = {}
            for (agency, month), sums in self.rows.get(source, {}).items():
                by_month.setdefault(month, {})[agency] = sums
        return by_month

    def _city(
        self, source: str, month: dt.date | None, rows: dict[int, Sums] | None, rest: Sums | None
    ) -> Sums:
        """One month of the city: the agencies' rows read, plus the total read for the rest;
        kept, as the trend asks for it again."""
        key = (source, month)
        found = self._city_month.get(key)
        if found is None:
            parts = list(rows.values()) if rows else []
            if rest is not None:
                parts.append(rest)
            found = self._city_month[key] = _sum(parts)
        return found

    def totals(
        self, source: str, agency_id: int | None, period: Period, *, last: bool = False
    ) -> Sums | None:
        """The source's counters summed over the period for one agency (None: the city), or
        None when no fact row counts. `last`: only the latest month's rows — the agency's own
        latest month; for the city, the latest month any agency has in the period, and the
        rows of every agency for that month. Read-only: the mapping may be kept and shared."""
        known = self._totals.get((source, period, last))
        if known is None:
            known = self._totals[(source, period, last)] = {}
        elif agency_id in known:
            return known[agency_id]
        by_month = self._months(source)
        city_rows = self.city_rows.get(source, {})
        if (
            agency_id is not None
            and agency_id not in self.whole
            and not self.city_only.get(source, _NO_MONTHS).isdisjoint(period.months)
        ):
            raise FactsNotLoaded(f"{source}: per-agency rows not read for {period}")
        # The months with rows that count, the latest first; the snapshot rows (None) last.
        months: list[dt.date | None] = [
            m for m in reversed(period.months) if m in by_month or m in city_rows
        ]
        if None in by_month:
            months.append(None)
        if agency_id is None:
            chosen = [self._city(source, m, by_month.get(m), city_rows.get(m)) for m in months]
        else:
            months = [m for m in months if m in by_month and agency_id in by_month[m]]
            chosen = [by_month[m][agency_id] for m in months]
        if last and months and months[0] is not None:
            chosen = chosen[:1]  # the latest dated month only
        result = known[agency_id] = _sum(chosen) if chosen else None
        return result


def _sum(rows: list[Sums]) -> Sums:
    if len(rows) == 1:
        return rows[0]  # formulas read a missing or None counter as 0, like a sum does
    result: Sums = {}
    for sums in rows:
        for name, n in sums.items():
            result[name] = result.get(name, 0) + (n or 0)
    return result


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True)
class _Plan:
    """How one indicator is computed on these facts: its formula ready to run, or the "no
    data" value it has whatever the period (no source, source unavailable, bad formula)."""

    fixed: Value | None
    last: bool
    run: formulas.Compiled | None
    empty: tuple[Value, Value] | None = None  # (no row in the period, zero denominator)


def _checked(indicator: Indicator, facts: FactSet) -> formulas.Node | Value:
    """The indicator's parsed formula, or the "no data" value saying why there is none."""
    source = SOURCES.get(indicator.source)
    if source is None:
        return Value(None, NO_DATA, _("Chưa có nguồn số liệu cho chỉ số này."))
    if indicator.source in facts.unavailable:
        return Value(None, NO_DATA, facts.unavailable[indicator.source])
    try:
        return _parsed(indicator.formula, facts.fields.get(indicator.source, ()))
    except formulas.FormulaError as exc:
        return Value(None, NO_DATA, _("Công thức chưa dùng được: %(e)s") % {"e": exc})


@lru_cache(maxsize=512)
def _compiled(formula: str, names: tuple[str, ...]) -> formulas.Compiled:
    return formulas.compiled(_parsed(formula, names))


def _empty() -> tuple[Value, Value]:
    """The two "no data" values a period can have: no fact row counts, or the formula has a
    zero denominator."""
    return (
        Value(None, NO_DATA, _("Chưa có số liệu trong kỳ.")),
        Value(None, NO_DATA, _("Không có số liệu để tính (mẫu số bằng 0).")),
    )


def _finish(
    indicator: Indicator,
    run: formulas.Compiled,
    totals: Sums | None,
    empty: tuple[Value, Value] | None = None,
) -> Value:
    if totals is None:  # no fact row counts in the period
        return (empty or _empty())[0]
    try:
        raw = run(totals)
    except formulas.NoData:
        return (empty or _empty())[1]
    places = Decimal("1") if indicator.unit == Unit.COUNT else Decimal("0.1")
    if indicator.unit == Unit.RATIO:
        places = Decimal("0.01")
    value = raw.quantize(places, rounding=ROUND_HALF_UP)
    return Value(value, level_of(indicator, value))


def value_of(
    indicator: Indicator, facts: FactSet, *, agency_id: int | None, period: Period
) -> Value:
    """One indicator for one agency (None: the city) and period: the totals `facts` keeps
    per (source, period) looked up, the formula run once on them — or nothing at all when
    the same figure was asked for before on these facts."""
    key = (
        indicator.source,
        indicator.formula,
        indicator.aggregation,
        indicator.unit,
        indicator.direction,
        indicator.target_green,
        indicator.target_amber,
    )
    known = facts._values.setdefault((key, period), {})
    if agency_id in known:
        return known[agency_id]
    plan = facts._plans.get(key)
    if plan is None:
        checked = _checked(indicator, facts)
        if isinstance(checked, Value):
            plan = _Plan(fixed=checked, last=False, run=None)
        else:
            run = _compiled(indicator.formula, facts.fields.get(indicator.source, ()))
            last = indicator.aggregation == Aggregation.LAST
            plan = _Plan(fixed=None, last=last, run=run, empty=_empty())
        facts._plans[key] = plan
    if plan.run is None:
        assert plan.fixed is not None
        found = plan.fixed
    else:
        totals = facts.totals(indicator.source, agency_id, period, last=plan.last)
        found = _finish(indicator, plan.run, totals, plan.empty)
    known[agency_id] = found
    return found


def value_of_direct(
    indicator: Indicator, facts: FactSet, *, agency_id: int | None, period: Period
) -> Value:
    """The straightforward evaluation `value_of` must agree with: select this agency's (or
    every agency's) rows for the period from all the source's rows, sum them, evaluate.
    Kept as the reference the tests compare the fast path against; pages use `value_of`.
    Facts read partly as city totals (`load_facts(agencies_for=...)`) cannot be read so."""
    if facts.city_rows:
        raise FactsNotLoaded("value_of_direct needs every agency's rows")
    checked = _checked(indicator, facts)
    if isinstance(checked, Value):
        return checked
    chosen = _pick(indicator, facts.rows.get(indicator.source, {}), agency_id, period)
    if not chosen:
        return _finish(indicator, partial(formulas.evaluate, checked), None)
    totals: Sums = defaultdict(int)
    for sums in chosen:
        for name, n in sums.items():
            totals[name] += n or 0
    return _finish(indicator, partial(formulas.evaluate, checked), totals)


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
