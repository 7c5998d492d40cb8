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
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from egov.dossiers.models import Dossier

TRACKING_ATTEMPTS_PER_HOUR = 5
SESSION_KEY = "dossier_tracking_unlocked"
UNLOCK_SECONDS = 3600


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
