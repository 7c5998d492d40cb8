"""SMS through a pluggable provider.

A provider is any class with a ``code`` and ``send(phone, text) -> provider_message_id``
(phone in national form, ``0905123456``) that raises `SmsError` (or any exception) when the
message is not accepted. ``EGOV_SMS_PROVIDER`` names the class; the default,
`LogSmsProvider`, sends nothing and writes each message to the ``egov.sms`` logger and to
``$EGOV_DATA_DIR/sms.log`` (the demo and development).

A real gateway (a Vietnamese "brandname" SMS service) is a class in its own module,
configured by its own environment variables, named in ``EGOV_SMS_PROVIDER``.
"""

from __future__ import annotations

import logging
import threading
import uuid
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from egov.notifications import config

logger = logging.getLogger("egov.sms")
_file_lock = threading.Lock()


class SmsError(Exception):
    """The provider refused or could not take the message (the delivery is retried)."""


@runtime_checkable
class SmsProvider(Protocol):
    code: str

    def send(self, phone: str, text: str) -> str: ...


class LogSmsProvider:
    """Sends nothing: logs the message and appends it to ``sms.log`` in the data dir."""

    code = "log"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or Path(settings.DATA_DIR) / "sms.log"

    def send(self, phone: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        logger.info("SMS %s to %s: %s", message_id, phone, text)
        flat = " ".join(text.split())
        line = f"{timezone.now().isoformat()}\t{message_id}\t{phone}\t{flat}\n"
        with _file_lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)
        return message_id


def sms_provider() -> SmsProvider:
    """A new instance of the configured provider."""
    path = config.sms_provider_path()
    cls = import_string(path)
    provider = cls()
    if not isinstance(provider, SmsProvider):
        raise TypeError(f"{path} is not an SMS provider (needs `code` and `send(phone, text)`)")
    return provider


SMS_MAX_CHARS = 306  # two concatenated 7-bit segments; a provider may shorten further


def sms_text(subject: str, body: str, link: str = "") -> str:
    text = f"{subject}. {body}".strip()
    if link:
        text = f"{text} {link}"
    return text if len(text) <= SMS_MAX_CHARS else text[: SMS_MAX_CHARS - 1] + "…"
