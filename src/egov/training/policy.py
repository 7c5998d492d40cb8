"""Who may see and record IT-skill training.

Every official sees their own agency's courses, results and coverage; city leaders and
administrators see every agency. Administrators (the city IT centre, any agency) and the
agency office (clerk, own agency) record courses, results and certificates and import files.
"""

from __future__ import annotations

from egov.organisations.models import RoleCode as R
from egov.policy.engine import register

register(
    "training.view",
    any_staff=True,
    cross_agency_roles={R.CITY_LEADER, R.ADMINISTRATOR},
    description="Xem khóa đào tạo, kết quả và mức đạt chuẩn kỹ năng CNTT",
)
register(
    "training.record",
    roles={R.CLERK, R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Ghi khóa đào tạo, kết quả, chứng chỉ; nhập tệp kết quả",
)
