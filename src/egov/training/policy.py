"""Who may see and record IT-skill training.

Every official sees their own agency's courses, results and coverage; city leaders and
administrators see every agency. Administrators (the city IT centre, any agency) and the
agency office (clerk, own agency) record courses, results and certificates and import files,
and add, correct and retire a single module result from the workspace forms.

A result's tenant is the agency of the person it belongs to (`ModuleResult.agency`).
"""

from __future__ import annotations

from typing import Any

from egov.core.errors import NotFound
from egov.organisations.models import RoleCode as R
from egov.policy.engine import can, register
from egov.training.models import ModuleResult

RECORDERS = {R.CLERK, R.ADMINISTRATOR}
ALL_AGENCIES = {R.ADMINISTRATOR}

register(
    "training.view",
    any_staff=True,
    cross_agency_roles={R.CITY_LEADER, R.ADMINISTRATOR},
    description="Xem khóa đào tạo, kết quả và mức đạt chuẩn kỹ năng CNTT",
)
register(
    "training.record",
    roles=RECORDERS,
    cross_agency_roles=ALL_AGENCIES,
    description="Ghi khóa đào tạo, kết quả, chứng chỉ; nhập tệp kết quả",
)
register(
    "training.result_create",
    roles=RECORDERS,
    cross_agency_roles=ALL_AGENCIES,
    description="Thêm một kết quả mô-đun của một cán bộ (biểu mẫu)",
)
register(
    "training.result_update",
    roles=RECORDERS,
    cross_agency_roles=ALL_AGENCIES,
    description="Sửa một kết quả mô-đun",
)
register(
    "training.result_retire",
    roles=RECORDERS,
    cross_agency_roles=ALL_AGENCIES,
    description="Ngừng sử dụng một kết quả mô-đun (ghi nhầm, bị thu hồi)",
)


def access_result_for_staff(user: Any, public_id: Any, action: str) -> ModuleResult:
    """A module result the user may act on (`action`), by public id.

    The same "not found" for a missing result and one the user may not touch."""
    try:
        result = ModuleResult.objects.select_related("staff__user", "module", "agency").get(
            public_id=public_id
        )
    except (ModuleResult.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not can(user, action, result):
        raise NotFound()
    return result
