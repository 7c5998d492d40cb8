"""Services: every write leaves an audit row; bad input names the field and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from egov.accounts.models import User, UserKind
from egov.audit.models import AuditEntry
from egov.core.errors import PermissionDenied, ValidationFailed
from egov.organisations import services
from egov.organisations.models import Agency, Delegation, RoleCode, StaffMember, Unit
from egov.organisations.testing import make_staff
from egov.policy.engine import can, subject_for

pytestmark = pytest.mark.django_db

R = RoleCode


def counts() -> tuple[int, int, int, int, int, int]:
    return (
        Agency.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        StaffMember.objects.count(),
        Delegation.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def city() -> Agency:
    return services.agency_create(
        actor=None,
        code="000.00.00.H15",
        name="Ủy ban nhân dân thành phố Đà Nẵng",
        abbreviation="UBND",
        kind="peoples_committee",
    )


@pytest.fixture
def dept(city: Agency) -> Agency:
    return services.agency_create(
        actor=None,
        code="000.00.05.H15",
        name="Sở Xây dựng",
        abbreviation="SXD",
        kind="department",
        parent=city,
        phone="0236 3822 105",
    )


@pytest.fixture
def other_dept(city: Agency) -> Agency:
    return services.agency_create(
        actor=None,
        code="000.00.04.H15",
        name="Sở Tư pháp",
        abbreviation="STP",
        kind="department",
        parent=city,
    )


# --- agencies ------------------------------------------------------------------------------


def test_agency_create_writes_audit_and_search_text(city: Agency) -> None:
    entry = AuditEntry.objects.get(action="agency.create")
    assert entry.object_id == str(city.public_id)
    assert entry.agency_id == city.pk
    assert entry.after["code"] == "000.00.00.H15"
    assert city.search_text == "uy ban nhan dan thanh pho da nang ubnd 000.00.00.h15"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"code": "00.00.01.H15"}, "code"),
        ({"code": "000.00.01.h1"}, "code"),
        ({"code": "000.00.01.H41"}, "code"),  # another province's level-1 code
        ({"code": "000.00.00.H15"}, "code"),  # taken by the city
        ({"abbreviation": ""}, "abbreviation"),
        ({"name": "  "}, "name"),
        ({"kind": "district"}, "kind"),
        ({"email": "not-an-email"}, "email"),
        ({"website": "danang"}, "website"),
    ],
)
def test_agency_create_refuses_bad_input_and_changes_nothing(
    city: Agency, kwargs: dict[str, str], field: str
) -> None:
    data = {
        "code": "000.00.01.H15",
        "name": "Văn phòng UBND thành phố",
        "abbreviation": "VP",
        "kind": "department",
        **kwargs,
    }
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        services.agency_create(actor=None, parent=city, **data)
    assert field in exc.value.fields
    assert field in exc.value.message  # the message names the field
    assert counts() == before


def test_agency_code_province_follows_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EGOV_PROVINCE_CODE = "H41"
    agency = services.agency_create(
        actor=None,
        code="000.00.00.H41",
        name="UBND tỉnh Nghệ An",
        abbreviation="UBND",
        kind="peoples_committee",
    )
    assert agency.code == "000.00.00.H41"
    with pytest.raises(ValidationFailed):
        services.agency_create(
            actor=None, code="000.00.01.H15", name="Sở", abbreviation="S", kind="department"
        )


def test_agency_update_records_only_changes(dept: Agency) -> None:
    services.agency_update(actor=None, agency=dept, phone="0236 1111 222", name="Sở Xây dựng")
    entry = AuditEntry.objects.filter(action="agency.update").get()
    assert entry.before == {"phone": "0236 3822 105"}
    assert entry.after == {"phone": "0236 1111 222"}
    # nothing changed: no new row
    services.agency_update(actor=None, agency=dept, phone="0236 1111 222")
    assert AuditEntry.objects.filter(action="agency.update").count() == 1


def test_agency_update_refuses_a_cycle(city: Agency, dept: Agency) -> None:
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        services.agency_update(actor=None, agency=city, parent=dept)
    assert "parent" in exc.value.fields
    city.refresh_from_db()
    assert city.parent_id is None and counts() == before


def test_agency_services_ask_the_policy(city: Agency, dept: Agency) -> None:
    specialist = make_staff(agency=dept, roles=[R.SPECIALIST])
    admin = make_staff(agency=dept, roles=[R.ADMINISTRATOR])
    with pytest.raises(PermissionDenied):
        services.agency_update(actor=specialist.user, agency=dept, phone="1")
    services.agency_update(actor=admin.user, agency=dept, phone="0236 3000 000")
    entry = AuditEntry.objects.filter(action="agency.update").get()
    assert entry.actor_id == admin.user.pk


def test_unit_create_refuses_duplicate_abbreviation(dept: Agency, other_dept: Agency) -> None:
    unit = services.unit_create(actor=None, agency=dept, name="Văn phòng", abbreviation="VP")
    assert AuditEntry.objects.filter(action="unit.create", object_id=str(unit.public_id)).exists()
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        services.unit_create(actor=None, agency=dept, name="Văn phòng 2", abbreviation="VP")
    assert "abbreviation" in exc.value.fields and counts() == before
    # the same abbreviation in another agency is fine
    services.unit_create(actor=None, agency=other_dept, name="Văn phòng", abbreviation="VP")


# --- staff ---------------------------------------------------------------------------------


def test_staff_create_makes_a_staff_user_with_roles(dept: Agency) -> None:
    unit = services.unit_create(actor=None, agency=dept, name="Văn phòng", abbreviation="VP")
    staff = services.staff_create(
        actor=None,
        agency=dept,
        username="hanhpt.sxd",
        full_name="Phạm Thị Hạnh",
        email="hanhpt@danang.gov.vn",
        unit=unit,
        roles=[R.CLERK, R.SPECIALIST],
        password="Mat-khau-2026",
    )
    assert staff.user.kind == UserKind.STAFF
    assert staff.user.check_password("Mat-khau-2026")
    assert {r.code for r in staff.roles.all()} == {R.CLERK, R.SPECIALIST}
    entry = AuditEntry.objects.get(action="staff.create")
    assert entry.agency_id == dept.pk
    assert entry.after["roles"] == [R.CLERK, R.SPECIALIST]
    assert "password" not in entry.after


def test_staff_without_password_must_reset(dept: Agency) -> None:
    staff = services.staff_create(actor=None, agency=dept, username="a.sxd", full_name="Lê Văn A")
    assert not staff.user.has_usable_password()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"username": "HANHPT.SXD"}, "username"),  # taken, whatever the case
        ({"username": "co dau cach"}, "username"),
        ({"username": ""}, "username"),
        ({"full_name": ""}, "full_name"),
        ({"roles": ["truong_phong"]}, "roles"),
        ({"email": "x@"}, "email"),
        ({"password": "12345678"}, "password"),
    ],
)
def test_staff_create_refuses_bad_input(dept: Agency, kwargs: dict, field: str) -> None:
    services.staff_create(actor=None, agency=dept, username="hanhpt.sxd", full_name="Phạm Thị Hạnh")
    data = {"username": "namtv.sxd", "full_name": "Trần Văn Nam", **kwargs}
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        services.staff_create(actor=None, agency=dept, **data)
    assert field in exc.value.fields
    assert counts() == before


def test_staff_unit_must_belong_to_the_agency(dept: Agency, other_dept: Agency) -> None:
    unit = services.unit_create(actor=None, agency=other_dept, name="Văn phòng", abbreviation="VP")
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        services.staff_create(actor=None, agency=dept, username="b", full_name="B", unit=unit)
    assert "unit" in exc.value.fields and counts() == before


def test_staff_update_and_roles_are_audited(dept: Agency, other_dept: Agency) -> None:
    staff = services.staff_create(
        actor=None, agency=dept, username="namtv", full_name="Trần Văn Nam", roles=[R.SPECIALIST]
    )
    services.staff_update(actor=None, staff=staff, full_name="Trần Văn Nam (B)", agency=other_dept)
    staff.refresh_from_db()
    assert staff.agency_id == other_dept.pk and staff.user.full_name == "Trần Văn Nam (B)"
    entry = AuditEntry.objects.get(action="staff.update")
    assert entry.before == {"full_name": "Trần Văn Nam", "agency_id": dept.pk}

    services.staff_set_roles(actor=None, staff=staff, roles=[R.UNIT_HEAD])
    assert [r.code for r in staff.roles.all()] == [R.UNIT_HEAD]
    entry = AuditEntry.objects.get(action="staff.set_roles")
    assert entry.before == {"roles": [R.SPECIALIST]} and entry.after == {"roles": [R.UNIT_HEAD]}

    before = counts()
    with pytest.raises(ValidationFailed):
        services.staff_set_roles(actor=None, staff=staff, roles=[R.CLERK, "boss"])
    assert [r.code for r in staff.roles.all()] == [R.UNIT_HEAD] and counts() == before


def test_staff_create_needs_staff_manage(dept: Agency, other_dept: Agency) -> None:
    leader = make_staff(agency=dept, roles=[R.AGENCY_LEADER])
    admin = make_staff(agency=dept, roles=[R.ADMINISTRATOR])
    with pytest.raises(PermissionDenied):
        services.staff_create(actor=leader.user, agency=dept, username="x", full_name="X")
    clerk = make_staff(agency=dept, roles=[R.CLERK])
    with pytest.raises(PermissionDenied):
        services.staff_create(actor=clerk.user, agency=other_dept, username="x", full_name="X")
    services.staff_create(actor=admin.user, agency=dept, username="x", full_name="X")
    # The city IT administrator manages accounts of every agency (as import.run does).
    services.staff_create(actor=admin.user, agency=other_dept, username="y", full_name="Y")


# --- delegation ----------------------------------------------------------------------------


@pytest.fixture
def team(dept: Agency) -> dict[str, StaffMember]:
    return {
        "leader": make_staff(agency=dept, roles=[R.AGENCY_LEADER]),
        "deputy": make_staff(agency=dept, roles=[R.SPECIALIST]),
        "specialist": make_staff(agency=dept, roles=[R.SPECIALIST]),
    }


def _period(hours: int = 48) -> dict[str, object]:
    now = timezone.now()
    return {"starts_at": now - timedelta(minutes=1), "ends_at": now + timedelta(hours=hours)}


def test_delegation_gives_the_role_for_the_period(team: dict[str, StaffMember]) -> None:
    leader, deputy = team["leader"], team["deputy"]
    assert not can(deputy.user, "delegation.create", leader.agency)
    delegation = services.delegation_create(
        actor=leader.user,
        delegator=leader,
        delegate=deputy,
        role=R.AGENCY_LEADER,
        reason="Đi công tác",
        **_period(),
    )
    entry = AuditEntry.objects.get(action="delegation.create")
    assert entry.object_id == str(delegation.public_id) and entry.agency_id == leader.agency_id
    fresh = User.objects.get(pk=deputy.user_id)  # the subject is cached per user object
    assert can(fresh, "staff.view", leader.agency)
    assert R.AGENCY_LEADER in subject_for(fresh).roles_in(leader.agency_id)

    services.delegation_revoke(actor=leader.user, delegation=delegation)
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert AuditEntry.objects.filter(action="delegation.revoke").count() == 1
    with pytest.raises(ValidationFailed):
        services.delegation_revoke(actor=leader.user, delegation=delegation)


def test_only_a_leader_may_delegate(team: dict[str, StaffMember]) -> None:
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        services.delegation_create(
            actor=None,
            delegator=team["specialist"],
            delegate=team["deputy"],
            role=R.SPECIALIST,
            **_period(),
        )
    assert "delegator" in exc.value.fields and counts() == before
    # and through the policy, a specialist is refused before anything is checked
    with pytest.raises(PermissionDenied):
        services.delegation_create(
            actor=team["specialist"].user,
            delegator=team["specialist"],
            delegate=team["deputy"],
            role=R.SPECIALIST,
            **_period(),
        )


def test_only_a_role_the_delegator_holds(team: dict[str, StaffMember]) -> None:
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        services.delegation_create(
            actor=team["leader"].user,
            delegator=team["leader"],
            delegate=team["deputy"],
            role=R.CITY_LEADER,
            **_period(),
        )
    assert "role" in exc.value.fields and counts() == before


def test_delegate_in_the_same_agency(team: dict[str, StaffMember], other_dept: Agency) -> None:
    outsider = make_staff(agency=other_dept, roles=[R.SPECIALIST])
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        services.delegation_create(
            actor=team["leader"].user,
            delegator=team["leader"],
            delegate=outsider,
            role=R.AGENCY_LEADER,
            **_period(),
        )
    assert "delegate" in exc.value.fields and counts() == before


def test_delegation_ends_after_it_starts(team: dict[str, StaffMember]) -> None:
    now = timezone.now()
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        services.delegation_create(
            actor=team["leader"].user,
            delegator=team["leader"],
            delegate=team["deputy"],
            role=R.AGENCY_LEADER,
            starts_at=now + timedelta(days=2),
            ends_at=now + timedelta(days=1),
        )
    assert "ends_at" in exc.value.fields and counts() == before


def test_delegation_only_by_the_delegator(team: dict[str, StaffMember], dept: Agency) -> None:
    other_leader = make_staff(agency=dept, roles=[R.AGENCY_LEADER])
    with pytest.raises(PermissionDenied):
        services.delegation_create(
            actor=other_leader.user,
            delegator=team["leader"],
            delegate=team["deputy"],
            role=R.AGENCY_LEADER,
            **_period(),
        )


def test_overlapping_delegation_refused(team: dict[str, StaffMember]) -> None:
    kwargs = {
        "actor": None,
        "delegator": team["leader"],
        "delegate": team["deputy"],
        "role": R.AGENCY_LEADER,
    }
    services.delegation_create(**kwargs, **_period())
    with pytest.raises(ValidationFailed) as exc:
        services.delegation_create(**kwargs, **_period(hours=5))
    assert "starts_at" in exc.value.fields
