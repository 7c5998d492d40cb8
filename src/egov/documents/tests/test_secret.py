"""Secret documents: never over edXML, only for the staff named on them, every view logged."""

from __future__ import annotations

import pytest

from egov.audit.models import AuditEntry
from egov.core.errors import AppError, NotFound, ValidationFailed
from egov.documents.models import Document, Recipient
from egov.documents.policy import access_document_for_staff
from egov.documents.services import (
    RecipientInput,
    document_issue,
    document_view_log,
    draft_create,
    draft_update,
)
from egov.documents.tests.factories import doc_type, make_world, secrecy, signed_document
from egov.policy.engine import can

pytestmark = pytest.mark.django_db

OUTSIDE = RecipientInput(organ_id="000.00.00.G22", organ_name="Văn phòng Chính phủ")


def test_secret_document_cannot_be_addressed_over_the_exchange() -> None:
    w = make_world()
    count = Document.objects.count()
    with pytest.raises(ValidationFailed) as info:
        draft_create(
            actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
            subject="Mật", secrecy=secrecy("mat"), recipients=[OUTSIDE],
        )  # fmt: skip
    assert "recipients[0]" in info.value.fields
    assert Document.objects.count() == count
    # made secret after the recipients were chosen: refused too
    doc = draft_create(
        actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
        subject="Thường", recipients=[OUTSIDE],
    )  # fmt: skip
    with pytest.raises(ValidationFailed):
        draft_update(actor=w.a.specialist.user, document=doc, secrecy=secrecy("toi-mat"))


def test_issue_refuses_a_secret_document_with_an_exchange_recipient() -> None:
    w = make_world()
    doc = signed_document(w.a, secrecy=secrecy("mat"))
    Recipient.objects.create(
        document=doc, organ_id="000.00.00.G22", organ_name="VPCP", channel="exchange"
    )
    with pytest.raises(AppError) as info:
        document_issue(actor=w.a.clerk.user, document=doc)
    assert info.value.code == "documents_secret_exchange"
    doc.refresh_from_db()
    assert doc.code_number == "" and doc.status == "signed"


def test_only_named_staff_see_a_secret_document_and_views_are_logged() -> None:
    w = make_world()
    doc = signed_document(w.a, secrecy=secrecy("mat"))
    for named in (w.a.specialist, w.a.unit_head, w.a.clerk, w.a.leader):
        assert can(named.user, "document.view", doc), named
    assert not can(w.a.other_specialist.user, "document.view", doc)
    with pytest.raises(NotFound):
        access_document_for_staff(w.a.other_specialist.user, doc.public_id)
    with pytest.raises(NotFound):
        document_view_log(actor=w.a.other_specialist.user, document=doc)
    assert access_document_for_staff(w.a.leader.user, doc.public_id) == doc
    document_view_log(actor=w.a.leader.user, document=doc)
    document_view_log(actor=w.a.leader.user, document=doc)
    views = AuditEntry.objects.filter(action="document.view", object_id=str(doc.public_id))
    assert views.count() == 2


def test_secret_document_on_the_platform_reaches_only_the_receiving_clerks() -> None:
    w = make_world()
    doc = signed_document(
        w.a, secrecy=secrecy("toi-mat"), recipients=[RecipientInput(agency=w.b.agency)]
    )
    document_issue(actor=w.a.clerk.user, document=doc)
    copy = Recipient.objects.get(document=doc).incoming_document
    assert copy is not None and copy.secrecy.level == 2
    assert can(w.b.clerk.user, "document.view", copy)
    assert not can(w.b.specialist.user, "document.view", copy)
    assert not copy.is_public
