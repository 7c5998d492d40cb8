"""Every API error is application/problem+json with a Vietnamese title."""

from __future__ import annotations

import pytest

from egov.api.problems import field_message, field_name

pytestmark = pytest.mark.urls("egov.api.tests.urls_for_tests")

PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] == f"urn:egov:error:{body['code']}"
    return body


def test_validation_errors_per_field_in_vietnamese(client):
    response = client.post(
        "/probe/items", {"name": "ab", "count": 0, "kind": "z"}, content_type="application/json"
    )
    body = _problem(response, 422)
    assert body["code"] == "validation_failed"
    assert body["title"] == "Dữ liệu gửi lên không hợp lệ."
    assert body["errors"] == {
        "name": ["Cần ít nhất 3 ký tự."],
        "count": ["Phải lớn hơn hoặc bằng 1."],
        "kind": ["Không đúng định dạng."],
    }
    assert body["instance"] == "/probe/items"


def test_missing_fields_and_bad_json(client):
    body = _problem(client.post("/probe/items", {}, content_type="application/json"), 422)
    assert body["errors"]["name"] == ["Trường này là bắt buộc."]
    assert body["errors"]["count"] == ["Trường này là bắt buộc."]
    bad = client.post("/probe/items", "{not json", content_type="application/json")
    assert bad.status_code in {400, 422}
    assert bad["Content-Type"] == PROBLEM


def test_app_error_keeps_code_fields_and_extra(client):
    body = _problem(client.get("/probe/refused"), 422)
    assert body["errors"] == {"title": ["Tên văn bản không được để trống."]}
    body = _problem(client.get("/probe/conflict"), 409)
    assert body["code"] == "already_signed"
    assert body["number"] == "12/QĐ"


def test_404_hides_details(client):
    body = _problem(client.get("/probe/missing"), 404)
    assert body["title"] == "Không tìm thấy."
    assert "secret" not in str(body)


def test_500_is_a_problem_and_leaks_nothing(client, settings, caplog):
    settings.DEBUG = False
    body = _problem(client.get("/probe/boom"), 500)
    assert body["code"] == "server_error"
    assert "hunter2" not in str(body)
    assert "hunter2" in caplog.text  # but it is logged for the operators


def test_405_and_unknown_paths_on_the_real_api(client):
    response = client.delete("/api/v1/agencies")
    assert _problem(response, 405)["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]
    body = _problem(client.get("/api/v1/khong-ton-tai"), 404)
    assert body["instance"] == "/api/v1/khong-ton-tai"


def test_field_names_and_messages():
    assert field_name(("body", "payload", "items", 0, "name"), {"payload"}) == "items.0.name"
    assert field_name(("query", "page"), set()) == "page"
    assert field_name((), set()) == "__all__"
    assert field_message({"type": "value_error", "msg": "Value error, Mã không hợp lệ."}) == (
        "Mã không hợp lệ."
    )
    assert field_message({"type": "something_new"}) == "Giá trị không hợp lệ."
    assert field_message({"type": "string_too_long", "ctx": {"max_length": 5}}) == (
        "Không được quá 5 ký tự."
    )
