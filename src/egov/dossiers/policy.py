"""Who may see and act on dossiers, and the one way pages and the API reach a dossier.

The tenant of a dossier is its receiving agency (`Dossier.agency`). In một cửa liên thông the
dossier is handled for a while by another agency (`Dossier.handling_agency`): its staff reach
the dossier through `at_handling_agency(dossier)`, a view of the dossier whose tenant is the
handling agency. Which role may take which workflow action at a step is the workflow's
question (each step's roles); the policy answers the agency question (`dossier.process`).

Rules (the matrix in src/egov/policy/tests/test_matrix.py is the specification):

* `dossier.view` — any staff of the receiving or handling agency; city leaders of any agency
  (read); the applicant, own dossiers only.
* `dossier.submit` — citizens and businesses (online submission).
* `dossier.intake` — one-stop officers of the receiving agency: counter intake, acceptance,
  supplement request and refusal at intake.
* `dossier.supplement` — the applicant (own dossier) or a one-stop officer of the receiving
  agency (papers handed in at the counter).
* `dossier.process` — any staff of the handling agency (the step's roles are checked by the
  workflow engine).
* `dossier.apologise` — one-stop officers, unit heads and agency leaders of the receiving or
  handling agency.
* `dossier.return_result` — one-stop officers of the receiving agency.
* `dossier.withdraw`, `dossier.rate` — the applicant only, own dossiers.
* `payment.record` — the applicant (own dossier) or a one-stop officer of the receiving agency.
* `payment.confirm` — one-stop officers of the receiving agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from egov.core.errors import NotFound
from egov.dossiers.models import Dossier
from egov.organisations.models import RoleCode as R
from egov.policy.engine import Subject, agency_filter, can, register, subject_for


def _own_dossier(subject: Subject, obj: Any) -> bool:
    dossier = getattr(obj, "dossier", obj)
    return (
        subject.user_id is not None
        and isinstance(dossier, Dossier)
        and dossier.applicant_id == subject.user_id
    )


def _any_applicant(subject: Subject, obj: Any) -> bool:
    return subject.user_id is not None


register(
    "dossier.view",
    any_staff=True,
    cross_agency_roles={R.CITY_LEADER},
    citizen=_own_dossier,
    description="Xem hồ sơ thủ tục hành chính",
)
register(
    "dossier.submit",
    citizen=_any_applicant,
    description="Nộp hồ sơ trực tuyến",
)
register(
    "dossier.intake",
    roles={R.ONE_STOP_OFFICER},
    description="Tiếp nhận hồ sơ tại bộ phận một cửa, yêu cầu bổ sung, từ chối khi tiếp nhận",
)
register(
    "dossier.supplement",
    roles={R.ONE_STOP_OFFICER},
    citizen=_own_dossier,
    description="Bổ sung hồ sơ",
)
register(
    "dossier.process",
    any_staff=True,
    description="Xử lý hồ sơ theo quy trình (vai trò do từng bước quy định)",
)
register(
    "dossier.apologise",
    roles={R.ONE_STOP_OFFICER, R.UNIT_HEAD, R.AGENCY_LEADER},
    description="Lập phiếu xin lỗi và hẹn lại ngày trả kết quả",
)
register(
    "dossier.return_result",
    roles={R.ONE_STOP_OFFICER},
    description="Trả kết quả giải quyết hồ sơ",
)
register(
    "dossier.withdraw",
    citizen=_own_dossier,
    description="Rút hồ sơ (người nộp)",
)
register(
    "dossier.rate",
    citizen=_own_dossier,
    description="Đánh giá mức độ hài lòng (người nộp)",
)
register(
    "payment.record",
    roles={R.ONE_STOP_OFFICER},
    citizen=_own_dossier,
    description="Ghi nhận nộp phí, lệ phí",
)
register(
    "payment.confirm",
    roles={R.ONE_STOP_OFFICER},
    description="Xác nhận khoản thanh toán phí, lệ phí",
)


@dataclass(frozen=True)
class _AtAgency:
    """A dossier seen from another agency holding it (the engine reads `policy_agency_id`)."""

    dossier: Dossier
    policy_agency_id: int


def at_handling_agency(dossier: Dossier) -> Dossier | _AtAgency:
    """The object to ask the policy about for work done by the agency handling the dossier."""
    handling = dossier.handling_agency_id or dossier.agency_id
    if handling == dossier.agency_id:
        return dossier
    return _AtAgency(dossier, handling)


def can_on_dossier(user: Any, action: str, dossier: Dossier) -> bool:
    """`action` allowed on the dossier as the receiving agency's or the handling agency's."""
    if can(user, action, dossier):
        return True
    other = at_handling_agency(dossier)
    return other is not dossier and can(user, action, other)


def dossier_visible_filter(user: Any) -> Q:
    """Rows of `Dossier` the user may see: staff by receiving or handling agency, the
    applicant their own (a list's filter; `can_on_dossier(user, "dossier.view", d)` agrees)."""
    subject = subject_for(user)
    if subject.kind in ("citizen", "business") and subject.user_id is not None:
        return Q(applicant_id=subject.user_id)
    return agency_filter(subject, "dossier.view", field="agency") | agency_filter(
        subject, "dossier.view", field="handling_agency"
    )


def access_dossier_for_applicant(user: Any, code: str) -> Dossier:
    """The signed-in applicant's own dossier by code; "not found" for any other."""
    subject = subject_for(user)
    dossier = (
        Dossier.objects.select_related("procedure", "agency")
        .filter(code=code, applicant_id=subject.user_id)
        .first()
        if subject.user_id is not None and subject.kind in ("citizen", "business")
        else None
    )
    if dossier is None or not can(user, "dossier.view", dossier):
        raise NotFound()
    return dossier


def access_dossier_for_staff(user: Any, public_id: Any) -> Dossier:
    """A dossier of the officer's receiving or handling agency by public id; "not found" for
    missing and forbidden alike."""
    dossier = (
        Dossier.objects.select_related("procedure", "agency", "handling_agency")
        .filter(public_id=public_id)
        .first()
    )
    if dossier is None or not can_on_dossier(user, "dossier.view", dossier):
        raise NotFound()
    return dossier


def access_dossier_for_tracking(code: str) -> Dossier:
    """Public tracking by code (what is shown to whom is the tracking page's question)."""
    dossier = (
        Dossier.objects.select_related("procedure", "agency").filter(code=code.strip()).first()
        if code and code.strip()
        else None
    )
    if dossier is None:
        raise NotFound()
    return dossier
