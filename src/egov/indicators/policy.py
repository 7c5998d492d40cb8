"""Who may see which figures (docs/subsystems/policy.md)."""

from __future__ import annotations

from typing import Any

from egov.core.errors import NotFound
from egov.indicators.models import MonthlyReport
from egov.organisations.models import Agency
from egov.organisations.models import RoleCode as R
from egov.policy.engine import can, register

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
