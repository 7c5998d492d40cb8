"""Passwords: change when signed in, reset by an e-mailed link, set by an administrator."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from egov.accounts.models import User
from egov.accounts.tests.conftest import PASSWORD, login
from egov.audit.models import AuditEntry
from egov.audit.verify import verify_chain
from egov.organisations.testing import make_citizen

pytestmark = pytest.mark.django_db

NEW = "Sông-Hàn-xanh-2027"


def reset_link(message) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/\S+/)", message.body)
    assert match, message.body
    return match[1]


def test_signed_in_user_changes_password_and_stays_signed_in(
    client, specialist, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    login(client, "chuyenvien")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW},
        )
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    specialist.user.refresh_from_db()
    assert specialist.user.check_password(NEW)
    assert client.get("/accounts/profile/").status_code == 200  # session kept
    entry = AuditEntry.objects.get(action="accounts.password_change")
    assert entry.actor_id == specialist.user.pk
    assert "password" not in (entry.after or {}) and "pbkdf2" not in str(entry.after)
    assert [m.subject for m in mailoutbox] == ["Mật khẩu tài khoản của bạn vừa được thay đổi"]
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"old_password": "sai-roi", "new_password": NEW}, "old_password", "không đúng"),
        ({"old_password": PASSWORD, "new_password": "123"}, "new_password", "quá ngắn"),
        ({"old_password": PASSWORD, "new_password": PASSWORD}, "new_password", "phải khác"),
        (
            {"old_password": PASSWORD, "new_password": NEW, "new_password_confirm": NEW + "x"},
            "new_password_confirm",
            "không khớp",
        ),
    ],
)
def test_bad_password_change_is_refused_in_vietnamese_and_changes_nothing(
    client, specialist, data, field, message
) -> None:
    login(client, "chuyenvien")
    payload = {"new_password_confirm": data["new_password"], **data}
    response = client.post("/accounts/password/", payload)
    assert response.status_code == 422
    errors = response.context["form"].errors[field]
    assert any(message in e for e in errors), errors
    specialist.user.refresh_from_db()
    assert specialist.user.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action__startswith="accounts.password").exists()


def test_password_change_needs_a_signed_in_user(client) -> None:
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_forgotten_password_is_reset_through_the_emailed_link_once(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    citizen = make_citizen(email="an@example.com", password=PASSWORD)
    response = client.post("/accounts/password/reset/", {"email": "AN@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["an@example.com"]
    link = reset_link(mailoutbox[0])
    page = client.get(link)
    assert page.status_code == 200 and citizen.username in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link, {"new_password": NEW, "new_password_confirm": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    assert AuditEntry.objects.filter(action="accounts.password_reset", actor=citizen).count() == 1
    # Used once: the same link no longer works, and changes nothing.
    again = client.post(link, {"new_password": "Mot-mat-khau-khac-9", "new_password_confirm": "x"})
    assert again.status_code == 400 and "không hợp lệ" in again.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    assert login(Client(), citizen.username, NEW).status_code == 302


def test_reset_request_answers_the_same_for_unknown_addresses(client, mailoutbox) -> None:
    make_citizen(email="co-that@example.com")
    known = client.post("/accounts/password/reset/", {"email": "co-that@example.com"}, follow=True)
    unknown = client.post(
        "/accounts/password/reset/", {"email": "khong-co@example.com"}, follow=True
    )
    said = [str(m) for m in known.context["messages"]]
    assert said == [str(m) for m in unknown.context["messages"]]
    assert len(mailoutbox) == 1


def test_inactive_accounts_get_no_reset_link(client, mailoutbox) -> None:
    make_citizen(email="khoa@example.com", is_active=False)
    client.post("/accounts/password/reset/", {"email": "khoa@example.com"})
    assert mailoutbox == []


def test_forged_or_garbled_reset_links_are_refused(client) -> None:
    citizen = make_citizen(password=PASSWORD)
    for link in (
        "/accounts/password/reset/MQ/sai-token/",
        "/accounts/password/reset/%%%/abc-def/",
        "/accounts/password/reset/OTk5OTk5/abc-def/",
    ):
        response = client.post(link, {"new_password": NEW, "new_password_confirm": NEW})
        assert response.status_code == 400, link
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


def test_administrator_setting_a_password_is_audited_without_the_hash(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    admin_user = User.objects.create_superuser("qt-pw", "qtpw@example.gov.vn", "x-Strong-9")
    citizen = make_citizen(password=PASSWORD)
    client = Client()
    client.force_login(admin_user)
    url = f"/django-admin/accounts/user/{citizen.pk}/password/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302, response.content[:800]
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    entry = AuditEntry.objects.get(action="accounts.password_set")
    assert entry.actor_id == admin_user.pk and entry.object_id == str(citizen.public_id)
    assert entry.before is None and entry.after is None
    assert len(mailoutbox) == 1
    assert verify_chain().ok


def test_reset_links_to_one_address_are_limited_per_hour(client, mailoutbox) -> None:
    from django.core.cache import cache

    from egov.accounts.services import RESET_REQUESTS_PER_HOUR

    cache.clear()
    make_citizen(email="nhieu-lan@example.com")
    for _ in range(RESET_REQUESTS_PER_HOUR + 2):
        response = client.post("/accounts/password/reset/", {"email": "Nhieu-Lan@example.com"})
        assert response.status_code == 302  # the same answer every time
    assert len(mailoutbox) == RESET_REQUESTS_PER_HOUR
