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

MAIN_CHAIN = "main"


def chain_for(agency_id: int | None) -> str:
    """The chain an agency's entries go to; entries with no agency go to the main chain."""
    return f"agency-{agency_id}" if agency_id else MAIN_CHAIN


def _transaction_chain(agency_id: int | None) -> str:
    """The chain this transaction appends to: that of its first entry.

    One chain per transaction means one head lock per transaction, so two transactions can
    never wait on each other's heads (no deadlock), whatever agencies they touch. Django
    gives each transaction a fresh list of on-commit hooks (it replaces the list on commit,
    on rollback and on a savepoint rollback, and only appends to it otherwise), so the list
    object tells one transaction from the next without a query. After a savepoint rollback
    the chain is chosen afresh from the next entry; if that names another agency while the
    first head is still held, the transaction holds two heads, and a deadlock that could
    then arise is broken by PostgreSQL failing one transaction (rolled back whole).
    """
    connection = transaction.get_connection()
    hooks = connection.run_on_commit
    cached = getattr(connection, "_egov_audit_chain", None)
    if cached is not None and cached[0] is hooks:
        return cached[1]  # type: ignore[no-any-return]
    name = chain_for(agency_id)
    connection._egov_audit_chain = (hooks, name)  # type: ignore[attr-defined]
    return name


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


def _lock_head(name: str = MAIN_CHAIN) -> AuditChainHead:
    """Lock a chain's head row: appends to that chain queue here, one at a time (decision 0004).

    On PostgreSQL `SELECT … FOR UPDATE` holds concurrent appenders until this transaction ends;
    on SQLite the IMMEDIATE transaction already holds the database write lock.
    """
    head = AuditChainHead.objects.select_for_update().filter(name=name).first()
    if head is None:
        AuditChainHead.objects.get_or_create(name=name)
        head = AuditChainHead.objects.select_for_update().get(name=name)
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
    """Append one entry to a chain, in the caller's transaction.

    The chain is the agency's (`chain_for`) of the transaction's first entry: agencies append
    side by side, each under its own head lock.

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
    chain = _transaction_chain(agency_id)
    head = _lock_head(chain)
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
    entry = AuditEntry(chain=chain, prev_hash=head.last_hash, hash=digest, **fields)
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
