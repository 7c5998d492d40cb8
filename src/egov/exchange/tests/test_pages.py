"""The exchange's workspace pages at the HTTP boundary: partner systems (administrators), the
outbox and inbox with each message's status (clerks of the agency), sending a failed one again.

Bad input gets a Vietnamese message and changes nothing; pages of another agency's messages
answer as missing; the outbox page's query count does not grow with its rows.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from egov.audit.models import AuditEntry
from egov.exchange import services
from egov.exchange.edxml import build_message
from egov.exchange.models import InboundMessage, OutboundMessage, OutboundStatus, Partner
from egov.exchange.tests.conftest import PartnerServer, issued_document, make_here, partner
from egov.exchange.tests.samples import sample_message
from egov.organisations.models import Agency
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff

pytestmark = pytest.mark.django_db

THERE = "000.00.00.H48"


@pytest.fixture
def here() -> Agency:
    return make_here()


@pytest.fixture
def admin(here: Agency) -> Any:
    return make_staff(agency=make_agency(), roles=[R.ADMINISTRATOR]).user


@pytest.fixture
def clerk(here: Agency) -> Any:
    return make_staff(agency=here, roles=[R.CLERK]).user


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def audit(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def failed_message(here: Agency, server: PartnerServer, number: str = "13") -> OutboundMessage:
    """A document of `here` the partner refused with a 400: failed, with its error."""
    if not Partner.objects.filter(organ_id=THERE).exists():
        partner(organ_id=THERE, url=server.url)
    server.answer = lambda body: (400, b"Sai cau truc goi tin")
    document, recipient = issued_document(here, number=number)
    outbound = services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
    services.outbound_attempt(outbound_id=outbound.pk, force=True)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.FAILED
    return outbound


# --- partner systems -----------------------------------------------------------------------


def test_administrator_registers_a_partner_and_sees_its_token_once(admin: Any) -> None:
    client = login(admin)

    response = client.post(
        reverse("workspace:exchange:partner_add"),
        {
            "name": "Hệ thống QLVB tỉnh Quảng Trị",
            "organ_id": THERE,
            "url": "https://qlvb.quangtri.example/api/v1/exchange/edxml",
            "token_out": "their-token",
        },
    )

    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    found = Partner.objects.get(organ_id=THERE)
    token = response.context["token"]
    assert token.startswith("egovx_") and token in response.content.decode()
    assert found.token_prefix == token[:12] and found.token_out == "their-token"
    assert audit("exchange.partner_add") == 1
    listing = client.get(reverse("workspace:exchange:partners")).content.decode()
    assert "Hệ thống QLVB tỉnh Quảng Trị" in listing and token not in listing
    assert "đã có (lưu mã hóa)" in listing and "their-token" not in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "organ_id": THERE}, "This field is required|Trường này là bắt buộc"),
        ({"name": "Hệ thống", "organ_id": "H48"}, "Mã định danh"),
        ({"name": "Hệ thống", "organ_id": THERE, "url": "ftp://x"}, "http:// hoặc https://"),
        ({"name": "Hệ thống", "organ_id": THERE, "token_out": "có khoảng trắng"}, "khoảng trắng"),
    ],
)
def test_bad_partner_input_is_refused_and_saves_nothing(
    admin: Any, data: dict[str, str], message: str
) -> None:
    import re

    response = login(admin).post(reverse("workspace:exchange:partner_add"), data)

    assert response.status_code == 422
    assert re.search(message, response.content.decode())
    assert not Partner.objects.exists() and audit("exchange.partner_add") == 0


def test_a_second_partner_with_the_same_code_is_refused(admin: Any) -> None:
    partner(organ_id=THERE)

    response = login(admin).post(
        reverse("workspace:exchange:partner_add"), {"name": "Trùng", "organ_id": THERE}
    )

    assert response.status_code == 422
    assert "Đã có hệ thống đối tác với mã định danh" in response.content.decode()
    assert Partner.objects.count() == 1


def test_administrator_edits_keeps_replaces_and_clears_the_token_out(admin: Any) -> None:
    found, _ = partner(organ_id=THERE, token_out="old-token")
    client = login(admin)
    url = reverse("workspace:exchange:partner_edit", args=[found.public_id])
    assert "old-token" not in client.get(url).content.decode()

    response = client.post(url, {"name": "Tên mới", "url": "http://127.0.0.1:9/edxml"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert (found.name, found.url, found.token_out) == (
        "Tên mới",
        "http://127.0.0.1:9/edxml",
        "old-token",
    )

    client.post(url, {"name": "Tên mới", "url": "", "token_out": "new-token"})
    found.refresh_from_db()
    assert found.token_out == "new-token"

    client.post(url, {"name": "Tên mới", "url": "", "clear_token_out": "on"})
    found.refresh_from_db()
    assert found.token_out == ""
    entries = AuditEntry.objects.filter(action="exchange.partner_update").order_by("id")
    assert entries.count() == 3
    assert all("token" not in str(e.after).replace("token_out_", "") for e in entries)


def test_bad_edit_changes_nothing(admin: Any) -> None:
    found, _ = partner(organ_id=THERE, url="http://127.0.0.1:9/edxml")

    response = login(admin).post(
        reverse("workspace:exchange:partner_edit", args=[found.public_id]),
        {"name": "Tên mới", "url": "javascript:alert(1)"},
    )

    assert response.status_code == 422
    found.refresh_from_db()
    assert (found.name, found.url) == ("Hệ thống QLVB tỉnh Quảng Trị", "http://127.0.0.1:9/edxml")
    assert audit("exchange.partner_update") == 0


def test_administrator_issues_a_new_token_and_the_old_one_stops(admin: Any, here: Agency) -> None:
    found, old = partner(organ_id=THERE)
    client = login(admin)

    response = client.post(reverse("workspace:exchange:partner_token", args=[found.public_id]))

    new = response.context["token"]
    assert response.status_code == 200 and new != old and new in response.content.decode()
    api = Client()
    body = build_message(sample_message())
    headers = {"content_type": "application/xml"}
    assert (
        api.post("/api/v1/exchange/edxml", body, HTTP_AUTHORIZATION=f"Bearer {old}", **headers)
    ).status_code == 401
    assert (
        api.post("/api/v1/exchange/edxml", body, HTTP_AUTHORIZATION=f"Bearer {new}", **headers)
    ).status_code != 401
    assert audit("exchange.partner_token") == 1


def test_administrator_revokes_a_partner(admin: Any) -> None:
    found, _ = partner(organ_id=THERE)
    client = login(admin)

    response = client.post(reverse("workspace:exchange:partner_revoke", args=[found.public_id]))

    assert response.status_code == 302
    found.refresh_from_db()
    assert not found.is_active and found.organ_id.startswith("~")
    again = client.post(reverse("workspace:exchange:partner_revoke", args=[found.public_id]))
    assert again.status_code == 302
    assert "Hệ thống đối tác này đã bị thu hồi." in client.get(again["Location"]).content.decode()
    assert audit("exchange.partner_revoke") == 1


@pytest.mark.parametrize("role", [R.CLERK, R.AGENCY_LEADER, R.SPECIALIST])
def test_only_administrators_manage_partners(here: Agency, role: str) -> None:
    found, _ = partner(organ_id=THERE)
    client = login(make_staff(agency=here, roles=[role]).user)

    assert client.get(reverse("workspace:exchange:partners")).status_code == 403
    add = client.post(reverse("workspace:exchange:partner_add"), {"name": "X", "organ_id": THERE})
    assert add.status_code == 403
    edit = reverse("workspace:exchange:partner_edit", args=[found.public_id])
    assert client.post(edit, {"name": "X"}).status_code == 403
    revoke = reverse("workspace:exchange:partner_revoke", args=[found.public_id])
    assert client.post(revoke).status_code == 403
    found.refresh_from_db()
    assert found.is_active and found.name == "Hệ thống QLVB tỉnh Quảng Trị"


def test_services_check_the_policy_for_users() -> None:
    from egov.core.errors import PermissionDenied

    clerk = make_staff(agency=make_agency(), roles=[R.CLERK]).user
    with pytest.raises(PermissionDenied):
        services.partner_add(actor=clerk, name="X", organ_id=THERE)
    assert not Partner.objects.exists()


# --- outbox and inbox ------------------------------------------------------------------------


def test_clerk_sees_each_message_with_its_status_and_error(
    here: Agency, clerk: Any, partner_server: PartnerServer
) -> None:
    failed = failed_message(here, partner_server)
    partner_server.answer = lambda body: (503, b"bao tri")
    document, recipient = issued_document(here, number="14")
    retrying = services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
    services.outbound_attempt(outbound_id=retrying.pk, force=True)

    html = login(clerk).get(reverse("workspace:exchange:outbox")).content.decode()

    assert failed.document_identifier in html and retrying.document_identifier in html
    assert "Gửi không thành công" in html and "HTTP 400: Sai cau truc goi tin" in html
    assert "Đang gửi lại" in html and "HTTP 503: bao tri" in html and "Gửi lần tới lúc" in html
    assert reverse("workspace:exchange:retry", args=[failed.public_id]) in html
    assert reverse("workspace:exchange:retry", args=[retrying.public_id]) not in html


def test_outbox_filter_by_status(here: Agency, clerk: Any, partner_server: PartnerServer) -> None:
    failed = failed_message(here, partner_server)
    client = login(clerk)

    delivered = client.get(reverse("workspace:exchange:outbox"), {"status": "delivered"})
    only_failed = client.get(reverse("workspace:exchange:outbox"), {"status": "failed"})

    assert failed.document_identifier not in delivered.content.decode()
    assert failed.document_identifier in only_failed.content.decode()


def test_clerk_sends_a_failed_message_again(
    here: Agency, clerk: Any, partner_server: PartnerServer
) -> None:
    failed = failed_message(here, partner_server)
    client = login(clerk)

    response = client.post(reverse("workspace:exchange:retry", args=[failed.public_id]))

    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboundStatus.QUEUED and failed.attempts == 0
    entry = AuditEntry.objects.get(action="exchange.outbound_retry")
    assert entry.actor_id == clerk.pk and entry.agency_id == here.pk
    after = client.get(response["Location"]).content.decode()
    assert "vào hàng đợi gửi lại" in after
    assert "Gửi lại theo yêu cầu lúc" in after and entry.actor_label in after


def test_a_delivered_message_is_not_sent_again(
    here: Agency, clerk: Any, partner_server: PartnerServer
) -> None:
    partner(organ_id=THERE, url=partner_server.url)
    partner_server.answer = lambda body: (202, b"")
    document, recipient = issued_document(here)
    outbound = services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
    services.outbound_attempt(outbound_id=outbound.pk, force=True)
    client = login(clerk)

    response = client.post(reverse("workspace:exchange:retry", args=[outbound.public_id]))

    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.DELIVERED
    assert "đã được gửi đến nơi nhận" in client.get(response["Location"]).content.decode()
    assert audit("exchange.outbound_retry") == 0


def test_another_agencys_messages_are_not_shown_nor_retried(
    here: Agency, partner_server: PartnerServer
) -> None:
    failed = failed_message(here, partner_server)
    other_clerk = make_staff(agency=make_agency(), roles=[R.CLERK]).user
    client = login(other_clerk)

    html = client.get(reverse("workspace:exchange:outbox")).content.decode()
    retry = client.post(reverse("workspace:exchange:retry", args=[failed.public_id]))

    assert failed.document_identifier not in html
    assert retry.status_code == 404
    failed.refresh_from_db()
    assert failed.status == OutboundStatus.FAILED


def test_administrator_sees_and_retries_every_agencys_messages(
    here: Agency, admin: Any, partner_server: PartnerServer
) -> None:
    failed = failed_message(here, partner_server)
    client = login(admin)

    assert (
        failed.document_identifier
        in client.get(reverse("workspace:exchange:outbox")).content.decode()
    )
    assert (
        client.post(reverse("workspace:exchange:retry", args=[failed.public_id])).status_code == 302
    )
    failed.refresh_from_db()
    assert failed.status == OutboundStatus.QUEUED


@pytest.mark.parametrize("role", [R.SPECIALIST, R.ONE_STOP_OFFICER, R.AGENCY_LEADER])
def test_other_roles_do_not_see_the_exchange(here: Agency, role: str) -> None:
    client = login(make_staff(agency=here, roles=[role]).user)

    assert client.get(reverse("workspace:exchange:outbox")).status_code == 403
    assert client.get(reverse("workspace:exchange:inbox")).status_code == 403


def test_inbox_shows_what_arrived_for_the_agency(admin: Any) -> None:
    there = make_here(code=THERE, name="UBND tỉnh Quảng Trị")
    clerk_there = make_staff(agency=there, roles=[R.CLERK]).user
    sender, _ = partner(organ_id="000.00.00.H15")
    services.inbox_receive(partner=sender, body=build_message(sample_message()))
    services.inbox_receive(partner=sender, body=b"<khong-phai-edxml")
    accepted = InboundMessage.objects.get(result="accepted")
    rejected = InboundMessage.objects.get(result="rejected")

    mine = login(clerk_there).get(reverse("workspace:exchange:inbox")).content.decode()
    others = login(make_staff(agency=make_agency(), roles=[R.CLERK]).user).get(
        reverse("workspace:exchange:inbox")
    )
    everything = login(admin).get(reverse("workspace:exchange:inbox")).content.decode()

    assert accepted.document_identifier in mine and "Đã nhận" in mine and "01 – Đã đến" in mine
    assert accepted.document_identifier not in others.content.decode()
    assert rejected.reason[:40] in everything and "Từ chối tiếp nhận" in everything


def test_outbox_page_queries_do_not_grow_with_its_rows(
    here: Agency, clerk: Any, partner_server: PartnerServer
) -> None:
    failed_message(here, partner_server, number="1")
    client = login(clerk)
    client.get(reverse("workspace:exchange:outbox"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workspace:exchange:outbox"))
    for number in ("2", "3", "4", "5"):
        failed_message(here, partner_server, number=number)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("workspace:exchange:outbox"))

    assert response.content.decode().count("Gửi không thành công") >= 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_menu_entry_for_clerks_and_administrators(here: Agency, clerk: Any, admin: Any) -> None:
    entry = f'href="{reverse("workspace:exchange:outbox")}"'
    specialist = make_staff(agency=here, roles=[R.SPECIALIST]).user

    assert entry in login(clerk).get(reverse("workspace:home")).content.decode()
    assert entry in login(admin).get(reverse("workspace:home")).content.decode()
    assert entry not in login(specialist).get(reverse("workspace:home")).content.decode()


def test_pages_in_english(
    here: Agency, clerk: Any, admin: Any, partner_server: PartnerServer, settings: Any
) -> None:
    failed_message(here, partner_server)
    client = login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    admin_client = login(admin)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    outbox = client.get(reverse("workspace:exchange:outbox")).content.decode()
    partners = admin_client.get(reverse("workspace:exchange:partners")).content.decode()

    assert "Document exchange: outbox" in outbox and "1 attempt" in outbox
    assert "Resend" in outbox
    assert "Exchange partner systems" in partners and "set (stored encrypted)" in partners
