"""E-mail of a notification: Vietnamese plain text and a simple HTML alternative."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string

from egov.notifications.models import Notification


def absolute_link(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def email_message(notification: Notification, *, to: str) -> EmailMultiAlternatives:
    context: dict[str, Any] = {
        "notification": notification,
        "link": absolute_link(notification.link),
        "province": getattr(settings, "EGOV_PROVINCE_NAME", ""),
        "site_url": settings.SITE_URL,
    }
    text = render_to_string("notifications/email/notification.txt", context)
    html = render_to_string("notifications/email/notification.html", context)
    subject = " ".join(notification.subject.split())  # no line breaks in a header
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        # Our own id, so the delivery row can name the message the backend accepted.
        headers={"Message-ID": make_msgid(idstring=str(notification.public_id)[:8])},
    )
    message.attach_alternative(html, "text/html")
    return message
