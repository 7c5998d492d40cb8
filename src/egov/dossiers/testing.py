"""Factories for tests (and the demo): a one-stop world, uploads, dossiers in lifecycle states.

`make_world()` builds a ward (the receiving agency, one-stop officer) and a department that
processes (specialist, unit head, leader), a published procedure of 5 working days whose
process crosses them (một cửa liên thông):

    tiep-nhan (ward, one-stop)  ─accept→ tham-dinh (department, specialist)
      ─forward→ phe-duyet (department, leader) ─approve→ ky (department, leader)
      ─sign_result→ tra-ket-qua (ward, one-stop) ─return_result→ xong

with request_supplement / refuse / withdraw at intake and appraisal, suspend at appraisal.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from egov.accounts.models import User
from egov.dossiers.models import Channel, Dossier, DossierStatus
from egov.organisations.models import Agency, AgencyKind, RoleCode, StaffMember
from egov.organisations.testing import make_agency, make_citizen, make_staff
from egov.procedures.inputs import FeeInput, PaperInput
from egov.procedures.models import Procedure, RequiredPaper
from egov.procedures.testing import levels, make_field, make_procedure

_seq = itertools.count(1)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def pdf(name: str = "giay-to.pdf", extra: bytes = b"") -> ContentFile[bytes]:
    """A small valid PDF upload (`extra` makes its content, hence its hash, distinct)."""
    return ContentFile(PDF_BYTES + extra, name=name)


def png(name: str = "anh.png") -> ContentFile[bytes]:
    return ContentFile(PNG_BYTES, name=name)


def process_data(ward: Agency, department: Agency, scale: Decimal = Decimal(1)) -> dict[str, Any]:
    """The process; `scale` shrinks the step allotments to fit a shorter legal time."""

    def hours(value: float) -> float:
        return float((Decimal(str(value)) * scale).quantize(Decimal("0.01"), rounding="ROUND_DOWN"))

    return {
        "name": "Quy trình liên thông thử",
        "steps": [
            {"code": "tiep-nhan", "name": "Tiếp nhận hồ sơ", "kind": "intake",
             "actor_roles": ["one_stop_officer"], "actor_agency": ward.code,
             "allotted_hours": hours(2)},
            {"code": "tham-dinh", "name": "Thẩm định hồ sơ", "kind": "processing",
             "actor_roles": ["specialist"], "actor_agency": department.code,
             "allotted_hours": hours(15)},
            {"code": "phe-duyet", "name": "Phê duyệt", "kind": "approval",
             "actor_roles": ["agency_leader"], "actor_agency": department.code,
             "allotted_hours": hours(7.5)},
            {"code": "ky", "name": "Ký kết quả", "kind": "signing",
             "actor_roles": ["agency_leader"], "actor_agency": department.code,
             "allotted_hours": hours(4)},
            {"code": "tra-ket-qua", "name": "Trả kết quả", "kind": "result",
             "actor_roles": ["one_stop_officer"], "actor_agency": ward.code,
             "allotted_hours": hours(4)},
            {"code": "xong", "name": "Hoàn thành", "kind": "done", "is_final": True},
        ],
        "transitions": [
            {"source": "tiep-nhan", "action": "accept", "target": "tham-dinh"},
            {"source": "tiep-nhan", "action": "request_supplement"},
            {"source": "tiep-nhan", "action": "refuse"},
            {"source": "tiep-nhan", "action": "withdraw"},
            {"source": "tham-dinh", "action": "forward", "target": "phe-duyet"},
            {"source": "tham-dinh", "action": "request_supplement"},
            {"source": "tham-dinh", "action": "suspend"},
            {"source": "tham-dinh", "action": "refuse"},
            {"source": "tham-dinh", "action": "withdraw"},
            {"source": "phe-duyet", "action": "approve", "target": "ky"},
            {"source": "phe-duyet", "action": "return", "target": "tham-dinh"},
            {"source": "ky", "action": "sign_result", "target": "tra-ket-qua"},
            {"source": "tra-ket-qua", "action": "return_result", "target": "xong"},
        ],
    }  # fmt: skip


FORM_SCHEMA: list[dict[str, Any]] = [
    {"name": "ho_ten", "label": "Họ và tên", "type": "text", "required": True, "max": 100},
    {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date", "max": "today"},
    {"name": "so_ban", "label": "Số bản", "type": "number", "min": 1, "max": 10},
]


@dataclass
class World:
    ward: Agency
    department: Agency
    procedure: Procedure
    officer: StaffMember  # one-stop officer of the ward
    specialist: StaffMember  # of the department
    leader: StaffMember  # agency leader of the department
    ward_specialist: StaffMember  # no role at the department
    citizen: User

    @property
    def papers(self) -> list[RequiredPaper]:
        return list(self.procedure.papers.order_by("order"))

    def uploads(self) -> list[tuple[int, ContentFile[bytes]]]:
        """One distinct PDF for every required paper."""
        return [
            (p.pk, pdf(f"giay-{p.order}.pdf", extra=str(p.pk).encode()))
            for p in self.papers
            if p.required
        ]


def make_world(
    *,
    legal_working_days: Decimal | int = 5,
    cutoff_time: Any = None,
    service_level: str = "full_online",
    fees: tuple[FeeInput, ...] = (
        FeeInput(name="Lệ phí cấp giấy", counter_amount=50000, online_amount=25000),
    ),
) -> World:
    ward = make_agency(kind=AgencyKind.WARD, name="UBND phường Thử")
    department = make_agency(name="Sở Xây dựng thử")
    procedure = make_procedure(
        agency=ward,
        field=make_field(),
        legal_working_days=Decimal(legal_working_days),
        cutoff_time=cutoff_time,
        service_level=levels()[service_level],
        form_schema=FORM_SCHEMA,
        papers=(
            PaperInput(name="Tờ khai đề nghị", allowed_kinds=("pdf",)),
            PaperInput(name="Bản sao giấy tờ tùy thân", form="copy", allowed_kinds=("pdf", "png")),
            PaperInput(name="Giấy tờ khác", required=False),
        ),
        fees=fees,
        process=process_data(
            ward, department, min(Decimal(1), Decimal(legal_working_days) * 75 / 325)
        ),
    )
    return World(
        ward=ward,
        department=department,
        procedure=procedure,
        officer=make_staff(agency=ward, roles=[RoleCode.ONE_STOP_OFFICER]),
        specialist=make_staff(agency=department, roles=[RoleCode.SPECIALIST]),
        leader=make_staff(agency=department, roles=[RoleCode.AGENCY_LEADER]),
        ward_specialist=make_staff(agency=ward, roles=[RoleCode.SPECIALIST]),
        citizen=make_citizen(phone="0905123456"),
    )


def make_dossier(*, agency: Agency, applicant: Any = None, **extra: Any) -> Dossier:
    """A bare dossier row (no workflow, papers or fees) for policy and list tests."""
    n = next(_seq)
    procedure = extra.pop("procedure", None) or Procedure.objects.create(
        code=f"9.{800000 + n:06d}",
        name=f"Thủ tục thử {n}",
        field=make_field(),
        level="city",
        legal_working_days=Decimal(5),
        result_type="Giấy xác nhận",
        service_level=levels()["full_online"],
        is_published=True,
    )
    user = applicant if getattr(applicant, "pk", None) else None
    values: dict[str, Any] = {
        "code": f"{agency.code}-TEST-{n:06d}",
        "procedure": procedure,
        "agency": agency,
        "handling_agency": agency,
        "applicant": user,
        "applicant_name": getattr(user, "full_name", "") or f"Người nộp {n}",
        "channel": Channel.ONLINE if user is not None else Channel.COUNTER,
        "status": DossierStatus.SUBMITTED,
        "submitted_at": timezone.now(),
    }
    values.update(extra)
    return Dossier.objects.create(**values)
