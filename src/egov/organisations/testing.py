"""Factories for tests (and the demo loader): small functions with lifecycle traits as kwargs."""

from __future__ import annotations

import itertools
from typing import Any

from egov.accounts.models import User, UserKind
from egov.organisations.models import (
    Agency,
    AgencyKind,
    Position,
    Role,
    RoleCode,
    StaffMember,
    Unit,
)
from egov.organisations.search import agency_search_text

_seq = itertools.count(1)


def make_agency(
    *,
    code: str | None = None,
    parent: Agency | None = None,
    kind: str = AgencyKind.DEPARTMENT,
    **extra: Any,
) -> Agency:
    n = next(_seq)
    code = code or f"000.{n % 100:02d}.{(n // 100) % 100:02d}.H15".replace(
        "000.", f"{n // 10000 % 1000:03d}.", 1
    )
    defaults = {"name": f"Cơ quan thử {n}", "abbreviation": f"CQ{n}", "kind": kind}
    defaults.update(extra)
    defaults.setdefault(
        "search_text",
        agency_search_text(name=defaults["name"], abbreviation=defaults["abbreviation"], code=code),
    )
    return Agency.objects.create(code=code, parent=parent, **defaults)


def make_unit(*, agency: Agency, abbreviation: str | None = None, **extra: Any) -> Unit:
    n = next(_seq)
    return Unit.objects.create(
        agency=agency,
        name=extra.pop("name", f"Phòng thử {n}"),
        abbreviation=abbreviation or f"P{n}",
        **extra,
    )


def role(code: str) -> Role:
    obj, _ = Role.objects.get_or_create(code=code)
    return obj


def make_staff(
    *,
    agency: Agency,
    roles: list[str] | tuple[str, ...] = (RoleCode.SPECIALIST,),
    unit: Unit | None = None,
    username: str | None = None,
    password: str = "matkhau-thu-123",  # noqa: S107
    position: Position | None = None,
    **user_extra: Any,
) -> StaffMember:
    n = next(_seq)
    user = User.objects.create_user(
        username=username or f"canbo{n}",
        password=password,
        kind=UserKind.STAFF,
        full_name=user_extra.pop("full_name", f"Cán bộ {n}"),
        email=user_extra.pop("email", f"canbo{n}@example.gov.vn"),
        **user_extra,
    )
    staff = StaffMember.objects.create(user=user, agency=agency, unit=unit, position=position)
    staff.roles.set([role(code) for code in roles])
    return staff


def make_citizen(
    *,
    username: str | None = None,
    password: str = "matkhau-thu-123",  # noqa: S107
    **extra: Any,
) -> User:
    n = next(_seq)
    return User.objects.create_user(
        username=username or f"congdan{n}",
        password=password,
        kind=UserKind.CITIZEN,
        full_name=extra.pop("full_name", f"Công dân {n}"),
        email=extra.pop("email", f"congdan{n}@example.com"),
        citizen_id=extra.pop("citizen_id", f"{n:012d}"),
        **extra,
    )
