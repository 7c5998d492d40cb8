"""The edXML library: golden files, round trips, and every kind of bad input refused with a reason.

Regenerate the golden files after an intended format change with
``EGOV_UPDATE_GOLDEN=1 pytest src/egov/exchange/tests/test_edxml.py`` and review the diff.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

from egov.exchange.edxml import (
    Code,
    EdxmlError,
    build_message,
    build_status,
    document_id_for,
    parse_any,
    parse_message,
    parse_status,
    zip_file,
)
from egov.exchange.edxml.dates import VIETNAM
from egov.exchange.edxml.parse import unzip_if_wrapped
from egov.exchange.tests.samples import PDF, sample_message, sample_revoke, sample_status

GOLDEN = Path(__file__).resolve().parent / "golden"


def _golden(name: str, data: bytes) -> bytes:
    path = GOLDEN / name
    if os.environ.get("EGOV_UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    return path.read_bytes()


def _refused(data: bytes, code: str, *, status: bool = False) -> str:
    with pytest.raises(EdxmlError) as info:
        (parse_status if status else parse_message)(data)
    assert info.value.code == code, info.value.reason
    return info.value.reason


# --- golden files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "sample"),
    [
        ("message.edxml", build_message, sample_message),
        ("revoke.edxml", build_message, sample_revoke),
        ("status.edxml", build_status, sample_status),
    ],
)
def test_built_message_equals_the_golden_file_byte_for_byte(name, build, sample) -> None:  # type: ignore[no-untyped-def]
    built = build(sample())
    assert built == _golden(name, built)


def test_golden_message_parses_back_to_equal_data() -> None:
    assert parse_message((GOLDEN / "message.edxml").read_bytes()) == sample_message()


def test_golden_revoke_parses_back_to_equal_data() -> None:
    parsed = parse_message((GOLDEN / "revoke.edxml").read_bytes())
    assert parsed == sample_revoke()
    assert parsed.bussiness.doc_type == 1
    assert parsed.bussiness.document_info is not None
    assert parsed.bussiness.document_info.receivers[0].receiver_type == 0


def test_golden_status_parses_back_to_equal_data() -> None:
    assert parse_status((GOLDEN / "status.edxml").read_bytes()) == sample_status()


def test_golden_file_has_the_qcvn_namespace_and_prefixes() -> None:
    text = (GOLDEN / "message.edxml").read_text(encoding="utf-8")
    assert '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"' in text
    assert "<edXML:edXMLEnvelope" in text
    assert "<edXML:Bussiness>" in text
    assert "<edXML:PromulgationDate>2025/03/14</edXML:PromulgationDate>" in text
    assert "<edXML:Timestamp>2025/03/14 09:30:05</edXML:Timestamp>" in text
    assert 'xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"' in text.splitlines()[1]
    assert '<edXML:Reference xlink:href="cid:' in text
    assert "<AttachmentEncoded>" in text


def test_parse_any_tells_documents_and_statuses_apart() -> None:
    assert parse_any((GOLDEN / "message.edxml").read_bytes()) == sample_message()
    assert parse_any((GOLDEN / "status.edxml").read_bytes()) == sample_status()


# --- options and lenient input ----------------------------------------------------------------


def test_zipped_attachments_are_emitted_on_request_and_read_back_unzipped() -> None:
    data = build_message(sample_message(), zip_attachments=True)
    payload = _encoded_payload(data)
    assert base64.b64decode(payload).startswith(b"PK\x03\x04")
    assert parse_message(data) == sample_message()


def test_zipped_content_without_the_egov_digest_is_accepted() -> None:
    # As a VPCP-gateway-style sender writes it: zipped, no egov attributes.
    data = build_message(sample_message(), zip_attachments=True, integrity=False)
    assert b"egov:sha256" not in data
    assert parse_message(data).attachments[0].data == PDF


def test_an_office_file_sent_plain_is_not_mistaken_for_a_zipped_one() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
    assert (
        unzip_if_wrapped("ban-thao.docx", buffer.getvalue(), max_bytes=10**6) == buffer.getvalue()
    )
    wrapped = zip_file("ban-thao.docx", buffer.getvalue())
    assert unzip_if_wrapped("ban-thao.docx", wrapped, max_bytes=10**6) == buffer.getvalue()


def test_document_id_is_derived_when_the_sender_leaves_it_out() -> None:
    data = (GOLDEN / "message.edxml").read_bytes()
    data = data.replace(
        b"<edXML:DocumentId>000.00.00.H15,2025/03/14,13/CV-UBND</edXML:DocumentId>\n"
        b"      </edXML:MessageHeader>",
        b"</edXML:MessageHeader>",
    )
    assert b"13/CV-UBND</edXML:DocumentId>" not in data
    assert parse_message(data).document_id == "000.00.00.H15,2025/03/14,13/CV-UBND"


def test_document_id_format() -> None:
    assert (
        document_id_for(
            organ_id="000.00.00.G22", date=dt.date(2015, 9, 30), code=Code("7816", "VPCP-TTĐT")
        )
        == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    )


def test_day_first_timestamps_of_a_provincial_system_are_read() -> None:
    data = (
        (GOLDEN / "status.edxml")
        .read_bytes()
        .replace(b"2025/03/14 10:02:00", b"14/03/2025 10:02:00")
    )
    assert parse_status(data).timestamp == dt.datetime(2025, 3, 14, 10, 2, tzinfo=VIETNAM)


def test_children_in_another_order_are_accepted() -> None:
    data = (GOLDEN / "message.edxml").read_bytes()
    number = b"<edXML:CodeNumber>13</edXML:CodeNumber>"
    notation = b"<edXML:CodeNotation>CV-UBND</edXML:CodeNotation>"
    swapped = data.replace(number, b"@@").replace(notation, number).replace(b"@@", notation)
    assert swapped != data
    assert swapped.index(notation) < swapped.index(number)
    assert parse_message(swapped).header.code == Code("13", "CV-UBND")


# --- bad input ----------------------------------------------------------------------------------


def test_malformed_xml_is_refused_with_the_line() -> None:
    data = (GOLDEN / "message.edxml").read_bytes().replace(b"</edXML:Subject>", b"</Subject>")
    reason = _refused(data, "malformed")
    assert "không phải XML hợp lệ" in reason and "dòng" in reason


@pytest.mark.parametrize("data", [b"", b"   \n", b"not xml at all"])
def test_empty_or_non_xml_is_malformed(data: bytes) -> None:
    _refused(data, "malformed")


def test_doctype_and_entities_are_refused() -> None:
    data = (
        (GOLDEN / "status.edxml")
        .read_bytes()
        .replace(
            b"<?xml version='1.0' encoding='UTF-8'?>\n",
            b'<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
        )
    )
    reason = _refused(data, "malformed", status=True)
    assert "DOCTYPE" in reason


def test_wrong_namespace_is_refused() -> None:
    data = (
        (GOLDEN / "message.edxml")
        .read_bytes()
        .replace(b"http://www.mic.gov.vn/TBT/QCVN_102_2016", b"http://www.go.vn/eDoc")
    )
    reason = _refused(data, "wrong_namespace")
    assert "http://www.go.vn/eDoc" in reason and "QCVN 102" in reason


def test_another_root_element_is_refused() -> None:
    reason = _refused(b"<EdXMLEnvelope xmlns='http://www.go.vn/eDoc'/>", "wrong_namespace")
    assert "EdXMLEnvelope" in reason


def test_missing_subject_is_schema_invalid_and_says_so() -> None:
    data = (GOLDEN / "message.edxml").read_bytes()
    start = data.index(b"<edXML:Subject>")
    end = data.index(b"</edXML:Subject>") + len(b"</edXML:Subject>")
    reason = _refused(data[:start] + data[end:], "schema_invalid")
    assert "trích yếu (Subject)" in reason, reason
    assert reason.startswith("Gói tin không đúng cấu trúc edXML")


def test_blank_subject_is_schema_invalid() -> None:
    data = (GOLDEN / "message.edxml").read_bytes()
    start = data.index(b"<edXML:Subject>") + len(b"<edXML:Subject>")
    end = data.index(b"</edXML:Subject>")
    reason = _refused(data[:start] + b"   " + data[end:], "schema_invalid")
    assert "trích yếu (Subject) không được để trống" in reason


def test_bad_organ_id_is_schema_invalid_with_the_value() -> None:
    data = (
        (GOLDEN / "message.edxml")
        .read_bytes()
        .replace(
            b"<edXML:OrganId>000.00.00.H48</edXML:OrganId>",
            b"<edXML:OrganId>H48-QT</edXML:OrganId>",
            1,
        )
    )
    reason = _refused(data, "schema_invalid")
    assert "“H48-QT”" in reason and "OrganId" in reason


def test_impossible_date_is_a_bad_value() -> None:
    data = (
        (GOLDEN / "message.edxml")
        .read_bytes()
        .replace(b"<edXML:PromulgationDate>2025/03/14", b"<edXML:PromulgationDate>2025/02/30", 1)
    )
    assert "2025/02/30" in _refused(data, "bad_value")


def test_unknown_status_code_is_schema_invalid() -> None:
    data = (GOLDEN / "status.edxml").read_bytes().replace(b">03</", b">07</")
    assert "“07”" in _refused(data, "schema_invalid", status=True)


def test_a_status_is_not_a_document_and_the_reverse() -> None:
    _refused((GOLDEN / "status.edxml").read_bytes(), "wrong_kind")
    _refused((GOLDEN / "message.edxml").read_bytes(), "wrong_kind", status=True)


def _encoded_payload(data: bytes) -> bytes:
    return data.split(b"<ContentTransferEncoded>")[1].split(b"</ContentTransferEncoded>")[0]


def test_bad_base64_is_refused() -> None:
    data = (GOLDEN / "message.edxml").read_bytes()
    data = data.replace(_encoded_payload(data), b"%%%not-base64%%%")
    reason = _refused(data, "bad_attachment")
    assert "13-CV-UBND.pdf" in reason and "base64" in reason


def test_a_manifest_reference_without_its_attachment_is_refused() -> None:
    data = (GOLDEN / "message.edxml").read_bytes()
    start = data.index(b"  <AttachmentEncoded>")
    end = data.index(b"</AttachmentEncoded>\n") + len(b"</AttachmentEncoded>\n")
    reason = _refused(data[:start] + data[end:], "bad_attachment")
    assert "13-CV-UBND.pdf" in reason and "không kèm" in reason


def test_an_attachment_missing_from_the_manifest_is_refused() -> None:
    data = (GOLDEN / "message.edxml").read_bytes()
    data = data.replace(
        b"<ContentId>7c0e6f1e-0d7f-4b8a-9f6a-2f5d1c3b9e01</ContentId>",
        b"<ContentId>other-id</ContentId>",
    )
    _refused(data, "bad_attachment")


def test_a_changed_file_fails_the_digest() -> None:
    data = (GOLDEN / "message.edxml").read_bytes()
    tampered = PDF.replace(b"Count 0", b"Count 1")
    data = data.replace(_encoded_payload(data), base64.b64encode(tampered))
    reason = _refused(data, "digest_mismatch")
    assert "SHA-256" in reason


def test_a_truncated_file_fails_the_size() -> None:
    data = (GOLDEN / "message.edxml").read_bytes()
    data = data.replace(_encoded_payload(data), base64.b64encode(PDF[:-10]))
    assert "byte" in _refused(data, "digest_mismatch")


def test_the_digest_in_the_golden_file_is_the_files_sha256() -> None:
    text = (GOLDEN / "message.edxml").read_text(encoding="utf-8")
    assert f'egov:sha256="{hashlib.sha256(PDF).hexdigest()}"' in text
    assert f'egov:size="{len(PDF)}"' in text


def test_too_large_is_refused_before_parsing() -> None:
    with pytest.raises(EdxmlError) as info:
        parse_message(b"<x/>" * 100, max_bytes=50)
    assert info.value.code == "too_large"


def test_building_an_invalid_message_is_refused() -> None:
    message = sample_message()
    header = dataclasses.replace(message.header, subject=" ")
    with pytest.raises(EdxmlError) as info:
        build_message(dataclasses.replace(message, header=header))
    assert info.value.code == "schema_invalid"
