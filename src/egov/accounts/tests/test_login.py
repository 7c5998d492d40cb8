from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from egov.accounts.tests.conftest import PASSWORD, login
from egov.conf import settings as project_settings
from egov.organisations.testing import make_citizen

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_with_labelled_fields(client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Đăng nhập" in html
    assert '<label for="id_username">Tên đăng nhập' in html
    assert '<label for="id_password">Mật khẩu' in html
    assert "csrfmiddlewaretoken" in html


def test_staff_login_goes_to_workspace(client, specialist) -> None:
    response = login(client, "chuyenvien")
    assert response.status_code == 302
    assert response["Location"] == "/app/"
    assert client.session["_auth_user_id"] == str(specialist.user.pk)
    assert client.get("/app/").status_code == 200


def test_login_follows_a_safe_next_and_ignores_an_outside_one(client, specialist) -> None:
    assert login(client, "chuyenvien", next="/accounts/profile/")["Location"] == (
        "/accounts/profile/"
    )
    client.logout()
    assert login(client, "chuyenvien", next="https://evil.example/")["Location"] == "/app/"


def test_wrong_password_is_refused_in_vietnamese(client, specialist) -> None:
    response = login(client, "chuyenvien", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_citizen_logs_in_with_email_whatever_the_case(client) -> None:
    citizen = make_citizen(username="an@example.com", email="an@example.com")
    response = login(client, "An@Example.com")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert client.session["_auth_user_id"] == str(citizen.pk)
    profile = client.get("/accounts/profile/").content.decode()
    assert "Tài khoản của tôi" in profile and "an@example.com" in profile and "Công dân" in profile


def test_unverified_account_is_told_to_open_the_email(client) -> None:
    make_citizen(username="moi@example.com", email="moi@example.com", is_active=False)
    response = login(client, "moi@example.com")
    assert "chưa được kích hoạt" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # With a wrong password the answer stays the generic one (nothing is revealed).
    response = login(client, "moi@example.com", "sai-mat-khau")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_failed_logins_lock_the_account_with_a_vietnamese_429(client, specialist) -> None:
    limit = django_settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert login(client, "chuyenvien", "sai-mat-khau").status_code == 200
    locked = login(client, "chuyenvien", "sai-mat-khau")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Bạn đã đăng nhập sai quá nhiều lần" in html
    minutes = round(django_settings.AXES_COOLOFF_TIME * 60)
    assert f"Vui lòng thử lại sau {minutes} phút" in html
    assert int(locked["Retry-After"]) == minutes * 60
    # Even the right password is refused while locked.
    again = login(client, "chuyenvien", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(client, specialist, agency) -> None:
    from egov.organisations.testing import make_staff

    make_staff(agency=agency, username="nguoikhac")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        login(client, "chuyenvien", "sai-mat-khau")
    assert login(client, "nguoikhac").status_code == 302


def test_passwords_are_stored_with_argon2(settings, agency) -> None:
    from egov.organisations.testing import make_staff

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    staff = make_staff(agency=agency)
    assert staff.user.password.startswith("argon2")
    # OWASP parameters: 19 MiB per hash, not Django's 100 MiB (a web process stays small).
    assert "$m=19456,t=2,p=1$" in staff.user.password
    assert staff.user.check_password(PASSWORD)


def test_logout_is_a_post_and_ends_the_session(client, specialist) -> None:
    login(client, "chuyenvien")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
