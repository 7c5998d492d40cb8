"""Notifications and their per-channel deliveries.

A `Notification` is one message to one recipient (a user, an e-mail address, a phone number or
several of these); each channel it goes out on has one `Delivery` row that the delivery job
moves from ``queued`` to ``sent`` or ``failed``. In-app notifications are read in the
workspace (``read_at``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Trong hệ thống")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


class Notification(TimeStampedModel):
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan gửi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("Thư điện tử nhận"), blank=True)
    phone = models.CharField(_("Số điện thoại nhận"), max_length=20, blank=True)
    event = models.CharField(_("Sự kiện"), max_length=64)
    subject = models.CharField(_("Tiêu đề"), max_length=255)
    body = models.TextField(_("Nội dung"))
    link = models.CharField(_("Liên kết"), max_length=500, blank=True)
    channels = models.JSONField(_("Kênh gửi"), default=list)
    read_at = models.DateTimeField(_("Đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Thông báo")
        verbose_name_plural = _("Thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient_user", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["recipient_user", "-created_at"], name="notif_recipient_recent"),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("Thông báo"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("Kênh"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("Trạng thái"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("Số lần thử"), default=0)
    last_error = models.TextField(_("Lỗi gần nhất"), blank=True)
    provider_message_id = models.CharField(_("Mã tin của nhà cung cấp"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("Gửi lúc"), null=True, blank=True)
    # A worker that takes the delivery holds it until then, so a duplicate job skips it.
    locked_until = models.DateTimeField(_("Đang gửi đến"), null=True, blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Lượt gửi")
        verbose_name_plural = _("Lượt gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_one_per_channel"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "channel"], name="delivery_status_channel")]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel}: {self.status}"

    @property
    def agency_id(self) -> int | None:
        return self.notification.agency_id
