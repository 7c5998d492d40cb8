from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.organisations.models import Role, RoleCode
from egov.organisations.testing import make_agency, make_staff

PASSWORD = "matkhau-thu-123"


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for this device."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def add_device(user: Any, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=confirmed)


def require_two_factor(code: str) -> None:
    Role.objects.update_or_create(code=code, defaults={"requires_two_factor": True})


@pytest.fixture
def agency(db):  # type: ignore[no-untyped-def]
    return make_agency()


@pytest.fixture
def specialist(agency):  # type: ignore[no-untyped-def]
    return make_staff(agency=agency, roles=[RoleCode.SPECIALIST], username="chuyenvien")


@pytest.fixture
def leader(agency):  # type: ignore[no-untyped-def]
    """An agency leader whose role requires two-factor authentication (no device yet)."""
    staff = make_staff(agency=agency, roles=[RoleCode.AGENCY_LEADER], username="lanhdao")
    require_two_factor(RoleCode.AGENCY_LEADER)
    return staff


def login(client: Any, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})
