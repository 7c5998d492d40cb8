"""The public catalogue API: list with search and filters, detail with papers, fees, form and
process; problem+json for a missing code."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egov.organisations.models import AgencyKind
from egov.organisations.testing import make_agency
from egov.procedures.testing import levels, make_field, make_procedure, simple_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def data() -> dict:
    dept = make_agency(name="Sở Giao thông")
    ward = make_agency(kind=AgencyKind.WARD)
    make_procedure(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=make_field("ho-tich", "Hộ tịch"),
        level="commune",
        receiving_scope="all_local",
        agencies=(),
        process=simple_process(),
    )
    make_procedure(code="1.002804", name="Đổi giấy phép lái xe", agency=dept,
                   field=make_field("giao-thong", "Giao thông"),
                   service_level=levels()["information"])  # fmt: skip
    make_procedure(code="1.000002", name="Khai sinh ẩn", is_published=False)
    for n in range(35):
        make_procedure(name=f"Thủ tục {n}", agency=dept)
    return {"dept": dept, "ward": ward}


def test_list_search_and_filters(client: Client, data: dict) -> None:
    body = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == "1.001193" and item["field"] == {"code": "ho-tich", "name": "Hộ tịch"}
    assert item["service_level"]["allows_online_submission"] is True
    assert item["url"] == "/thu-tuc/1.001193/"
    assert client.get("/api/v1/procedures", {"field": "giao-thong"}).json()["count"] == 1
    assert client.get("/api/v1/procedures", {"level": "information"}).json()["count"] == 1
    ward = client.get("/api/v1/procedures", {"agency": data["ward"].code}).json()
    assert [i["code"] for i in ward["items"]] == ["1.001193"]
    everything = client.get("/api/v1/procedures").json()
    assert everything["count"] == 37 and len(everything["items"]) == 30
    assert len(client.get("/api/v1/procedures", {"page": 2}).json()["items"]) == 7


def test_list_query_count_is_flat(client: Client, data: dict) -> None:
    client.get("/api/v1/procedures")
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/procedures")
    assert len(queries) <= 5


def test_detail(client: Client, data: dict) -> None:
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/procedures/1.001193").json()
    assert len(queries) <= 10
    assert body["papers"][0]["name"] == "Tờ khai" and body["papers"][0]["template_url"] is None
    assert body["fees"] == [
        {"name": "Lệ phí", "kind": "charge", "counter_amount": 50000, "online_amount": 25000,
         "note": ""}
    ]  # fmt: skip
    assert body["form_schema"][0]["name"] == "ho_ten"
    assert body["process"]["code"] == "tthc-1-001193"
    assert [s["code"] for s in body["process"]["steps"]][:2] == ["tiep-nhan", "xu-ly"]
    assert body["submit_url"] == "/dich-vu-cong/nop/1.001193/"
    assert client.get("/api/v1/procedures/1.002804").json()["submit_url"] is None


def test_missing_and_unpublished_are_404_problems(client: Client, data: dict) -> None:
    for code in ("9.999999", "1.000002"):
        response = client.get(f"/api/v1/procedures/{code}")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["code"] == "not_found"
