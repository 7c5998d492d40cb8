"""The hash of one entry: SHA-256 over the previous hash and a canonical rendering of the row."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(
    *,
    prev_hash: str,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    agency_id: int | None,
    summary: str,
    before: Any,
    after: Any,
    ip: str,
    user_agent: str,
) -> str:
    payload = canonical_json(
        [
            prev_hash,
            occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            object_repr,
            agency_id,
            summary,
            before,
            after,
            ip,
            user_agent,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
