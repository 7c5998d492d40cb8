"""The dossier code (mã hồ sơ): one function, `allocate_code`.

Format from ``settings.EGOV_DOSSIER_CODE_FORMAT`` (default
``{agency_code}-{date:%y%m%d}-{seq:04d}``, e.g. ``000.01.12.H15-270303-0001``): the receiving
agency's electronic identifier code, the day in Vietnam, and the sequence of that agency and day.

The sequence is continuous (architecture invariant 3). It is taken by one statement in the
caller's transaction::

    INSERT INTO dossiers_dossiercounter (agency_id, day, last_value) VALUES (%s, %s, 1)
    ON CONFLICT (agency_id, day) DO UPDATE SET last_value = last_value + 1
    RETURNING last_value

On PostgreSQL the upsert takes the counter row's lock until the submission commits, so
concurrent submissions to one agency queue there and each reads the value the previous one
committed; the first submission of a day cannot race a second into a duplicate (the unique
constraint arbitrates, inside the same statement). On SQLite the IMMEDIATE transaction already
serialises writers. A rolled-back submission rolls the counter back with it: no gap.

Call it early in the transaction, before any audit row: the counter lock is then always taken
before the audit chain's (see docs/subsystems/dossiers.md, "Locks").
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from egov.dossiers.models import DossierCounter
from egov.organisations.models import Agency

# The legal day of a dossier is Vietnam's, whatever the server's time zone.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_FORMAT = "{agency_code}-{date:%y%m%d}-{seq:04d}"


def code_day(at: datetime) -> date:
    """The Vietnam calendar day of an instant."""
    if timezone.is_naive(at):
        raise ValueError("instant must be timezone-aware")
    return at.astimezone(VN_TZ).date()


def format_code(*, agency_code: str, day: date, seq: int) -> str:
    pattern = getattr(settings, "EGOV_DOSSIER_CODE_FORMAT", "") or DEFAULT_FORMAT
    return pattern.format(agency_code=agency_code, date=day, seq=seq)


def _next_value(agency_id: int, day: date) -> int:
    table = connection.ops.quote_name(DossierCounter._meta.db_table)
    last = connection.ops.quote_name("last_value")
    sql = (
        f"INSERT INTO {table} (agency_id, day, last_value) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (agency_id, day) DO UPDATE SET {last} = {table}.{last} + 1 "
        f"RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency_id, day])
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def allocate_code(*, agency: Agency, at: datetime) -> str:
    """The next dossier code of `agency` for the Vietnam day of `at`.

    Must run inside the submission's transaction (the number is handed back if it rolls back).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_code must run inside the submission's transaction")
    day = code_day(at)
    seq = _next_value(agency.pk, day)
    return format_code(agency_code=agency.code, day=day, seq=seq)
