"""Pages: the public catalogue (search, filters, query counts), a procedure's page, template
downloads, and the workspace's administration (policy, edit, import, export)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egov.organisations.models import AgencyKind, RoleCode
from egov.organisations.testing import make_agency, make_staff
from egov.procedures import services
from egov.procedures.models import Procedure
from egov.procedures.testing import levels, make_field, make_procedure, simple_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> dict[str, Any]:
    dept = make_agency(name="Sở Tư pháp")
    ward = make_agency(name="Ủy ban nhân dân phường Hải Châu", kind=AgencyKind.WARD)
    civil = make_field("ho-tich", "Hộ tịch")
    building = make_field("xay-dung", "Xây dựng")
    birth = make_procedure(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=civil,
        level="commune",
        receiving_scope="all_local",
        agencies=(),
        process=simple_process(),
    )
    permit = make_procedure(
        code="1.009972",
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        field=building,
        agency=dept,
        service_level=levels()["information"],
    )
    hidden = make_procedure(code="1.000001", name="Đăng ký khai sinh nội bộ", is_published=False)
    for n in range(25):
        make_procedure(name=f"Thủ tục số {n}", field=building, agency=dept)
    return {"dept": dept, "ward": ward, "birth": birth, "permit": permit, "hidden": hidden}


def _names(response: Any) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_search_is_accent_insensitive(client: Client, catalogue: dict[str, Any]) -> None:
    for query in ("dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai sinh", "1.001193"):
        response = client.get("/thu-tuc/", {"q": query})
        assert response.status_code == 200
        assert _names(response) == ["Đăng ký khai sinh"], query  # unpublished ones stay hidden
    assert (
        b"Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y" in client.get("/thu-tuc/", {"q": "xyz"}).content
    )


def test_filters_and_pagination(client: Client, catalogue: dict[str, Any]) -> None:
    assert _names(client.get("/thu-tuc/", {"linh-vuc": "ho-tich"})) == ["Đăng ký khai sinh"]
    assert _names(client.get("/thu-tuc/", {"muc-do": "information"})) == [
        "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    ]
    # a ward receives every commune-level procedure; a department only its own
    ward = client.get("/thu-tuc/", {"co-quan": catalogue["ward"].code})
    assert _names(ward) == ["Đăng ký khai sinh"]
    dept = client.get("/thu-tuc/", {"co-quan": catalogue["dept"].code})
    assert dept.context["page"].paginator.count == 26
    assert "Đăng ký khai sinh" not in _names(dept)
    second = client.get("/thu-tuc/", {"co-quan": catalogue["dept"].code, "trang": 2})
    assert len(_names(second)) == 6
    assert f"co-quan={catalogue['dept'].code}" in second.content.decode()


def test_the_list_costs_a_fixed_number_of_queries(
    client: Client, catalogue: dict[str, Any]
) -> None:
    client.get("/thu-tuc/")  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as first:
        client.get("/thu-tuc/")
    for n in range(20):
        make_procedure(name=f"Thêm {n}")
    client.get("/thu-tuc/")  # new agencies were saved: the footer reads its contact once more
    with CaptureQueriesContext(connection) as second:
        client.get("/thu-tuc/")
    assert len(second) == len(first) <= 8


def test_a_procedure_page(client: Client, catalogue: dict[str, Any]) -> None:
    birth = catalogue["birth"]
    paper = birth.papers.get()
    services.paper_template_set(
        actor=None, paper=paper, upload=SimpleUploadedFile("to-khai.txt", "Tờ khai".encode())
    )
    client.get(f"/thu-tuc/{birth.code}/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/thu-tuc/{birth.code}/")
    assert len(queries) <= 10
    html = response.content.decode()
    assert '<h1 class="page-title">Đăng ký khai sinh</h1>' in html
    assert 'href="/dich-vu-cong/nop/1.001193/"' in html and "Nộp hồ sơ trực tuyến" in html
    assert "50.000 đồng" in html and "25.000 đồng" in html
    assert f"/thu-tuc/1.001193/mau/{paper.pk}/" in html
    assert "Tiếp nhận" in html  # process steps
    download = client.get(f"/thu-tuc/1.001193/mau/{paper.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "Tờ khai".encode()
    # information only: no submission button
    info = client.get("/thu-tuc/1.009972/").content.decode()
    assert "/dich-vu-cong/nop/" not in info
    assert client.get("/thu-tuc/1.000001/").status_code == 404
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_workspace_pages_are_for_administrators(catalogue: dict[str, Any]) -> None:
    agency = catalogue["dept"]
    specialist = Client()
    specialist.force_login(make_staff(agency=agency, roles=[RoleCode.SPECIALIST]).user)
    assert specialist.get("/app/thu-tuc/").status_code == 403
    assert specialist.get("/app/thu-tuc/1.001193/").status_code == 403
    assert Client().get("/app/thu-tuc/").status_code == 302
    admin = Client()
    admin.force_login(make_staff(agency=agency, roles=[RoleCode.ADMINISTRATOR]).user)
    listing = admin.get("/app/thu-tuc/", {"q": "noi bo"})
    assert listing.status_code == 200
    assert [p.code for p in listing.context["page"].object_list] == ["1.000001"]
    assert "Thủ tục hành chính" in admin.get("/app/").content.decode()  # nav entry


def test_an_administrator_edits_publishes_and_exports(catalogue: dict[str, Any]) -> None:
    admin = Client()
    admin.force_login(make_staff(agency=catalogue["dept"], roles=[RoleCode.ADMINISTRATOR]).user)
    page = admin.get("/app/thu-tuc/1.001193/")
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data["cutoff_time"] = "15:00"
    data["name"] = "Đăng ký khai sinh (sửa)"
    data["is_published"] = "on"
    data["fees"] = "[]"
    response = admin.post("/app/thu-tuc/1.001193/", data)
    assert response.status_code == 302, response.context["form"].errors
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Đăng ký khai sinh (sửa)" and not birth.fees.exists()
    assert birth.cutoff_time is not None and birth.process is not None  # process kept

    bad = dict(data, papers='[{"name": "", "copies": 0}]', form_schema="{không phải json")
    response = admin.post("/app/thu-tuc/1.001193/", bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "form_schema" in errors

    bad = dict(data, papers='[{"name": "", "copies": 0}]')
    errors = admin.post("/app/thu-tuc/1.001193/", bad).context["form"].errors
    assert "papers" in errors

    admin.post("/app/thu-tuc/1.001193/cong-khai/", {"cong-khai": "0"})
    assert not Procedure.objects.get(code="1.001193").is_published

    exported = admin.get("/app/thu-tuc/xuat/", {"dinh-dang": "json"})
    document = json.loads(exported.content)
    assert len(document["procedures"]) == 28
    xlsx = admin.get("/app/thu-tuc/xuat/", {"dinh-dang": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_an_administrator_imports_a_file(catalogue: dict[str, Any]) -> None:
    admin = Client()
    admin.force_login(make_staff(agency=catalogue["dept"], roles=[RoleCode.ADMINISTRATOR]).user)
    exported = admin.get("/app/thu-tuc/xuat/").content
    document = json.loads(exported)
    document["procedures"][0]["name"] = "Tên mới"
    original = document["procedures"][1]["level"]
    document["procedures"][1]["level"] = "tinh"
    upload = SimpleUploadedFile("danh-muc.json", json.dumps(document).encode())
    refused = admin.post("/app/thu-tuc/nhap/", {"file": upload})
    assert refused.status_code == 422
    assert "chưa nhập gì" in refused.content.decode()
    assert not Procedure.objects.filter(name="Tên mới").exists()
    document["procedures"][1]["level"] = original
    upload = SimpleUploadedFile("danh-muc.json", json.dumps(document).encode())
    done = admin.post("/app/thu-tuc/nhap/", {"file": upload}, follow=True)
    assert "1 cập nhật" in done.content.decode()
    assert Procedure.objects.filter(name="Tên mới").count() == 1
