"""Who may reach a notification: only its recipient (no roles, no agency: it is personal)."""

from __future__ import annotations

import uuid
from typing import Any

from egov.core.errors import NotFound
from egov.notifications.models import Notification


def access_notification_for_user(user: Any, public_id: uuid.UUID | str) -> Notification:
    """The user's own notification; `NotFound` alike for missing and someone else's."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise NotFound()
    notification = Notification.objects.filter(
        public_id=public_id,
        recipient_user_id=user.pk,
    ).first()
    if notification is None:
        raise NotFound()
    return notification
