from __future__ import annotations

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.tests.conftest import add_device, current_code, login
from egov.audit.models import AuditEntry
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_citizen, make_staff

pytestmark = pytest.mark.django_db


def test_required_role_without_device_forces_enrolment(client, leader) -> None:
    response = login(client, "lanhdao")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/"
    # Not logged in yet: nothing else is reachable.
    assert "_auth_user_id" not in client.session
    assert client.get("/app/")["Location"].startswith("/accounts/login/")

    page = client.get("/accounts/two-factor/setup/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "bắt buộc xác thực hai lớp" in html
    device = TOTPDevice.objects.get(user=leader.user)
    assert device.confirmed is False
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    assert secret[:4] in html  # shown for manual entry, grouped by four

    done = client.post("/accounts/two-factor/setup/", {"token": current_code(device)})
    assert done.status_code == 302
    assert done["Location"] == "/app/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session["_auth_user_id"] == str(leader.user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/app/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.two_factor_confirm").count() == 1


def test_enrolment_refuses_a_wrong_code(client, leader) -> None:
    login(client, "lanhdao")
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=leader.user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/setup/", {"token": wrong})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert "_auth_user_id" not in client.session


def test_confirmed_device_asks_for_the_code_and_the_right_code_logs_in(client, specialist) -> None:
    device = add_device(specialist.user)
    response = login(client, "chuyenvien")
    assert response["Location"] == "/accounts/two-factor/"
    assert "_auth_user_id" not in client.session
    page = client.get("/accounts/two-factor/")
    assert 'autocomplete="one-time-code"' in page.content.decode()

    done = client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert done.status_code == 302
    assert done["Location"] == "/app/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_next_survives_the_code_step(client, leader) -> None:
    device = add_device(leader.user)
    login(client, "lanhdao", next="/accounts/profile/")
    done = client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert done["Location"] == "/accounts/profile/"


def test_an_old_password_step_expires(client, leader) -> None:
    add_device(leader.user)
    login(client, "lanhdao")
    session = client.session
    session["egov_accounts_pending"]["at"] -= 11 * 60
    session.save()
    response = client.get("/accounts/two-factor/")
    assert response["Location"] == "/accounts/login/"


def test_wrong_code_is_refused_and_counted(client, leader) -> None:
    device = add_device(leader.user)
    login(client, "lanhdao")
    wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
    response = client.post("/accounts/two-factor/", {"token": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mã xác thực không đúng" in html
    assert 'aria-describedby="id_token_helptext id_token_error"' in html
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert AuditEntry.objects.filter(action="accounts.two_factor_failed").count() == 1


def test_right_code_right_after_a_wrong_one_is_throttled(client, leader) -> None:
    device = add_device(leader.user)
    login(client, "lanhdao")
    wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
    client.post("/accounts/two-factor/", {"token": wrong})
    response = client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert "Bạn đã nhập sai mã nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_code_must_be_six_digits(client, leader) -> None:
    add_device(leader.user)
    login(client, "lanhdao")
    response = client.post("/accounts/two-factor/", {"token": "12ab"})
    assert "Mã xác thực gồm đúng 6 chữ số." in response.content.decode()


def test_code_pages_without_a_password_step_go_back_to_login(client, db) -> None:
    assert client.get("/accounts/two-factor/")["Location"] == "/accounts/login/"
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/login/"


def test_staff_without_requirement_enrols_voluntarily_from_the_profile(client, specialist) -> None:
    login(client, "chuyenvien")
    profile = client.get("/accounts/profile/").content.decode()
    assert "Bật xác thực hai lớp" in profile
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=specialist.user)
    done = client.post("/accounts/two-factor/setup/", {"token": current_code(device)})
    assert done["Location"] == "/accounts/profile/"
    assert "Đang bật" in client.get("/accounts/profile/").content.decode()
    client.post("/accounts/logout/")
    assert login(client, "chuyenvien")["Location"] == "/accounts/two-factor/"


@pytest.mark.urls("egov.accounts.tests.gate_urls")
class TestStaffRequired:
    @pytest.mark.parametrize("url", ["/gated/", "/gated-class/"])
    def test_anonymous_goes_to_login(self, client, db, url) -> None:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"

    @pytest.mark.parametrize("url", ["/gated/", "/gated-class/"])
    def test_citizen_is_forbidden(self, client, db, url) -> None:
        client.force_login(make_citizen())
        assert client.get(url).status_code == 403

    def test_staff_without_requirement_passes(self, client, specialist) -> None:
        client.force_login(specialist.user)
        assert client.get("/gated/").content.decode() == "bên trong"

    def test_unverified_session_of_a_required_role_is_sent_to_enrol(self, client, leader) -> None:
        # e.g. the administrator turned the requirement on after this session began
        client.force_login(leader.user)
        response = client.get("/gated/")
        assert response["Location"] == "/accounts/two-factor/setup/?next=%2Fgated%2F"
        client.get(response["Location"])
        device = TOTPDevice.objects.get(user=leader.user)
        done = client.post(
            "/accounts/two-factor/setup/", {"token": current_code(device), "next": "/gated/"}
        )
        assert done["Location"] == "/gated/"
        assert client.get("/gated/").status_code == 200

    def test_unverified_session_with_a_device_is_sent_to_the_code_page(
        self, client, leader
    ) -> None:
        device = add_device(leader.user)
        client.force_login(leader.user)
        response = client.get("/gated-class/")
        assert response["Location"] == "/accounts/two-factor/?next=%2Fgated-class%2F"
        done = client.post(
            "/accounts/two-factor/", {"token": current_code(device), "next": "/gated-class/"}
        )
        assert done["Location"] == "/gated-class/"
        assert client.get("/gated-class/").status_code == 200

    def test_requirement_comes_from_any_of_the_roles(self, client, agency) -> None:
        staff = make_staff(agency=agency, roles=[RoleCode.SPECIALIST, RoleCode.ADMINISTRATOR])
        from egov.accounts.tests.conftest import require_two_factor

        require_two_factor(RoleCode.ADMINISTRATOR)
        client.force_login(staff.user)
        assert client.get("/gated/")["Location"].startswith("/accounts/two-factor/setup/")
