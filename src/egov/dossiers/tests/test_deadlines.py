"""Due dates from the working calendar: Tết 2027, a make-up Saturday, cut-off hours."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from egov.dossiers import deadlines, services
from egov.dossiers.testing import World, make_world

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def accept(world: World, when: datetime) -> datetime:
    dossier = services.dossier_receive_at_counter(
        actor=world.officer.user,
        procedure=world.procedure,
        applicant=services.ApplicantInput(name="Phạm Văn D"),
        form_data={"ho_ten": "Phạm Văn D"},
        papers=world.uploads(),
        at=when,
    )
    assert dossier.due_at is not None
    return dossier.due_at


def test_due_skips_tet_2027() -> None:
    # Received Tue 02/02/2027, 5 working days. Tết holidays 04–05/02 and 08–10/02/2027 (the
    # `holidays` package's Vietnam calendar): Wed 03/02 (1), Thu 11/02 (2), Fri 12/02 (3),
    # Mon 15/02 (4), Tue 16/02 (5).
    world = make_world(legal_working_days=5)
    assert accept(world, at(2027, 2, 2, 9)) == at(2027, 2, 16, 17, 0)


def test_due_counts_the_make_up_saturday_and_skips_the_day_off() -> None:
    # 2026: Saturday 22/08 is worked to give Monday 31/08 off (before National Day 01–02/09).
    # Received Thu 20/08, 10 working days: 21, 22 (Sat), 24, 25, 26, 27, 28, [31, 01, 02 off],
    # 03, 04, 07/09 → Mon 07/09/2026.
    world = make_world(legal_working_days=10)
    assert accept(world, at(2026, 8, 20, 9)) == at(2026, 9, 7, 17, 0)


def test_saturday_make_up_day_receives_like_a_weekday() -> None:
    world = make_world(legal_working_days=1)
    # received on the make-up Saturday: the next working day is Monday 24/08
    assert accept(world, at(2026, 8, 22, 9)) == at(2026, 8, 24, 17, 0)


def test_procedure_cut_off_hour_overrides_the_agency() -> None:
    world = make_world(legal_working_days=1, cutoff_time=time(15, 0))
    # after 15:00 counts as received the next working day (Wed), so due Thu
    assert accept(world, at(2026, 3, 3, 15, 30)) == at(2026, 3, 5, 17, 0)
    assert accept(world, at(2026, 3, 3, 14, 59)) == at(2026, 3, 4, 17, 0)


def test_same_day_procedure() -> None:
    world = make_world(legal_working_days=Decimal("0.5"), cutoff_time=time(15, 0))
    assert accept(world, at(2026, 3, 3, 10)) == at(2026, 3, 3, 17, 0)
    assert accept(world, at(2026, 3, 3, 16)) == at(2026, 3, 4, 17, 0)


def test_same_day_without_cut_off_after_the_close_moves_to_the_next_day() -> None:
    world = make_world(legal_working_days=Decimal("0.5"))
    assert accept(world, at(2026, 3, 3, 18)) == at(2026, 3, 4, 17, 0)


def test_fractional_days_add_working_hours() -> None:
    world = make_world(legal_working_days=Decimal("1.5"))
    # close of Wed 04/03 plus 3 h 45 of working time: Thu 05/03 11:15
    assert accept(world, at(2026, 3, 3, 9)) == at(2026, 3, 5, 11, 15)


def test_apology_deadline_is_the_close_of_the_working_day_before() -> None:
    world = make_world()
    # due Mon 15/02/2027 → the working day before is Fri 12/02
    assert deadlines.apology_deadline(world.ward, at(2027, 2, 15, 17)) == at(2027, 2, 12, 17, 0)
    # due Thu 11/02/2027 → before it is Wed 03/02 (Tết in between)
    assert deadlines.apology_deadline(world.ward, at(2027, 2, 11, 17)) == at(2027, 2, 3, 17, 0)
