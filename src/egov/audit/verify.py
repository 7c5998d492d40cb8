"""Walk the chain and report the first row that does not match."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from egov.audit.chain import entry_hash
from egov.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify_chain(*, progress: Callable[[int], None] | None = None, batch: int = 2000) -> VerifyResult:
    prev_hash = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for row in rows:
            if row.prev_hash != prev_hash:
                return VerifyResult(False, checked, row.id, "liên kết với bản ghi trước bị đứt (bản ghi bị xóa hoặc chèn)")
            expected = entry_hash(
                prev_hash=row.prev_hash,
                occurred_at=row.occurred_at,
                actor_id=row.actor_id,
                actor_label=row.actor_label,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                object_repr=row.object_repr,
                agency_id=row.agency_id,
                summary=row.summary,
                before=row.before,
                after=row.after,
                ip=row.ip,
                user_agent=row.user_agent,
            )
            if expected != row.hash:
                return VerifyResult(False, checked, row.id, "nội dung bản ghi đã bị sửa")
            prev_hash = row.hash
            checked += 1
            last_id = row.id
        if progress:
            progress(len(rows))
    head = AuditChainHead.objects.filter(name="main").first()
    if head is not None and (head.last_hash != prev_hash or head.entry_count != checked):
        return VerifyResult(False, checked, head.last_entry_id, "bản ghi cuối chuỗi đã bị xóa")
    return VerifyResult(True, checked)
