"""Who may see and record the IT infrastructure inventory.

Every official sees their own agency's inventory and ratios; city leaders and administrators
see every agency. Administrators (any agency) and the agency office (clerk, own agency) record
and import, and add, edit and retire a single item (computer, server, network link,
information system) from the workspace forms.
"""

from __future__ import annotations

from typing import Any

from egov.core.errors import NotFound
from egov.infrastructure.models import Computer, InformationSystem, NetworkLink, Server
from egov.organisations.models import RoleCode as R
from egov.policy.engine import can, register

RECORDERS = {R.CLERK, R.ADMINISTRATOR}
ALL_AGENCIES = {R.ADMINISTRATOR}

register(
    "infrastructure.view",
    any_staff=True,
    cross_agency_roles={R.CITY_LEADER, R.ADMINISTRATOR},
    description="Xem hạ tầng CNTT và các tỷ lệ của cơ quan",
)
register(
    "infrastructure.record",
    roles=RECORDERS,
    cross_agency_roles=ALL_AGENCIES,
    description="Ghi, nhập hạ tầng CNTT của cơ quan",
)
register(
    "infrastructure.item_create",
    roles=RECORDERS,
    cross_agency_roles=ALL_AGENCIES,
    description="Thêm một máy tính, máy chủ, kết nối mạng hoặc hệ thống thông tin (biểu mẫu)",
)
register(
    "infrastructure.item_update",
    roles=RECORDERS,
    cross_agency_roles=ALL_AGENCIES,
    description="Sửa một thiết bị, kết nối hoặc hệ thống của cơ quan",
)
register(
    "infrastructure.item_retire",
    roles=RECORDERS,
    cross_agency_roles=ALL_AGENCIES,
    description="Ngừng sử dụng (thanh lý) một thiết bị, kết nối hoặc hệ thống",
)

ITEM_MODELS: dict[str, type[Computer | Server | NetworkLink | InformationSystem]] = {
    "computer": Computer,
    "server": Server,
    "link": NetworkLink,
    "system": InformationSystem,
}


def access_item_for_staff(
    user: Any, kind: str, public_id: Any, action: str
) -> Computer | Server | NetworkLink | InformationSystem:
    """An inventory item of `kind` the user may act on (`action`), by public id.

    The same "not found" for a missing item and one the user may not touch."""
    model = ITEM_MODELS.get(kind)
    if model is None:
        raise NotFound()
    try:
        item = model.objects.select_related("agency").get(public_id=public_id)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not can(user, action, item):
        raise NotFound()
    return item
