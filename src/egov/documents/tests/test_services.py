"""The outgoing chain: draft → review (returns, comments, versions) → approve → sign → issue."""

from __future__ import annotations

import pytest

from egov.audit.models import AuditEntry
from egov.core.errors import AppError, PermissionDenied, ValidationFailed
from egov.documents.models import (
    CommentKind,
    Document,
    DocumentStatus,
    DraftComment,
    NumberingPolicy,
    SigningAuthority,
)
from egov.documents.services import (
    FileInput,
    RecipientInput,
    document_issue,
    document_sign,
    draft_approve,
    draft_comment,
    draft_create,
    draft_return,
    draft_submit,
    draft_update,
)
from egov.documents.tests.factories import (
    approved_draft,
    doc_type,
    make_world,
    pdf_upload,
    signed_document,
)
from egov.workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db


def test_whole_chain_with_a_return_and_comments() -> None:
    w = make_world()
    a = w.a
    # given a specialist's draft with a main file and a recipient on the platform
    doc = draft_create(
        actor=a.specialist.user,
        agency=a.agency,
        doc_type=doc_type("cong-van"),
        subject="Về việc tổ chức hội nghị",
        recipients=[RecipientInput(agency=w.b.agency)],
        files=[FileInput(pdf_upload("du-thao-1.pdf"), "main")],
    )
    assert doc.status == DocumentStatus.DRAFT and doc.version == 1
    assert doc.review is not None and doc.review.current_step.code == "soan-thao"

    # when submitted, the unit head comments and returns it
    draft_submit(actor=a.specialist.user, document=doc, note="Kính trình")
    draft_comment(actor=a.unit_head.user, document=doc, body="Sửa đoạn 2")
    draft_return(actor=a.unit_head.user, document=doc, reason="Chưa đúng thể thức")
    assert doc.status == DocumentStatus.RETURNED
    assert doc.review.current_step.code == "soan-thao"

    # the drafter sends a corrected version: version 2, version 1 kept with its comments
    draft_update(
        actor=a.specialist.user,
        document=doc,
        subject="Về việc tổ chức hội nghị tổng kết",
        files=[FileInput(pdf_upload("du-thao-2.pdf"), "main")],
    )
    assert doc.version == 2
    assert sorted(doc.files.values_list("version", flat=True)) == [1, 2]
    v1 = DraftComment.objects.filter(document=doc, version=1)
    assert [c.kind for c in v1] == [CommentKind.SUBMIT, CommentKind.COMMENT, CommentKind.RETURN]

    # then it goes through unit head, format check and leader
    draft_submit(actor=a.specialist.user, document=doc)
    draft_approve(actor=a.unit_head.user, document=doc)
    assert doc.review.current_step.code == "the-thuc"
    draft_approve(actor=a.clerk.user, document=doc)
    draft_approve(actor=a.leader.user, document=doc, note="Đồng ý")
    assert doc.status == DocumentStatus.APPROVED

    # a paper signature (this document is electronic: switch it to paper for no key)
    Document.objects.filter(pk=doc.pk).update(channel="paper")
    doc.refresh_from_db()
    kt = SigningAuthority.objects.get(abbreviation="KT.")
    document_sign(actor=a.leader.user, document=doc, competence=kt, position="Phó Chủ tịch")
    assert doc.status == DocumentStatus.SIGNED
    assert doc.signer_full_name == "Lê Văn Lãnh" and doc.signer_competence == kt

    # issue: number 01, notation UBND-VP, document id, register
    document_issue(actor=a.clerk.user, document=doc)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.ISSUED
    assert doc.number_notation == "01/UBND-VP"
    assert doc.document_id == f"{a.agency.code},{doc.issued_date:%Y/%m/%d},01/UBND-VP"
    assert "01/ubnd-vp" in doc.search_text and "hoi nghi" in doc.search_text

    actions = list(
        HistoryEntry.objects.filter(instance=doc.review).values_list("action", flat=True)
    )
    assert actions == [
        "submit", "submit", "return", "submit", "forward", "forward", "approve",
    ]  # fmt: skip
    audited = set(
        AuditEntry.objects.filter(object_id=str(doc.public_id)).values_list("action", flat=True)
    )
    assert {
        "document.draft_create",
        "document.draft_submit",
        "document.draft_return",
        "document.draft_update",
        "document.draft_approve",
        "document.sign",
        "document.issue",
    } <= audited


def test_unit_head_of_another_unit_cannot_review() -> None:
    w = make_world()
    doc = draft_create(
        actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
        subject="Thử", channel="paper",
    )  # fmt: skip
    draft_submit(actor=w.a.specialist.user, document=doc)
    from egov.organisations.models import RoleCode
    from egov.organisations.testing import make_staff

    stranger = make_staff(
        agency=w.a.agency, unit=w.a.other_specialist.unit, roles=[RoleCode.UNIT_HEAD]
    )
    with pytest.raises(PermissionDenied):
        draft_approve(actor=stranger.user, document=doc)
    # the workflow refuses the wrong role at a step (a clerk before the unit head)
    with pytest.raises(AppError) as info:
        draft_approve(actor=w.a.clerk.user, document=doc)
    assert info.value.code == "workflow_actor_not_allowed"


def test_bad_draft_is_refused_with_every_reason_and_nothing_written() -> None:
    w = make_world()
    count = Document.objects.count()
    with pytest.raises(ValidationFailed) as info:
        draft_create(
            actor=w.a.specialist.user,
            agency=w.a.agency,
            doc_type=doc_type("ban-sao-y"),
            subject="  ",
            unit=w.b.unit,
            recipients=[{"organ_name": ""}, RecipientInput(agency=w.a.agency)],
        )
    fields = info.value.fields
    assert {"doc_type", "subject", "unit", "recipients[0].organ_name", "recipients[1]"} <= set(
        fields
    )
    assert Document.objects.count() == count


def test_official_letter_without_unit_or_field_is_refused() -> None:
    w = make_world()
    w.a.specialist.unit = None
    w.a.specialist.save()
    with pytest.raises(ValidationFailed) as info:
        draft_create(
            actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("cong-van"),
            subject="Thử",
        )  # fmt: skip
    assert "unit" in info.value.fields


def test_only_the_agencys_drafters_draft_and_only_clerks_issue() -> None:
    w = make_world()
    with pytest.raises(PermissionDenied):
        draft_create(
            actor=w.b.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
            subject="Thử",
        )  # fmt: skip
    doc = signed_document(w.a)
    with pytest.raises(PermissionDenied):
        document_issue(actor=w.a.leader.user, document=doc)
    with pytest.raises(PermissionDenied):
        document_issue(actor=w.b.clerk.user, document=doc)


def test_issue_twice_is_refused_and_takes_no_second_number() -> None:
    w = make_world()
    doc = signed_document(w.a)
    document_issue(actor=w.a.clerk.user, document=doc)
    stale = Document.objects.get(pk=doc.pk)
    stale.status = DocumentStatus.SIGNED  # what a second clerk's screen still shows
    with pytest.raises(AppError) as info:
        document_issue(actor=w.a.clerk.user, document=stale)
    assert info.value.code == "documents_not_signed"
    other = signed_document(w.a)
    document_issue(actor=w.a.clerk.user, document=other)
    assert other.code_number == "02"


def test_sign_requires_approval_and_electronic_needs_a_pdf() -> None:
    w = make_world()
    doc = draft_create(
        actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
        subject="Thử",
    )  # fmt: skip
    with pytest.raises(AppError) as info:
        document_sign(actor=w.a.leader.user, document=doc)
    assert info.value.code == "documents_not_approved"
    approved = approved_draft(w.a, channel="electronic")  # no file
    with pytest.raises(ValidationFailed):
        document_sign(actor=w.a.leader.user, document=approved)
    assert Document.objects.get(pk=approved.pk).status == DocumentStatus.APPROVED


def test_per_type_policy_numbers_each_type_apart() -> None:
    w = make_world()
    NumberingPolicy.objects.create(agency=w.a.agency, mode="per_type")
    qd1 = signed_document(w.a, doc_type=doc_type("quyet-dinh"))
    ct1 = signed_document(w.a, doc_type=doc_type("chi-thi"))
    qd2 = signed_document(w.a, doc_type=doc_type("quyet-dinh"))
    for d in (qd1, ct1, qd2):
        document_issue(actor=w.a.clerk.user, document=d)
    assert [qd1.number_notation, ct1.number_notation, qd2.number_notation] == [
        "01/QĐ-UBND",
        "01/CT-UBND",
        "02/QĐ-UBND",
    ]


def test_shared_policy_numbers_all_types_in_one_series() -> None:
    w = make_world()
    docs = [
        signed_document(w.a, doc_type=doc_type(code))
        for code in ("quyet-dinh", "chi-thi", "to-trinh")
    ]
    for d in docs:
        document_issue(actor=w.a.clerk.user, document=d)
    assert [d.number_notation for d in docs] == ["01/QĐ-UBND", "02/CT-UBND", "03/TTr-UBND"]
