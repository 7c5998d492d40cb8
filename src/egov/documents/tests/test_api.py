"""The documents' API: staff list/detail/register/issue with api_auth, and the open
/public/documents search."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.documents.services import document_issue, draft_create
from egov.documents.tests.factories import doc_type, make_world, signed_document

pytestmark = pytest.mark.django_db


def logged(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_public_search_needs_no_auth_and_shows_only_public_issued_documents() -> None:
    w = make_world()
    public = signed_document(w.a, subject="Quyết định công bố thủ tục", is_public=True)
    document_issue(actor=w.a.clerk.user, document=public)
    hidden = signed_document(w.a, subject="Quyết định nội bộ")
    document_issue(actor=w.a.clerk.user, document=hidden)
    draft_create(actor=w.a.specialist.user, agency=w.a.agency, doc_type=doc_type("quyet-dinh"),
                 subject="Quyết định dự thảo", channel="paper", is_public=True)  # fmt: skip

    response = Client().get("/api/v1/public/documents", {"q": "quyet dinh"})
    assert response.status_code == 200
    body = response.json()
    assert [i["Subject"] for i in body["items"]] == ["Quyết định công bố thủ tục"]
    assert body["items"][0]["CodeNotation"] == "QĐ-UBND" and body["count"] == 1
    one = Client().get(f"/api/v1/public/documents/{public.public_id}")
    assert one.status_code == 200
    assert Client().get(f"/api/v1/public/documents/{hidden.public_id}").status_code == 404

    page = Client().get("/van-ban/", {"q": "cong bo"}).content.decode()
    assert "Quyết định công bố thủ tục" in page and "nội bộ" not in page
    assert Client().get(f"/van-ban/{public.public_id}/").status_code == 200
    assert Client().get(f"/van-ban/{hidden.public_id}/").status_code == 404


def test_staff_api_needs_auth_and_scopes_to_the_agency() -> None:
    w = make_world()
    doc = signed_document(w.a, subject="Chỉ thị về phòng cháy")
    assert Client().get("/api/v1/documents").status_code == 401
    mine = logged(w.a.clerk.user).get("/api/v1/documents", {"q": "phong chay"}).json()
    assert [i["Subject"] for i in mine["items"]] == ["Chỉ thị về phòng cháy"]
    theirs = logged(w.b.clerk.user).get("/api/v1/documents", {"q": "phong chay"}).json()
    assert theirs["items"] == []
    assert logged(w.b.clerk.user).get(f"/api/v1/documents/{doc.public_id}").status_code == 404


def test_issue_and_detail_with_recipient_statuses() -> None:
    from egov.documents.services import RecipientInput

    w = make_world()
    doc = signed_document(w.a, recipients=[RecipientInput(agency=w.b.agency)])
    clerk = logged(w.a.clerk.user)
    issued = clerk.post(f"/api/v1/documents/{doc.public_id}/issue")
    assert issued.status_code == 200, issued.content
    assert issued.json()["CodeNumber"] == "01" and issued.json()["status"] == "issued"
    again = clerk.post(f"/api/v1/documents/{doc.public_id}/issue")
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")
    detail = clerk.get(f"/api/v1/documents/{doc.public_id}").json()
    assert detail["recipients"][0]["status"] == "01"
    assert detail["recipients"][0]["OrganName"] == w.b.agency.name


def test_register_incoming_paper_and_duplicate_is_409() -> None:
    w = make_world()
    clerk = logged(w.b.clerk.user)
    payload = {
        "sender_organ_id": "000.00.20.H15",
        "sender_organ_name": "Sở Xây dựng",
        "metadata": {"type": "cong-van", "code_number": "12", "code_notation": "SXD-VP",
                     "subject": "Về việc báo cáo", "issued_date": "2026-02-03"},
    }  # fmt: skip
    first = clerk.post("/api/v1/documents/incoming", payload, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["ArrivalNumber"] == 1
    dup = clerk.post("/api/v1/documents/incoming", payload, content_type="application/json")
    assert dup.status_code == 409
    specialist = logged(w.b.specialist.user)
    refused = specialist.post(
        "/api/v1/documents/incoming", payload, content_type="application/json"
    )
    assert refused.status_code == 403
