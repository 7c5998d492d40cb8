"""The review chain of outgoing drafts, as a workflow process (docs/subsystems/workflow.md).

An agency may define its own chain as the process ``documents-outgoing-<agency code slug>``
(e.g. ``documents-outgoing-000-00-15-h15``); otherwise the default ``documents-outgoing`` is
used, defined on first use by the system:

1. ``soan-thao`` — drafting (specialist, unit head): ``submit`` → 2;
2. ``truong-phong`` — the drafting unit's head checks the content: ``forward`` → 3,
   ``return`` → 1;
3. ``the-thuc`` — format check by the clerk (văn thư): ``forward`` → 4, ``return`` → 1;
4. ``lanh-dao`` — the competent leader approves: ``approve`` (ends the review), ``return`` → 1.

Signing and issuing follow on the document (`document_sign`, `document_issue`).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from egov.organisations.models import Agency
from egov.organisations.models import RoleCode as R
from egov.workflow.models import Process
from egov.workflow.services import process_define

DEFAULT_CODE = "documents-outgoing"

DEFAULT_PROCESS: dict[str, Any] = {
    "code": DEFAULT_CODE,
    "name": "Trình duyệt văn bản đi",
    "description": "Soạn thảo → lãnh đạo phòng → kiểm tra thể thức (văn thư) → lãnh đạo duyệt.",
    "legal_working_days": None,
    "steps": [
        {"code": "soan-thao", "name": "Soạn thảo", "kind": "processing",
         "actor_roles": [R.SPECIALIST, R.UNIT_HEAD, R.AGENCY_LEADER]},
        {"code": "truong-phong", "name": "Lãnh đạo đơn vị kiểm tra nội dung",
         "kind": "approval", "actor_roles": [R.UNIT_HEAD], "allotted_hours": 8},
        {"code": "the-thuc", "name": "Kiểm tra thể thức, kỹ thuật trình bày",
         "kind": "processing", "actor_roles": [R.CLERK], "allotted_hours": 4},
        {"code": "lanh-dao", "name": "Lãnh đạo cơ quan duyệt", "kind": "approval",
         "actor_roles": [R.AGENCY_LEADER], "allotted_hours": 8},
    ],
    "transitions": [
        {"source": "soan-thao", "action": "submit", "target": "truong-phong",
         "label": "Trình lãnh đạo đơn vị"},
        {"source": "truong-phong", "action": "forward", "target": "the-thuc",
         "label": "Chuyển kiểm tra thể thức"},
        {"source": "truong-phong", "action": "return", "target": "soan-thao"},
        {"source": "the-thuc", "action": "forward", "target": "lanh-dao",
         "label": "Trình lãnh đạo cơ quan"},
        {"source": "the-thuc", "action": "return", "target": "soan-thao"},
        {"source": "lanh-dao", "action": "approve", "target": None, "label": "Duyệt"},
        {"source": "lanh-dao", "action": "return", "target": "soan-thao"},
    ],
}  # fmt: skip


def agency_process_code(agency: Agency) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in agency.code.lower()).strip("-")
    return f"{DEFAULT_CODE}-{slug}"


def review_process_for(agency: Agency) -> Process:
    """The agency's own active review process, else the default (defined on first use)."""
    for code in (agency_process_code(agency), DEFAULT_CODE):
        process = Process.objects.filter(code=code, is_active=True).order_by("-version").first()
        if process is not None:
            return process
    try:
        with transaction.atomic():
            return process_define(actor=None, **DEFAULT_PROCESS)
    except IntegrityError:  # defined concurrently by another first draft
        return Process.objects.get(code=DEFAULT_CODE, is_active=True)
