"""Writing to the audit trail. Call `audit_record` inside the service's transaction, last."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from egov.audit.chain import entry_hash, json_safe
from egov.audit.models import AuditChainHead, AuditEntry, object_ref
from egov.audit.verify import VerifyResult, verify_chain
from egov.core.middleware import current_request
from egov.policy.engine import agency_of

CHAIN = "main"


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of the given (default: all concrete) fields, for before/after."""
    names = (
        list(fields) if fields is not None else [f.attname for f in instance._meta.concrete_fields]
    )
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(instance, name, None)
        data[name] = value
    # Round-trip through JSON so what is hashed is exactly what the database keeps.
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))  # type: ignore[no-any-return]


def _lock_head() -> AuditChainHead:
    """Lock the chain head row: appends queue here, one at a time (decision 0004).

    On PostgreSQL `SELECT … FOR UPDATE` holds concurrent appenders until this transaction ends;
    on SQLite the IMMEDIATE transaction already holds the database write lock.
    """
    head = AuditChainHead.objects.select_for_update().filter(name=CHAIN).first()
    if head is None:
        AuditChainHead.objects.get_or_create(name=CHAIN)
        head = AuditChainHead.objects.select_for_update().get(name=CHAIN)
    return head


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    agency_id: int | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction.

    `actor` is a user, or None for the system (jobs, imports run from the command line).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    ctx = current_request.get()
    actor_id = getattr(actor, "pk", None)
    actor_label = (str(actor) if actor_id else "hệ thống")[:200]
    object_type, object_id = object_ref(target)
    if agency_id is None:
        # The object's tenant, the same way the policy finds it (an Agency is its own).
        agency_id = agency_of(target)
    head = _lock_head()
    # Taken under the lock, so instants follow the chain order.
    fields: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": str(target)[:300],
        "agency_id": agency_id,
        "summary": summary[:500],
        "before": json_safe(before),
        "after": json_safe(after),
        "ip": ctx.ip[:64] if ctx else "",
        "user_agent": ctx.user_agent[:300] if ctx else "",
    }
    digest = entry_hash(prev_hash=head.last_hash, **fields)
    entry = AuditEntry(prev_hash=head.last_hash, hash=digest, **fields)
    entry.save()
    AuditChainHead.objects.filter(pk=head.pk).update(
        last_entry_id=entry.pk, last_hash=digest, entry_count=models.F("entry_count") + 1
    )
    return entry


def audit_chain_check(*, actor: Any, progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Verify the whole chain, then record that it was checked and what was found.

    The walk runs outside any transaction (it can be long); only the record is written in one.
    """
    result = verify_chain(progress=progress)
    with transaction.atomic():
        head = _lock_head()
        if result.ok:
            summary = f"Kiểm tra chuỗi nhật ký: toàn vẹn, {result.checked} bản ghi."
        else:
            summary = (
                f"Kiểm tra chuỗi nhật ký: hỏng tại bản ghi #{result.broken_id} ({result.reason})."
            )
        audit_record(
            actor=actor,
            action="audit.verify",
            target=head,
            summary=summary,
            after={"ok": result.ok, "checked": result.checked, "broken_id": result.broken_id},
        )
    return result
