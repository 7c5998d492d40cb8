"""Reading a user's in-app notifications (the notification centre)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from egov.notifications.models import Channel, Notification


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(
        recipient_user_id=user.pk, deliveries__channel=Channel.IN_APP
    )
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    return notifications_for(user, unread_only=True).count()


def deliveries_of(notification: Notification) -> list[Any]:
    """The notification's deliveries (for a status display), by channel."""
    return list(notification.deliveries.order_by("channel"))
