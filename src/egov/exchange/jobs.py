"""The delivery job: thin, takes an outbound message id, idempotent (see services)."""

from __future__ import annotations

from egov.jobs import job


@job("exchange_deliver")
def exchange_deliver(outbound_id: int) -> str:
    """One delivery attempt. Retries are not the queue's: the row keeps `next_attempt_at` and
    the periodic `exchange_outbox_due` sweep queues the attempt again when it comes, so a
    worker restart or a flushed queue loses nothing."""
    from egov.exchange.services import outbound_attempt

    return outbound_attempt(outbound_id=outbound_id).status
