"""A 4-step inter-agency process (một cửa liên thông) and the people who work it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from egov.accounts.models import User
from egov.organisations.models import Agency, AgencyKind, RoleCode, StaffMember
from egov.organisations.testing import make_agency, make_citizen, make_staff
from egov.workflow.models import Process
from egov.workflow.services import process_define

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def four_steps(ward: Agency, department: Agency, **overrides: Any) -> dict[str, Any]:
    """Intake at the ward, appraisal and approval at the department, result back at the ward.

    Allotments 4 + 16 + 8 + 4 = 32 working hours, inside 5 working days (37.5 h).
    """
    data: dict[str, Any] = {
        "code": "cap-giay-phep-thu",
        "name": "Cấp giấy phép thử (liên thông phường – sở)",
        "legal_working_days": 5,
        "steps": [
            {
                "code": "tiep-nhan",
                "name": "Tiếp nhận hồ sơ",
                "order": 1,
                "kind": "intake",
                "actor_roles": ["one_stop_officer"],
                "allotted_hours": 4,
            },
            {
                "code": "tham-dinh",
                "name": "Thẩm định hồ sơ",
                "order": 2,
                "kind": "processing",
                "actor_roles": ["specialist"],
                "actor_agency": department.code,
                "allotted_hours": 16,
            },
            {
                "code": "phe-duyet",
                "name": "Phê duyệt",
                "order": 3,
                "kind": "approval",
                "actor_roles": ["agency_leader"],
                "actor_agency": department.code,
                "allotted_hours": 8,
            },
            {
                "code": "tra-ket-qua",
                "name": "Trả kết quả",
                "order": 4,
                "kind": "result",
                "actor_roles": ["one_stop_officer"],
                "actor_agency": ward.code,
                "allotted_hours": 4,
            },
        ],
        "transitions": [
            {"source": "tiep-nhan", "action": "forward", "target": "tham-dinh"},
            {"source": "tiep-nhan", "action": "refuse", "target": None},
            {"source": "tiep-nhan", "action": "withdraw", "target": None},
            {"source": "tham-dinh", "action": "forward", "target": "phe-duyet"},
            {"source": "tham-dinh", "action": "return", "target": "tiep-nhan"},
            {"source": "tham-dinh", "action": "request_supplement", "target": None},
            {"source": "tham-dinh", "action": "suspend", "target": None},
            {"source": "tham-dinh", "action": "withdraw", "target": None},
            {"source": "phe-duyet", "action": "approve", "target": "tra-ket-qua"},
            {"source": "phe-duyet", "action": "return", "target": "tham-dinh"},
            {"source": "phe-duyet", "action": "refuse", "target": None},
            {"source": "tra-ket-qua", "action": "return_result", "target": None},
        ],
    }
    data.update(overrides)
    return data


@dataclass
class World:
    ward: Agency
    department: Agency
    process: Process
    officer: StaffMember  # one-stop officer of the ward
    specialist: StaffMember  # specialist of the department
    leader: StaffMember  # agency leader of the department
    ward_specialist: StaffMember  # a specialist of the ward: no role at the department
    applicant: User

    def subject(self) -> User:
        """A fresh subject row (any model will do: the engine stores its label and pk)."""
        return make_citizen()


def make_world() -> World:
    ward = make_agency(kind=AgencyKind.WARD, name="UBND phường Thử")
    department = make_agency(name="Sở Xây dựng thử")
    process = process_define(actor=None, **four_steps(ward, department))
    return World(
        ward=ward,
        department=department,
        process=process,
        officer=make_staff(agency=ward, roles=[RoleCode.ONE_STOP_OFFICER]),
        specialist=make_staff(agency=department, roles=[RoleCode.SPECIALIST]),
        leader=make_staff(agency=department, roles=[RoleCode.AGENCY_LEADER]),
        ward_specialist=make_staff(agency=ward, roles=[RoleCode.SPECIALIST]),
        applicant=make_citizen(),
    )
