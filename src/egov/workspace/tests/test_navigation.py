"""The workspace menu: entries follow the policy and the pages that exist."""

from __future__ import annotations

import pytest

from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_citizen, make_staff
from egov.workspace import navigation
from egov.workspace.navigation import NavEntry

pytestmark = [pytest.mark.django_db, pytest.mark.urls("egov.workspace.tests.urls")]

ALL = [
    "home",
    "notifications",
    "dossiers",
    "documents",
    "exchange",
    "assignments",
    "workcalendar",
    "training",
    "infrastructure",
    "organisations",
    "procedures",
    "calendar",
    "audit",
]


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (
            [R.SPECIALIST],
            [
                "home",
                "notifications",
                "dossiers",
                "documents",
                "assignments",
                "workcalendar",
                "training",
                "infrastructure",
                "organisations",
            ],
        ),
        (
            [R.CLERK],
            [
                "home",
                "notifications",
                "dossiers",
                "documents",
                "exchange",
                "assignments",
                "workcalendar",
                "training",
                "infrastructure",
                "organisations",
            ],
        ),
        (
            [R.AGENCY_LEADER],
            [
                "home",
                "notifications",
                "dossiers",
                "documents",
                "assignments",
                "workcalendar",
                "training",
                "infrastructure",
                "indicators",
                "organisations",
                "audit",
            ],
        ),
        ([R.ADMINISTRATOR], ALL),
        (
            [],
            [
                "home",
                "notifications",
                "dossiers",
                "documents",
                "assignments",
                "workcalendar",
                "training",
                "infrastructure",
                "organisations",
            ],
        ),
    ],
)
def test_entries_follow_the_policy(roles: list[str], expected: list[str]) -> None:
    staff = make_staff(agency=make_agency(), roles=roles)

    items = navigation.items_for(staff.user)

    assert [item.key for item in items] == expected


def test_citizen_and_visitor_get_no_entry() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert navigation.items_for(make_citizen()) == []
    assert navigation.items_for(AnonymousUser()) == []


def test_entry_without_a_page_is_left_out() -> None:
    staff = make_staff(agency=make_agency(), roles=[R.ADMINISTRATOR])
    entries = (
        NavEntry("home", "Trang chủ", "workspace:home", "workspace.enter", 0),
        NavEntry("missing_path", "Chưa có", "/app/chua-co-trang-nay/", "workspace.enter", 1),
        NavEntry("missing_name", "Chưa có", "workspace:chua_co", "workspace.enter", 2),
    )

    items = navigation.items_for(staff.user, entries=entries)

    assert [item.key for item in items] == ["home"]


def test_entries_are_ordered_and_current_section_marked() -> None:
    staff = make_staff(agency=make_agency(), roles=[R.ADMINISTRATOR])

    on_sub_page = navigation.items_for(staff.user, current_path="/app/nhat-ky/kiem-tra-chuoi/")
    on_home = navigation.items_for(staff.user, current_path="/app/")

    assert [i.key for i in on_sub_page if i.current] == ["audit"]
    assert [i.key for i in on_home if i.current] == ["home"]


def test_unknown_action_is_a_programming_error() -> None:
    staff = make_staff(agency=make_agency())
    entries = (NavEntry("x", "X", "workspace:home", "no.such.action"),)

    with pytest.raises(KeyError):
        navigation.items_for(staff.user, entries=entries)
