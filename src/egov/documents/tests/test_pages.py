"""Workspace pages of official documents, at the HTTP boundary: lists, the draft form, the
review chain's buttons, the incoming register with its duplicate warning, direction, handling,
the sender's view of the recipients, secret documents, another agency's documents."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.audit.models import AuditEntry
from egov.documents.models import CaseFile, Document, DocumentStatus, Recipient
from egov.documents.services import RecipientInput, document_issue, draft_create
from egov.documents.tests.factories import (
    doc_type,
    make_world,
    pdf_bytes,
    secrecy,
    signed_document,
    urgency,
)

pytestmark = pytest.mark.django_db


def logged(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_lists_open_for_staff_and_not_for_anonymous() -> None:
    w = make_world()
    client = logged(w.a.specialist.user)
    for path in (
        "/app/van-ban/",
        "/app/van-ban/van-ban-di/",
        "/app/van-ban/van-ban-den/",
        "/app/van-ban/viec-cua-toi/",
        "/app/van-ban/tim-kiem/?q=quyet",
        "/app/van-ban/so/",
        "/app/van-ban/ho-so/",
        "/app/van-ban/du-thao/moi/",
    ):
        assert client.get(path).status_code == 200, path
    assert Client().get("/app/van-ban/").status_code == 302


def test_specialist_drafts_with_a_pdf_and_the_chain_shows_the_right_buttons() -> None:
    w = make_world()
    client = logged(w.a.specialist.user)
    response = client.post(
        "/app/van-ban/du-thao/moi/",
        {
            "doc_type": doc_type("quyet-dinh").pk,
            "subject": "Về việc ban hành quy chế làm việc",
            "channel": "paper",
            "recipient_agencies": [w.b.agency.pk],
            "external_recipients": "000.00.00.G22 | Văn phòng Chính phủ",
            "main_file": SimpleUploadedFile("du-thao.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(subject="Về việc ban hành quy chế làm việc")
    assert document.status == DocumentStatus.DRAFT and document.files.count() == 1
    assert Recipient.objects.filter(document=document).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Trình duyệt" in page and "Cấp số và phát hành" not in page

    client.post(f"/app/van-ban/{document.public_id}/trinh/")
    document.refresh_from_db()
    assert document.status == DocumentStatus.IN_REVIEW
    head = logged(w.a.unit_head.user)
    assert "Trả lại" in head.get(f"/app/van-ban/{document.public_id}/").content.decode()
    head.post(f"/app/van-ban/{document.public_id}/gop-y/", {"body": "Sửa điều 2"})
    head.post(f"/app/van-ban/{document.public_id}/duyet/")
    logged(w.a.clerk.user).post(f"/app/van-ban/{document.public_id}/duyet/")
    leader = logged(w.a.leader.user)
    leader.post(f"/app/van-ban/{document.public_id}/duyet/")
    assert "Ký văn bản" in leader.get(f"/app/van-ban/{document.public_id}/").content.decode()
    leader.post(f"/app/van-ban/{document.public_id}/ky/")
    clerk = logged(w.a.clerk.user)
    clerk.post(f"/app/van-ban/{document.public_id}/phat-hanh/")
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED and document.code_number == "01"
    page = clerk.get(f"/app/van-ban/{document.public_id}/").content.decode()
    assert "01/QĐ-UBND" in page and "Sửa điều 2" in page
    assert "Đã đến" in page  # the platform recipient's status, seen by the sender


def test_another_agencys_document_is_not_found() -> None:
    w = make_world()
    document = signed_document(w.a)
    client = logged(w.b.clerk.user)
    assert client.get(f"/app/van-ban/{document.public_id}/").status_code == 404
    assert client.post(f"/app/van-ban/{document.public_id}/phat-hanh/").status_code == 404
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED


def test_secret_document_only_for_those_named_and_each_view_logged() -> None:
    w = make_world()
    document = draft_create(
        actor=w.a.specialist.user,
        agency=w.a.agency,
        doc_type=doc_type("quyet-dinh"),
        subject="Kế hoạch bảo vệ bí mật",
        secrecy=secrecy("mat"),
        channel="paper",
    )
    other = logged(w.a.other_specialist.user)
    assert other.get(f"/app/van-ban/{document.public_id}/").status_code == 404
    assert "Kế hoạch bảo vệ bí mật" not in other.get("/app/van-ban/").content.decode()
    assert "Kế hoạch bảo vệ" not in other.get("/app/van-ban/tim-kiem/?q=bao+ve").content.decode()

    drafter = logged(w.a.specialist.user)
    before = AuditEntry.objects.filter(action="document.view").count()
    assert drafter.get(f"/app/van-ban/{document.public_id}/").status_code == 200
    assert drafter.get(f"/app/van-ban/{document.public_id}/").status_code == 200
    assert AuditEntry.objects.filter(action="document.view").count() == before + 2
    assert "Kế hoạch bảo vệ bí mật" in drafter.get("/app/van-ban/").content.decode()


def _paper_post(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "doc_type": doc_type("cong-van").pk,
        "organ_name": "Sở Xây dựng",
        "organ_id": "000.00.20.H15",
        "code_number": "125",
        "code_notation": "SXD-QLN",
        "issued_date": "2026-03-02",
        "subject": "Về việc kiểm tra công trình",
    }
    data.update(extra)
    return data


def test_paper_register_warns_on_a_duplicate_before_confirming() -> None:
    w = make_world()
    clerk = logged(w.b.clerk.user)
    first = clerk.post(
        "/app/van-ban/van-ban-den/vao-so/",
        _paper_post(scan=SimpleUploadedFile("scan.pdf", pdf_bytes(), "application/pdf")),
    )
    assert first.status_code == 302
    assert Document.objects.filter(agency=w.b.agency, direction="incoming").count() == 1

    again = clerk.post("/app/van-ban/van-ban-den/vao-so/", _paper_post())
    assert again.status_code == 200
    assert "có thể trùng" in again.content.decode()
    assert Document.objects.filter(agency=w.b.agency, direction="incoming").count() == 1

    confirmed = clerk.post("/app/van-ban/van-ban-den/vao-so/", _paper_post(confirm_duplicate="on"))
    assert confirmed.status_code == 302
    numbers = sorted(
        Document.objects.filter(agency=w.b.agency, direction="incoming").values_list(
            "arrival_number", flat=True
        )
    )
    assert numbers == [1, 2]


def test_incoming_queue_puts_urgent_first_and_the_chain_to_done() -> None:
    w = make_world()
    plain = signed_document(w.a, recipients=[RecipientInput(agency=w.b.agency)], subject="Thường")
    urgent = signed_document(
        w.a,
        recipients=[RecipientInput(agency=w.b.agency)],
        subject="Khẩn cấp phòng chống bão",
        urgency=urgency("hoa-toc"),
    )
    document_issue(actor=w.a.clerk.user, document=plain)
    document_issue(actor=w.a.clerk.user, document=urgent)
    clerk = logged(w.b.clerk.user)
    queue = clerk.get("/app/van-ban/van-ban-den/").content.decode()
    assert queue.index("Khẩn cấp phòng chống bão") < queue.index("Thường")

    copy = Document.objects.get(agency=w.b.agency, source_document=plain)
    clerk.post(f"/app/van-ban/{copy.public_id}/tiep-nhan/")
    clerk.post(f"/app/van-ban/{copy.public_id}/trinh-lanh-dao/", {"leader": w.b.leader.pk})
    copy.refresh_from_db()
    assert copy.status == DocumentStatus.SUBMITTED and copy.arrival_number == 1

    leader = logged(w.b.leader.user)
    response = leader.post(
        f"/app/van-ban/{copy.public_id}/chi-dao/",
        {"instruction": "Giao chuyên viên xử lý", "main_handler": w.b.specialist.pk,
         "working_days": 5},
    )  # fmt: skip
    assert response.status_code == 302
    part = copy.handlings.get(role="main")

    handler = logged(w.b.specialist.user)
    assert copy.subject in handler.get("/app/van-ban/viec-cua-toi/").content.decode()
    url = f"/app/van-ban/{copy.public_id}/xu-ly/{part.pk}/"
    handler.post(url, {"buoc": "tien-do", "tien-do-body": "Đang kiểm tra"})
    reply = signed_document(w.b, subject="Trả lời về việc thường")
    handler.post(url, {"buoc": "tra-loi", "tra-loi-outgoing_document": reply.pk})
    handler.post(url, {"buoc": "xong", "xong-body": "Đã trả lời"})
    copy.refresh_from_db()
    part.refresh_from_db()
    assert copy.status == DocumentStatus.DONE and part.reply_document == reply

    sender_page = logged(w.a.clerk.user).get(f"/app/van-ban/{plain.public_id}/").content.decode()
    assert "Đã xử lý xong" in sender_page


def test_handler_page_refuses_someone_not_assigned() -> None:
    w = make_world()
    doc = signed_document(w.a, recipients=[RecipientInput(agency=w.b.agency)])
    document_issue(actor=w.a.clerk.user, document=doc)
    copy = Document.objects.get(agency=w.b.agency, source_document=doc)
    logged(w.b.clerk.user).post(f"/app/van-ban/{copy.public_id}/tiep-nhan/")
    logged(w.b.leader.user).post(
        f"/app/van-ban/{copy.public_id}/chi-dao/",
        {"instruction": "Xử lý", "main_handler": w.b.specialist.pk, "working_days": 3},
    )
    part = copy.handlings.get()
    url = f"/app/van-ban/{copy.public_id}/xu-ly/{part.pk}/"
    logged(w.b.other_specialist.user).post(url, {"buoc": "xong"})
    part.refresh_from_db()
    assert part.status != "done"


def test_case_files_create_and_add_a_document() -> None:
    w = make_world()
    clerk = logged(w.a.clerk.user)
    response = clerk.post(
        "/app/van-ban/ho-so/",
        {"year": 2026, "notation": "01.VP", "title": "Hồ sơ quy chế", "retention": "10 năm"},
    )
    assert response.status_code == 302
    doc = signed_document(w.a)
    document_issue(actor=w.a.clerk.user, document=doc)
    case_file = CaseFile.objects.get()
    clerk.post(f"/app/van-ban/{doc.public_id}/vao-ho-so/", {"case_file": case_file.pk})
    page = clerk.get(f"/app/van-ban/ho-so/{case_file.pk}/").content.decode()
    assert doc.number_notation in page
