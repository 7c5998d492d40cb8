"""Walk the chain and report the first row that does not match."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from egov.audit.chain import entry_hash
from egov.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""
    # What is known of the first broken row (empty when the row itself is gone).
    broken_at: datetime | None = None
    broken_action: str = ""

    def describe(self) -> str:
        """One line in plain Vietnamese, for the command line and the page."""
        if self.ok:
            return f"Chuỗi nhật ký toàn vẹn: {self.checked} bản ghi."
        where = f"bản ghi #{self.broken_id}"
        if self.broken_at is not None:
            where += f", lúc {self.broken_at.isoformat()}"
        if self.broken_action:
            where += f", hành động {self.broken_action}"
        return (
            f"Chuỗi nhật ký KHÔNG toàn vẹn: hỏng tại {where}: {self.reason}. "
            f"{self.checked} bản ghi trước đó khớp."
        )


def count_entries() -> int:
    return AuditEntry.objects.count()


def verify_chain(
    *, progress: Callable[[int], None] | None = None, batch: int = 2000
) -> VerifyResult:
    """Walk every entry in id order, each against the previous entry of its own chain.

    Within a chain ids grow with the chain (appends happen under its head lock), so one pass
    in id order checks every chain; the heads then show whether a chain's last rows are gone.
    """
    last_hash: dict[str, str] = {}
    counts: dict[str, int] = {}
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for row in rows:
            if row.prev_hash != last_hash.get(row.chain, GENESIS_HASH):
                return VerifyResult(
                    False,
                    checked,
                    row.id,
                    "liên kết với bản ghi trước bị đứt (bản ghi trước bị xóa, chèn hoặc sửa)",
                    row.occurred_at,
                    row.action,
                )
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
                return VerifyResult(
                    False,
                    checked,
                    row.id,
                    "nội dung bản ghi đã bị sửa",
                    row.occurred_at,
                    row.action,
                )
            last_hash[row.chain] = row.hash
            counts[row.chain] = counts.get(row.chain, 0) + 1
            checked += 1
            last_id = row.id
        if progress:
            progress(len(rows))
    heads = {head.name: head for head in AuditChainHead.objects.all()}
    headless = sorted(last_hash.keys() - heads.keys())
    if headless:
        return VerifyResult(
            False, checked, None, f"mất bản ghi đầu chuỗi {headless[0]} (AuditChainHead)"
        )
    for name, head in sorted(heads.items()):
        intact = head.last_hash == last_hash.get(name, GENESIS_HASH)
        if not intact or head.entry_count != counts.get(name, 0):
            return VerifyResult(
                False,
                checked,
                head.last_entry_id or None,
                f"bản ghi cuối chuỗi {name} đã bị xóa hoặc sửa",
            )
    return VerifyResult(True, checked)
