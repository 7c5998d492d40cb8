"""Public tracking (tra cứu hồ sơ): who sees personal data, and the second factor's rate limit.

The public sees a dossier's status, its step timeline (step names, dates, on-time outcome; never
an officer's name) and its due date. Personal data (applicant's name, address, papers) is shown
only to the signed-in applicant, or to a visitor who gives the last four digits of the
applicant's phone number.

Guessing four digits is cheap, so attempts are counted per dossier code and clock hour in the
cache (`TRACKING_ATTEMPTS_PER_HOUR`, every attempt counts, right or wrong): past the limit the
answer is "too many attempts" even for the right digits. The cache is shared by every process
when Redis is configured (production); the embedded default keeps it per process, which only
makes the limit per process there.

The page keeps a successful check in the visitor's session (they need not type the digits again
for an hour); the API is stateless: the digits come in the ``X-Phone-Last4`` header on each call.

**The public answer is cached per code** (`public_view`): `selectors.PublicTracking`, which
holds no personal data, in the default cache (Redis when configured, shared by every process;
else per process) for `CACHE_SECONDS`. Every dossier service that changes what tracking shows
(status, dates, current step, timeline) calls `forget_on_commit`, which does not delete the
entry but marks the code as changed, at once and again in `transaction.on_commit`, for
`SETTLE_SECONDS`: while marked, answers are read from the database and not cached, so a reader
that read the old row just before the commit cannot put it back (`cache.add` does not
overwrite the mark). Unknown codes are not
cached (a new dossier shows at once; guessing codes does not fill the cache). Catalogue edits
(a procedure or an agency renamed) show within `CACHE_SECONDS`. The applicant's part (name,
address, papers) is always read from the database, after the identity check.

**On a miss** the answer is one row: the dossier with its procedure, agency and the timeline
snapshot that every workflow move writes on it (`Dossier.tracking_snapshot`, see
`selectors.timeline_snapshot`), trusted only while the workflow instance's `updated_at` still
matches; otherwise the history is joined as before. `egov dossiers_tracking_snapshots` writes the
snapshots of rows loaded in bulk. On PostgreSQL the read is a statement prepared once per
connection (settings' `prepare_threshold`), and it repairs a connection the server dropped
instead of paying Django's per-request health check (`selectors._public_tracking_rows`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from egov.dossiers import selectors
from egov.dossiers.models import Dossier

TRACKING_ATTEMPTS_PER_HOUR = 5
SESSION_KEY = "dossier_tracking_unlocked"
UNLOCK_SECONDS = 3600

CACHE_SECONDS = 300
SETTLE_SECONDS = 30
CACHE_VERSION = 1  # bump when `PublicTracking` changes shape
_CHANGED = "changed"
_epochs: dict[str, str] = {}


def _database_epoch() -> str:
    """Which database the cached answers come from, read once per process and database.

    A shared cache outlives a database: a restored copy, a test run's fresh database, the
    benchmark's city-year all reuse dossier codes. PostgreSQL gives each database it creates
    a new oid; an in-memory SQLite database lives only in this process.
    """
    name = str(connection.settings_dict.get("NAME") or "")
    epoch = _epochs.get(name)
    if epoch is None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
                epoch = f"pg{cursor.fetchone()[0]}"
        elif "memory" in name or not os.path.exists(name):
            epoch = uuid.uuid4().hex  # this process only
        else:
            stat = os.stat(name)
            epoch = f"{stat.st_ino}.{stat.st_ctime_ns}"
        _epochs[name] = epoch
    return epoch


def _key(code: str) -> str:
    # Hashed: a typed code may hold any character; a cache key should not.
    digest = hashlib.blake2b(code.encode(), digest_size=16).hexdigest()
    return f"egov:dossiers:tracking:{CACHE_VERSION}:{_database_epoch()}:{digest}"


def public_view(code: str) -> selectors.PublicTracking | None:
    """The public tracking answer for `code` (None: no such dossier): from the cache, or one
    query (`selectors.public_tracking`), then cached unless the dossier just changed."""
    found = selectors.normal_tracking_code(code)
    if found is None:
        return None
    key = _key(found)
    cached = cache.get(key)
    if isinstance(cached, selectors.PublicTracking):
        return cached
    answer = selectors.public_tracking(found)
    if answer is not None and cached is None:
        cache.add(key, answer, timeout=CACHE_SECONDS)
    return answer


def forget(code: str) -> None:
    """Mark the code as changed: the next answers are read anew (see the module's doc)."""
    cache.set(_key(code), _CHANGED, timeout=SETTLE_SECONDS)


def forget_on_commit(code: str) -> None:
    """`forget` now and again when the current transaction commits.

    Now: until the commit, readers still see the old row and must not cache it. On commit:
    the mark then lasts `SETTLE_SECONDS` past the moment the change became visible.
    """
    forget(code)
    transaction.on_commit(partial(forget, code))


class TooManyAttempts(Exception):
    """The second factor was tried too often for this code this hour."""


def _bucket(code: str) -> str:
    hour = timezone.now().strftime("%Y%m%d%H")
    return f"egov:dossiers:track:{code}:{hour}"


def attempts_left(code: str) -> int:
    used = cache.get(_bucket(code), 0)
    return max(0, TRACKING_ATTEMPTS_PER_HOUR - int(used))


def _count_attempt(code: str) -> int:
    key = _bucket(code)
    cache.add(key, 0, timeout=3600)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return 1


def phone_matches(dossier: Dossier, digits: str) -> bool:
    """Check the last four digits of the applicant's phone; counts the attempt.

    Raises `TooManyAttempts` past the hourly limit (checked before comparing, so the right
    digits do not help once the limit is reached).
    """
    if _count_attempt(dossier.code) > TRACKING_ATTEMPTS_PER_HOUR:
        raise TooManyAttempts
    phone = "".join(ch for ch in (dossier.applicant_phone or "") if ch.isdigit())
    digits = (digits or "").strip()
    if len(phone) < 4 or len(digits) != 4 or not digits.isdigit():
        return False
    return hmac.compare_digest(phone[-4:], digits)


def is_applicant(user: Any, dossier: Dossier) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and dossier.applicant_id is not None
        and dossier.applicant_id == user.pk
    )


def session_unlocked(session: Any, code: str) -> bool:
    unlocked = session.get(SESSION_KEY) or {}
    until = unlocked.get(code) if isinstance(unlocked, dict) else None
    return bool(until and until > timezone.now().timestamp())


def session_unlock(session: Any, code: str) -> None:
    unlocked = session.get(SESSION_KEY) or {}
    if not isinstance(unlocked, dict):
        unlocked = {}
    now = timezone.now().timestamp()
    unlocked = {k: v for k, v in unlocked.items() if v > now}
    unlocked[code] = now + UNLOCK_SECONDS
    session[SESSION_KEY] = unlocked


@dataclass(frozen=True)
class Disclosure:
    """What a tracking answer may show about the applicant."""

    personal: bool
    reason: str  # "applicant", "second_factor" or "" (public view only)


def public_url(code: str) -> str:
    """The tracking page's address, as printed on slips and shown after submission."""
    return f"{settings.SITE_URL.rstrip('/')}/tra-cuu/{code}/"
