"""Sending notifications (e-mail, SMS, in-app) and recording their delivery.

`notification_send` writes the notification and one `Delivery` per channel in the caller's
transaction, with its audit row, and queues one delivery job per e-mail/SMS delivery when that
transaction commits. The job calls `delivery_attempt`, which is idempotent: a delivery already
sent (or being sent by another worker) is left alone. See docs/subsystems/notifications.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.services import audit_record
from egov.core.errors import NotFound, ValidationFailed
from egov.jobs import enqueue, enqueue_on_commit
from egov.notifications import config
from egov.notifications.emails import email_message
from egov.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from egov.notifications.phones import phone_normalise
from egov.notifications.sms import sms_provider, sms_text

DEFAULT_CHANNELS: tuple[str, ...] = (Channel.EMAIL, Channel.SMS, Channel.IN_APP)
# How long a worker holds a delivery it is sending: a duplicate job in that window skips it.
SEND_LEASE = timedelta(minutes=5)


def _email_problem(address: str) -> str:
    try:
        validate_email(address)
    except ValidationError:
        return _("Địa chỉ thư điện tử không hợp lệ: %(email)s") % {"email": address}
    return ""


def _planned_deliveries(
    channels: Iterable[str], *, recipient_user: Any, email: str, phone: str
) -> list[tuple[str, str]]:
    """(channel, problem) for each channel that has somewhere to go; problem "" means queue."""
    planned: list[tuple[str, str]] = []
    for channel in channels:
        if channel == Channel.EMAIL and email:
            planned.append((channel, _email_problem(email)))
        elif channel == Channel.SMS and phone:
            try:
                phone_normalise(phone)
            except ValidationFailed as exc:
                planned.append((channel, exc.message))
            else:
                planned.append((channel, ""))
        elif channel == Channel.IN_APP and recipient_user is not None:
            planned.append((channel, ""))
    return planned


def notification_send(
    *,
    event: str,
    subject: str,
    body: str,
    recipient_user: Any = None,
    email: str | None = None,
    phone: str | None = None,
    link: str | None = None,
    channels: Iterable[str] = DEFAULT_CHANNELS,
    actor: Any = None,
    agency: Any = None,
) -> Notification:
    """Record a notification and queue its deliveries for when the caller's transaction commits.

    `email` and `phone` default to the recipient user's. A channel with nowhere to go (no
    address, or in-app without a user) is skipped; an invalid address or phone number gives a
    delivery recorded as failed at once, so a bad contact never makes the caller's operation
    fail. `agency` is the sending agency (the notification's tenant in the audit trail).
    """
    wanted = tuple(dict.fromkeys(str(c) for c in channels))
    unknown = sorted(set(wanted) - set(Channel.values))
    if unknown:
        raise ValidationFailed(
            _("Kênh thông báo không hợp lệ: %(channels)s") % {"channels": ", ".join(unknown)}
        )
    if not event or not subject.strip():
        raise ValidationFailed(_("Thông báo cần có sự kiện và tiêu đề."))
    address = (email if email is not None else getattr(recipient_user, "email", "")) or ""
    number = (phone if phone is not None else getattr(recipient_user, "phone", "")) or ""
    address, number = address.strip(), number.strip()
    planned = _planned_deliveries(
        wanted, recipient_user=recipient_user, email=address, phone=number
    )
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.create(
            agency=agency,
            recipient_user=recipient_user,
            email=address[:254],
            phone=number[:20],
            event=event[:64],
            subject=subject.strip()[:255],
            body=body,
            link=(link or "")[:500],
            channels=[channel for channel, _problem in planned],
        )
        queued: list[int] = []
        for channel, problem in planned:
            if channel == Channel.IN_APP:
                fields: dict[str, Any] = {"status": DeliveryStatus.SENT, "sent_at": now}
            elif problem:
                fields = {"status": DeliveryStatus.FAILED, "last_error": problem}
            else:
                fields = {"status": DeliveryStatus.QUEUED}
            delivery = Delivery.objects.create(notification=notification, channel=channel, **fields)
            if delivery.status == DeliveryStatus.QUEUED:
                queued.append(delivery.pk)
        audit_record(
            actor=actor,
            action="notification.send",
            target=notification,
            summary=f"Thông báo «{notification.subject}» ({event})",
            after={
                "event": event,
                "recipient_user_id": getattr(recipient_user, "pk", None),
                "deliveries": {channel: problem or "queued" for channel, problem in planned},
            },
        )
        from egov.notifications.jobs import notification_deliver

        for delivery_id in queued:
            enqueue_on_commit(notification_deliver, delivery_id)
    return notification


@dataclass(frozen=True)
class AttemptOutcome:
    """What one delivery attempt did: ``sent``, ``retry`` (in `retry_in` seconds),
    ``failed`` (no attempts left) or ``skipped`` (already sent, failed or being sent)."""

    status: str
    retry_in: int | None = None
    error: str = ""


def _transmit(delivery: Delivery, notification: Notification) -> str:
    """Hand the message to the e-mail backend or the SMS provider; returns a message id."""
    if delivery.channel == Channel.EMAIL:
        message = email_message(notification, to=notification.email)
        message.send(fail_silently=False)
        return str(message.extra_headers.get("Message-ID", ""))
    if delivery.channel == Channel.SMS:
        provider = sms_provider()
        text = sms_text(notification.subject, notification.body)
        return str(provider.send(phone_normalise(notification.phone), text))[:200]
    raise ValueError(f"channel {delivery.channel} is not delivered by a job")


def delivery_attempt(*, delivery_id: int) -> AttemptOutcome:
    """One attempt at a queued delivery (the delivery job's body). Never raises on a send error:
    the error is recorded and the outcome says whether to retry."""
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != DeliveryStatus.QUEUED:
            return AttemptOutcome("skipped")
        if delivery.locked_until is not None and delivery.locked_until > now:
            return AttemptOutcome("skipped")
        delivery.attempts += 1
        delivery.locked_until = now + SEND_LEASE
        delivery.save(update_fields=["attempts", "locked_until", "updated_at"])
    notification = Notification.objects.select_related("recipient_user").get(
        pk=delivery.notification_id
    )
    error = ""
    message_id = ""
    try:
        message_id = _transmit(delivery, notification)
    except Exception as exc:  # any provider failure is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        delivery.locked_until = None
        if not error:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.provider_message_id = message_id
            delivery.last_error = ""
            outcome = AttemptOutcome("sent")
        elif delivery.attempts >= config.max_attempts():
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = error
            outcome = AttemptOutcome("failed", error=error)
        else:
            delivery.last_error = error
            outcome = AttemptOutcome(
                "retry", retry_in=config.retry_delay(delivery.attempts), error=error
            )
        delivery.save()
        if outcome.status in ("sent", "failed"):
            audit_record(
                actor=None,
                action=f"notification.{'delivered' if outcome.status == 'sent' else 'undelivered'}",
                target=notification,
                summary=(
                    f"{Channel(delivery.channel).label}: "
                    f"{DeliveryStatus(delivery.status).label} sau {delivery.attempts} lần"
                ),
                after={
                    "channel": delivery.channel,
                    "status": delivery.status,
                    "attempts": delivery.attempts,
                    "error": delivery.last_error,
                },
            )
    return outcome


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark an in-app notification read by its recipient (anyone else: not found)."""
    if actor is None or notification.recipient_user_id != getattr(actor, "pk", None):
        raise NotFound()
    if notification.read_at is not None:
        return notification
    now = timezone.now()
    with transaction.atomic():
        changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        if changed:
            audit_record(
                actor=actor,
                action="notification.read",
                target=notification,
                summary=f"Đã đọc «{notification.subject}»",
            )
    notification.read_at = now
    return notification


def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread in-app notification of `actor` read; returns how many."""
    now = timezone.now()
    with transaction.atomic():
        changed = Notification.objects.filter(
            recipient_user_id=actor.pk,
            read_at__isnull=True,
            deliveries__channel=Channel.IN_APP,
        ).update(read_at=now)
        if changed:
            audit_record(
                actor=actor,
                action="notification.read_all",
                target=actor,
                summary=f"Đánh dấu đã đọc {changed} thông báo",
                after={"count": changed},
            )
    return int(changed)


# Longer than the longest retry delay plus the lease: a queued delivery untouched this long has
# lost its job (a worker died with the retry in memory, a Redis flush).
STALE_AFTER = timedelta(hours=2)


def deliveries_requeue_stale() -> int:
    """Queue again the deliveries still ``queued`` whose job was lost; returns how many.

    Writes nothing itself (the job does, with its audit row); safe to run at any time because
    `delivery_attempt` skips what is sent or being sent. Meant for the periodic schedule.
    """
    from egov.notifications.jobs import notification_deliver

    cutoff = timezone.now() - STALE_AFTER
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED, updated_at__lt=cutoff)
        .exclude(channel=Channel.IN_APP)
        .values_list("pk", flat=True)
    )
    for delivery_id in ids:
        enqueue(notification_deliver, delivery_id)
    return len(ids)
