"""Inter-agency exchange (edXML): partner systems, the outbox, the inbox log, status events.

A partner is another document-management system (another province's platform, a ministry's
system, a gateway) identified by its agency code. It calls our inbox with the token we gave it
(only its SHA-256 is kept), and we call its inbox with the token it gave us (`token_out`,
encrypted at rest with Fernet and read in clear: see sealing.py and docs/subsystems/exchange.md,
"Partners and secrets").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel
from egov.exchange.sealing import SealedTextField


class Partner(TimeStampedModel):
    name = models.CharField(_("Tên hệ thống"), max_length=255)
    organ_id = models.CharField(_("Mã định danh cơ quan"), max_length=13, unique=True)
    url = models.URLField(_("Địa chỉ hộp thư đến (edXML)"), max_length=500, blank=True)
    token_prefix = models.CharField(_("Tiền tố mã truy cập"), max_length=16, editable=False)
    token_hash = models.CharField(_("Băm SHA-256 mã truy cập"), max_length=64, unique=True)
    token_out = SealedTextField(_("Mã truy cập của đối tác dành cho ta"), blank=True)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("Liên lạc lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("Hệ thống đối tác liên thông")
        verbose_name_plural = _("Hệ thống đối tác liên thông")
        ordering = ["organ_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organ_id})"


class MessageKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản")
    STATUS = "status", _("Trạng thái")


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    DELIVERED = "delivered", _("Đã gửi đến")
    REJECTED = "rejected", _("Bị từ chối")
    FAILED = "failed", _("Gửi không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


class OutboundMessage(TimeStampedModel):
    """One message to deliver: a document to one recipient, or a status back to a sender.

    The bytes are built once, when queued, and sent as they are on every attempt: the
    receiver dedupes on DocumentId, so a retry after a lost answer is harmless.
    """

    kind = models.CharField(_("Loại gói tin"), max_length=10, choices=MessageKind.choices)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("Hệ thống nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outbound",
    )
    recipient_organ_id = models.CharField(_("Mã định danh nơi nhận"), max_length=13)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("Văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient = models.ForeignKey(
        "documents.Recipient",
        verbose_name=_("Nơi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document_identifier = models.CharField(_("Mã định danh văn bản"), max_length=100)
    business_doc_type = models.PositiveSmallIntegerField(
        _("Nghiệp vụ (BussinessDocType)"), default=0
    )
    status_code = models.CharField(_("Mã trạng thái gửi đi"), max_length=2, blank=True)
    message = models.BinaryField(_("Gói tin edXML"))
    status = models.CharField(
        _("Tình trạng gửi"),
        max_length=10,
        choices=OutboundStatus.choices,
        default=OutboundStatus.QUEUED,
    )
    attempts = models.PositiveIntegerField(_("Số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("Gửi lần tới lúc"), null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("Lỗi gần nhất"), blank=True)
    delivered_at = models.DateTimeField(_("Đã gửi đến lúc"), null=True, blank=True)
    response_code = models.CharField(_("Mã trạng thái nhận về"), max_length=2, blank=True)
    response_description = models.CharField(_("Phản hồi"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("Gói tin đi")
        verbose_name_plural = _("Gói tin đi")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_due"),
            models.Index(fields=["document_identifier"], name="outbound_docid"),
        ]
        constraints = [
            # One new-document message per recipient: enqueueing again returns the same row.
            models.UniqueConstraint(
                fields=["recipient"],
                condition=Q(kind="document", business_doc_type=0, recipient__isnull=False),
                name="outbound_one_new_document_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_identifier} → {self.recipient_organ_id}"


class InboundResult(models.TextChoices):
    ACCEPTED = "accepted", _("Đã nhận")
    DUPLICATE = "duplicate", _("Trùng, đã nhận trước đó")
    APPLIED = "applied", _("Đã thực hiện (thu hồi, cập nhật, thay thế, trạng thái)")
    REFUSED = "refused", _("Từ chối thu hồi, cập nhật")
    REJECTED = "rejected", _("Từ chối tiếp nhận")


class InboundMessage(TimeStampedModel):
    """One message received at the inbox, and what was done with it. A rejected message keeps
    only this row (the reason, the sender); its bytes are not stored."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("Hệ thống gửi"), on_delete=models.PROTECT, related_name="inbound"
    )
    kind = models.CharField(_("Loại gói tin"), max_length=10, choices=MessageKind.choices)
    document_identifier = models.CharField(_("Mã định danh văn bản"), max_length=100, blank=True)
    business_doc_type = models.PositiveSmallIntegerField(_("Nghiệp vụ"), null=True, blank=True)
    from_organ_id = models.CharField(_("Mã định danh nơi gửi"), max_length=13, blank=True)
    to_organ_id = models.CharField(_("Mã định danh nơi nhận"), max_length=13, blank=True)
    raw = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("Gói tin gốc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    size = models.PositiveIntegerField(_("Dung lượng"), default=0)
    result = models.CharField(_("Kết quả"), max_length=10, choices=InboundResult.choices)
    reason_code = models.CharField(_("Mã lý do"), max_length=40, blank=True)
    reason = models.TextField(_("Lý do"), blank=True)
    status_sent = models.CharField(_("Trạng thái trả lời"), max_length=2, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("Văn bản đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Gói tin đến")
        verbose_name_plural = _("Gói tin đến")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["document_identifier"], name="inbound_docid"),
            models.Index(fields=["document", "result"], name="inbound_document"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_identifier or '?'} ({self.result})"


class Direction(models.TextChoices):
    IN = "in", _("Nhận về")
    OUT = "out", _("Gửi đi")


class StatusEvent(models.Model):
    """A status code for a document at one agency, sent or received (the tracking trail)."""

    document_identifier = models.CharField(_("Mã định danh văn bản"), max_length=100)
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organ_id = models.CharField(_("Mã định danh cơ quan báo trạng thái"), max_length=13)
    code = models.CharField(_("Mã trạng thái"), max_length=2)
    description = models.CharField(_("Mô tả"), max_length=1000, blank=True)
    at = models.DateTimeField(_("Lúc"))
    direction = models.CharField(_("Chiều"), max_length=3, choices=Direction.choices)
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Trạng thái văn bản liên thông")
        verbose_name_plural = _("Trạng thái văn bản liên thông")
        ordering = ["document_identifier", "at", "pk"]
        indexes = [models.Index(fields=["document_identifier", "at"], name="statusevent_doc")]

    def __str__(self) -> str:
        return f"{self.document_identifier} {self.organ_id} {self.code}"
