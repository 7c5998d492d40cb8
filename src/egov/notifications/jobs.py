"""The delivery job: thin, takes a delivery id, idempotent (see services.delivery_attempt)."""

from __future__ import annotations

from huey.exceptions import RetryTask

from egov.jobs import job


@job("notification_deliver")
def notification_deliver(delivery_id: int) -> str:
    """Send one e-mail or SMS delivery; on failure ask the queue to run it again later.

    The retry count lives in the delivery row (`attempts`), not in the queue, so a retry that
    was lost with a worker is not a delivery lost: ``egov`` can re-queue what is still queued.
    """
    from egov.notifications.services import delivery_attempt

    outcome = delivery_attempt(delivery_id=delivery_id)
    if outcome.status == "retry":
        raise RetryTask(delay=outcome.retry_in)
    return outcome.status
