"""Services of the catalogue: checks, create/update/publish with audit, import and export."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from egov.audit.models import AuditEntry
from egov.core.errors import PermissionDenied, ValidationFailed
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_staff
from egov.procedures import catalogue, selectors, services
from egov.procedures.inputs import PaperInput
from egov.procedures.models import Fee, Procedure, RequiredPaper, validate_procedure_code
from egov.procedures.testing import (
    levels,
    make_field,
    make_procedure,
    procedure_input,
    simple_process,
)
from egov.workflow.models import Process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _levels() -> None:
    levels()


@pytest.mark.parametrize("code", ["1.001193", "2.000908", "1.012753.H19"])
def test_good_codes(code: str) -> None:
    validate_procedure_code(code)


@pytest.mark.parametrize(
    "code", ["1001193", "1.00119", "1.0011934", "1.012753.h19", "1.012753.H1", ""]
)
def test_bad_codes(code: str) -> None:
    with pytest.raises(ValidationError):
        validate_procedure_code(code)


def test_create_writes_everything_and_an_audit_row() -> None:
    procedure = make_procedure(code="1.001193", name="Đăng ký khai sinh", process=simple_process())
    assert procedure.search_text.startswith("1.001193 dang ky khai sinh")
    assert procedure.papers.get().template_name == "Tờ khai"
    fee = procedure.fees.get()
    assert (fee.counter_amount, fee.online_amount) == (50000, 25000)
    assert procedure.process is not None and procedure.process.code == "tthc-1-001193"
    assert procedure.process.legal_working_days == Decimal(1)
    entry = AuditEntry.objects.filter(action="procedure.create").get()
    assert entry.after["code"] == "1.001193" and entry.after["fees"]


def test_every_bad_field_is_named_and_nothing_is_written() -> None:
    data = procedure_input(
        code="1.1",
        name=" ",
        level="province",
        legal_working_days=Decimal(0),
        result_type="",
        agencies=(),
        papers=(PaperInput(name="", copies=0, form="photo", allowed_kinds=("exe",)),),
        form_schema=[{"name": "x", "type": "colour", "label": "X"}],
    )
    with pytest.raises(ValidationFailed) as refused:
        services.procedure_create(actor=None, data=data)
    assert set(refused.value.fields) >= {
        "code", "name", "level", "legal_working_days", "result_type", "agencies", "papers[1]",
        "form_schema",
    }  # fmt: skip
    assert len(refused.value.fields["papers[1]"]) == 4
    assert not Procedure.objects.exists()


def test_steps_beyond_the_legal_time_are_refused_by_the_engine() -> None:
    data = procedure_input(process=simple_process(hours=(2, 5, 1)))  # 8 h > 7.5 h
    with pytest.raises(ValidationFailed) as refused:
        services.procedure_create(actor=None, data=data)
    assert "vượt thời hạn" in " ".join(refused.value.fields["steps"])
    assert not Procedure.objects.exists() and not Process.objects.exists()


def test_update_keeps_matching_papers_and_versions_the_process() -> None:
    procedure = make_procedure(process=simple_process())
    paper_id = procedure.papers.get().pk
    first = procedure.process
    data = procedure_input(
        code=procedure.code,
        agency=procedure.agencies.get(),
        legal_working_days=Decimal(2),
        papers=(PaperInput(name="Giấy mới"), PaperInput(name="Tờ khai", copies=2)),
        fees=(),
        process=simple_process(hours=(1, 12, 1)),
    )
    updated = services.procedure_update(actor=None, procedure=procedure, data=data)
    papers = list(updated.papers.order_by("order"))
    assert [p.name for p in papers] == ["Giấy mới", "Tờ khai"]
    assert papers[1].pk == paper_id and papers[1].copies == 2
    assert not Fee.objects.exists()
    assert updated.process is not None and updated.process.version == 2
    first.refresh_from_db()
    assert not first.is_active
    assert AuditEntry.objects.filter(action="procedure.update").count() == 1


def test_only_administrators_manage_the_catalogue() -> None:
    agency = make_agency()
    specialist = make_staff(agency=agency, roles=[RoleCode.SPECIALIST])
    admin = make_staff(agency=agency, roles=[RoleCode.ADMINISTRATOR])
    with pytest.raises(PermissionDenied):
        services.procedure_create(actor=specialist.user, data=procedure_input(agency=agency))
    procedure = services.procedure_create(
        actor=admin.user, data=procedure_input(agency=agency, is_published=False)
    )
    with pytest.raises(PermissionDenied):
        services.procedure_publish(actor=specialist.user, procedure=procedure)
    services.procedure_publish(actor=admin.user, procedure=procedure)
    procedure.refresh_from_db()
    assert procedure.is_published
    assert AuditEntry.objects.filter(action="procedure.publish", actor_id=admin.user.pk).exists()


# --- import and export ---------------------------------------------------------------------------


def _document(agency_code: str) -> dict:
    return {
        "format": "egov-procedures",
        "version": 1,
        "fields": [{"code": "chung-thuc", "name": "Chứng thực", "order": 2}],
        "procedures": [
            {
                "code": "2.000815",
                "name": "Chứng thực bản sao từ bản chính",
                "field": "chung-thuc",
                "level": "commune",
                "receiving_scope": "all_local",
                "legal_working_days": 0.5,
                "cutoff_time": "15:00",
                "result_type": "Bản sao được chứng thực",
                "service_level": "partial_online",
                "is_published": True,
                "papers": [{"name": "Bản chính giấy tờ"}, {"name": "Bản sao", "copies": 2}],
                "fees": [{"name": "Phí chứng thực", "kind": "fee", "counter_amount": 2000}],
                "form_schema": [{"name": "so_trang", "label": "Số trang", "type": "number"}],
                "process": simple_process(hours=(0.5, 2.75, 0.5)),
            },
            {
                "code": "1.009972",
                "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
                "field": "chung-thuc",
                "level": "city",
                "agencies": [agency_code],
                "legal_working_days": 15,
                "result_type": "Giấy phép xây dựng",
                "service_level": "full_online",
                "fees": [{"name": "Lệ phí", "counter_amount": 75000}],
            },
        ],
    }


def _import(document: dict) -> services.ImportReport:
    parsed = catalogue.read_json(json.dumps(document).encode())
    return services.catalogue_import(
        actor=None, rows=parsed.rows, fields=parsed.fields, errors=parsed.errors
    )


def test_json_import_creates_then_updates_in_place_then_changes_nothing() -> None:
    agency = make_agency()
    document = _document(agency.code)
    report = _import(document)
    assert sorted(report.created) == ["1.009972", "2.000815"]
    copy = Procedure.objects.get(code="2.000815")
    assert copy.cutoff_time is not None and copy.cutoff_time.hour == 15
    assert copy.fees.get().online_amount == 2000  # online defaults to the counter amount
    assert copy.field.name == "Chứng thực"
    ids = {p.code: p.pk for p in Procedure.objects.all()}

    document["procedures"][1]["fees"][0]["online_amount"] = 50000
    report = _import(document)
    assert report.updated == ["1.009972"] and report.unchanged == ["2.000815"]
    assert {p.code: p.pk for p in Procedure.objects.all()} == ids
    assert Fee.objects.get(procedure__code="1.009972").online_amount == 50000

    entries = AuditEntry.objects.count()
    report = _import(document)
    assert report.unchanged == ["2.000815", "1.009972"]
    assert AuditEntry.objects.count() == entries
    assert Process.objects.count() == 1


def test_one_bad_row_writes_nothing_and_every_error_is_reported() -> None:
    agency = make_agency()
    document = _document(agency.code)
    bad = document["procedures"][1]
    bad.update(
        {
            "field": "khong-co",
            "agencies": ["000.99.99.H99"],
            "service_level": "level_4",
            "legal_working_days": "mười",
        }
    )
    bad["fees"][0]["counter_amount"] = "nhiều"
    document["procedures"].append(dict(document["procedures"][0]))  # duplicate code
    with pytest.raises(services.CatalogueImportRefused) as refused:
        _import(document)
    found = {(e.where, e.field) for e in refused.value.errors}
    where = "thủ tục #2 (1.009972)"
    assert {
        (where, "field"), (where, "agencies"), (where, "service_level"),
        (where, "legal_working_days"), (where, "counter_amount"),
        ("thủ tục #3 (2.000815)", "code"),
    } <= found  # fmt: skip
    assert not Procedure.objects.exists() and not Process.objects.exists()
    assert not RequiredPaper.objects.exists()


def test_engine_refusals_of_a_later_row_undo_the_earlier_rows() -> None:
    document = _document(make_agency().code)
    document["procedures"][1]["process"] = simple_process(hours=(1, 200, 1))  # > 15 days
    with pytest.raises(services.CatalogueImportRefused) as refused:
        _import(document)
    assert [e.field for e in refused.value.errors] == ["process.steps"]
    assert not Procedure.objects.exists() and not Process.objects.exists()


def test_xlsx_export_and_import_round_trip() -> None:
    agency = make_agency()
    _import(_document(agency.code))
    before = [catalogue.procedure_as_data(p) for p in selectors.procedures_for_export()]
    content = catalogue.write_xlsx(selectors.procedures_for_export())
    parsed = catalogue.read_xlsx(content)
    assert parsed.errors == [] and all(not r.errors for r in parsed.rows)
    for row in parsed.rows:
        assert row.data is not None
        assert catalogue.procedure_input_as_data(row.data) in before
    report = services.catalogue_import(actor=None, rows=parsed.rows, fields=parsed.fields)
    assert sorted(report.unchanged) == ["1.009972", "2.000815"]


def test_json_export_round_trip() -> None:
    _import(_document(make_agency().code))
    content = catalogue.write_json(selectors.procedures_for_export())
    parsed = catalogue.read_json(content)
    report = services.catalogue_import(actor=None, rows=parsed.rows, fields=parsed.fields)
    assert report.total == 2 and not report.created and not report.updated


def test_xlsx_errors_name_the_sheet_and_row() -> None:
    _import(_document(make_agency().code))
    from openpyxl import load_workbook

    book = load_workbook(
        __import__("io").BytesIO(catalogue.write_xlsx(selectors.procedures_for_export()))
    )
    book["papers"]["C2"] = 0  # copies of the first paper
    book["fees"].append(["9.999999", "Lệ phí lạ"])
    out = __import__("io").BytesIO()
    book.save(out)
    parsed = catalogue.read_xlsx(out.getvalue())
    with pytest.raises(services.CatalogueImportRefused) as refused:
        services.catalogue_import(
            actor=None, rows=parsed.rows, fields=parsed.fields, errors=parsed.errors
        )
    places = {(e.where, e.field) for e in refused.value.errors}
    assert ("papers dòng 2", "papers[1]") in places
    assert ("fees dòng 4", "procedure") in places


def test_the_command_imports_and_exports(tmp_path) -> None:  # type: ignore[no-untyped-def]
    agency = make_agency()
    source = tmp_path / "danh-muc.json"
    source.write_text(json.dumps(_document(agency.code)), encoding="utf-8")
    call_command("catalogue", "import", str(source))
    assert Procedure.objects.count() == 2
    target = tmp_path / "ra.xlsx"
    call_command("catalogue", "export", str(target))
    assert target.read_bytes()[:2] == b"PK"
    broken = tmp_path / "hong.json"
    document = _document(agency.code)
    document["procedures"][0]["level"] = "quan"
    broken.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("catalogue", "import", str(broken))


def test_field_codes_are_checked() -> None:
    with pytest.raises(ValidationFailed):
        make_field(code="Hộ tịch")
