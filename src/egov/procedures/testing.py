"""Factories for tests: reference data, a procedure's input, a procedure."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from egov.organisations.models import Agency
from egov.organisations.testing import make_agency
from egov.procedures import services
from egov.procedures.inputs import FeeInput, PaperInput, ProcedureInput
from egov.procedures.models import Field, Procedure, ServiceLevel

_seq = itertools.count(1)


def levels() -> dict[str, ServiceLevel]:
    return {lv.code: lv for lv in services.service_levels_ensure_standard(actor=None)}


def make_field(code: str = "ho-tich", name: str = "Hộ tịch") -> Field:
    return services.field_ensure(actor=None, code=code, name=name)


def simple_process(*, hours: tuple[float, float, float] = (1, 5, 1.5)) -> dict[str, Any]:
    intake, processing, result = hours
    return {
        "name": "Quy trình thử",
        "steps": [
            {"code": "tiep-nhan", "name": "Tiếp nhận", "kind": "intake",
             "actor_roles": ["one_stop_officer"], "allotted_hours": intake},
            {"code": "xu-ly", "name": "Xử lý", "kind": "processing",
             "actor_roles": ["specialist"], "allotted_hours": processing},
            {"code": "tra", "name": "Trả kết quả", "kind": "result",
             "actor_roles": ["one_stop_officer"], "allotted_hours": result},
            {"code": "xong", "name": "Hoàn thành", "kind": "done", "is_final": True},
        ],
        "transitions": [
            {"source": "tiep-nhan", "action": "accept", "target": "xu-ly"},
            {"source": "xu-ly", "action": "forward", "target": "tra"},
            {"source": "tra", "action": "return_result", "target": "xong"},
        ],
    }  # fmt: skip


def procedure_input(
    *, code: str | None = None, agency: Agency | None = None, **overrides: Any
) -> ProcedureInput:
    n = next(_seq)
    values: dict[str, Any] = {
        "code": code or f"9.{900000 + n:06d}",
        "name": f"Thủ tục thử {n}",
        "field": overrides.pop("field", None) or make_field(),
        "level": "city",
        "legal_working_days": Decimal(1),
        "result_type": "Giấy xác nhận",
        "service_level": levels()["full_online"],
        "agencies": (agency or make_agency(),),
        "papers": (PaperInput(name="Tờ khai", template_name="Tờ khai"),),
        "fees": (FeeInput(name="Lệ phí", counter_amount=50000, online_amount=25000),),
        "form_schema": [{"name": "ho_ten", "label": "Họ và tên", "type": "text", "required": True}],
        "is_published": True,
    }
    values.update(overrides)
    return ProcedureInput(**values)


def make_procedure(**kwargs: Any) -> Procedure:
    return services.procedure_create(actor=None, data=procedure_input(**kwargs))
