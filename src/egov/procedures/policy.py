"""Who may read and change the procedure catalogue (city-wide data: no agency tenant)."""

from __future__ import annotations

from egov.organisations.models import RoleCode as R
from egov.policy.engine import register

register(
    "procedure.view_public",
    public=True,
    description="Xem danh mục thủ tục hành chính đã công khai",
)
register(
    "procedure.manage",
    roles={R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Thêm, sửa, công khai, nhập và xuất danh mục thủ tục hành chính",
)
