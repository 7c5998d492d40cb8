"""Builds `WorkingCalendar`s from the database and the `holidays` package, and keeps them.

Precedence for a date, last wins: the regular week (the agency's hours, or the default) <
the package (statutory.py) < the shared exceptions table (agency null) < the agency's own rows.

Calendars are kept per process and per agency. Every change made through the services swaps
the token of `CalendarRevision`; `calendar_for_agency` reads it (one primary-key query) and
rebuilds when it differs, so every process and worker sees a change on its next call. The
cut-off hour is read from the agency object passed in, never cached.

Inside `token_scope()` (one unit of work: a submission's transaction, a request) the token is
read once, at the first lookup, and kept to the end of the block: a submission computes several
dues and needs one calendar revision, not one query per due. The scope is lexical (a context
variable), so a rolled-back transaction cannot leave a token behind.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import router
from django.db.models import Q

from egov.calendar.arithmetic import (
    DEFAULT_DAY,
    DEFAULT_WEEK,
    CalendarData,
    DayPeriods,
    DayRule,
    Period,
    Week,
    WorkingCalendar,
)
from egov.calendar.models import CalendarException, CalendarRevision, WorkingPeriod
from egov.calendar.statutory import statutory_days
from egov.organisations.models import Agency

REVISION_PK = 1

_lock = threading.Lock()
_cache: dict[tuple[str, int | None], tuple[uuid.UUID | None, WorkingCalendar]] = {}


# The token read in the current `token_scope()` (an empty list until the first lookup).
_scoped_token: ContextVar[list[uuid.UUID | None] | None] = ContextVar(
    "egov_calendar_token", default=None
)


def current_token() -> uuid.UUID | None:
    held = _scoped_token.get()
    if held:
        return held[0]
    token = CalendarRevision.objects.filter(pk=REVISION_PK).values_list("token", flat=True).first()
    if held is not None:
        held.append(token)
    return token


@contextmanager
def token_scope() -> Iterator[None]:
    """Read the calendar revision once for the whole block (nested scopes share the outer)."""
    if _scoped_token.get() is not None:
        yield
        return
    reset = _scoped_token.set([])
    try:
        yield
    finally:
        _scoped_token.reset(reset)


def week_for(agency_id: int | None) -> Week:
    """The agency's weekly hours, or the default week when it has none recorded."""
    if agency_id is None:
        return DEFAULT_WEEK
    days: list[list[Period]] = [[] for _ in range(7)]
    rows = WorkingPeriod.objects.filter(agency_id=agency_id).values_list(
        "weekday", "starts_at", "ends_at"
    )
    found = False
    for weekday, starts_at, ends_at in rows:
        days[weekday].append(Period(starts_at, ends_at))
        found = True
    if not found:
        return DEFAULT_WEEK
    return tuple(tuple(sorted(d)) for d in days)  # type: ignore[return-value]


def makeup_day_for(week: Week) -> DayPeriods:
    """Hours of a make-up weekend day: the first regular weekday's hours."""
    for periods in week[:5]:
        if periods:
            return periods
    return DEFAULT_DAY


def exceptions_for_year(agency_id: int | None, year: int) -> dict[date, DayRule]:
    """The table's rules for a year: shared rows, then the agency's rows over them."""
    scope = Q(agency__isnull=True)
    if agency_id is not None:
        scope |= Q(agency_id=agency_id)
    rows = (
        CalendarException.objects.filter(
            scope, day__gte=date(year, 1, 1), day__lt=date(year + 1, 1, 1)
        )
        .order_by("day")
        .values_list("agency_id", "day", "is_working", "reason", "legal_reference")
    )
    shared: dict[date, DayRule] = {}
    own: dict[date, DayRule] = {}
    for row_agency, day, is_working, reason, legal_reference in rows:
        target = shared if row_agency is None else own
        target[day] = DayRule(is_working, reason, legal_reference, source="table")
    return {**shared, **own}


def rules_for(agency_id: int | None) -> CalendarData:
    week = week_for(agency_id)

    def rules_for_year(year: int) -> Mapping[date, DayRule]:
        return {**statutory_days(year), **exceptions_for_year(agency_id, year)}

    return CalendarData(week=week, rules_for_year=rules_for_year, makeup_day=makeup_day_for(week))


def calendar_for_agency(agency: Agency | None) -> WorkingCalendar:
    agency_id = agency.pk if agency is not None else None
    key = (router.db_for_read(CalendarException), agency_id)
    token = current_token()
    cached = _cache.get(key)
    if cached is None or cached[0] != token:
        base = WorkingCalendar(rules_for(agency_id), tz=ZoneInfo(settings.TIME_ZONE))
        with _lock:
            _cache[key] = (token, base)
    else:
        base = cached[1]
    return base.with_cutoff(agency.cutoff_time if agency is not None else None)


def forget_calendars() -> None:
    """Drop every kept calendar (tests that write tables directly, not through services)."""
    with _lock:
        _cache.clear()
