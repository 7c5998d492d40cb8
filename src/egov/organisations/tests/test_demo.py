"""The demo city: the counts promised, every role, logins that work, idempotent and fast."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count

from egov.accounts.models import User, UserKind
from egov.audit.models import AuditEntry
from egov.organisations.demo import DEMO_PASSWORD, load_demo_city
from egov.organisations.models import Agency, AgencyKind, Role, RoleCode, StaffMember, Unit

pytestmark = pytest.mark.django_db


def test_demo_city() -> None:
    out = io.StringIO()
    logins = load_demo_city(stdout=out)  # its speed is measured in benchmarks/, not here

    city = Agency.objects.get(code="000.00.00.H15")
    assert city.kind == AgencyKind.PEOPLES_COMMITTEE and city.parent is None
    kinds = dict(Agency.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds[AgencyKind.DEPARTMENT] >= 20
    assert kinds[AgencyKind.WARD] + kinds[AgencyKind.COMMUNE] >= 30
    assert Agency.objects.filter(name="Ủy ban nhân dân phường Hải Châu").exists()
    assert Agency.objects.filter(name="Sở Nông nghiệp và Môi trường", abbreviation="SNNMT").exists()
    assert all(a.code.endswith(".H15") for a in Agency.objects.all())
    assert not Agency.objects.filter(search_text="").exists()
    assert Unit.objects.filter(agency__kind=AgencyKind.WARD, abbreviation="BPMC").count() == 23

    staff = StaffMember.objects.count()
    assert 280 <= staff <= 340
    held = set(Role.objects.filter(staff__isnull=False).values_list("code", flat=True))
    assert held == set(RoleCode.values)
    assert not Role.objects.filter(requires_two_factor=True).exists()
    # names are Vietnamese, and the trail is real
    assert StaffMember.objects.filter(user__full_name__startswith="Nguyễn").count() > 30
    assert AuditEntry.objects.filter(action="staff.create").count() == staff

    # one login per role plus the citizen, and the password works
    assert {login.role for login in logins} == {*RoleCode.values, "citizen"}
    by_role = {login.role: login for login in logins}
    assert by_role[RoleCode.CITY_LEADER].agency_code == "000.00.00.H15"
    assert by_role[RoleCode.AGENCY_LEADER].agency == "Sở Xây dựng"
    for login in logins:
        user = User.objects.get(username=login.username)
        assert user.check_password(DEMO_PASSWORD) and login.password == DEMO_PASSWORD
        if login.role != "citizen":
            assert login.role in {r.code for r in user.staff.roles.all()}
    citizen = User.objects.get(username="congdan")
    assert citizen.kind == UserKind.CITIZEN and citizen.is_active
    assert len(citizen.citizen_id) == 12 and citizen.citizen_id.isdigit()
    assert citizen.email_verified_at is not None

    # idempotent: a second run adds nothing, and answers the same logins
    counts = (Agency.objects.count(), Unit.objects.count(), User.objects.count())
    audit = AuditEntry.objects.count()
    again = load_demo_city()
    assert (Agency.objects.count(), Unit.objects.count(), User.objects.count()) == counts
    assert AuditEntry.objects.count() == audit
    assert [login.username for login in again] == [login.username for login in logins]


def test_demo_two_factor_is_configurable() -> None:
    load_demo_city(two_factor_roles=(RoleCode.CITY_LEADER,))
    assert list(Role.objects.filter(requires_two_factor=True).values_list("code", flat=True)) == [
        RoleCode.CITY_LEADER
    ]


def test_demo_follows_the_province_code(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EGOV_PROVINCE_CODE = "H99"
    load_demo_city()
    assert Agency.objects.filter(code="000.00.00.H99").exists()
    assert not Agency.objects.exclude(code__endswith=".H99").exists()
