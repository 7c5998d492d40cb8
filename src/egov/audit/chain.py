"""The hash of one entry: SHA-256 over the previous hash and a canonical rendering of the row.

The rendering must come out the same from the values written and from the values read back
from the database, on SQLite (JSON as text) and on PostgreSQL (jsonb, which reorders keys and
rewrites numbers: `1e20` comes back as `100000000000000000000`, `-0.0` as `0.0`). So:
keys are sorted, and a float with an integral value is rendered as the integer its decimal
text denotes (the way jsonb keeps it); other floats keep Python's shortest text, which jsonb
keeps digit for digit. `json_safe` applies the same rules before a value is stored, and also
replaces what jsonb refuses (NUL characters, NaN and infinities).
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


def _normalise(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        if value.is_integer():
            return int(Decimal(repr(value)))
        return value
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_normalise(str(k)): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return _normalise(str(value))


def json_safe(value: Any) -> Any:
    """The value as it will be stored and read back: plain JSON types, normalised."""
    if value is None:
        return None
    return _normalise(json.loads(json.dumps(value, default=str, ensure_ascii=False)))


def canonical_json(value: Any) -> str:
    return json.dumps(
        _normalise(value),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


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
