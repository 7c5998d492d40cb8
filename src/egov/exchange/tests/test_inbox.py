"""The HTTP inbox, at the HTTP boundary: authentication, refusals with 02, idempotency,
revoke/update/replace, and statuses coming back to the sender."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client

from egov.audit.models import AuditEntry
from egov.core.models import StoredFile
from egov.documents.models import Direction, Document, DocumentStatus, Recipient
from egov.exchange.edxml import (
    Attachment,
    Bussiness,
    BussinessDocType,
    Organization,
    ReplacementInfo,
    build_message,
    build_status,
    parse_status,
)
from egov.exchange.edxml.dates import VIETNAM
from egov.exchange.models import InboundMessage, InboundResult, StatusEvent
from egov.exchange.tests.conftest import issued_document, make_here, partner
from egov.exchange.tests.samples import sample_message, sample_status

pytestmark = pytest.mark.django_db

URL = "/api/v1/exchange/edxml"
HERE = "000.00.00.H48"  # the sample message is addressed to Quảng Trị: we play Quảng Trị
SENDER = "000.00.00.H15"


@pytest.fixture
def here() -> Any:
    return make_here(code=HERE, name="UBND tỉnh Quảng Trị")


@pytest.fixture
def token(here: Any) -> str:
    return partner(organ_id=SENDER)[1]


def post(client: Client, body: bytes, token: str | None, url: str = URL) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(url, data=body, content_type="application/xml", **headers)


def message(**header_changes: Any) -> Any:
    base = sample_message()
    return dataclasses.replace(base, header=dataclasses.replace(base.header, **header_changes))


def incoming(here: Any) -> Any:
    return Document.objects.filter(agency=here, direction=Direction.INCOMING)


# --- authentication ----------------------------------------------------------------------------


@pytest.mark.parametrize("auth", [None, "Bearer", "Bearer egovx_sai", "Basic dXNlcjpwYXNz"])
def test_without_a_partner_token_the_answer_is_a_401_problem(
    client: Client, here: Any, auth: Any
) -> None:
    headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
    response = client.post(
        URL, data=build_message(sample_message()), content_type="application/xml", **headers
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_authenticated"
    assert not InboundMessage.objects.exists() and not incoming(here).exists()


def test_a_user_api_token_is_not_a_partner_token(client: Client, here: Any) -> None:
    from egov.api.services import api_token_create
    from egov.organisations.testing import make_staff

    staff = make_staff(agency=here)
    _, raw = api_token_create(owner=staff.user, name="tích hợp", actor=None)
    assert post(client, build_message(sample_message()), raw).status_code == 401


def test_a_revoked_partner_is_refused(client: Client, here: Any) -> None:
    from egov.exchange.services import partner_revoke

    found, raw = partner(organ_id=SENDER)
    partner_revoke(actor=None, partner=found)
    assert post(client, build_message(sample_message()), raw).status_code == 401


# --- accepted -----------------------------------------------------------------------------------


def test_a_message_is_registered_as_arrived_and_answered_01(
    client: Client, here: Any, token: str
) -> None:
    response = post(client, build_message(sample_message()), token)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    status = parse_status(response.content)
    assert status.code == "01"
    assert status.from_.organ_id == HERE
    assert status.response_for.document_id == "000.00.00.H15,2025/03/14,13/CV-UBND"
    assert status.response_for.organ_id == SENDER

    document = incoming(here).get()
    assert document.status == DocumentStatus.ARRIVED
    assert document.source == "exchange"
    assert document.document_id == "000.00.00.H15,2025/03/14,13/CV-UBND"
    assert document.organ_id == SENDER
    assert document.subject.startswith("V/v phối hợp tổ chức Hội chợ")
    assert (document.code_number, document.code_notation) == ("13", "CV-UBND")
    assert document.issued_date == dt.date(2025, 3, 14)
    assert document.priority.edxml_code == 1
    assert document.files.get().stored_file.original_name == "13-CV-UBND.pdf"

    log = InboundMessage.objects.get()
    assert (log.result, log.status_sent, log.document_id) == ("accepted", "01", document.pk)
    assert log.raw is not None and log.raw.size == len(build_message(sample_message()))
    assert StatusEvent.objects.filter(direction="out", code="01", document=document).exists()
    assert AuditEntry.objects.filter(action="exchange.inbound_accepted").exists()


def test_the_same_document_twice_is_one_document_and_01_again(
    client: Client, here: Any, token: str
) -> None:
    body = build_message(sample_message())
    first = post(client, body, token)
    second = post(client, body, token)
    assert first.status_code == second.status_code == 200
    assert parse_status(second.content).code == "01"
    assert incoming(here).count() == 1
    assert list(InboundMessage.objects.order_by("pk").values_list("result", flat=True)) == [
        "accepted",
        "duplicate",
    ]


def test_the_same_document_zipped_is_still_the_same_document(
    client: Client, here: Any, token: str
) -> None:
    post(client, build_message(sample_message()), token)
    response = post(client, build_message(sample_message(), zip_attachments=True), token)
    assert parse_status(response.content).code == "01"
    assert incoming(here).count() == 1


# --- refused: 02 with the reason, nothing stored ---------------------------------------


def _assert_rejected(response: Any, here: Any, *words: str) -> str:
    assert response.status_code == 422, response.content
    status = parse_status(response.content)
    assert status.code == "02"
    for word in words:
        assert word in status.description, status.description
    assert not incoming(here).exists()
    log = InboundMessage.objects.get()
    assert log.result == InboundResult.REJECTED and log.status_sent == "02"
    assert log.raw is None and log.reason == status.description
    assert not StoredFile.objects.exists()  # nothing kept: neither the message nor its files
    return status.description


def test_malformed_xml_is_rejected_with_02_and_the_reason(
    client: Client, here: Any, token: str
) -> None:
    body = build_message(sample_message()).replace(b"</edXML:Subject>", b"</Subject>")
    _assert_rejected(post(client, body, token), here, "không phải XML hợp lệ")


def test_schema_invalid_is_rejected_with_02_naming_the_element(
    client: Client, here: Any, token: str
) -> None:
    body = build_message(sample_message())
    start = body.index(b"<edXML:Subject>")
    end = body.index(b"</edXML:Subject>") + len(b"</edXML:Subject>")
    description = _assert_rejected(post(client, body[:start] + body[end:], token), here, "Subject")
    # The 02 names the document it refuses, read leniently from the broken message.
    assert "cấu trúc edXML" in description
    status = parse_status(post(client, body[:start] + body[end:], token).content)
    assert status.response_for.document_id == "000.00.00.H15,2025/03/14,13/CV-UBND"


def test_wrong_namespace_is_rejected(client: Client, here: Any, token: str) -> None:
    body = build_message(sample_message()).replace(
        b"http://www.mic.gov.vn/TBT/QCVN_102_2016", b"http://www.go.vn/eDoc"
    )
    _assert_rejected(post(client, body, token), here, "QCVN 102")


def test_bad_base64_is_rejected(client: Client, here: Any, token: str) -> None:
    body = build_message(sample_message())
    payload = body.split(b"<ContentTransferEncoded>")[1].split(b"</ContentTransferEncoded>")[0]
    _assert_rejected(post(client, body.replace(payload, b"@@@@"), token), here, "base64")


def test_digest_mismatch_is_rejected(client: Client, here: Any, token: str) -> None:
    import base64

    body = build_message(sample_message())
    payload = body.split(b"<ContentTransferEncoded>")[1].split(b"</ContentTransferEncoded>")[0]
    changed = base64.b64encode(base64.b64decode(payload).replace(b"Count 0", b"Count 9"))
    _assert_rejected(post(client, body.replace(payload, changed), token), here, "SHA-256")


def test_an_unknown_recipient_is_rejected(client: Client, here: Any, token: str) -> None:
    other = Organization(organ_id="000.00.00.H41", organ_name="UBND tỉnh Nghệ An")
    _assert_rejected(
        post(client, build_message(message(to=(other,))), token), here, "000.00.00.H41"
    )


def test_a_partner_cannot_send_for_another_province(client: Client, here: Any, token: str) -> None:
    forged = Organization(organ_id="000.00.00.G22", organ_name="Văn phòng Chính phủ")
    body = build_message(message(from_=forged, document_id="000.00.00.G22,2025/03/14,13/CV-UBND"))
    _assert_rejected(post(client, body, token), here, "000.00.00.G22")


def test_an_agency_under_the_partners_root_may_send(client: Client, here: Any, token: str) -> None:
    department = Organization(organ_id="000.05.00.H15", organ_name="Sở Tư pháp Đà Nẵng")
    body = build_message(message(from_=department, document_id="000.05.00.H15,2025/03/14,13/STP"))
    assert parse_status(post(client, body, token).content).code == "01"


def test_a_broken_pdf_signature_is_rejected(client: Client, here: Any, token: str) -> None:
    from egov.documents.tests.factories import pdf_bytes
    from egov.signing.demo import load_demo_keys
    from egov.signing.services import sign_pdf

    load_demo_keys()
    signed = sign_pdf(
        pdf_bytes=pdf_bytes("Cong van"), agency=here, reason="Ban hành", location="QT"
    )
    # Change one byte inside the signed content (the page text): the signature breaks.
    tampered = signed.replace(b"(Cong van)", b"(Cong vaN)", 1)
    assert tampered != signed
    body = build_message(
        dataclasses.replace(
            sample_message(),
            attachments=(Attachment("a1", "13-CV-UBND.pdf", tampered, "application/pdf"),),
        )
    )
    _assert_rejected(post(client, body, token), here, "Chữ ký số", "13-CV-UBND.pdf")


def test_a_validly_signed_pdf_from_an_unknown_ca_is_accepted_and_flagged(
    client: Client, here: Any, token: str
) -> None:
    from egov.documents.tests.factories import pdf_bytes
    from egov.signing.demo import load_demo_keys
    from egov.signing.services import sign_pdf

    load_demo_keys()
    signed = sign_pdf(
        pdf_bytes=pdf_bytes("Cong van"), agency=here, reason="Ban hành", location="QT"
    )
    body = build_message(
        dataclasses.replace(
            sample_message(),
            attachments=(Attachment("a1", "13-CV-UBND.pdf", signed, "application/pdf"),),
        )
    )
    assert parse_status(post(client, body, token).content).code == "01"
    assert incoming(here).count() == 1


# --- revoke, update, replace -------------------------------------------------------------------


def _business(doc_type: int, **changes: Any) -> bytes:
    base = sample_message()
    return build_message(
        dataclasses.replace(
            base,
            bussiness=Bussiness(
                doc_type=doc_type,
                reason="Ban hành nhầm",
                document_id=base.header.document_id,
                **changes,
            ),
        )
    )


def test_revoke_of_a_received_document_answers_15_and_revokes_it(
    client: Client, here: Any, token: str
) -> None:
    post(client, build_message(sample_message()), token)
    response = post(client, _business(BussinessDocType.REVOKE), token)
    assert response.status_code == 200
    assert parse_status(response.content).code == "15"
    document = incoming(here).get()
    assert document.status == DocumentStatus.REVOKED
    assert document.revoke_reason == "Ban hành nhầm"
    assert not document.files.exists()


def test_revoke_of_an_unknown_document_answers_16_with_why(
    client: Client, here: Any, token: str
) -> None:
    response = post(client, _business(BussinessDocType.REVOKE), token)
    status = parse_status(response.content)
    assert status.code == "16"
    assert "Không tìm thấy văn bản" in status.description
    assert InboundMessage.objects.get().result == InboundResult.REFUSED


def test_update_changes_the_received_copy(client: Client, here: Any, token: str) -> None:
    post(client, build_message(sample_message()), token)
    base = sample_message()
    updated = dataclasses.replace(
        base,
        header=dataclasses.replace(base.header, subject="V/v phối hợp (đính chính trích yếu)"),
        bussiness=Bussiness(doc_type=2, reason="Đính chính", document_id=base.header.document_id),
    )
    assert parse_status(post(client, build_message(updated), token).content).code == "15"
    assert incoming(here).get().subject == "V/v phối hợp (đính chính trích yếu)"


def test_replace_revokes_the_old_copy_and_brings_the_new_one(
    client: Client, here: Any, token: str
) -> None:
    post(client, build_message(sample_message()), token)
    old_id = sample_message().header.document_id
    new = message(document_id="000.00.00.H15,2025/03/20,15/CV-UBND")
    replacing = dataclasses.replace(
        new,
        bussiness=Bussiness(
            doc_type=3, reason="Thay thế", replacements=(ReplacementInfo(old_id, (HERE,)),)
        ),
    )
    assert parse_status(post(client, build_message(replacing), token).content).code == "15"
    statuses = dict(incoming(here).values_list("document_id", "status"))
    assert statuses == {old_id: "revoked", "000.00.00.H15,2025/03/20,15/CV-UBND": "arrived"}


# --- statuses coming back to the sender ------------------------------------------------


@pytest.fixture
def sent(here: Any) -> tuple[Document, Recipient, str]:
    """We (Quảng Trị) sent a document to Đà Nẵng; Đà Nẵng reports statuses with its token."""
    document, recipient = issued_document(here, recipient_organ_id=SENDER)
    _, raw = partner(organ_id=SENDER)
    return document, recipient, raw


def _status_for(document: Document, code: str) -> bytes:
    base = sample_status()
    return build_status(
        dataclasses.replace(
            base,
            code=code,
            response_for=dataclasses.replace(
                base.response_for, organ_id=HERE, document_id=document.document_id
            ),
            from_=Organization(organ_id=SENDER, organ_name="UBND thành phố Đà Nẵng"),
            timestamp=dt.datetime(2025, 3, 15, 8, 0, tzinfo=VIETNAM),
        )
    )


@pytest.mark.parametrize("url", [URL, "/api/v1/exchange/status"])
def test_a_status_updates_the_senders_recipient_row(client: Client, sent: Any, url: str) -> None:
    document, recipient, raw = sent
    response = post(client, _status_for(document, "03"), raw, url=url)
    assert response.status_code == 204, response.content
    recipient.refresh_from_db()
    assert recipient.status == "03"
    assert recipient.status_at == dt.datetime(2025, 3, 15, 8, 0, tzinfo=VIETNAM)
    assert StatusEvent.objects.filter(direction="in", code="03", document=document).exists()


def test_a_status_for_an_unknown_document_is_a_404_problem(client: Client, sent: Any) -> None:
    document, _, raw = sent
    document.document_id = "000.00.00.H48,2025/03/14,99/UBND-VP"
    response = post(client, _status_for(document, "03"), raw)
    assert response.status_code == 404
    assert response.json()["code"] == "exchange_unknown_document"


def test_a_document_posted_to_the_status_address_is_refused(client: Client, sent: Any) -> None:
    _, _, raw = sent
    response = post(client, build_message(sample_message()), raw, url="/api/v1/exchange/status")
    assert response.status_code == 422
