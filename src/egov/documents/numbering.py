"""Continuous numbers for official documents: `allocate_number` and the series rules.

Decree 30/2020 Art. 15 and 22.2 (reference §1.2):

* outgoing numbers run per agency and **calendar year** (Vietnam time), from 1 on 1 January,
  with no gap and no duplicate;
* the agency chooses one shared series for its administrative documents or one per type
  (`NumberingPolicy`); copies (SY, TrS, SL) share their own counter (`DocumentType.series`);
* secret documents always have their own series (outgoing and incoming);
* incoming documents take an arrival number from one series for paper and electronic.

The number is taken by one statement in the caller's transaction::

    INSERT INTO documents_numberseries (agency_id, year, key, last) VALUES (…, 1)
    ON CONFLICT (agency_id, year, key) DO UPDATE SET last = last + 1
    RETURNING last

This is the `SELECT … FOR UPDATE` of the series row and the create-if-missing race in one: on
PostgreSQL the upsert locks the row until the issuing transaction ends, so parallel clerks
queue there and each reads the value the previous one committed; the first number of a year
cannot race a second into a duplicate, the unique constraint arbitrating inside the statement
(no retry loop needed). On SQLite the IMMEDIATE transaction serialises writers. A rolled-back
issue rolls the counter back with it: no gap.

Call it **as late as possible** in the transaction, but before the audit row: every clerk of the
agency waits on the series row from this statement to the commit, so everything that does not
need the number (reads, checks, recipients) goes before it, and only the writes that carry the
number (the document, the monthly figures, the audit row) after it. The series lock is always
taken before the audit chain's (a fixed lock order).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from egov.documents.models import DocumentType, NumberingMode, NumberingPolicy, NumberSeries
from egov.organisations.models import Agency

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

OUTGOING = "outgoing"
INCOMING = "incoming"
CLASSIFIED = "secret"


def legal_year(at: datetime | None = None) -> int:
    """The calendar year of an instant in Vietnam (numbers restart at 1 January, local time)."""
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValueError("instant must be timezone-aware")
    return at.astimezone(VN_TZ).year


def numbering_mode(agency: Agency) -> str:
    """The agency's numbering mode (shared when it has no policy).

    Read through the agency's reverse one-to-one, so it costs no query when the agency was
    loaded with ``select_related("agency__numbering_policy")`` (as `document_issue` does, in
    the statement that locks the document) and one query, then cached on that agency object,
    otherwise.
    """
    try:
        return str(agency.numbering_policy.mode)
    except NumberingPolicy.DoesNotExist:
        return NumberingMode.SHARED


def outgoing_series_key(*, agency: Agency, doc_type: DocumentType, secret: bool) -> str:
    """Which series an outgoing document of `doc_type` takes its number from."""
    if secret:
        return f"{OUTGOING}:{CLASSIFIED}"
    if doc_type.series:
        return f"{OUTGOING}:{doc_type.series}"
    if numbering_mode(agency) == NumberingMode.PER_TYPE:
        return f"{OUTGOING}:{doc_type.code}"
    return OUTGOING


def incoming_series_key(*, secret: bool) -> str:
    """One arrival series for paper and electronic documents; secret ones apart."""
    return f"{INCOMING}:{CLASSIFIED}" if secret else INCOMING


def allocate_number(*, agency: Agency, year: int, series_key: str) -> int:
    """The next number of `series_key` for `agency` in `year` (1 for the first).

    Must run inside the issuing transaction: the number is handed back if it rolls back.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside the issuing transaction")
    table = connection.ops.quote_name(NumberSeries._meta.db_table)
    last = connection.ops.quote_name("last")
    key = connection.ops.quote_name("key")
    year_col = connection.ops.quote_name("year")
    sql = (
        f"INSERT INTO {table} (agency_id, {year_col}, {key}, {last}) "  # noqa: S608
        f"VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (agency_id, {year_col}, {key}) DO UPDATE SET {last} = {table}.{last} + 1 "
        f"RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency.pk, year, series_key])
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def render_number(number: int) -> str:
    """Arabic digits, a leading zero below 10: 5 → "05", 13 → "13"."""
    if number < 1:
        raise ValueError("document numbers start at 1")
    return f"{number:02d}"
