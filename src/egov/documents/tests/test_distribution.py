"""Distribution inside the platform (issue §5): the receiver's queue at once, statuses back."""

from __future__ import annotations

import pytest

from egov.core.errors import NotFound, ValidationFailed
from egov.documents.models import DeliveryStatus, Document, DocumentStatus, Recipient
from egov.documents.services import (
    RecipientInput,
    document_issue,
    document_recall,
    handling_close,
    handling_progress,
    incoming_direct,
    incoming_register,
    recipient_status_update,
)
from egov.documents.tests.factories import make_world, signed_document

pytestmark = pytest.mark.django_db

OUTSIDE = RecipientInput(organ_id="000.00.00.G22", organ_name="Văn phòng Chính phủ")


def test_issue_puts_the_document_in_the_receivers_queue_and_statuses_come_back() -> None:
    w = make_world()
    doc = signed_document(
        w.a, recipients=[RecipientInput(agency=w.b.agency), OUTSIDE], subject="Về việc phối hợp"
    )
    document_issue(actor=w.a.clerk.user, document=doc)

    to_b = Recipient.objects.get(document=doc, agency=w.b.agency)
    copy = to_b.incoming_document
    assert copy is not None and copy.agency == w.b.agency
    assert copy.status == DocumentStatus.ARRIVED and copy.source_document == doc
    assert (copy.code_number, copy.code_notation, copy.document_id) == (
        doc.code_number, doc.code_notation, doc.document_id,
    )  # fmt: skip
    assert to_b.status == DeliveryStatus.ARRIVED
    outside = Recipient.objects.get(document=doc, organ_id="000.00.00.G22")
    assert outside.channel == "exchange" and outside.incoming_document is None

    def seen() -> str:
        to_b.refresh_from_db()
        return to_b.status

    registered = incoming_register(
        actor=w.b.clerk.user, agency=w.b.agency, source="platform", document=copy
    )
    assert registered.arrival_number == 1 and seen() == "03"
    incoming_direct(
        actor=w.b.leader.user, document=registered, instruction="Giao Văn phòng",
        main_handler=w.b.specialist, working_days=5,
    )  # fmt: skip
    assert seen() == "04"
    main = registered.handlings.get()
    handling_progress(actor=w.b.specialist.user, handling=main, note="Đang xử lý")
    assert seen() == "05"
    handling_close(actor=w.b.specialist.user, handling=main)
    assert seen() == "06"
    assert [h["code"] for h in to_b.status_history] == ["01", "03", "04", "05", "06"]


def test_registering_the_platform_copy_by_its_identifier_is_idempotent() -> None:
    w = make_world()
    doc = signed_document(w.a, recipients=[RecipientInput(agency=w.b.agency)])
    document_issue(actor=w.a.clerk.user, document=doc)
    one = incoming_register(
        actor=w.b.clerk.user, agency=w.b.agency, source="platform", document_id=doc.document_id
    )
    two = incoming_register(
        actor=w.b.clerk.user, agency=w.b.agency, source="platform", document_id=doc.document_id
    )
    assert one.pk == two.pk and one.arrival_number == 1
    assert Document.objects.filter(agency=w.b.agency).count() == 1


def test_status_messages_from_the_exchange_reach_the_recipient_row() -> None:
    w = make_world()
    doc = signed_document(w.a, recipients=[OUTSIDE])
    document_issue(actor=w.a.clerk.user, document=doc)
    row = recipient_status_update(
        document_id=doc.document_id, organ_id="000.00.00.G22", status_code="03",
        description="Đã vào sổ",
    )  # fmt: skip
    assert row.status == "03" and row.status_description == "Đã vào sổ"
    with pytest.raises(ValidationFailed):
        recipient_status_update(
            document_id=doc.document_id, organ_id="000.00.00.G22", status_code="99"
        )
    with pytest.raises(NotFound):
        recipient_status_update(document_id=doc.document_id, organ_id="x", status_code="03")


def test_recall_freezes_the_original_and_revokes_platform_copies() -> None:
    w = make_world()
    doc = signed_document(w.a, recipients=[RecipientInput(agency=w.b.agency), OUTSIDE])
    document_issue(actor=w.a.clerk.user, document=doc)
    copy = Recipient.objects.get(document=doc, agency=w.b.agency).incoming_document
    assert copy is not None
    document_recall(actor=w.a.leader.user, document=doc, reason="Sai nội dung")
    doc.refresh_from_db()
    copy.refresh_from_db()
    assert doc.status == DocumentStatus.RECALLED and doc.frozen_at is not None
    assert copy.status == DocumentStatus.REVOKED and copy.revoke_reason == "Sai nội dung"
    statuses = dict(Recipient.objects.filter(document=doc).values_list("channel", "status"))
    assert statuses == {"platform": "15", "exchange": "13"}
