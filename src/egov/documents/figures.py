"""Paperless figures per agency and month (`DocumentMonthlyFact`), reference issue §8.

The services keep the table current **incrementally**, in their own transactions, with one
upsert that increments in the database (never read-modify-write):
`fact_add(agency_id=…, at=…, sent_paper=1)`.
The indicators capability reads the rows; nothing scans documents on a page view.
`figures_recompute(agency, month)` rebuilds one row from the documents, to verify.

What counts, and in which month (Vietnam time):

* `sent_electronic` / `sent_paper`: outgoing documents issued (`issued_at`), by channel;
* `digitally_signed`: of those, the ones issued with a digital signature;
* `received_electronic` / `received_paper`: incoming documents registered (`registered_at`),
  by channel (platform and exchange are electronic);
* `incoming_on_time` / `incoming_late`: incoming documents closed (`closed_at`), compared with
  their handling deadline (no deadline counts as on time).

A recalled outgoing or revoked incoming document stays counted: it was sent or received.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models.functions import TruncMonth
from django.utils import timezone

from egov.documents.models import Channel, Direction, Document, DocumentMonthlyFact
from egov.organisations.models import Agency

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
COUNTERS = (
    "sent_electronic",
    "sent_paper",
    "received_electronic",
    "received_paper",
    "digitally_signed",
    "incoming_on_time",
    "incoming_late",
)


def month_of(at: datetime) -> date:
    return timezone.localtime(at, VN_TZ).date().replace(day=1)


def fact_add(*, agency_id: int, at: datetime, **increments: int) -> None:
    """Add to one agency's counters for the month of `at` (in the caller's transaction).

    One statement, the row created or incremented in the database (``INSERT … ON CONFLICT
    (agency_id, month) DO UPDATE SET n = n + excluded.n``, PostgreSQL and SQLite alike): no read,
    no create race, and the row lock (PostgreSQL) taken by the statement itself.
    """
    sql, params = fact_upsert_sql(agency_id=agency_id, at=at, increments=increments)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def fact_upsert_sql(
    *, agency_id: int, at: datetime, increments: dict[str, int], source: str = ""
) -> tuple[str, list[Any]]:
    """`fact_add`'s statement and parameters; with `source` (a CTE's name) the row is inserted
    ``SELECT … FROM <source>`` instead of ``VALUES``, so that it is written only after that CTE
    ran (`document_issue` on PostgreSQL: after the number, in the same statement)."""
    unknown = set(increments) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown counters: {sorted(unknown)}")
    counts = {name: int(increments.get(name) or 0) for name in COUNTERS}
    qn = connection.ops.quote_name
    table = qn(DocumentMonthlyFact._meta.db_table)
    columns = ", ".join(qn(name) for name in COUNTERS)
    updates = ", ".join(
        f"{qn(name)} = {table}.{qn(name)} + excluded.{qn(name)}"
        for name, value in counts.items()
        if value
    )
    placeholders = ", ".join(["%s"] * (len(COUNTERS) + 2))
    # `source` is a CTE name chosen by our code, never input.
    rows = f"SELECT {placeholders} FROM {source}" if source else f"VALUES ({placeholders})"  # noqa: S608
    sql = (
        f"INSERT INTO {table} (agency_id, {qn('month')}, {columns}) {rows} "
        f"ON CONFLICT (agency_id, {qn('month')}) "
        + (f"DO UPDATE SET {updates}" if updates else "DO NOTHING")
    )
    month = connection.ops.adapt_datefield_value(month_of(at))
    return sql, [agency_id, month, *counts.values()]


def _in_month(field: str, month: date) -> dict[str, object]:
    start = datetime(month.year, month.month, 1, tzinfo=VN_TZ)
    end = (
        datetime(month.year + 1, 1, 1, tzinfo=VN_TZ)
        if month.month == 12
        else datetime(month.year, month.month + 1, 1, tzinfo=VN_TZ)
    )
    return {f"{field}__gte": start, f"{field}__lt": end}


def figures_compute(*, agency: Agency, month: date) -> dict[str, int]:
    """The counters of `agency` for `month` computed from the documents themselves."""
    month = month.replace(day=1)
    docs = Document.objects.filter(agency=agency)
    sent = docs.filter(direction=Direction.OUTGOING, **_in_month("issued_at", month))
    received = docs.filter(direction=Direction.INCOMING, **_in_month("registered_at", month))
    closed = docs.filter(direction=Direction.INCOMING, **_in_month("closed_at", month))
    return {
        "sent_electronic": sent.filter(channel=Channel.ELECTRONIC).count(),
        "sent_paper": sent.filter(channel=Channel.PAPER).count(),
        "digitally_signed": sent.filter(digitally_signed=True).count(),
        "received_electronic": received.filter(channel=Channel.ELECTRONIC).count(),
        "received_paper": received.filter(channel=Channel.PAPER).count(),
        "incoming_on_time": closed.filter(closed_on_time=True).count(),
        "incoming_late": closed.filter(closed_on_time=False).count(),
    }


def figures_recompute(*, agency: Agency, month: date) -> DocumentMonthlyFact:
    """Rebuild the row of `agency` and `month` from the documents (verification, repair)."""
    month = month.replace(day=1)
    values = figures_compute(agency=agency, month=month)
    fact, _created = DocumentMonthlyFact.objects.update_or_create(
        agency=agency, month=month, defaults=values
    )
    return fact


def months_with_documents(agency: Agency) -> list[date]:
    """Months in which something was counted for `agency` (for a full verification)."""
    months: set[date] = set()
    for field in ("issued_at", "registered_at", "closed_at"):
        for value in (
            Document.objects.filter(agency=agency, **{f"{field}__isnull": False})
            .annotate(m=TruncMonth(field, tzinfo=VN_TZ))
            .values_list("m", flat=True)
            .distinct()
        ):
            months.add(value.date() if isinstance(value, datetime) else value)
    return sorted(months)
