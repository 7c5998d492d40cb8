"""Who may check the audit chain. (`audit.view` is declared with the foundation's actions.)"""

from __future__ import annotations

from egov.organisations.models import RoleCode as R
from egov.policy.engine import register

register(
    "audit.verify",
    roles={R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    delegable=False,
    description="Kiểm tra tính toàn vẹn của chuỗi nhật ký",
)
