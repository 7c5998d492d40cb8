"""Intake services: online submission, counter intake, acceptance, supplement at intake,
refusal, idempotency; every refusal leaves nothing behind."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.audit.models import AuditEntry
from egov.core.errors import AppError, Conflict, NotFound, PermissionDenied, ValidationFailed
from egov.core.models import StoredFile
from egov.dossiers import services
from egov.dossiers.models import (
    Channel,
    Dossier,
    DossierPaper,
    DossierStatus,
    FeeDue,
    IdempotencyKey,
    Refusal,
    SupplementRequest,
    SupplementStage,
)
from egov.dossiers.testing import World, make_world, pdf, png
from egov.organisations.testing import make_agency, make_citizen
from egov.workflow.models import HistoryEntry, InstanceStatus

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FORM = {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "01/02/1990", "so_ban": "2"}


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def world() -> World:
    return make_world()


def submit(world: World, **kw: Any) -> Dossier:
    values: dict[str, Any] = {
        "actor": world.citizen,
        "procedure": world.procedure,
        "agency": world.ward,
        "form_data": FORM,
        "papers": world.uploads(),
    }
    values.update(kw)
    return services.dossier_submit_online(**values)


def counts() -> tuple[int, ...]:
    return (
        Dossier.objects.count(),
        DossierPaper.objects.count(),
        FeeDue.objects.count(),
        HistoryEntry.objects.count(),
        SupplementRequest.objects.count(),
    )


# --- online submission -----------------------------------------------------------------------


def test_online_submission_creates_the_dossier_with_code_papers_fees_and_workflow(
    world: World,
) -> None:
    dossier = submit(world, at=at(2026, 3, 3, 10))
    assert dossier.code == f"{world.ward.code}-260303-0001"
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.channel == Channel.ONLINE
    assert dossier.applicant == world.citizen
    assert dossier.applicant_name == world.citizen.full_name
    assert dossier.applicant_id_number == world.citizen.citizen_id
    assert dossier.form_data == {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-02-01", "so_ban": 2}
    assert dossier.papers.count() == 2
    assert {p.required_paper_id for p in dossier.papers.all()} == {
        p.pk for p in world.papers if p.required
    }
    fee = dossier.fees.get()
    assert (fee.name, fee.amount) == ("Lệ phí cấp giấy", 25000)  # the online amount
    instance = dossier.workflow_instance
    assert instance is not None and instance.current_step is not None
    assert instance.current_step.code == "tiep-nhan"
    assert dossier.current_step_name == "Tiếp nhận hồ sơ"
    assert dossier.received_at is None and dossier.due_at is None
    assert "nguyen van an" not in dossier.search_text  # the form is not searched
    assert dossier.code.lower() in dossier.search_text
    assert AuditEntry.objects.filter(
        action="dossier.submit", object_id=str(dossier.public_id)
    ).exists()


def test_second_submission_same_day_gets_the_next_number(world: World) -> None:
    first = submit(world, at=at(2026, 3, 3, 10))
    second = submit(world, at=at(2026, 3, 3, 16))
    next_day = submit(world, at=at(2026, 3, 4, 8))
    assert first.code.endswith("-260303-0001")
    assert second.code.endswith("-260303-0002")
    assert next_day.code.endswith("-260304-0001")


def test_invalid_form_field_is_named_and_nothing_is_saved(world: World) -> None:
    before = counts()
    files = StoredFile.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        submit(world, form_data={"ho_ten": "", "ngay_sinh": "32/13/2000", "so_ban": "99"})
    assert set(caught.value.fields) == {"ho_ten", "ngay_sinh", "so_ban"}
    assert "Họ và tên" in caught.value.fields["ho_ten"][0]
    assert counts() == before
    assert StoredFile.objects.count() == files  # checked before any file is stored


def test_missing_required_paper_is_named(world: World) -> None:
    first, second, _optional = world.papers
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        submit(world, papers=[(first.pk, pdf())])
    assert list(caught.value.fields) == [f"paper_{second.pk}"]
    assert second.name in caught.value.fields[f"paper_{second.pk}"][0]
    assert counts() == before


def test_paper_of_a_kind_not_allowed_is_refused_with_the_reason(world: World) -> None:
    first, second, _optional = world.papers
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        # the declaration accepts PDF only; the identity copy accepts PNG
        submit(world, papers=[(first.pk, png("to-khai.png")), (second.pk, png())])
    assert list(caught.value.fields) == [f"paper_{first.pk}"]
    assert "PDF" in caught.value.fields[f"paper_{first.pk}"][0]
    assert counts() == before


def test_paper_whose_content_lies_about_its_kind_is_refused(world: World) -> None:
    first, second, _optional = world.papers
    with pytest.raises(ValidationFailed) as caught:
        submit(
            world, papers=[(first.pk, ContentFile(b"not a pdf", name="a.pdf")), (second.pk, pdf())]
        )
    assert f"paper_{first.pk}" in caught.value.fields
    assert Dossier.objects.count() == 0


def test_paper_too_large_is_refused(world: World, settings: Any) -> None:
    settings.FILES_MAX_BYTES = 100
    first, second, _optional = world.papers
    with pytest.raises(ValidationFailed) as caught:
        submit(world, papers=[(first.pk, pdf()), (second.pk, pdf(extra=b"x"))])
    assert "dung lượng" in next(iter(caught.value.fields.values()))[0]
    assert Dossier.objects.count() == 0


def test_unknown_paper_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed) as caught:
        submit(world, papers=[*world.uploads(), (999999, pdf())])
    assert "papers" in caught.value.fields
    assert Dossier.objects.count() == 0


def test_procedure_not_online_is_refused() -> None:
    world = make_world(service_level="information")
    with pytest.raises(ValidationFailed) as caught:
        submit(world)
    assert "không nhận hồ sơ trực tuyến" in caught.value.message
    assert Dossier.objects.count() == 0


def test_agency_that_does_not_receive_the_procedure_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed) as caught:
        submit(world, agency=make_agency())
    assert "agency" in caught.value.fields
    assert Dossier.objects.count() == 0


def test_staff_cannot_submit_online(world: World) -> None:
    with pytest.raises(PermissionDenied):
        submit(world, actor=world.officer.user)


# --- idempotency -----------------------------------------------------------------------------


def test_same_key_same_content_returns_the_same_dossier(world: World) -> None:
    first = submit(world, idempotency_key="k-1")
    again = submit(world, idempotency_key="k-1")
    assert again.pk == first.pk
    assert Dossier.objects.count() == 1
    assert IdempotencyKey.objects.get().dossier == first


def test_same_key_other_content_is_a_conflict(world: World) -> None:
    first = submit(world, idempotency_key="k-1")
    with pytest.raises(Conflict) as caught:
        submit(world, idempotency_key="k-1", form_data={**FORM, "so_ban": "3"})
    assert first.code in caught.value.message
    assert Dossier.objects.count() == 1


def test_keys_belong_to_their_user(world: World) -> None:
    submit(world, idempotency_key="k-1")
    other = make_citizen()
    submit(world, actor=other, idempotency_key="k-1")
    assert Dossier.objects.count() == 2


# --- acceptance ------------------------------------------------------------------------------


def test_accept_sets_receipt_due_and_moves_to_processing(world: World) -> None:
    dossier = submit(world, at=at(2026, 3, 3, 10))
    services.dossier_accept(actor=world.officer.user, dossier=dossier, at=at(2026, 3, 3, 10, 30))
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.received_at == at(2026, 3, 3, 10, 30)
    assert dossier.received_by == world.officer
    # 5 working days after Tue 03/03/2026: Tue 10/03 at the close of working hours
    assert dossier.due_at == at(2026, 3, 10, 17, 0)
    assert dossier.original_due_at == dossier.legal_due_at == dossier.due_at
    assert dossier.handling_agency == world.department
    assert dossier.current_step_name == "Thẩm định hồ sơ"


def test_accept_by_someone_without_the_one_stop_role_is_refused(world: World) -> None:
    dossier = submit(world)
    for who in (world.ward_specialist.user, world.specialist.user, world.citizen):
        with pytest.raises(PermissionDenied):
            services.dossier_accept(actor=who, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.received_at is None


def test_accept_twice_is_a_conflict(world: World) -> None:
    dossier = submit(world)
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    with pytest.raises(Conflict):
        services.dossier_accept(actor=world.officer.user, dossier=dossier)


# --- supplement at intake --------------------------------------------------------------------


def test_supplement_at_intake_once_with_the_complete_list(world: World) -> None:
    dossier = submit(world, at=at(2026, 3, 3, 10))
    request = services.dossier_request_supplement(
        actor=world.officer.user,
        dossier=dossier,
        items=["Tờ khai thiếu chữ ký", "  ", "Bản sao CCCD bị mờ"],
        note="Nộp lại trong 10 ngày",
        at=at(2026, 3, 3, 11),
    )
    assert request.stage == SupplementStage.INTAKE
    assert request.items == ["Tờ khai thiếu chữ ký", "Bản sao CCCD bị mờ"]
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert dossier.workflow_instance is not None
    assert dossier.workflow_instance.status == InstanceStatus.WAITING

    services.dossier_supplement(
        actor=world.citizen,
        dossier=dossier,
        papers=[(world.papers[0].pk, pdf("to-khai-moi.pdf", extra=b"new"))],
        form_data={"so_ban": "3"},
        at=at(2026, 3, 5, 9),
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.form_data["so_ban"] == 3 and dossier.form_data["ho_ten"] == "Nguyễn Văn An"
    request.refresh_from_db()
    assert request.fulfilled_at == at(2026, 3, 5, 9) and request.fulfilled_by == world.citizen
    assert dossier.papers.filter(supplied_in_supplement=request).count() == 1

    # the second request at intake is refused: guidance is given once, completely
    with pytest.raises(Conflict) as caught:
        services.dossier_request_supplement(
            actor=world.officer.user, dossier=dossier, items=["Còn thiếu giấy khác"]
        )
    assert "một lần" in caught.value.message
    assert SupplementRequest.objects.count() == 1
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED

    # the clock starts at receipt: the wait before it does not count
    services.dossier_accept(actor=world.officer.user, dossier=dossier, at=at(2026, 3, 5, 10))
    assert dossier.due_at == at(2026, 3, 12, 17, 0)


def test_supplement_request_needs_items(world: World) -> None:
    dossier = submit(world)
    with pytest.raises(ValidationFailed) as caught:
        services.dossier_request_supplement(actor=world.officer.user, dossier=dossier, items=[" "])
    assert "items" in caught.value.fields
    assert SupplementRequest.objects.count() == 0


def test_supplement_with_an_invalid_field_changes_nothing(world: World) -> None:
    dossier = submit(world)
    services.dossier_request_supplement(actor=world.officer.user, dossier=dossier, items=["Sửa"])
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        services.dossier_supplement(actor=world.citizen, dossier=dossier, form_data={"ho_ten": ""})
    assert "ho_ten" in caught.value.fields
    assert counts() == before
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED


def test_another_citizen_cannot_supplement(world: World) -> None:
    dossier = submit(world)
    services.dossier_request_supplement(actor=world.officer.user, dossier=dossier, items=["Sửa"])
    with pytest.raises(PermissionDenied):
        services.dossier_supplement(actor=make_citizen(), dossier=dossier, form_data={"so_ban": 1})


def test_supplement_without_a_request_is_a_conflict(world: World) -> None:
    dossier = submit(world)
    with pytest.raises(Conflict):
        services.dossier_supplement(actor=world.citizen, dossier=dossier, form_data={"so_ban": 1})


# --- refusal at intake -----------------------------------------------------------------------


def test_refuse_at_intake_closes_with_reasons(world: World) -> None:
    dossier = submit(world)
    refusal = services.dossier_refuse(
        actor=world.officer.user, dossier=dossier, reasons=["Không thuộc thẩm quyền"]
    )
    assert refusal.stage == SupplementStage.INTAKE
    assert dossier.status == DossierStatus.REFUSED and dossier.closed_at is not None
    assert dossier.finished_on_time is None  # never received: no deadline to judge
    with pytest.raises(Conflict):
        services.dossier_accept(actor=world.officer.user, dossier=dossier)


def test_refuse_needs_reasons(world: World) -> None:
    dossier = submit(world)
    with pytest.raises(ValidationFailed):
        services.dossier_refuse(actor=world.officer.user, dossier=dossier, reasons=[])
    assert Refusal.objects.count() == 0


# --- counter intake --------------------------------------------------------------------------


def test_counter_intake_receives_at_once(world: World) -> None:
    dossier = services.dossier_receive_at_counter(
        actor=world.officer.user,
        procedure=world.procedure,
        applicant=services.ApplicantInput(
            name="Trần Thị Bình", id_number="048190000123", phone="0905 111 222"
        ),
        form_data=FORM,
        papers=world.uploads(),
        at=at(2026, 3, 3, 15, 0),
    )
    assert dossier.channel == Channel.COUNTER and dossier.applicant is None
    assert dossier.applicant_phone == "0905111222"
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.received_by == world.officer
    assert dossier.due_at == at(2026, 3, 10, 17, 0)
    assert dossier.fees.get().amount == 50000  # the counter amount


def test_counter_intake_with_bad_applicant_data_changes_nothing(world: World) -> None:
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        services.dossier_receive_at_counter(
            actor=world.officer.user,
            procedure=world.procedure,
            applicant=services.ApplicantInput(name="", phone="123"),
            form_data=FORM,
            papers=world.uploads(),
        )
    assert {"applicant_name", "applicant_phone"} <= set(caught.value.fields)
    assert counts() == before


def test_counter_intake_by_a_specialist_is_refused(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.dossier_receive_at_counter(
            actor=world.ward_specialist.user,
            procedure=world.procedure,
            applicant=services.ApplicantInput(name="A"),
            form_data=FORM,
            papers=world.uploads(),
        )


def test_counter_intake_without_accepting_may_lack_papers(world: World) -> None:
    dossier = services.dossier_receive_at_counter(
        actor=world.officer.user,
        procedure=world.procedure,
        applicant=services.ApplicantInput(name="Lê Văn C"),
        form_data=FORM,
        papers=[],
        accept=False,
    )
    assert dossier.status == DossierStatus.SUBMITTED and dossier.received_at is None


# --- withdrawal ------------------------------------------------------------------------------


def test_withdraw_before_decision(world: World) -> None:
    dossier = submit(world)
    services.dossier_withdraw(actor=world.citizen, dossier=dossier, reason="Nộp nhầm")
    assert dossier.status == DossierStatus.WITHDRAWN and dossier.status_note == "Nộp nhầm"


def test_withdraw_by_someone_else_looks_like_not_found(world: World) -> None:
    dossier = submit(world)
    with pytest.raises(NotFound):
        services.dossier_withdraw(actor=make_citizen(), dossier=dossier, reason="x")
    with pytest.raises(NotFound):
        services.dossier_withdraw(actor=world.officer.user, dossier=dossier, reason="x")


def test_withdraw_needs_a_reason(world: World) -> None:
    dossier = submit(world)
    with pytest.raises(ValidationFailed):
        services.dossier_withdraw(actor=world.citizen, dossier=dossier, reason=" ")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_app_errors_carry_codes(world: World) -> None:
    dossier = submit(world)
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    with pytest.raises(AppError) as caught:
        services.dossier_accept(actor=world.officer.user, dossier=dossier)
    assert caught.value.code == "dossier_state_conflict" and caught.value.status == 409


def test_times_must_be_aware(world: World) -> None:
    with pytest.raises(ValidationFailed):
        submit(world, at=datetime(2026, 3, 3, 9) - timedelta(0))


def test_online_submission_queries_stay_lean(world: World) -> None:
    """The calendar revision is read once, the dossier row inserted once (then only the
    workflow's columns set), and the papers' rows written in the submission's transaction."""
    submit(world)  # warm: the policy subject, the calendar
    papers = [
        (p.pk, pdf(f"lean-{p.pk}.pdf", extra=b"lean" + bytes([p.pk % 256])))
        for p in world.papers
        if p.required
    ]
    with CaptureQueriesContext(connection) as queries:
        dossier = submit(world, papers=papers)
    sql = [q["sql"] for q in queries.captured_queries]
    assert len([q for q in sql if "calendar_calendarrevision" in q]) == 1
    dossier_writes = [
        q
        for q in sql
        if q.startswith(('INSERT INTO "dossiers_dossier"', 'UPDATE "dossiers_dossier"'))
    ]
    assert [q.split()[0] for q in dossier_writes] == ["INSERT", "UPDATE"]
    assert "form_data" not in dossier_writes[1] and "search_text" not in dossier_writes[1]
    opened = next(i for i, q in enumerate(sql) if q.startswith("SAVEPOINT"))
    files = [i for i, q in enumerate(sql) if q.startswith('INSERT INTO "core_storedfile"')]
    assert len(files) == 2 and min(files) > opened  # inside the submission's transaction
    assert not any("workflow_instance" in q and q.startswith("SELECT") for q in sql)  # no refresh
    assert dossier.workflow_instance is not None and dossier.papers.count() == 2


def test_a_failed_submission_leaves_no_paper_rows(world: World) -> None:
    before = StoredFile.objects.count()

    def refuse_the_dossier(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith('INSERT INTO "dossiers_dossier"'):
            raise connection.Database.OperationalError("simulated crash")
        return execute(sql, params, many, context)

    papers = [
        (p.pk, pdf(f"gone-{p.pk}.pdf", extra=b"gone" + bytes([p.pk % 256])))
        for p in world.papers
        if p.required
    ]
    with (
        connection.execute_wrapper(refuse_the_dossier),
        pytest.raises(Exception, match="simulated"),
    ):
        submit(world, papers=papers)
    assert StoredFile.objects.count() == before
    assert not Dossier.objects.exists()
