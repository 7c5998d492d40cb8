"""Who may see and record the IT infrastructure inventory.

Every official sees their own agency's inventory and ratios; city leaders and administrators
see every agency. Administrators (any agency) and the agency office (clerk, own agency) record
and import.
"""

from __future__ import annotations

from egov.organisations.models import RoleCode as R
from egov.policy.engine import register

register(
    "infrastructure.view",
    any_staff=True,
    cross_agency_roles={R.CITY_LEADER, R.ADMINISTRATOR},
    description="Xem hạ tầng CNTT và các tỷ lệ của cơ quan",
)
register(
    "infrastructure.record",
    roles={R.CLERK, R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Ghi, nhập hạ tầng CNTT của cơ quan",
)
