"""Who may define processes. Acting on an instance is decided by the process data itself
(each step's roles, agency and unit), see `egov.workflow.services`."""

from __future__ import annotations

from egov.organisations.models import RoleCode as R
from egov.policy.engine import register

register(
    "workflow.define",
    roles={R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Định nghĩa quy trình xử lý",
)
