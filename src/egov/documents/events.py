"""Events other apps subscribe to, without documents importing them at module level.

`on_incoming_status_change` runs (in the service's transaction) whenever an incoming document
received through the exchange changes status in a way the sender must learn (edXML status
codes 01–06, 02, 15, 16). When `egov.exchange` is installed and offers
`egov.exchange.services.status_enqueue(document_id=<pk>, status_code=…, description=…)`, it is
called; that function is expected to enqueue its job on commit. Otherwise nothing happens (the
status stays on the document's trail, and the exchange can resend it later).

`outbox_hand_over` hands an outgoing document's recipient outside the platform to the
exchange outbox: `egov.exchange.services.outbox_enqueue(document_id=<pk>, recipient_id=<pk>)`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps

logger = logging.getLogger(__name__)


def _exchange_hook(name: str) -> Callable[..., Any] | None:
    if not apps.is_installed("egov.exchange"):
        return None
    try:
        module = importlib.import_module("egov.exchange.services")
    except ImportError:
        return None
    hook = getattr(module, name, None)
    return hook if callable(hook) else None


def on_incoming_status_change(*, document_id: int, status_code: str, description: str) -> bool:
    """Tell the sender (through the exchange) that an incoming document changed status.
    Returns whether the exchange took it."""
    hook = _exchange_hook("status_enqueue")
    if hook is None:
        logger.info("exchange not installed: status %s of %s not sent", status_code, document_id)
        return False
    hook(document_id=document_id, status_code=status_code, description=description)
    return True


def outbox_hand_over(*, document_id: int, recipient_id: int) -> bool:
    """Hand a recipient outside the platform to the exchange outbox; whether it was taken."""
    hook = _exchange_hook("outbox_enqueue")
    if hook is None:
        logger.info("exchange not installed: recipient %s of %s waits", recipient_id, document_id)
        return False
    hook(document_id=document_id, recipient_id=recipient_id)
    return True


def revoke_hand_over(*, document_id: int, recipient_id: int, reason: str) -> bool:
    """Ask the exchange to send a revoke message (BussinessDocType 1) to an outside recipient:
    `egov.exchange.services.revoke_enqueue(document_id=…, recipient_id=…, reason=…)`."""
    hook = _exchange_hook("revoke_enqueue")
    if hook is None:
        logger.info("exchange not installed: revoke of %s for %s waits", document_id, recipient_id)
        return False
    hook(document_id=document_id, recipient_id=recipient_id, reason=reason)
    return True
