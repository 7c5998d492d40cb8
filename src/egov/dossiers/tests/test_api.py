"""The dossier API: multipart submission with Idempotency-Key, mine, detail, actions, tracking."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egov.dossiers import selectors, services, tracking
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.testing import PDF_BYTES, PNG_BYTES, World, make_world
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_citizen, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def world() -> World:
    return make_world()


def login(user: Any) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def body(world: World, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "procedure": world.procedure.code,
        "agency": world.ward.code,
        "data": json.dumps({"ho_ten": "Nguyễn Văn Bình", "so_ban": 2}),
        "paper_1": SimpleUploadedFile("to-khai.pdf", PDF_BYTES, "application/pdf"),
        "paper_2": SimpleUploadedFile("cccd.png", PNG_BYTES, "image/png"),
    }
    data.update(over)
    return data


def submit(client: Client, data: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/api/v1/dossiers", data, headers=headers)


def test_multipart_submission_with_two_papers(world: World) -> None:
    response = submit(login(world.citizen), body(world))
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    dossier = Dossier.objects.get(code=code)
    assert dossier.papers.count() == 2
    assert response.json()["tracking_url"].endswith(f"/tra-cuu/{code}/")


def test_same_key_same_payload_gives_the_same_dossier(world: World) -> None:
    client = login(world.citizen)
    first = submit(client, body(world), key="k-1")
    again = submit(client, body(world), key="k-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["code"] == again.json()["code"]
    assert Dossier.objects.count() == 1


def test_same_key_different_payload_is_409(world: World) -> None:
    client = login(world.citizen)
    assert submit(client, body(world), key="k-2").status_code == 201
    other = body(world, data=json.dumps({"ho_ten": "Người khác", "so_ban": 3}))
    response = submit(client, other, key="k-2")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert Dossier.objects.count() == 1


def test_invalid_submission_names_the_fields_and_saves_nothing(world: World) -> None:
    client = login(world.citizen)
    response = submit(client, body(world, data=json.dumps({"so_ban": 99})))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "ho_ten" in errors and "so_ban" in errors
    wrong_kind = submit(client, body(world, paper_1=SimpleUploadedFile("x.png", PNG_BYTES)))
    assert wrong_kind.status_code == 422
    assert "paper_1" in wrong_kind.json()["errors"]  # named as sent, not by row id
    assert Dossier.objects.count() == 0


def test_submission_needs_a_signed_in_applicant(world: World) -> None:
    assert submit(Client(), body(world)).status_code == 401
    assert submit(login(world.officer.user), body(world)).status_code == 403


def test_mine_lists_only_own_dossiers(world: World) -> None:
    client = login(world.citizen)
    code = submit(client, body(world)).json()["code"]
    other = make_citizen()
    assert [d["code"] for d in client.get("/api/v1/dossiers/mine").json()["items"]] == [code]
    assert login(other).get("/api/v1/dossiers/mine").json()["items"] == []
    assert login(other).get(f"/api/v1/dossiers/{code}").status_code == 404


def test_detail_for_staff_with_policy(world: World) -> None:
    code = submit(login(world.citizen), body(world)).json()["code"]
    response = login(world.officer.user).get(f"/api/v1/dossiers/{code}")
    assert response.status_code == 200
    assert "accept" in response.json()["actions"]
    stranger = make_staff(agency=make_agency(), roles=[RoleCode.ONE_STOP_OFFICER])
    assert login(stranger.user).get(f"/api/v1/dossiers/{code}").status_code == 404


def test_actions_accept_then_refused_action_is_409(world: World) -> None:
    code = submit(login(world.citizen), body(world)).json()["code"]
    officer = login(world.officer.user)
    accepted = officer.post(
        f"/api/v1/dossiers/{code}/actions", {"action": "accept"}, content_type="application/json"
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["dossier"]["status"] == DossierStatus.PROCESSING
    refused = officer.post(
        f"/api/v1/dossiers/{code}/actions", {"action": "approve"}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    assert "Phê duyệt" in refused.json()["title"]
    assert Dossier.objects.get(code=code).status == DossierStatus.PROCESSING


def test_specialist_forwards_through_the_api(world: World) -> None:
    code = submit(login(world.citizen), body(world)).json()["code"]
    dossier = Dossier.objects.get(code=code)
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    response = login(world.specialist.user).post(
        f"/api/v1/dossiers/{code}/actions",
        {"action": "forward", "note": "Đủ điều kiện"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["dossier"]["current_step"] == "Phê duyệt"


# --- tracking ------------------------------------------------------------------------------


def _submitted(world: World) -> Dossier:
    return services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Nguyễn Văn Bình"},
        papers=world.uploads()[:2],
    )


def test_tracking_public_without_personal_data_and_lean(world: World) -> None:
    dossier = _submitted(world)
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/tracking/{dossier.code}")
    assert response.status_code == 200
    data = response.json()
    assert data["applicant"] is None and data["status"] == DossierStatus.PROCESSING
    assert [row["action"] for row in data["timeline"]][:2] == ["submit", "accept"]
    assert world.officer.user.full_name not in response.content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    assert [q for q in sql if "pg_database" not in q] == sql[-1:], sql  # one query (+ epoch once)
    # The dossier's row with its timeline snapshot: no join to the history.
    assert "tracking_snapshot" in sql[-1] and "workflow_historyentry" not in sql[-1]
    assert not any("django_session" in q for q in sql)
    cache.clear()  # the mark left by the last change has settled: the next answer is cached
    client.get(f"/api/v1/tracking/{dossier.code}")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"/api/v1/tracking/{dossier.code}")
    assert again.json() == data
    assert queries.captured_queries == []  # from the cache


def test_tracking_personal_data_for_the_applicant_and_second_factor(world: World) -> None:
    dossier = _submitted(world)
    url = f"/api/v1/tracking/{dossier.code}"
    assert login(world.citizen).get(url).json()["applicant"]["name"] == dossier.applicant_name
    assert Client().get(url, headers={"X-Phone-Last4": "0000"}).status_code == 403
    ok = Client().get(url, headers={"X-Phone-Last4": "3456"})
    assert ok.status_code == 200 and ok.json()["applicant"]["name"] == dossier.applicant_name


def test_tracking_answers_are_what_the_schema_would_send(world: World) -> None:
    """The view renders its body without ninja's validation (`egov.api.responses`): each
    answer must be exactly what validating it against `TrackingOut` and rendering gives."""
    from ninja.renderers import JSONRenderer

    from egov.dossiers.api import TrackingOut

    dossier = _submitted(world)
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    url = f"/api/v1/tracking/{dossier.code}"
    english_client = Client()
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answers = [
        Client().get(url),
        login(world.citizen).get(url),
        Client().get(url, headers={"X-Phone-Last4": "3456"}),
        english_client.get(url),
    ]
    for response in answers:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        validated = TrackingOut.model_validate(response.json()).model_dump()
        expected = JSONRenderer().render(None, validated, response_status=200)  # type: ignore[arg-type]
        assert json.loads(expected) == response.json()
        assert response.content.decode() == expected
    assert answers[1].json()["applicant"]["papers"]  # the personal part is in the schema too
    vietnamese, english = answers[0].json(), answers[3].json()
    assert english["status_label"] != vietnamese["status_label"]
    assert english["timeline"][0]["action_label"] != vietnamese["timeline"][0]["action_label"]


def test_tracking_second_factor_rate_limit(world: World) -> None:
    dossier = _submitted(world)
    url = f"/api/v1/tracking/{dossier.code}"
    statuses = [Client().get(url, headers={"X-Phone-Last4": "1111"}).status_code for _ in range(5)]
    assert statuses == [403] * 5
    assert Client().get(url, headers={"X-Phone-Last4": "3456"}).status_code == 429


def test_tracking_unknown_code_is_404() -> None:
    response = Client().get("/api/v1/tracking/KHONG-CO")
    assert response.status_code == 404
    assert response.json()["title"] == "Không tìm thấy hồ sơ"


def test_openapi_has_the_operations_with_examples() -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert "/api/v1/dossiers" in paths and "/api/v1/tracking/{code}" in paths
    post = paths["/api/v1/dossiers"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
    assert "409" in paths["/api/v1/dossiers/{code}/actions"]["post"]["responses"]


@pytest.mark.django_db(transaction=True)
def test_tracking_shows_a_change_right_after_its_commit() -> None:
    world = make_world()
    dossier = _submitted(world)
    url = f"/api/v1/tracking/{dossier.code}"
    cache.clear()
    assert Client().get(url).json()["status"] == DossierStatus.SUBMITTED  # now cached
    stale = selectors.public_tracking(dossier.code)  # a reader that read just before the commit
    services.dossier_accept(actor=world.officer.user, dossier=dossier)  # commits
    cache.add(tracking._key(dossier.code), stale, timeout=300)  # …and caches late: refused
    after = Client().get(url).json()
    assert after["status"] == DossierStatus.PROCESSING
    assert [row["action"] for row in after["timeline"]] == ["submit", "accept"]
    assert after["due_at"] is not None
    services.dossier_withdraw(actor=world.citizen, dossier=dossier, reason="Không cần nữa")
    assert Client().get(url).json()["status"] == DossierStatus.WITHDRAWN
    page = Client().get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert str(DossierStatus.WITHDRAWN.label) in page


def test_tracking_cache_never_holds_or_leaks_personal_data(world: World) -> None:
    dossier = _submitted(world)
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    cache.clear()
    url = f"/api/v1/tracking/{dossier.code}"
    private = [
        dossier.applicant_name,
        dossier.applicant_phone,
        world.citizen.citizen_id,
        world.citizen.email,
        *[p.name for p in selectors.tracking_papers(dossier)],
    ]
    # The applicant first (signed in, then by the second factor), on the API and the page.
    assert login(world.citizen).get(url).json()["applicant"]["name"] == dossier.applicant_name
    phone = Client().get(url, headers={"X-Phone-Last4": "3456"}).json()
    assert phone["applicant"]["name"] == dossier.applicant_name
    page = login(world.citizen).get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert dossier.applicant_name in page
    cached = cache.get(tracking._key(dossier.code))
    assert isinstance(cached, selectors.PublicTracking)
    raw = pickle.dumps(cached).decode("utf-8", "replace")
    assert not [value for value in private if value and value in raw]
    # Then the public, served from that cache entry: nothing of the applicant.
    with CaptureQueriesContext(connection) as queries:
        public = Client().get(url)
    assert queries.captured_queries == []
    assert public.json()["applicant"] is None
    anonymous_page = Client().get(f"/tra-cuu/{dossier.code}/").content.decode()
    for body in (public.content.decode(), anonymous_page):
        assert not [value for value in private if value and value in body]
