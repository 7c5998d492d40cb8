"""The notifications' configuration: Django settings first, then the environment.

- ``EGOV_SMS_PROVIDER`` (``egov.notifications.sms.LogSmsProvider``): the SMS provider class.
- ``EGOV_NOTIFY_MAX_ATTEMPTS`` (``5``): attempts per delivery before it is marked failed.
- ``EGOV_NOTIFY_RETRY_SECONDS`` (``60``): first retry delay; doubles each time, at most 1 h.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from egov.conf.env import env_int, env_str

DEFAULT_SMS_PROVIDER = "egov.notifications.sms.LogSmsProvider"
MAX_RETRY_DELAY = 3600


def _setting(name: str) -> Any:
    return getattr(settings, name, None)


def sms_provider_path() -> str:
    return str(_setting("EGOV_SMS_PROVIDER") or env_str("EGOV_SMS_PROVIDER", DEFAULT_SMS_PROVIDER))


def max_attempts() -> int:
    value = _setting("EGOV_NOTIFY_MAX_ATTEMPTS")
    return int(value) if value else env_int("EGOV_NOTIFY_MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed attempt: 60, 120, 240 … ≤ 3600."""
    value = _setting("EGOV_NOTIFY_RETRY_SECONDS")
    base = int(value) if value is not None else env_int("EGOV_NOTIFY_RETRY_SECONDS", 60)
    return int(min(base * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY))
