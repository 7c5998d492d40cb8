"""Who may see and change agencies, units, staff and delegations."""

from __future__ import annotations

from egov.organisations.models import RoleCode as R
from egov.policy.engine import register

LEADERS = {R.AGENCY_LEADER, R.CITY_LEADER}

register("agency.view_public", public=True, description="Xem danh bạ cơ quan trên cổng")
register(
    "agency.view",
    any_staff=True,
    cross_agency_roles={R.CITY_LEADER, R.ADMINISTRATOR},
    description="Xem thông tin nội bộ của cơ quan",
)
register(
    "agency.manage",
    roles={R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Tạo, sửa cơ quan và đơn vị",
)
register(
    "staff.view",
    any_staff=True,
    cross_agency_roles={R.CITY_LEADER, R.ADMINISTRATOR},
    description="Xem danh sách cán bộ",
)
register(
    "staff.manage",
    roles={R.ADMINISTRATOR},
    # The city IT centre administers accounts of every agency, as `import.run` already allows.
    cross_agency_roles={R.ADMINISTRATOR},
    description="Tạo, sửa cán bộ và vai trò",
)
register(
    "delegation.create",
    roles={R.AGENCY_LEADER, R.CITY_LEADER, R.UNIT_HEAD},
    # Only roles held directly: a delegate may not delegate again (Decree 30/2020, art. 13).
    delegable=False,
    description="Ủy quyền cho cán bộ khác trong thời hạn",
)
register(
    "import.run",
    roles={R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Nhập dữ liệu",
)
register(
    "audit.view",
    roles={R.ADMINISTRATOR, *LEADERS},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Xem nhật ký",
)
register(
    "calendar.manage",
    roles={R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Sửa lịch làm việc",
)
register("workspace.enter", any_staff=True, description="Vào không gian làm việc")
