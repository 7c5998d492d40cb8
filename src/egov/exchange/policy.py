"""Who may see and change the exchange (the matrix in src/egov/policy/tests/test_matrix.py is the
specification).

Partner systems belong to the whole platform (one deployment serves every agency of the city),
so managing them is the platform administrators' (`administrator`, any agency). The outbox and
inbox are per agency: a message belongs to the agency of its document (the document sent, or
the incoming document it carried or reports on); clerks see and retry their agency's messages,
administrators every agency's.

* `exchange.partner_manage` — administrators: list, register, edit, revoke partner systems.
* `exchange.outbox_view` — clerks of the agency, administrators of any agency: the outbox and
  inbox with each message's status.
* `exchange.outbox_retry` — the same: send a failed or rejected message again.
"""

from __future__ import annotations

from egov.organisations.models import RoleCode as R
from egov.policy.engine import register

register(
    "exchange.partner_manage",
    roles={R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Quản lý hệ thống đối tác liên thông văn bản (edXML)",
)
register(
    "exchange.outbox_view",
    roles={R.CLERK, R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Xem hộp thư đi, hộp thư đến liên thông văn bản",
)
register(
    "exchange.outbox_retry",
    roles={R.CLERK, R.ADMINISTRATOR},
    cross_agency_roles={R.ADMINISTRATOR},
    description="Gửi lại gói tin liên thông gửi không thành công",
)
