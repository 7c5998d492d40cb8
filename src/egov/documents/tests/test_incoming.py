"""Incoming documents: registration, arrival numbers, duplicates, idempotence, direction with
calendar deadlines, handling, signatures, revoke/update/replace."""

from __future__ import annotations

from datetime import timedelta

import pytest

from egov.calendar.arithmetic import WorkingCalendar
from egov.core.errors import AppError, NotFound, PermissionDenied, ValidationFailed
from egov.documents.models import (
    Document,
    DocumentStatus,
    HandlingRole,
    HandlingStatus,
    SignatureStatus,
)
from egov.documents.services import (
    FileInput,
    _common,
    handling_close,
    handling_progress,
    handling_reply,
    incoming_direct,
    incoming_receive,
    incoming_register,
    incoming_replace,
    incoming_revoke,
    incoming_signature_acknowledge,
    incoming_submit_to_leader,
    incoming_update,
)
from egov.documents.tests.factories import make_side, pdf_upload, signed_document

pytestmark = pytest.mark.django_db

META = {
    "type": "quyet-dinh",
    "code_number": "15",
    "code_notation": "QĐ-BNV",
    "issued_date": "2026/03/02",
    "subject": "Về việc giao chỉ tiêu biên chế",
    "signer_full_name": "Nguyễn Văn A",
    "signer_position": "Bộ trưởng",
    "priority": 1,
}
BNV = "000.00.00.G09"


def _paper(side, **extra):  # type: ignore[no-untyped-def]
    return incoming_register(
        actor=side.clerk.user, agency=side.agency, source="paper",
        metadata={**META, **extra.pop("meta", {})}, sender_organ_id=BNV,
        sender_organ_name="Bộ Nội vụ", **extra,
    )  # fmt: skip


def test_paper_and_electronic_share_one_arrival_series() -> None:
    side = make_side(abbreviation="UBND")
    first = _paper(side)
    second = incoming_register(
        actor=side.clerk.user, agency=side.agency, source="exchange",
        metadata={**META, "code_number": "16"}, sender_organ_id=BNV, sender_organ_name="Bộ Nội vụ",
        document_id=f"{BNV},2026/03/02,16/QĐ-BNV",
    )  # fmt: skip
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    assert first.status == DocumentStatus.REGISTERED and first.arrival_date is not None
    assert first.channel == "paper" and second.channel == "electronic"
    assert first.priority.name == "Khẩn" and first.type.abbreviation == "QĐ"


def test_duplicate_paper_document_is_refused_until_confirmed() -> None:
    side = make_side(abbreviation="UBND")
    first = _paper(side)
    count = Document.objects.count()
    with pytest.raises(AppError) as info:
        _paper(side, meta={"code_number": "015"})  # same number written differently
    assert info.value.code == "documents_duplicate" and info.value.status == 409
    assert info.value.extra["duplicates"][0]["public_id"] == str(first.public_id)
    assert Document.objects.count() == count
    again = _paper(side, allow_duplicate=True)
    assert again.arrival_number == 2
    assert again.duplicate_of[0]["arrival_number"] == 1


def test_the_same_document_id_twice_is_the_same_document() -> None:
    side = make_side(abbreviation="UBND")
    kwargs = dict(
        actor=None, agency=side.agency, source="exchange", metadata=META,
        sender_organ_id=BNV, sender_organ_name="Bộ Nội vụ",
        document_id=f"{BNV},2026/03/02,15/QĐ-BNV",
    )  # fmt: skip
    one = incoming_register(**kwargs)
    two = incoming_register(**kwargs)
    assert one.pk == two.pk and two.arrival_number == 1
    arrived = incoming_receive(
        agency=side.agency, source="exchange", metadata=META, sender_organ_id=BNV,
        document_id=f"{BNV},2026/03/02,15/QĐ-BNV",
    )  # fmt: skip
    assert arrived.pk == one.pk
    assert Document.objects.filter(agency=side.agency).count() == 1


def test_arrived_then_registered_by_the_clerk() -> None:
    side = make_side(abbreviation="UBND")
    arrived = incoming_receive(
        agency=side.agency, source="exchange", metadata=META, sender_organ_id=BNV,
        sender_organ_name="Bộ Nội vụ", document_id=f"{BNV},2026/03/02,15/QĐ-BNV",
    )  # fmt: skip
    assert arrived.status == DocumentStatus.ARRIVED and arrived.arrival_number is None
    registered = incoming_register(
        actor=side.clerk.user, agency=side.agency, source="exchange", document=arrived
    )
    assert registered.pk == arrived.pk and registered.arrival_number == 1


def test_bad_input_is_refused_and_nothing_written() -> None:
    side = make_side(abbreviation="UBND")
    count = Document.objects.count()
    with pytest.raises(ValidationFailed) as info:
        incoming_register(
            actor=side.clerk.user, agency=side.agency, source="paper",
            metadata={"subject": "", "issued_date": "32/13/2026", "page_amount": "nhiều",
                      "colour": "đỏ"},
        )  # fmt: skip
    assert {
        "metadata.subject", "metadata.issued_date", "metadata.page_amount", "metadata.colour",
        "sender_organ_name",
    } <= set(info.value.fields)  # fmt: skip
    with pytest.raises(ValidationFailed):
        incoming_register(actor=None, agency=side.agency, source="exchange", metadata=META)
    with pytest.raises(PermissionDenied):
        incoming_register(
            actor=side.specialist.user, agency=side.agency, source="paper", metadata=META,
            sender_organ_name="Bộ Nội vụ",
        )  # fmt: skip
    assert Document.objects.count() == count


def test_direction_deadline_comes_from_the_calendar_and_handling_closes() -> None:
    side = make_side(abbreviation="UBND")
    doc = _paper(side)
    incoming_submit_to_leader(actor=side.clerk.user, document=doc, leader=side.leader)
    assert doc.status == DocumentStatus.SUBMITTED
    before = _common.now()
    incoming_direct(
        actor=side.leader.user, document=doc, instruction="Văn phòng chủ trì tham mưu",
        main_handler=side.specialist, co_handlers=[side.other_specialist.unit],
        for_information=[side.unit_head], working_days=3,
    )  # fmt: skip
    calendar = WorkingCalendar.for_agency(side.agency)
    expected = calendar.due_after_working_days(before, 3)
    assert abs(doc.handling_due_at - expected) < timedelta(minutes=1)
    assert doc.status == DocumentStatus.ASSIGNED
    handlings = {h.role: h for h in doc.handlings.all()}
    assert handlings[HandlingRole.MAIN].staff == side.specialist
    assert handlings[HandlingRole.CO].unit == side.other_specialist.unit
    assert handlings[HandlingRole.FOR_INFORMATION].due_at is None

    main = handlings[HandlingRole.MAIN]
    with pytest.raises(PermissionDenied):
        handling_progress(actor=side.other_specialist.user, handling=main, note="x")
    handling_progress(actor=side.specialist.user, handling=main, note="Đang dự thảo trả lời")
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.PROCESSING
    # the co-handling unit's member may report on the unit's part
    handling_progress(
        actor=side.other_specialist.user, handling=handlings[HandlingRole.CO], note="Góp ý"
    )
    reply = signed_document(side)
    handling_reply(actor=side.specialist.user, handling=main, outgoing_document=reply)
    handling_close(actor=side.specialist.user, handling=main, note="Đã trả lời")
    doc.refresh_from_db()
    main.refresh_from_db()
    assert main.status == HandlingStatus.DONE and main.reply_document == reply
    assert doc.status == DocumentStatus.DONE and doc.closed_on_time is True
    events = [t["event"] for t in doc.trace_header_list]
    assert events == ["registered", "submitted", "directed", "processing", "done"]


def test_direction_refuses_bad_handlers_and_deadlines() -> None:
    side = make_side(abbreviation="UBND")
    other = make_side(abbreviation="STP")
    doc = _paper(side)
    with pytest.raises(ValidationFailed) as info:
        incoming_direct(
            actor=side.leader.user, document=doc, instruction=" ",
            main_handler=other.specialist, due_at=_common.now() - timedelta(days=1),
            working_days=2,
        )  # fmt: skip
    assert {"instruction", "main_handler", "due_at"} <= set(info.value.fields)
    assert doc.handlings.count() == 0
    with pytest.raises(PermissionDenied):
        incoming_direct(
            actor=side.clerk.user, document=doc, instruction="x", main_handler=side.specialist
        )


def test_late_closure_is_counted_late(monkeypatch: pytest.MonkeyPatch) -> None:
    side = make_side(abbreviation="UBND")
    doc = _paper(side)
    incoming_direct(
        actor=side.leader.user, document=doc, instruction="Xử lý",
        main_handler=side.specialist, due_at=_common.now() + timedelta(hours=1),
    )  # fmt: skip
    later = _common.now() + timedelta(days=2)
    monkeypatch.setattr(_common, "now", lambda: later)
    handling_close(actor=side.specialist.user, handling=doc.handlings.get())
    doc.refresh_from_db()
    assert doc.closed_on_time is False


def test_electronic_document_without_signature_is_marked() -> None:
    side = make_side(abbreviation="UBND")
    doc = incoming_register(
        actor=side.clerk.user, agency=side.agency, source="exchange", metadata=META,
        sender_organ_id=BNV, sender_organ_name="Bộ Nội vụ",
        document_id=f"{BNV},2026/03/02,15/QĐ-BNV", files=[FileInput(pdf_upload(), "main")],
    )  # fmt: skip
    pytest.importorskip("egov.signing.verification", reason="egov.signing not installed")
    assert doc.signature_status == SignatureStatus.UNSIGNED
    assert doc.files.get().signature_status == SignatureStatus.UNSIGNED


def test_invalid_signature_blocks_until_the_clerk_acknowledges() -> None:
    side = make_side(abbreviation="UBND")
    doc = _paper(side)
    Document.objects.filter(pk=doc.pk).update(signature_status=SignatureStatus.INVALID)
    doc.refresh_from_db()
    with pytest.raises(AppError) as info:
        incoming_submit_to_leader(actor=side.clerk.user, document=doc)
    assert info.value.code == "documents_signature_invalid"
    with pytest.raises(ValidationFailed):
        incoming_signature_acknowledge(actor=side.clerk.user, document=doc, note="")
    incoming_signature_acknowledge(
        actor=side.clerk.user, document=doc, note="Đã đối chiếu bản giấy có dấu đỏ"
    )
    incoming_submit_to_leader(actor=side.clerk.user, document=doc)
    assert doc.signature_acknowledged_by == side.clerk.user


def test_revoke_update_replace_from_the_exchange() -> None:
    side = make_side(abbreviation="UBND")
    doc_id = f"{BNV},2026/03/02,15/QĐ-BNV"
    doc = incoming_register(
        actor=None, agency=side.agency, source="exchange", metadata=META, sender_organ_id=BNV,
        sender_organ_name="Bộ Nội vụ", document_id=doc_id, files=[pdf_upload()],
    )  # fmt: skip
    [updated] = incoming_update(
        document_id=doc_id, metadata={"subject": "Trích yếu mới", "organ_name": "Bộ Nội vụ (VP)"}
    )
    assert updated.subject == "Trích yếu mới" and updated.arrival_number == 1
    assert updated.organ_name == "Bộ Nội vụ (VP)"
    new = incoming_replace(
        document_id=doc_id, agency=side.agency, new_document_id=f"{BNV},2026/03/03,16/QĐ-BNV",
        metadata={**META, "code_number": "16"}, sender_organ_id=BNV, sender_organ_name="Bộ Nội vụ",
    )  # fmt: skip
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.REVOKED and doc.files.count() == 0
    assert doc.subject == "Trích yếu mới"  # metadata kept
    assert new.status == DocumentStatus.ARRIVED
    incoming_revoke(document_id=new.document_id, reason="Ban hành nhầm")
    new.refresh_from_db()
    assert new.status == DocumentStatus.REVOKED and new.revoke_reason == "Ban hành nhầm"
    with pytest.raises(NotFound):
        incoming_revoke(document_id="không,có", reason="x")
