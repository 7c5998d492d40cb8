"""Pages and API at the HTTP boundary: status codes, policy refusals, query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egov.audit.models import AuditEntry
from egov.organisations import services
from egov.organisations.models import Agency, Delegation, RoleCode, StaffMember
from egov.organisations.testing import make_citizen, make_staff

pytestmark = pytest.mark.django_db

R = RoleCode


@pytest.fixture
def city() -> Agency:
    return services.agency_create(
        actor=None,
        code="000.00.00.H15",
        name="Ủy ban nhân dân thành phố Đà Nẵng",
        abbreviation="UBND",
        kind="peoples_committee",
        phone="0236 3821 144",
    )


@pytest.fixture
def sxd(city: Agency) -> Agency:
    agency = services.agency_create(
        actor=None,
        code="000.00.05.H15",
        name="Sở Xây dựng",
        abbreviation="SXD",
        kind="department",
        parent=city,
        address="24 Trần Phú",
    )
    services.unit_create(actor=None, agency=agency, name="Văn phòng", abbreviation="VP")
    return agency


@pytest.fixture
def stp(city: Agency) -> Agency:
    return services.agency_create(
        actor=None,
        code="000.00.04.H15",
        name="Sở Tư pháp",
        abbreviation="STP",
        kind="department",
        parent=city,
    )


@pytest.fixture
def ward(city: Agency) -> Agency:
    return services.agency_create(
        actor=None,
        code="000.00.40.H15",
        name="Ủy ban nhân dân phường Hải Châu",
        abbreviation="UBND",
        kind="ward",
        parent=city,
    )


def client_for(staff: StaffMember | None = None, user: Any = None) -> Client:
    client = Client()
    if staff is not None:
        client.force_login(staff.user)
    elif user is not None:
        client.force_login(user)
    return client


# --- public portal -------------------------------------------------------------------------


def test_directory_is_public_and_accent_insensitive(sxd: Agency, stp: Agency, ward: Agency) -> None:
    page = Client().get("/co-quan/", {"q": "hai chau"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ủy ban nhân dân phường Hải Châu" in html and "Sở Tư pháp" not in html
    assert "Sở Xây dựng" in Client().get("/co-quan/", {"q": "SO XAY"}).content.decode()
    assert "Sở Xây dựng" in Client().get("/co-quan/", {"q": "sxd"}).content.decode()
    assert Client().get("/co-quan/000.00.05.H15/").status_code == 200
    assert Client().get("/co-quan/000.00.99.H15/").status_code == 404


def test_directory_query_count(city: Agency, django_assert_max_num_queries: Any) -> None:
    for i in range(1, 40):
        services.agency_create(
            actor=None,
            code=f"000.00.{i:02d}.H15",
            name=f"Sở {i}",
            abbreviation=f"S{i}",
            kind="department",
            parent=city,
        )
    with django_assert_max_num_queries(4):
        assert Client().get("/co-quan/").status_code == 200


def test_inactive_agency_hidden_from_the_public(sxd: Agency) -> None:
    services.agency_update(actor=None, agency=sxd, is_active=False)
    assert Client().get("/co-quan/000.00.05.H15/").status_code == 404
    assert "Sở Xây dựng" not in Client().get("/co-quan/").content.decode()


# --- workspace -----------------------------------------------------------------------------


def test_workspace_needs_a_staff_login(sxd: Agency) -> None:
    assert Client().get("/app/co-quan/").status_code == 302
    citizen = make_citizen()
    assert client_for(user=citizen).get("/app/co-quan/").status_code == 403


def test_tree_shows_every_depth_in_few_queries(
    city: Agency, sxd: Agency, ward: Agency, django_assert_max_num_queries: Any
) -> None:
    parent = sxd
    for depth in range(1, 4):  # three more levels under the department
        parent = services.agency_create(
            actor=None,
            code=f"{depth:03d}.01.05.H15",
            name=f"Cấp {depth}",
            abbreviation=f"C{depth}",
            kind="other",
            parent=parent,
        )
    client = client_for(make_staff(agency=sxd, roles=[R.SPECIALIST]))
    client.get("/app/co-quan/")  # warm the session
    with django_assert_max_num_queries(10):
        page = client.get("/app/co-quan/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("Ủy ban nhân dân thành phố Đà Nẵng", "Sở Xây dựng", "Cấp 1", "Cấp 3"):
        assert name in html


def test_agency_page_own_agency_and_refusals(sxd: Agency, stp: Agency, city: Agency) -> None:
    specialist = make_staff(agency=sxd, roles=[R.SPECIALIST], full_name="Trần Văn Nam")
    client = client_for(specialist)
    page = client.get("/app/co-quan/000.00.05.H15/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Trần Văn Nam" in html and "Văn phòng" in html and "Lịch sử thay đổi" in html
    # another agency's internal page: same answer as a missing one
    assert client.get("/app/co-quan/000.00.04.H15/").status_code == 404
    assert client.get("/app/co-quan/000.00.77.H15/").status_code == 404
    # the city leader sees every agency
    chairman = make_staff(agency=city, roles=[R.CITY_LEADER])
    assert client_for(chairman).get("/app/co-quan/000.00.04.H15/").status_code == 200


def test_agency_staff_list_paginated_query_count(
    sxd: Agency, django_assert_max_num_queries: Any
) -> None:
    client = client_for(make_staff(agency=sxd, roles=[R.SPECIALIST]))
    client.get("/app/co-quan/000.00.05.H15/")
    with CaptureQueriesContext(connection) as few:
        client.get("/app/co-quan/000.00.05.H15/")
    for _ in range(40):
        make_staff(agency=sxd, roles=[R.SPECIALIST, R.CLERK])
    with django_assert_max_num_queries(len(few)):  # no query per row
        page = client.get("/app/co-quan/000.00.05.H15/", {"trang": 2})
    assert page.status_code == 200
    assert "Trang 2/2 (41 cán bộ)" in page.content.decode()
    assert len(few) <= 20


def test_staff_page(sxd: Agency, stp: Agency) -> None:
    member = make_staff(agency=sxd, roles=[R.SPECIALIST], full_name="Lê Thị Hoa")
    services.staff_update(actor=None, staff=member, phone="0905000111")
    colleague = make_staff(agency=sxd, roles=[R.CLERK])
    outsider = make_staff(agency=stp, roles=[R.SPECIALIST])
    page = client_for(colleague).get(f"/app/co-quan/can-bo/{member.public_id}/")
    assert page.status_code == 200
    assert "Lê Thị Hoa" in page.content.decode() and "staff.update" in page.content.decode()
    assert client_for(outsider).get(f"/app/co-quan/can-bo/{member.public_id}/").status_code == 404


def test_delegation_form_for_leaders_only(sxd: Agency) -> None:
    specialist = make_staff(agency=sxd, roles=[R.SPECIALIST])
    assert client_for(specialist).get("/app/co-quan/uy-quyen/moi/").status_code == 403
    leader = make_staff(agency=sxd, roles=[R.AGENCY_LEADER])
    assert client_for(leader).get("/app/co-quan/uy-quyen/moi/").status_code == 200


def _form(delegate: StaffMember, **extra: str) -> dict[str, str]:
    now = timezone.localtime()
    data = {
        "delegate": str(delegate.pk),
        "role": R.AGENCY_LEADER,
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "Giám đốc đi công tác",
    }
    data.update(extra)
    return data


def test_delegation_create_and_revoke_from_the_pages(sxd: Agency) -> None:
    leader = make_staff(agency=sxd, roles=[R.AGENCY_LEADER])
    deputy = make_staff(agency=sxd, roles=[R.SPECIALIST])
    client = client_for(leader)
    response = client.post("/app/co-quan/uy-quyen/moi/", _form(deputy))
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.delegate == deputy and delegation.reason == "Giám đốc đi công tác"
    assert AuditEntry.objects.filter(action="delegation.create").count() == 1
    # someone else cannot revoke it
    other = make_staff(agency=sxd, roles=[R.SPECIALIST])
    client_for(other).post(f"/app/co-quan/uy-quyen/{delegation.public_id}/thu-hoi/")
    delegation.refresh_from_db()
    assert delegation.revoked_at is None
    response = client.post(f"/app/co-quan/uy-quyen/{delegation.public_id}/thu-hoi/")
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_delegation_errors_next_to_fields(sxd: Agency) -> None:
    leader = make_staff(agency=sxd, roles=[R.AGENCY_LEADER])
    deputy = make_staff(agency=sxd, roles=[R.SPECIALIST])
    now = timezone.localtime()
    bad = _form(deputy, ends_at=(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    response = client_for(leader).post("/app/co-quan/uy-quyen/moi/", bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_ends_at-error"' in html
    assert "Thời điểm kết thúc phải sau thời điểm bắt đầu." in html
    assert not Delegation.objects.exists()


# --- API -----------------------------------------------------------------------------------


def test_api_directory(sxd: Agency, stp: Agency, ward: Agency) -> None:
    response = Client().get("/api/v1/agencies", {"q": "tu phap"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["items"][0]["code"] == "000.00.04.H15"
    assert body["items"][0]["parent_code"] == "000.00.00.H15"
    detail = Client().get("/api/v1/agencies/000.00.00.H15").json()
    assert {c["code"] for c in detail["children"]} == {
        "000.00.05.H15",
        "000.00.04.H15",
        "000.00.40.H15",
    }
    assert detail["phone"] == "0236 3821 144"
    missing = Client().get("/api/v1/agencies/000.00.99.H15")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    tree = Client().get("/api/v1/agencies/tree").json()
    assert tree[0]["code"] == "000.00.00.H15" and len(tree[0]["children"]) == 3


def test_api_directory_query_count(city: Agency, django_assert_max_num_queries: Any) -> None:
    for i in range(1, 40):
        services.agency_create(
            actor=None,
            code=f"000.00.{i:02d}.H15",
            name=f"Sở {i}",
            abbreviation=f"S{i}",
            kind="department",
            parent=city,
        )
    with django_assert_max_num_queries(3):
        response = Client().get("/api/v1/agencies")
    assert response.json()["count"] == 40 and len(response.json()["items"]) == 30


def test_api_staff_needs_login_and_policy(sxd: Agency, stp: Agency, city: Agency) -> None:
    member = make_staff(agency=sxd, roles=[R.SPECIALIST], full_name="Võ Minh Quân")
    assert Client().get("/api/v1/agencies/000.00.05.H15/staff").status_code == 401
    assert (
        client_for(user=make_citizen()).get("/api/v1/agencies/000.00.05.H15/staff").status_code
        == 404
    )
    mine = client_for(member).get("/api/v1/agencies/000.00.05.H15/staff")
    assert mine.status_code == 200
    assert mine.json()["items"][0]["full_name"] == "Võ Minh Quân"
    assert mine.json()["items"][0]["roles"] == ["specialist"]
    assert client_for(member).get("/api/v1/agencies/000.00.04.H15/staff").status_code == 404
    admin = make_staff(agency=city, roles=[R.ADMINISTRATOR])
    assert client_for(admin).get("/api/v1/agencies/000.00.05.H15/staff").status_code == 200


def test_api_staff_query_count(sxd: Agency, django_assert_max_num_queries: Any) -> None:
    for _ in range(35):
        make_staff(agency=sxd, roles=[R.SPECIALIST, R.CLERK])
    client = client_for(StaffMember.objects.first())
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/agencies/000.00.05.H15/staff")
    assert response.json()["count"] == 35


def test_api_delegations(sxd: Agency) -> None:
    leader = make_staff(agency=sxd, roles=[R.AGENCY_LEADER])
    deputy = make_staff(agency=sxd, roles=[R.SPECIALIST])
    now = timezone.now()
    services.delegation_create(
        actor=None,
        delegator=leader,
        delegate=deputy,
        role=R.AGENCY_LEADER,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
    )
    body = client_for(deputy).get("/api/v1/agencies/000.00.05.H15/delegations").json()
    assert [(d["delegate"], d["role"]) for d in body] == [(deputy.user.username, "agency_leader")]
