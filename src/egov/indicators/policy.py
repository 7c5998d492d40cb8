"""Who may see which figures (docs/subsystems/policy.md)."""

from __future__ import annotations

from typing import Any

from egov.core.errors import NotFound
from egov.indicators.models import MonthlyReport
from egov.organisations.models import Agency
from egov.organisations.models import RoleCode as R
from egov.policy.engine import can, register, subject_for

register(
    "indicator.view_city",
    roles={R.CITY_LEADER},
    cross_agency_roles={R.CITY_LEADER},
    description="Xem bảng chỉ số toàn thành phố (mọi cơ quan, xếp hạng)",
)
register(
    "indicator.view_agency",
    roles={R.AGENCY_LEADER, R.UNIT_HEAD},
    cross_agency_roles={R.CITY_LEADER},
    description="Xem chỉ số, báo cáo tháng và danh sách việc trễ hạn của một cơ quan",
)
register(
    "indicator.view_units",
    roles={R.AGENCY_LEADER, R.UNIT_HEAD},
    cross_agency_roles={R.CITY_LEADER},
    description=(
        "Xem số liệu theo phòng, ban và cán bộ của một cơ quan (trưởng phòng: chỉ đơn vị mình)"
    ),
)


def access_agency_figures_for_user(user: Any, code: str) -> Agency:
    """The agency whose figures `user` may see; the same `NotFound` for missing and forbidden."""
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound()
    if not can(user, "indicator.view_agency", agency):
        raise NotFound()
    return agency


def access_report_for_user(user: Any, public_id: Any) -> MonthlyReport:
    report = (
        MonthlyReport.objects.filter(public_id=public_id).select_related("agency", "file").first()
    )
    if report is None:
        raise NotFound()
    if not can(user, "indicator.view_agency", report.agency):
        raise NotFound()
    return report


def units_in_view(user: Any, agency: Agency) -> set[int] | None:
    """The units of `agency` whose figures (and people) `user` may see: None for every unit
    (the agency's leaders, also by delegation; the city's leaders), the unit head's own unit
    (its sub-units are added by the reader, which loads the agency's units anyway), else none."""
    if not can(user, "indicator.view_units", agency):
        return set()
    subject = subject_for(user)
    roles = subject.roles_in(agency.pk)
    if subject.is_superuser or R.AGENCY_LEADER in roles or can(user, "indicator.view_city"):
        return None
    if R.UNIT_HEAD in roles and subject.agency_id == agency.pk and subject.unit_id:
        return {subject.unit_id}
    return set()
