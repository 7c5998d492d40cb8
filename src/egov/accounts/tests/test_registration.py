from __future__ import annotations

import re
import time

import pytest
from django.core import signing

from egov.accounts.models import User, UserKind
from egov.accounts.services import EMAIL_VERIFICATION_SALT, verification_token_make
from egov.accounts.tests.conftest import login
from egov.audit.models import AuditEntry
from egov.organisations.testing import make_citizen

pytestmark = pytest.mark.django_db

CITIZEN = {
    "kind": "citizen",
    "full_name": "Nguyễn Văn An",
    "email": "An.Nguyen@Example.com",
    "phone": "0905 123 456",
    "citizen_id": "048 090 000 123",
    "tax_code": "",
    "password": "Hoa-sen-nở-2025",
    "password_confirm": "Hoa-sen-nở-2025",
}
BUSINESS = {
    **CITIZEN,
    "kind": "business",
    "full_name": "Công ty TNHH Sông Hàn",
    "email": "lienhe@songhan.vn",
    "citizen_id": "",
    "tax_code": "0100109106-001",
}


def register(client, data, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/accounts/register/", data)


def verification_link(message) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"https?://\S+/accounts/verify-email/(\S+)/", message.body)
    assert match, message.body
    return f"/accounts/verify-email/{match[1]}/"


def test_citizen_registers_inactive_and_gets_a_vietnamese_email(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    response = register(client, CITIZEN, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/done/"
    user = User.objects.get(email="an.nguyen@example.com")
    assert user.username == "an.nguyen@example.com"
    assert user.kind == UserKind.CITIZEN
    assert user.citizen_id == "048090000123"
    assert user.phone == "0905123456"
    assert user.is_active is False and user.email_verified_at is None
    assert user.check_password(CITIZEN["password"])
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["an.nguyen@example.com"]
    assert "Kích hoạt tài khoản" in mailoutbox[0].subject
    assert "Kính gửi Nguyễn Văn An" in mailoutbox[0].body
    assert AuditEntry.objects.filter(action="accounts.register", actor_id=user.pk).exists()
    assert "an.nguyen@example.com" in client.get(response["Location"]).content.decode()


def test_business_registers_with_a_branch_tax_code(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    response = register(client, BUSINESS, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    user = User.objects.get(email="lienhe@songhan.vn")
    assert (user.kind, user.tax_code, user.citizen_id) == ("business", "0100109106-001", "")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**CITIZEN, "citizen_id": "003090000123"}, "citizen_id", "không phải mã tỉnh"),
        ({**CITIZEN, "citizen_id": "04809000012"}, "citizen_id", "đúng 12 chữ số"),
        ({**CITIZEN, "citizen_id": ""}, "citizen_id", "Công dân cần nhập số định danh"),
        ({**BUSINESS, "tax_code": "0100109107"}, "tax_code", "chữ số kiểm tra"),
        ({**BUSINESS, "tax_code": ""}, "tax_code", "cần nhập mã số thuế"),
        ({**CITIZEN, "email": "khong-phai-email"}, "email", "Địa chỉ email không hợp lệ."),
        ({**CITIZEN, "phone": "12345"}, "phone", "Số điện thoại gồm 10 chữ số"),
        (
            {**CITIZEN, "password_confirm": "khac-han-2025"},
            "password_confirm",
            "Hai lần nhập mật khẩu không khớp.",
        ),
        ({**CITIZEN, "password": "12345678", "password_confirm": "12345678"}, "password", ""),
    ],
)
def test_invalid_registration_saves_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks, data, field, message
) -> None:
    before = User.objects.count()
    response = register(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    html = response.content.decode()
    error_block = re.search(rf'<ul class="field__errors" id="id_{field}_error">(.*?)</ul>', html)
    assert error_block, f"no error next to {field}"
    assert message in error_block[1]
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )
    assert User.objects.count() == before
    assert mailoutbox == []
    assert not AuditEntry.objects.filter(action="accounts.register").exists()


@pytest.mark.parametrize(
    ("existing", "data", "field", "message"),
    [
        ({"email": "an.nguyen@example.com"}, CITIZEN, "email", "Email này đã được dùng"),
        ({"username": "an.nguyen@example.com"}, CITIZEN, "email", "Email này đã được dùng"),
        ({"citizen_id": "048090000123"}, CITIZEN, "citizen_id", "đã được đăng ký"),
        ({"tax_code": "0100109106-001"}, BUSINESS, "tax_code", "Mã số thuế này đã được đăng ký"),
    ],
)
def test_duplicates_are_refused_on_their_field(
    client, mailoutbox, django_capture_on_commit_callbacks, existing, data, field, message
) -> None:
    make_citizen(**existing)
    before = User.objects.count()
    response = register(client, data, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    error_block = re.search(
        rf'id="id_{field}_error">(.*?)</ul>', response.content.decode(), flags=re.S
    )
    assert error_block and message in error_block[1]
    assert User.objects.count() == before
    assert mailoutbox == []


def test_the_link_activates_and_the_account_can_then_log_in(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    register(client, CITIZEN, django_capture_on_commit_callbacks)
    link = verification_link(mailoutbox[0])
    response = client.get(link)
    assert response.status_code == 200
    assert "tài khoản của bạn đã được kích hoạt" in response.content.decode()
    user = User.objects.get(email="an.nguyen@example.com")
    assert user.is_active is True and user.email_verified_at is not None
    assert AuditEntry.objects.filter(action="accounts.email_verify").count() == 1
    # Opening the link again is harmless.
    assert client.get(link).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.email_verify").count() == 1
    logged_in = login(client, "an.nguyen@example.com", CITIZEN["password"])
    assert logged_in["Location"] == "/accounts/profile/"


class _SignedFourDaysAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 4 * 24 * 3600)


def test_an_expired_link_is_refused(client, db) -> None:
    user = make_citizen(is_active=False)
    payload = {"u": str(user.public_id), "e": user.email.lower()}
    token = _SignedFourDaysAgo(salt=EMAIL_VERIFICATION_SALT).sign_object(payload)
    response = client.get(f"/accounts/verify-email/{token}/")
    assert response.status_code == 400
    assert "đã hết hạn" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active is False


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "abc:def:ghi"])
def test_a_tampered_link_is_refused(client, db, mangle) -> None:
    user = make_citizen(is_active=False)
    response = client.get(f"/accounts/verify-email/{mangle(verification_token_make(user))}/")
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active is False


def test_a_link_for_an_old_address_is_refused(client, db) -> None:
    user = make_citizen(is_active=False, email="cu@example.com")
    token = verification_token_make(user)
    User.objects.filter(pk=user.pk).update(email="moi@example.com")
    assert client.get(f"/accounts/verify-email/{token}/").status_code == 400


def test_a_disabled_account_is_not_reactivated_by_its_old_link(client, db) -> None:
    from django.utils import timezone

    user = make_citizen(is_active=False, email_verified_at=timezone.now())
    response = client.get(f"/accounts/verify-email/{verification_token_make(user)}/")
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_active is False


def test_resend_sends_a_new_link_only_to_unverified_accounts(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    make_citizen(is_active=False, email="cho@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/accounts/register/resend/", {"email": "cho@example.com"})
        second = client.post("/accounts/register/resend/", {"email": "khong-co@example.com"})
    assert first["Location"] == second["Location"] == "/accounts/login/"
    assert [m.to for m in mailoutbox] == [["cho@example.com"]]
