"""Issue 3, "Bad input", end to end through HTTP (Django's test client, SQLite and PostgreSQL).

- A form with invalid fields shows each error next to its field and saves nothing.
- A paper of a type or size that is not allowed is refused with the reason.
- An action the workflow does not allow in the current step, or that the user may not take, is
  refused and leaves the dossier as it was.
- A tracking code that does not exist gets a plain "not found".
- A crash between saving the dossier and storing its papers leaves no dossier without its papers.
- The API: a retried submission with the same ``Idempotency-Key`` gives one dossier.

Only Django and the filesystem are interfered with (a storage backend that fails, a database
statement that fails through ``connection.execute_wrapper``); our services run as they are.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import lxml.html
import pytest
from django.core.cache import cache
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from egov.audit.models import AuditEntry
from egov.core.models import StoredFile
from egov.dossiers import services
from egov.dossiers.models import (
    Dossier,
    DossierPaper,
    DossierStatus,
    FeeDue,
    IdempotencyKey,
    SupplementRequest,
)
from egov.dossiers.testing import PDF_BYTES, PNG_BYTES, World, make_world
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_citizen, make_staff
from egov.workflow.models import HistoryEntry, Instance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()  # the tracking rate limit lives in the cache


@pytest.fixture
def world() -> World:
    return make_world()


def signed_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def unique() -> bytes:
    return uuid.uuid4().hex.encode()


def pdf_upload(name: str = "to-khai.pdf", extra: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES + extra, "application/pdf")


def png_upload(name: str = "cccd.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, "image/png")


def form_post(world: World, **over: Any) -> dict[str, Any]:
    first, second = world.papers[:2]
    data: dict[str, Any] = {
        "agency": world.ward.code,
        "f-ho_ten": "Trần Thị Hoa",
        "f-ngay_sinh": "1990-05-17",
        "f-so_ban": "2",
        f"paper_{first.pk}": pdf_upload(),
        f"paper_{second.pk}": png_upload(),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def submit_url(world: World) -> str:
    return reverse("portal:dossiers:submit", args=[world.procedure.code])


def review_url(world: World) -> str:
    return reverse("portal:dossiers:submit_review", args=[world.procedure.code])


def field_block(html: str, input_name: str) -> Any:
    """The `.field` block that holds the input named `input_name`."""
    tree = lxml.html.fromstring(html)
    found = tree.xpath(
        f'//div[contains(concat(" ", @class, " "), " field ")][.//*[@name="{input_name}"]]'
    )
    assert found, f"no field block holds {input_name}"
    return found[-1]


def error_next_to(html: str, input_name: str) -> str:
    """The error text shown inside the input's own field block, wired to the input."""
    block = field_block(html, input_name)
    widget = block.xpath(f'.//*[@name="{input_name}"]')[0]
    errors = block.xpath('.//ul[contains(@class, "field__errors")]')
    assert errors, f"no error next to {input_name}"
    assert widget.get("aria-invalid") == "true"
    assert errors[0].get("id") in (widget.get("aria-describedby") or "").split()
    return errors[0].text_content().strip()


def nothing_saved() -> None:
    assert Dossier.objects.count() == 0
    assert DossierPaper.objects.count() == 0
    assert FeeDue.objects.count() == 0
    assert Instance.objects.count() == 0


# --- a form with invalid fields ------------------------------------------------------------------


def test_invalid_fields_each_show_their_error_next_to_the_field_and_nothing_is_saved(
    world: World,
) -> None:
    client = signed_in(world.citizen)
    response = client.post(
        submit_url(world),
        form_post(world, **{"f-ho_ten": "", "f-ngay_sinh": "2999-01-01", "f-so_ban": "99"}),
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert error_next_to(html, "f-ho_ten")
    assert error_next_to(html, "f-ngay_sinh")
    assert "10" in error_next_to(html, "f-so_ban")  # the maximum is named
    # The summary at the top links to each field.
    summary = lxml.html.fromstring(html).get_element_by_id("error-summary")
    links = {a.get("href") for a in summary.iter("a")}
    assert {"#id_f-ho_ten", "#id_f-ngay_sinh", "#id_f-so_ban"} <= links
    # Nothing reached the review page and nothing was saved.
    assert client.post(review_url(world)).status_code == 302
    nothing_saved()


def test_a_missing_agency_and_a_missing_required_paper_are_named_where_they_belong(
    world: World,
) -> None:
    first = world.papers[0]
    response = signed_in(world.citizen).post(
        submit_url(world), form_post(world, agency="", **{f"paper_{first.pk}": None})
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert error_next_to(html, "agency")
    assert error_next_to(html, f"paper_{first.pk}")
    nothing_saved()


def test_counter_intake_with_invalid_fields_saves_nothing(world: World) -> None:
    client = signed_in(world.officer.user)
    url = reverse("workspace:dossiers:intake") + f"?thu-tuc={world.procedure.code}"
    first, second = world.papers[:2]
    response = client.post(
        url,
        {
            "thu-tuc": world.procedure.code,
            "f-ho_ten": "",
            "f-so_ban": "0",
            f"paper_{first.pk}": pdf_upload(),
            f"paper_{second.pk}": png_upload(),
        },
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert error_next_to(html, "f-ho_ten")
    assert error_next_to(html, "f-so_ban")
    nothing_saved()


def test_the_api_names_every_invalid_field_and_saves_nothing(world: World) -> None:
    response = signed_in(world.citizen).post(
        "/api/v1/dossiers",
        {
            "procedure": world.procedure.code,
            "agency": world.ward.code,
            "data": json.dumps({"ho_ten": "", "so_ban": 99}),
            "paper_1": pdf_upload(),
            "paper_2": png_upload(),
        },
    )

    assert response.status_code == 422
    problem = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    named = json.dumps(problem, ensure_ascii=False)
    assert "ho_ten" in named and "so_ban" in named
    nothing_saved()


# --- papers of a type or size that is not allowed ------------------------------------------------


def test_a_paper_of_a_type_not_allowed_is_refused_with_the_reason(world: World) -> None:
    first = world.papers[0]  # the application form: PDF only
    response = signed_in(world.citizen).post(
        submit_url(world), form_post(world, **{f"paper_{first.pk}": png_upload("to-khai.png")})
    )

    assert response.status_code == 422
    reason = error_next_to(response.content.decode(), f"paper_{first.pk}")
    assert "to-khai.png" in reason and "PDF" in reason
    nothing_saved()


def test_a_paper_whose_content_is_not_its_extension_is_refused_at_submission(
    world: World,
) -> None:
    """A PNG renamed .pdf passes the browser's accept= filter; the content check refuses it."""
    first = world.papers[0]
    disguised = SimpleUploadedFile("to-khai.pdf", PNG_BYTES, "application/pdf")
    client = signed_in(world.citizen)
    response = client.post(submit_url(world), form_post(world, **{f"paper_{first.pk}": disguised}))
    if response.status_code == 302:  # the form only checks names; the service sniffs content
        response = client.post(review_url(world))

    assert response.status_code == 422
    html = response.content.decode()
    assert "to-khai.pdf" in html and "PNG" in html
    nothing_saved()


def test_a_paper_over_the_size_limit_is_refused_with_the_limit(world: World, settings: Any) -> None:
    settings.FILES_MAX_BYTES = 1024 * 1024
    first = world.papers[0]
    big = pdf_upload("to-khai-lon.pdf", extra=b"0" * (1024 * 1024 + 1))
    response = signed_in(world.citizen).post(
        submit_url(world), form_post(world, **{f"paper_{first.pk}": big})
    )

    assert response.status_code == 422
    reason = error_next_to(response.content.decode(), f"paper_{first.pk}")
    assert "to-khai-lon.pdf" in reason and "1 MB" in reason
    nothing_saved()


def test_the_api_refuses_a_paper_not_allowed_with_the_reason(world: World) -> None:
    response = signed_in(world.citizen).post(
        "/api/v1/dossiers",
        {
            "procedure": world.procedure.code,
            "agency": world.ward.code,
            "data": json.dumps({"ho_ten": "Trần Thị Hoa", "so_ban": 1}),
            "paper_1": SimpleUploadedFile("to-khai.docx", b"PK\x03\x04 not a pdf"),
            "paper_2": png_upload(),
        },
    )

    assert response.status_code == 422
    named = json.dumps(response.json(), ensure_ascii=False)
    assert "to-khai.docx" in named and "PDF" in named
    nothing_saved()


def test_a_supplement_paper_not_allowed_is_refused_and_the_dossier_still_waits(
    world: World,
) -> None:
    dossier = submitted(world)
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    services.dossier_request_supplement(
        actor=world.specialist.user, dossier=dossier, items=["Bản sao sổ hộ khẩu"]
    )
    papers_before = DossierPaper.objects.filter(dossier=dossier).count()

    response = signed_in(world.citizen).post(
        reverse("portal:dossiers:my_supplement", args=[dossier.code]),
        {"files": [SimpleUploadedFile("so-ho-khau.exe", b"MZ\x90\x00binary")]},
    )

    assert response.status_code == 422
    assert "so-ho-khau.exe" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert DossierPaper.objects.filter(dossier=dossier).count() == papers_before
    assert SupplementRequest.objects.get(dossier=dossier).fulfilled_at is None


# --- actions the workflow or the user may not take -----------------------------------------------


def submitted(world: World) -> Dossier:
    first, second = world.papers[:2]
    return services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Trần Thị Hoa", "so_ban": 2},
        papers=[(first.pk, pdf_upload()), (second.pk, png_upload())],
    )


def snapshot(dossier: Dossier) -> dict[str, Any]:
    fresh = Dossier.objects.get(pk=dossier.pk)
    instance = fresh.workflow_instance
    return {
        "status": fresh.status,
        "updated_at": fresh.updated_at,
        "due_at": fresh.due_at,
        "handling_agency": fresh.handling_agency_id,
        "step": instance.current_step_id if instance else None,
        "history": HistoryEntry.objects.filter(instance=instance).count(),
        "papers": fresh.papers.count(),
        "supplements": SupplementRequest.objects.filter(dossier=fresh).count(),
        "audit": AuditEntry.objects.count(),
    }


def act(client: Client, dossier: Dossier, action: str, **data: Any) -> Any:
    return client.post(
        reverse("workspace:dossiers:act", args=[dossier.public_id]),
        {"action": action, **data},
        headers={"HX-Request": "true"},
    )


@pytest.mark.parametrize(
    ("who", "action", "data"),
    [
        ("specialist", "approve", {}),  # the next step's action, too early
        ("specialist", "sign_result", {}),  # signing comes after approval
        ("specialist", "return_result", {}),  # nothing to return yet
        ("officer", "accept", {}),  # already received
        ("leader", "approve", {}),  # the right person, but the dossier is not at that step
        ("ward_specialist", "forward", {}),  # no role at the handling agency
    ],
)
def test_an_action_not_allowed_now_is_refused_and_changes_nothing(
    world: World, who: str, action: str, data: dict[str, Any]
) -> None:
    dossier = submitted(world)
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    before = snapshot(dossier)

    user = getattr(world, who).user
    response = act(signed_in(user), dossier, action, **data)

    assert response.status_code in (403, 404, 409), response.status_code
    if response.status_code == 409:
        assert "lúc này" in response.content.decode()  # the reason, with the current status
    assert snapshot(dossier) == before


def test_an_unknown_action_is_refused_and_changes_nothing(world: World) -> None:
    dossier = submitted(world)
    before = snapshot(dossier)

    response = act(signed_in(world.officer.user), dossier, "delete_everything")

    assert response.status_code == 422
    assert snapshot(dossier) == before


def test_a_second_supplement_request_at_intake_is_refused_with_the_rule(world: World) -> None:
    dossier = submitted(world)
    officer = signed_in(world.officer.user)
    first = act(officer, dossier, "request_supplement", items="Bản sao CCCD\nẢnh 4x6")
    assert first.status_code == 200
    dossier.refresh_from_db()
    services.dossier_supplement(
        actor=world.citizen, dossier=dossier, papers=[(None, pdf_upload("cccd.pdf", b"2"))]
    )
    before = snapshot(dossier)

    again = act(officer, dossier, "request_supplement", items="Giấy tờ khác")

    assert again.status_code == 409
    assert "một lần, đầy đủ" in again.content.decode()
    assert snapshot(dossier) == before


def test_staff_of_another_agency_get_not_found_and_change_nothing(world: World) -> None:
    dossier = submitted(world)
    stranger = make_staff(
        agency=make_agency(name="UBND phường Khác"), roles=[RoleCode.ONE_STOP_OFFICER]
    )
    before = snapshot(dossier)

    client = signed_in(stranger.user)
    response = act(client, dossier, "accept")
    page = client.get(reverse("workspace:dossiers:detail", args=[dossier.public_id]))

    assert response.status_code == 404 and page.status_code == 404
    assert snapshot(dossier) == before


def test_a_citizen_cannot_take_an_officer_action_nor_act_on_another_dossier(
    world: World,
) -> None:

    dossier = submitted(world)
    before = snapshot(dossier)

    own = signed_in(world.citizen)
    officer_page = act(own, dossier, "accept")
    other = signed_in(make_citizen())
    rate = other.post(
        reverse("portal:dossiers:my_rate", args=[dossier.code]), {"level": "satisfied"}
    )
    withdraw = other.post(reverse("portal:dossiers:my_withdraw", args=[dossier.code]))

    assert officer_page.status_code in (302, 403)  # the workspace is staff-only
    assert rate.status_code == 404 and withdraw.status_code == 404
    assert snapshot(dossier) == before


def test_rating_before_the_result_is_refused_and_changes_nothing(world: World) -> None:
    dossier = submitted(world)
    before = snapshot(dossier)

    client = signed_in(world.citizen)
    response = client.post(
        reverse("portal:dossiers:my_rate", args=[dossier.code]),
        {"level": "satisfied", "comment": "Nhanh"},
        follow=True,
    )

    assert response.status_code == 200
    assert "message--error" in response.content.decode()
    assert snapshot(dossier) == before


def test_the_api_refuses_an_action_not_allowed_with_409_and_changes_nothing(
    world: World,
) -> None:
    dossier = submitted(world)
    before = snapshot(dossier)

    response = signed_in(world.specialist.user).post(
        f"/api/v1/dossiers/{dossier.code}/actions",
        json.dumps({"action": "approve"}),
        content_type="application/json",
    )

    assert response.status_code in (404, 409)
    assert response["Content-Type"].startswith("application/problem+json")
    assert snapshot(dossier) == before


# --- tracking codes that do not exist ------------------------------------------------------------


@pytest.mark.parametrize("code", ["000.00.00.H00-261126-9999", "khong-co-ma-nay", "' OR 1=1 --"])
def test_an_unknown_tracking_code_gets_a_plain_not_found(world: World, code: str) -> None:
    submitted(world)  # a real dossier exists, so "not found" is not "nothing at all"

    page = Client().get(reverse("portal:tracking:dossier", args=[code]))
    via_form = Client().get(reverse("portal:tracking:form"), {"code": code})
    api = Client().get(f"/api/v1/tracking/{code}")

    assert page.status_code == 404
    assert "Không tìm thấy hồ sơ" in page.content.decode()
    assert via_form.status_code == 404
    assert "Không tìm thấy hồ sơ" in via_form.content.decode()
    assert api.status_code == 404
    assert api.json()["status"] == 404
    assert api["Content-Type"].startswith("application/problem+json")
    assert "Không tìm thấy hồ sơ" in json.dumps(api.json(), ensure_ascii=False)
    assert "Traceback" not in page.content.decode()


# --- a crash while the dossier and its papers are being written ----------------------------------


@contextmanager
def storage_fails_on_write(number: int) -> Iterator[list[str]]:
    """The configured file storage raises on its `number`-th write (a full disk)."""
    storage_class = type(storages["default"])
    original = storage_class._save
    written: list[str] = []

    def _save(self: Storage, name: str, content: Any) -> str:
        if len(written) + 1 == number:
            raise OSError(28, "No space left on device")
        written.append(name)
        return original(self, name, content)  # type: ignore[no-any-return]

    with mock.patch.object(storage_class, "_save", _save):
        yield written


@contextmanager
def database_fails_on(table: str) -> Iterator[None]:
    """The database refuses the first INSERT into `table` (a crash at that point)."""

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if sql.lstrip().upper().startswith("INSERT") and f'"{table}"' in sql:
            raise connection.Database.OperationalError(f"simulated crash inserting into {table}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def submit_through_the_pages(world: World, client: Client, *, extra: bytes = b"") -> Any:
    first, second = world.papers[:2]
    data = form_post(
        world,
        **{
            f"paper_{first.pk}": pdf_upload(extra=b"a" + extra),
            f"paper_{second.pk}": pdf_upload("cccd.pdf", extra=b"b" + extra),
        },
    )
    assert client.post(submit_url(world), data).status_code == 302
    return client.post(review_url(world))


def test_a_storage_crash_on_the_second_paper_leaves_no_dossier(world: World) -> None:
    client = signed_in(world.citizen, raise_request_exception=False)
    first, second = world.papers[:2]
    # Blobs are content-addressed: new bytes, so both papers must really be written.
    fresh = {
        f"paper_{first.pk}": pdf_upload(extra=unique()),
        f"paper_{second.pk}": pdf_upload("cccd.pdf", extra=unique()),
    }
    client.post(submit_url(world), form_post(world, **fresh))  # uploads kept in the stash

    with storage_fails_on_write(2) as written:
        response = client.post(review_url(world))

    assert response.status_code == 500
    assert len(written) == 1  # the first paper's blob was written (an orphan: acceptable)
    nothing_saved()


@pytest.mark.parametrize(
    "table",
    [
        "dossiers_dossierpaper",  # the dossier row is written, its papers are not
        "dossiers_feedue",  # the papers are written, then the fees fail
        "audit_auditentry",  # everything but the audit row
    ],
)
def test_a_crash_after_the_dossier_row_leaves_neither_dossier_nor_papers(
    world: World, table: str
) -> None:
    client = signed_in(world.citizen, raise_request_exception=False)

    with database_fails_on(table):
        response = submit_through_the_pages(world, client)

    assert response.status_code == 500
    nothing_saved()
    assert not AuditEntry.objects.filter(action="dossier.submit").exists()
    # The next submission works and takes the first number of the day: nothing was used up.
    retried = submit_through_the_pages(world, signed_in(world.citizen), extra=b"again")
    assert retried.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.code.endswith("-0001")
    assert dossier.papers.count() == 2
    assert all(p.file_id for p in dossier.papers.all())


def test_a_crash_at_the_counter_leaves_no_dossier(world: World) -> None:
    client = signed_in(world.officer.user, raise_request_exception=False)
    first, second = world.papers[:2]
    with database_fails_on("dossiers_dossierpaper"):
        response = client.post(
            reverse("workspace:dossiers:intake") + f"?thu-tuc={world.procedure.code}",
            {
                "thu-tuc": world.procedure.code,
                "kind": "citizen",
                "name": "Lê Văn Nam",
                "id_number": "001090012345",
                "phone": "0905111222",
                "f-ho_ten": "Lê Văn Nam",
                "f-so_ban": "1",
                f"paper_{first.pk}": pdf_upload(extra=unique()),
                f"paper_{second.pk}": pdf_upload("cccd.pdf", extra=unique()),
            },
        )

    assert response.status_code == 500
    nothing_saved()


def test_every_dossier_has_its_papers_after_crashes(world: World) -> None:
    """The invariant itself, over a mix of failed and successful submissions."""
    for attempt, table in enumerate(["dossiers_dossierpaper", None, "audit_auditentry", None]):
        client = signed_in(world.citizen, raise_request_exception=False)
        if table:
            with database_fails_on(table):
                submit_through_the_pages(world, client, extra=str(attempt).encode())
        else:
            assert (
                submit_through_the_pages(world, client, extra=str(attempt).encode()).status_code
                == 302
            )

    assert Dossier.objects.count() == 2
    for dossier in Dossier.objects.all():
        assert dossier.papers.count() == 2
    assert StoredFile.objects.count() >= 4


# --- the API's Idempotency-Key -------------------------------------------------------------------


def api_body(world: World) -> dict[str, Any]:
    return {
        "procedure": world.procedure.code,
        "agency": world.ward.code,
        "data": json.dumps({"ho_ten": "Trần Thị Hoa", "so_ban": 2}),
        "paper_1": pdf_upload(),
        "paper_2": png_upload(),
    }


def test_a_retried_api_submission_with_the_same_key_gives_one_dossier(world: World) -> None:
    client = signed_in(world.citizen)
    headers = {"Idempotency-Key": "mobile-7f3a-0001"}

    first = client.post("/api/v1/dossiers", api_body(world), headers=headers)
    retry = client.post("/api/v1/dossiers", api_body(world), headers=headers)
    third = client.post("/api/v1/dossiers", api_body(world), headers=headers)

    assert first.status_code == 201, first.content
    assert retry.status_code == 200 and third.status_code == 200
    assert first.json()["code"] == retry.json()["code"] == third.json()["code"]
    assert Dossier.objects.count() == 1
    assert DossierPaper.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_a_retry_after_a_crash_creates_the_dossier_once(world: World) -> None:
    client = signed_in(world.citizen, raise_request_exception=False)
    headers = {"Idempotency-Key": "mobile-7f3a-0002"}

    with database_fails_on("dossiers_dossierpaper"):
        crashed = client.post("/api/v1/dossiers", api_body(world), headers=headers)
    retry = client.post("/api/v1/dossiers", api_body(world), headers=headers)
    again = client.post("/api/v1/dossiers", api_body(world), headers=headers)

    assert crashed.status_code == 500
    assert retry.status_code == 201, retry.content
    assert again.status_code == 200 and again.json()["code"] == retry.json()["code"]
    assert Dossier.objects.count() == 1
    assert Dossier.objects.get().papers.count() == 2


def test_the_same_key_from_another_user_is_a_different_submission(world: World) -> None:

    headers = {"Idempotency-Key": "shared-key"}
    one = signed_in(world.citizen).post("/api/v1/dossiers", api_body(world), headers=headers)
    two = signed_in(make_citizen()).post("/api/v1/dossiers", api_body(world), headers=headers)

    assert one.status_code == 201 and two.status_code == 201
    assert one.json()["code"] != two.json()["code"]
    assert Dossier.objects.count() == 2
