"""Search: accent-insensitive ("quyet dinh" finds "Quyết định", "d" finds "đ"), text inside
attached DOCX and PDF files (the extraction job), filters, secrecy, the public side."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from egov.documents import search, selectors
from egov.documents.models import Document
from egov.documents.services import FileInput, document_issue, draft_create
from egov.documents.tests.factories import (
    doc_type,
    make_world,
    pdf_upload,
    secrecy,
    signed_document,
)
from egov.jobs.queue import queue

pytestmark = pytest.mark.django_db


def docx_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def found(user: object, q: str, **filters: object) -> list[str]:
    params = search.SearchParams(q=q, **filters)  # type: ignore[arg-type]
    return [d.subject for d in search.search(selectors.visible_documents(user), params)]


def test_accent_insensitive_and_d_finds_dj() -> None:
    w = make_world()
    draft_create(actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
                 subject="Quyết định về đất đai", channel="paper")  # fmt: skip
    draft_create(actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
                 subject="Kế hoạch tuyên truyền", channel="paper")  # fmt: skip
    user = w.a.specialist.user
    assert found(user, "quyet dinh") == ["Quyết định về đất đai"]
    assert found(user, "dat dai") == ["Quyết định về đất đai"]
    assert found(user, "Đất") == ["Quyết định về đất đai"]
    assert found(user, "dat") == ["Quyết định về đất đai"]
    assert found(user, "quyết hoạch") == []  # every term must match
    assert found(w.b.specialist.user, "quyet dinh") == []  # another agency's


def test_text_inside_docx_and_pdf_is_found_after_the_extraction_job() -> None:
    assert "Điều 1" in search.docx_text(docx_bytes("Điều 1. Phạm vi", "Điều 2"))
    w = make_world()
    with_docx = draft_create(
        actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
        subject="Dự thảo A", channel="paper",
        files=[FileInput(ContentFile(docx_bytes("Quy chế phối hợp liên ngành"), name="a.docx"))],
    )  # fmt: skip
    with_pdf = draft_create(
        actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
        subject="Dự thảo B", channel="paper", files=[pdf_upload(text="Muc luc ngan sach 2026")],
    )  # fmt: skip
    user = w.a.specialist.user
    assert found(user, "lien nganh") == []  # not yet extracted
    search.document_extract(with_docx.pk)
    search.document_extract(with_pdf.pk)
    assert found(user, "phoi hop lien nganh") == ["Dự thảo A"]
    assert found(user, "ngan sach") == ["Dự thảo B"]
    assert "liên ngành" in Document.objects.get(pk=with_docx.pk).content_text


@pytest.fixture
def jobs_run_now() -> Iterator[None]:
    huey = queue()
    saved, huey.immediate = huey.immediate, True
    try:
        yield
    finally:
        huey.immediate = saved


@pytest.mark.usefixtures("jobs_run_now")
def test_the_draft_page_queues_the_extraction(django_capture_on_commit_callbacks: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = make_world()
    client = Client()
    client.force_login(w.a.specialist.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/app/van-ban/du-thao/moi/", {
            "doc_type": doc_type("quyet-dinh").pk, "subject": "Dự thảo có tệp", "channel": "paper",
            "main_file": SimpleUploadedFile("a.docx", docx_bytes("Xây dựng nông thôn mới")),
        })  # fmt: skip
    assert found(w.a.specialist.user, "nong thon moi") == ["Dự thảo có tệp"]


def test_filters_direction_type_dates_status_and_sort() -> None:
    w = make_world()
    one = signed_document(w.a, subject="Quyết định một")
    document_issue(actor=w.a.clerk.user, document=one)
    draft_create(actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("ke-hoach"),
                 subject="Kế hoạch quyết định", channel="paper")  # fmt: skip
    user = w.a.clerk.user
    assert found(user, "quyet dinh", status="issued") == ["Quyết định một"]
    assert found(user, "", type_id=doc_type("ke-hoach").pk) == ["Kế hoạch quyết định"]
    today = date.today()
    assert "Quyết định một" in found(user, "", date_from=today, date_to=today)
    assert found(user, "", date_to=date(2000, 1, 1)) == []
    assert found(user, "", direction="incoming") == []
    assert found(user, "quyet dinh", sort="trich-yeu") == ["Kế hoạch quyết định", "Quyết định một"]


def test_secret_documents_are_found_only_by_those_named() -> None:
    w = make_world()
    draft_create(actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
                 subject="Phương án mật", secrecy=secrecy("mat"), channel="paper")  # fmt: skip
    assert found(w.a.specialist.user, "phuong an") == ["Phương án mật"]
    assert found(w.a.other_specialist.user, "phuong an") == []


def test_workspace_search_page() -> None:
    w = make_world()
    draft_create(actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
                 subject="Quyết định thành lập tổ công tác", channel="paper")  # fmt: skip
    client = Client()
    client.force_login(w.a.specialist.user)
    page = client.get("/app/van-ban/tim-kiem/", {"q": "to cong tac"}).content.decode()
    assert "Quyết định thành lập tổ công tác" in page
