"""The demo catalogue: about 100 procedures in every field, sound processes, idempotent."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from egov.audit.models import AuditEntry
from egov.organisations.demo import load_demo_city
from egov.procedures.demo import CATALOGUE, FIELDS, load_demo_procedures
from egov.procedures.forms_schema import schema_errors
from egov.procedures.models import Field, Procedure, ReceivingScope
from egov.workflow.models import Process
from egov.workflow.services import WORKING_DAY_HOURS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city() -> None:
    load_demo_city()


def test_demo_catalogue(demo_city: None) -> None:
    out = io.StringIO()
    assert load_demo_procedures(stdout=out) == []
    assert f"thủ tục mới: {len(CATALOGUE)}" in out.getvalue()

    # about 100, in every field, all published
    assert 95 <= Procedure.objects.count() <= 130
    assert set(Field.objects.values_list("code", flat=True)) == {code for code, _ in FIELDS}
    for code, _name in FIELDS:
        assert Procedure.objects.filter(field__code=code).exists(), code
    assert not Procedure.objects.filter(is_published=False).exists()
    assert not Procedure.objects.filter(search_text="").exists()

    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Đăng ký khai sinh"
    assert birth.receiving_scope == ReceivingScope.ALL_LOCAL
    assert birth.service_level.code == "full_online"
    assert birth.papers.filter(template_name__startswith="Tờ khai").exists()
    assert {f["name"] for f in birth.form_schema} >= {"ten_tre", "ngay_sinh", "so_dinh_danh"}
    copy = Procedure.objects.get(code="2.000815")
    assert copy.legal_working_days == Decimal("0.5") and copy.is_same_day
    assert copy.cutoff_time is not None and copy.cutoff_time.hour == 15
    permit = Procedure.objects.get(code="1.009972")
    assert permit.fees.get().counter_amount == 75000
    licence = Procedure.objects.get(code="1.002804")
    assert licence.agencies.get().abbreviation == "SXD"
    fee = licence.fees.get()
    assert (fee.counter_amount, fee.online_amount) == (135000, 115000)

    # every procedure has a process whose steps fit in the legal time, every form is sound
    for procedure in Procedure.objects.select_related("process"):
        process = procedure.process
        assert process is not None, procedure.code
        assert process.legal_working_days == procedure.legal_working_days
        total = sum(s.allotted_hours for s in process.steps.all())
        assert total == procedure.legal_working_days * WORKING_DAY_HOURS, procedure.code
        kinds = list(process.steps.order_by("order").values_list("kind", flat=True))
        assert kinds[0] == "intake" and kinds[-2:] == ["result", "done"]
        assert schema_errors(procedure.form_schema) == [], procedure.code
        if procedure.receiving_scope == ReceivingScope.LISTED:
            assert procedure.agencies.exists(), procedure.code

    # some processes cross agencies (liên thông)
    crossing = [
        p
        for p in Process.objects.prefetch_related("steps")
        if len({s.actor_agency_id for s in p.steps.all() if not s.is_final}) > 1
    ]
    assert len(crossing) >= 4

    # idempotent: a second run writes nothing
    entries = AuditEntry.objects.count()
    processes = Process.objects.count()
    out = io.StringIO()
    load_demo_procedures(stdout=out)
    assert f"giữ nguyên: {len(CATALOGUE)}" in out.getvalue()
    assert AuditEntry.objects.count() == entries
    assert Process.objects.count() == processes
