"""The exchange's configuration: Django settings first, then the environment.

- ``EGOV_EXCHANGE_RETRY_SCHEDULE`` (``60,300,900,1800,3600,7200``): seconds to wait after the
  1st, 2nd … failed delivery; the last value repeats (2 h), so a partner down for hours is
  tried every 2 h.
- ``EGOV_EXCHANGE_GIVE_UP_HOURS`` (``48``): a message still undelivered this long after it was
  queued is marked failed (an administrator can retry it: ``egov exchange outbox retry``).
- ``EGOV_EXCHANGE_TIMEOUT`` (``30``): seconds for connecting and for each read from a partner.
- ``EGOV_EXCHANGE_ZIP`` (``0``): zip each attachment before base64 (for partners that expect it).
- ``EGOV_EXCHANGE_TRANSPORT`` (``egov.exchange.transport.HttpPushTransport``): the transport
  class (see transport.py for plugging in a provincial LGSP or the national VDXP gateway).
- ``EGOV_FIELD_KEY`` (unset): Fernet key(s) sealing the tokens partners gave us
  (`Partner.token_out`), comma separated, the first encrypting; unset = a key derived from
  ``SECRET_KEY`` (see sealing.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from egov.conf.env import env_bool, env_int, env_str

DEFAULT_SCHEDULE = (60, 300, 900, 1800, 3600, 7200)
DEFAULT_TRANSPORT = "egov.exchange.transport.HttpPushTransport"


def _setting(name: str) -> Any:
    return getattr(settings, name, None)


def retry_schedule() -> tuple[int, ...]:
    value = _setting("EGOV_EXCHANGE_RETRY_SCHEDULE") or env_str("EGOV_EXCHANGE_RETRY_SCHEDULE")
    if not value:
        return DEFAULT_SCHEDULE
    if isinstance(value, list | tuple):
        return tuple(int(v) for v in value)
    return tuple(int(v) for v in str(value).split(",") if v.strip())


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed attempt: 1 min, 5, 15, 30, 60, 120, 120…"""
    schedule = retry_schedule()
    return schedule[min(max(attempts, 1), len(schedule)) - 1]


def give_up_hours() -> int:
    value = _setting("EGOV_EXCHANGE_GIVE_UP_HOURS")
    return int(value) if value is not None else env_int("EGOV_EXCHANGE_GIVE_UP_HOURS", 48)


def timeout() -> int:
    value = _setting("EGOV_EXCHANGE_TIMEOUT")
    return int(value) if value is not None else env_int("EGOV_EXCHANGE_TIMEOUT", 30)


def zip_attachments() -> bool:
    value = _setting("EGOV_EXCHANGE_ZIP")
    return bool(value) if value is not None else env_bool("EGOV_EXCHANGE_ZIP", False)


def transport_path() -> str:
    return str(
        _setting("EGOV_EXCHANGE_TRANSPORT") or env_str("EGOV_EXCHANGE_TRANSPORT", DEFAULT_TRANSPORT)
    )


def max_message_bytes() -> int:
    """The inbox's limit: Django's request body limit (``EGOV_UPLOAD_MAX_BYTES``)."""
    return int(getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 0) or 20 * 1024 * 1024)


def field_keys() -> list[str]:
    """``EGOV_FIELD_KEY``: Fernet keys for secrets kept encrypted (sealing.py), comma separated,
    the first encrypting; empty = only the key derived from SECRET_KEY."""
    value = _setting("EGOV_FIELD_KEY") or env_str("EGOV_FIELD_KEY", "")
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [k.strip() for k in str(value).split(",") if k.strip()]
