"""Writing to the audit trail. Call `audit_record` inside the service's transaction, last."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from egov.audit.chain import entry_hash
from egov.audit.models import AuditChainHead, AuditEntry
from egov.core.middleware import current_request


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of the given (default: all concrete) fields, for before/after."""
    names = list(fields) if fields is not None else [f.attname for f in instance._meta.concrete_fields]
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(instance, name, None)
        data[name] = value
    # Round-trip through JSON so what is hashed is exactly what the database keeps.
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


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
    object_type = target._meta.label_lower
    object_id = str(getattr(target, "public_id", None) or target.pk)
    if agency_id is None:
        agency_id = getattr(target, "agency_id", None)
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
        "before": _jsonable(before),
        "after": _jsonable(after),
        "ip": ctx.ip if ctx else "",
        "user_agent": ctx.user_agent if ctx else "",
    }
    head, _ = AuditChainHead.objects.get_or_create(name="main")
    head = AuditChainHead.objects.select_for_update().get(pk=head.pk)
    digest = entry_hash(prev_hash=head.last_hash, **fields)
    entry = AuditEntry(prev_hash=head.last_hash, hash=digest, **fields)
    entry.save()
    AuditChainHead.objects.filter(pk=head.pk).update(
        last_entry_id=entry.pk, last_hash=digest, entry_count=models.F("entry_count") + 1
    )
    return entry
