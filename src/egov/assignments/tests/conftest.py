from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from egov.jobs.queue import queue
from egov.organisations.models import RoleCode as R
from egov.organisations.models import StaffMember, Unit
from egov.organisations.testing import make_agency, make_staff, make_unit


@pytest.fixture(autouse=True)
def _jobs_run_immediately() -> Iterator[None]:
    huey = queue()
    saved = huey.immediate
    huey.immediate = True
    try:
        yield
    finally:
        huey.immediate = saved


@dataclass
class World:
    agency: object
    other: object
    unit: Unit
    leader: StaffMember
    head: StaffMember
    owner: StaffMember
    co: StaffMember
    stranger: StaffMember
    outsider: StaffMember


@pytest.fixture
def world(db: object) -> World:
    city = make_agency(name="UBND thành phố thử")
    dept = make_agency(parent=city, name="Sở thử")
    other = make_agency(name="Cơ quan khác")
    unit = make_unit(agency=dept)
    return World(
        agency=city,
        other=other,
        unit=unit,
        leader=make_staff(agency=city, roles=[R.AGENCY_LEADER], username="lanhdao"),
        head=make_staff(agency=dept, unit=unit, roles=[R.UNIT_HEAD], username="truongphong"),
        owner=make_staff(agency=dept, unit=unit, roles=[R.SPECIALIST], username="chuyenvien"),
        co=make_staff(agency=dept, roles=[R.SPECIALIST], username="phoihop"),
        stranger=make_staff(agency=dept, roles=[R.SPECIALIST], username="nguoingoai"),
        outsider=make_staff(agency=other, roles=[R.AGENCY_LEADER], username="coquankhac"),
    )
