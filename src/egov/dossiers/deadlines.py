"""Dossier deadlines, all from the working calendar (architecture invariant 2).

* **Due at receipt** (`due_at_receipt`): the clock starts when a complete dossier is received
  (`received_at`). The receiving agency's calendar counts, with the procedure's cut-off hour
  when it has one (else the agency's): a receipt after the cut-off, or on a day off, counts as
  received on the next working day. N whole working days end at the close of working hours of
  the N-th working day after the day of receipt (Civil Code Art. 147–148); a procedure "within
  the working day" (legal time below one day) ends at the close of the day of receipt; a
  fractional N adds the fraction in working hours (7.5 h a day) to the whole days.
* **Pauses** (waiting for a supplement during processing, suspension): the working time the
  clock stood still (measured by the workflow engine) is added to the due (`shift_due`).
* **Apology** (phiếu xin lỗi và hẹn lại ngày trả kết quả, Decree 61/2018 Art. 19, carried into
  Decree 118/2025): when a dossier will be late the handling body sends the apology with a new
  appointment **no later than one working day before the due** (`apology_deadline`); the new
  appointment is later than the due it replaces. A dossier "will be late"
  (`needs_apology`) when it is being processed, not decided, and its due falls today or on the
  next working day (or has passed) and no apology has already moved it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from egov.calendar.arithmetic import DEFAULT_DAY, WorkingCalendar

if TYPE_CHECKING:
    from egov.dossiers.models import Dossier
    from egov.organisations.models import Agency
    from egov.procedures.models import Procedure

WORKING_DAY = sum(
    (
        timedelta(hours=p.end.hour - p.start.hour, minutes=p.end.minute - p.start.minute)
        for p in DEFAULT_DAY
    ),
    timedelta(0),
)
# How far back `previous_working_day` looks before giving up (a calendar error).
_MAX_DAYS_BACK = 400


def receipt_calendar(procedure: Procedure, agency: Agency) -> WorkingCalendar:
    """The receiving agency's calendar with the procedure's cut-off hour if it has one."""
    calendar = WorkingCalendar.for_agency(agency)
    if procedure.cutoff_time is not None:
        calendar = calendar.with_cutoff(procedure.cutoff_time)
    return calendar


def due_at_receipt(procedure: Procedure, agency: Agency, received_at: datetime) -> datetime:
    """The due of a dossier of `procedure` received complete by `agency` at `received_at`."""
    calendar = receipt_calendar(procedure, agency)
    days = Decimal(procedure.legal_working_days)
    whole = int(days)
    fraction = days - whole
    if whole == 0:  # within the working day (trong ngày làm việc)
        day = calendar.receipt_day(received_at)
        due = calendar.close_of(day)
        if due < received_at:  # after the close, and the agency has no cut-off hour
            due = calendar.close_of(calendar.next_working_day(day))
        return due
    due = calendar.due_after_working_days(received_at, whole)
    if fraction:
        due = calendar.add_working_time(due, WORKING_DAY * float(fraction))
    return due


def shift_due(agency: Agency, due: datetime, paused: timedelta) -> datetime:
    """`due` moved later by `paused` working time (a pause of the clock)."""
    if not paused:
        return due
    return WorkingCalendar.for_agency(agency).add_working_time(due, paused)


def previous_working_day(calendar: WorkingCalendar, day: date) -> date:
    """The last working day strictly before `day`."""
    for back in range(1, _MAX_DAYS_BACK):
        candidate = day - timedelta(days=back)
        if calendar.is_working_day(candidate):
            return candidate
    raise ValueError(f"no working day found before {day}")


def apology_deadline(agency: Agency, due: datetime) -> datetime:
    """The latest instant an apology for `due` is in time: the close of the working day before
    the due's day."""
    calendar = WorkingCalendar.for_agency(agency)
    due_day = due.astimezone(calendar.tz).date()
    return calendar.close_of(previous_working_day(calendar, due_day))


def needs_apology(dossier: Dossier, now: datetime) -> bool:
    """Whether the pages should prompt for an apology letter now (see the module docstring)."""
    from egov.dossiers.models import DossierStatus

    if dossier.status != DossierStatus.PROCESSING or dossier.due_at is None:
        return False
    calendar = WorkingCalendar.for_agency(dossier.agency)
    today = now.astimezone(calendar.tz).date()
    due_day = dossier.due_at.astimezone(calendar.tz).date()
    return due_day <= calendar.next_working_day(today)
