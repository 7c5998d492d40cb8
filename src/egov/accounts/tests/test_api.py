from __future__ import annotations

import pytest

from egov.accounts.tests.conftest import add_device, current_code, login
from egov.organisations.testing import make_citizen

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/me"


def test_anonymous_gets_a_401_problem(client) -> None:
    response = client.get(URL)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["status"] == 401
    assert body["title"] == "Bạn chưa đăng nhập."


def test_staff_sees_agency_and_roles(client, specialist, agency) -> None:
    client.force_login(specialist.user)
    body = client.get(URL).json()
    assert body["kind"] == "staff"
    assert body["username"] == "chuyenvien"
    assert body["full_name"] == specialist.user.full_name
    assert body["agency_code"] == agency.code
    assert body["roles"] == ["specialist"]
    assert body["two_factor_required"] is False


def test_citizen_has_no_agency(client) -> None:
    citizen = make_citizen(full_name="Trần Thị Bình")
    client.force_login(citizen)
    body = client.get(URL).json()
    assert (body["kind"], body["full_name"], body["agency_code"], body["roles"]) == (
        "citizen",
        "Trần Thị Bình",
        None,
        [],
    )


def test_an_unverified_session_of_a_required_role_is_refused(client, leader) -> None:
    client.force_login(leader.user)
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "two_factor_required"


def test_a_verified_leader_is_served(client, leader) -> None:
    device = add_device(leader.user)
    login(client, "lanhdao")
    client.post("/accounts/two-factor/", {"token": current_code(device)})
    body = client.get(URL).json()
    assert body["roles"] == ["agency_leader"]
    assert body["two_factor_enabled"] is True and body["two_factor_required"] is True
