"""Base classes shared by every domain model."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Public UUID for URLs and the API; created/updated instants."""

    public_id = models.UUIDField(_("Mã công khai"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class StoredFile(TimeStampedModel):
    """One accepted upload. The bytes live in storage under their SHA-256 (see core.files):
    two uploads of the same content are two rows sharing one blob."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    size = models.BigIntegerField(_("Dung lượng (byte)"), editable=False)
    kind = models.CharField(_("Định dạng"), max_length=16, editable=False)
    content_type = models.CharField(_("Kiểu MIME"), max_length=120, editable=False)
    original_name = models.CharField(_("Tên tệp gốc"), max_length=255)
    field = models.CharField(_("Trường tải lên"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("Người tải lên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Tệp lưu trữ")
        verbose_name_plural = _("Tệp lưu trữ")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gte=0), name="storedfile_size_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def storage_key(self) -> str:
        return storage_key(self.sha256)


def storage_key(sha256: str) -> str:
    """Where a blob lives: ``ab/cd/abcd…`` (two levels keep directories small)."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
