"""The outbox: building from documents, delivery to a real HTTP server on loopback, the retry
schedule (time-travelled through `next_attempt_at`), giving up, statuses back, the command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from egov.core.errors import AppError
from egov.documents.models import Recipient
from egov.exchange import services
from egov.exchange.edxml import build_status, parse_message, parse_status
from egov.exchange.models import OutboundMessage, OutboundStatus, Partner, StatusEvent
from egov.exchange.tests.conftest import PartnerServer, issued_document, make_here, partner
from egov.exchange.tests.samples import sample_message, sample_status

pytestmark = pytest.mark.django_db

THERE = "000.00.00.H48"


@pytest.fixture
def here() -> Any:
    return make_here()


def answering(code: str, http_status: int = 200) -> Any:
    """A partner inbox that answers every document with the status `code`."""

    def answer(body: bytes) -> tuple[int, bytes]:
        message = parse_message(body)
        status = dataclasses.replace(
            sample_status(),
            code=code,
            description="Đã đến" if code == "01" else "Sai nơi nhận",
            response_for=dataclasses.replace(
                sample_status().response_for, document_id=message.document_id
            ),
        )
        return http_status, build_status(status)

    return answer


def queued(here: Any, server: PartnerServer | None, **kwargs: Any) -> OutboundMessage:
    if server is not None:
        partner(organ_id=THERE, url=server.url)
    document, recipient = issued_document(here, **kwargs)
    return services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)


def attempt(outbound: OutboundMessage) -> services.AttemptOutcome:
    return services.outbound_attempt(outbound_id=outbound.pk)


def time_travel(outbound: OutboundMessage) -> None:
    """Make the next attempt due now (as if its delay had passed)."""
    OutboundMessage.objects.filter(pk=outbound.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


# --- building ----------------------------------------------------------------------------------


def test_the_queued_message_is_the_document_in_edxml(here: Any) -> None:
    outbound = queued(here, None)
    message = parse_message(bytes(outbound.message))
    h = message.header
    assert h.from_.organ_id == here.code and h.from_.organ_name == here.name
    assert [o.organ_id for o in h.to] == [THERE]
    assert (h.code.number, h.code.notation) == ("13", "UBND-VP")
    assert h.document_id == f"{here.code},2025/03/14,13/UBND-VP"
    assert h.promulgation_info.date == dt.date(2025, 3, 14)
    assert h.document_type.type_name == "Công văn"
    assert h.other_info.priority == 1
    assert h.signer_info is not None and h.signer_info.full_name == "Nguyễn Văn A"
    assert message.bussiness.doc_type == 0
    assert [a.name for a in message.attachments] == ["13-UBND-VP.pdf"]
    assert message.attachments[0].data.startswith(b"%PDF")
    assert outbound.status == OutboundStatus.QUEUED and outbound.partner is None


def test_enqueueing_twice_for_the_same_recipient_is_one_message(here: Any) -> None:
    document, recipient = issued_document(here)
    first = services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
    second = services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
    assert first.pk == second.pk and OutboundMessage.objects.count() == 1


def test_a_secret_document_is_never_sent(here: Any) -> None:
    document, recipient = issued_document(here, secret=True)
    with pytest.raises(AppError) as info:
        services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
    assert info.value.code == "exchange_secret_refused"
    assert not OutboundMessage.objects.exists()


def test_the_delivery_job_runs_once_the_transaction_commits(
    here: Any, partner_server: PartnerServer, django_capture_on_commit_callbacks: Any
) -> None:
    partner_server.answer = answering("01")
    partner(organ_id=THERE, url=partner_server.url)
    document, recipient = issued_document(here)
    with django_capture_on_commit_callbacks(execute=True):
        outbound = services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
        assert not partner_server.received  # nothing sent before the commit
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.DELIVERED
    assert len(partner_server.received) == 1


# --- delivering ----------------------------------------------------------------------------------


def test_delivered_with_the_partners_token_and_the_answer_recorded(
    here: Any, partner_server: PartnerServer
) -> None:
    partner_server.answer = answering("01")
    outbound = queued(here, partner_server)
    assert attempt(outbound).status == "delivered"
    headers, body = partner_server.received[0]
    assert headers["Authorization"] == "Bearer their-token"
    assert headers["Content-Type"].startswith("application/xml")
    assert body == bytes(outbound.message)
    outbound.refresh_from_db()
    assert (outbound.status, outbound.response_code, outbound.attempts) == ("delivered", "01", 1)
    recipient = Recipient.objects.get()
    assert recipient.status == "01"
    assert StatusEvent.objects.filter(direction="in", code="01").count() == 1


def test_a_02_answer_is_a_rejection_not_retried(here: Any, partner_server: PartnerServer) -> None:
    partner_server.answer = answering("02", http_status=422)
    outbound = queued(here, partner_server)
    assert attempt(outbound).status == "rejected"
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.REJECTED and outbound.next_attempt_at is None
    assert outbound.response_description == "Sai nơi nhận"
    assert Recipient.objects.get().status == "02"
    time_travel(outbound)
    assert services.outbox_deliver_due() == 0


def test_retries_follow_the_schedule_and_then_succeed(
    here: Any, partner_server: PartnerServer
) -> None:
    partner_server.answer = lambda body: (503, b"bao tri")
    outbound = queued(here, partner_server)
    delays = []
    for _ in range(7):
        before = timezone.now()
        outcome = attempt(outbound)
        assert outcome.status == "retry", outcome
        assert outcome.retry_at is not None
        delays.append(round((outcome.retry_at - before).total_seconds() / 60))
        # Not due yet: a job or a sweep running now leaves it alone.
        assert attempt(outbound).status == "skipped"
        time_travel(outbound)
    assert delays == [1, 5, 15, 30, 60, 120, 120]
    outbound.refresh_from_db()
    assert "HTTP 503" in outbound.last_error and outbound.attempts == 7
    partner_server.answer = answering("01")
    assert services.outbox_deliver_due() == 1  # the periodic sweep queues it; the job delivers
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.DELIVERED and outbound.attempts == 8


def test_given_up_after_the_window_and_retried_by_an_administrator(
    here: Any, partner_server: PartnerServer, django_capture_on_commit_callbacks: Any
) -> None:
    partner_server.answer = lambda body: (502, b"")
    outbound = queued(here, partner_server)
    OutboundMessage.objects.filter(pk=outbound.pk).update(
        created_at=timezone.now() - timedelta(hours=47, minutes=59)
    )
    assert attempt(outbound).status == "failed"
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.FAILED
    partner_server.answer = answering("01")
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_retry(actor=None, outbound=outbound)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.DELIVERED


def test_a_refused_token_is_retried_and_another_client_error_is_not(
    here: Any, partner_server: PartnerServer
) -> None:
    partner_server.answer = lambda body: (401, b'{"code":"not_authenticated"}')
    outbound = queued(here, partner_server)
    outcome = attempt(outbound)
    assert outcome.status == "retry" and "mã truy cập" in outcome.error
    time_travel(outbound)
    partner_server.answer = lambda body: (404, b"no such inbox")
    assert attempt(outbound).status == "failed"


def test_unreachable_partner_is_retried(here: Any) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    partner(organ_id=THERE, url=f"http://127.0.0.1:{port}/api/v1/exchange/edxml")
    document, recipient = issued_document(here)
    outbound = services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
    outcome = attempt(outbound)
    assert outcome.status == "retry" and "không kết nối được" in outcome.error


def test_without_a_partner_it_waits_and_goes_once_one_is_registered(
    here: Any, partner_server: PartnerServer
) -> None:
    outbound = queued(here, None)
    outcome = attempt(outbound)
    assert outcome.status == "retry" and "Chưa đăng ký hệ thống đối tác" in outcome.error
    partner(organ_id=THERE, url=partner_server.url)
    partner_server.answer = answering("01")
    time_travel(outbound)
    assert attempt(outbound).status == "delivered"


def test_a_partner_registered_for_the_province_delivers_to_its_agencies(
    here: Any, partner_server: PartnerServer
) -> None:
    partner_server.answer = answering("01")
    partner(organ_id=THERE, url=partner_server.url)
    outbound = queued(here, None, recipient_organ_id="000.07.00.H48")
    assert outbound.partner is not None and outbound.partner.organ_id == THERE


# --- statuses back to the sender -----------------------------------------------------------------


def test_local_status_changes_of_a_received_document_go_back_to_its_sender(
    client: Client, partner_server: PartnerServer
) -> None:
    make_here(code=THERE, name="UBND tỉnh Quảng Trị")
    _, token = partner(organ_id="000.00.00.H15", url=partner_server.url)
    from egov.exchange.edxml import build_message

    response = client.post(
        "/api/v1/exchange/edxml",
        data=build_message(sample_message()),
        content_type="application/xml",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert parse_status(response.content).code == "01"
    from egov.documents.models import Document

    document = Document.objects.get(direction="incoming")
    assert services.status_enqueue(document_id=document.pk, status_code="01") is None
    partner_server.answer = lambda body: (204, b"")
    outbound = services.status_enqueue(
        document_id=document.pk, status_code="03", description="Đã vào sổ, số đến 12"
    )
    assert outbound is not None
    assert attempt(outbound).status == "delivered"
    status = parse_status(partner_server.received[0][1])
    assert status.code == "03" and status.description == "Đã vào sổ, số đến 12"
    assert status.response_for.document_id == "000.00.00.H15,2025/03/14,13/CV-UBND"
    assert status.response_for.organ_id == "000.00.00.H15"
    assert status.from_.organ_id == THERE
    assert StatusEvent.objects.filter(direction="out", code="03").exists()


def test_status_enqueue_ignores_documents_not_received_by_exchange(here: Any) -> None:
    document, _ = issued_document(here)
    assert services.status_enqueue(document_id=document.pk, status_code="03") is None


# --- the command ---------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("exchange", *args, stdout=out)
    return out.getvalue()


def test_partner_add_prints_a_working_token_on_its_last_line(client: Client) -> None:
    make_here(code=THERE, name="UBND tỉnh Quảng Trị")
    output = run(
        "partner", "add", "Hệ thống QLVB TP Đà Nẵng", "--organ-id", "000.00.00.H15",
        "--url", "http://127.0.0.1:9/api/v1/exchange/edxml", "--token-out", "abc",
    )  # fmt: skip
    token = output.strip().splitlines()[-1]
    assert token.startswith("egovx_")
    found = Partner.objects.get(organ_id="000.00.00.H15")
    assert found.token_out == "abc" and token not in str(found.__dict__)
    from egov.exchange.edxml import build_message

    response = client.post(
        "/api/v1/exchange/edxml",
        data=build_message(sample_message()),
        content_type="application/xml",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    assert "000.00.00.H15" in run("partner", "list")
    run("partner", "revoke", "000.00.00.H15")
    assert "đã thu hồi" in run("partner", "list")


def test_partner_add_refuses_a_bad_code() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"LLL\.KK\.JJ\.Xnn"):
        run("partner", "add", "X", "--organ-id", "H48")


def test_outbox_deliver_now_and_list(here: Any, partner_server: PartnerServer) -> None:
    partner_server.answer = lambda body: (503, b"")
    outbound = queued(here, partner_server)
    attempt(outbound)  # failed once: the next attempt is a minute away
    partner_server.answer = answering("01")
    output = run("outbox", "--deliver-now")
    assert f"{outbound.pk}\tdelivered" in output
    assert "delivered" in run("outbox", "list")
