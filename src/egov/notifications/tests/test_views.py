"""The notification centre /app/thong-bao/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from egov.notifications import services
from egov.notifications.models import Notification
from egov.organisations.testing import make_agency, make_citizen, make_staff

pytestmark = pytest.mark.django_db

LIST = "/app/thong-bao/"


def _notify(user: Any, subject: str, link: str = "") -> Notification:
    return services.notification_send(
        event="assignment.created",
        subject=subject,
        body="Nội dung",
        recipient_user=user,
        link=link,
        channels=("in_app",),
    )


@pytest.fixture
def staff_client() -> tuple[Client, Any]:
    user = make_staff(agency=make_agency()).user
    client = Client()
    client.force_login(user)
    return client, user


def test_the_list_shows_only_my_notifications(staff_client: tuple[Client, Any]) -> None:
    client, user = staff_client
    _notify(user, "Giao nhiệm vụ: báo cáo quý")
    _notify(make_staff(agency=make_agency()).user, "Thông báo của người khác")
    page = client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Giao nhiệm vụ: báo cáo quý" in html
    assert "Thông báo của người khác" not in html
    assert "Bạn có 1 thông báo chưa đọc." in html


def test_mark_read_and_mark_all(staff_client: tuple[Client, Any]) -> None:
    client, user = staff_client
    first, second = _notify(user, "Một"), _notify(user, "Hai")
    response = client.post(f"{LIST}{first.public_id}/da-doc/")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    partial = client.post(f"{LIST}{second.public_id}/da-doc/", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "notification-unread" not in partial.content.decode()
    third = _notify(user, "Ba")
    client.post(f"{LIST}da-doc-tat-ca/")
    third.refresh_from_db()
    assert third.read_at is not None
    assert "Bạn có 0 thông báo chưa đọc." in client.get(LIST).content.decode()


def test_someone_elses_notification_is_not_found(staff_client: tuple[Client, Any]) -> None:
    client, _user = staff_client
    theirs = _notify(make_staff(agency=make_agency()).user, "Không phải của tôi")
    assert client.post(f"{LIST}{theirs.public_id}/da-doc/").status_code == 404
    assert client.get(f"{LIST}{theirs.public_id}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_follows_a_local_link_only(staff_client: tuple[Client, Any]) -> None:
    client, user = staff_client
    local = _notify(user, "Nội bộ", link="/app/co-quan/")
    outside = _notify(user, "Bên ngoài", link="https://evil.example.com/")
    response = client.get(f"{LIST}{local.public_id}/")
    assert response.status_code == 302 and response["Location"] == "/app/co-quan/"
    local.refresh_from_db()
    assert local.read_at is not None
    response = client.get(f"{LIST}{outside.public_id}/")
    assert response["Location"] == LIST


def test_gate(client: Client) -> None:
    assert client.get(LIST).status_code == 302  # to sign-in
    client.force_login(make_citizen())
    assert client.get(LIST).status_code == 302  # citizens go back to the portal
    assert client.get(LIST)["Location"] == "/"
