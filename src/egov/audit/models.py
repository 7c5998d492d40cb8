"""Append-only, hash-chained audit trail. See docs/subsystems/audit.md."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


def object_ref(target: models.Model) -> tuple[str, str]:
    """How the trail names an object: (app_label.model, public UUID or primary key)."""
    return target._meta.label_lower, str(getattr(target, "public_id", None) or target.pk)


_MISSING = object()


class AuditEntry(models.Model):
    """One state change of a business object. Never updated, never deleted."""

    occurred_at = models.DateTimeField(_("Thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("Người thực hiện"), max_length=200)
    action = models.CharField(_("Hành động"), max_length=80, db_index=True)
    object_type = models.CharField(_("Loại đối tượng"), max_length=80)
    object_id = models.CharField(_("Mã đối tượng"), max_length=64)
    object_repr = models.CharField(_("Đối tượng"), max_length=300)
    agency_id = models.BigIntegerField(_("Cơ quan"), null=True, blank=True)
    summary = models.CharField(_("Tóm tắt"), max_length=500, blank=True)
    before = models.JSONField(_("Trước"), null=True, blank=True)
    after = models.JSONField(_("Sau"), null=True, blank=True)
    ip = models.CharField(_("Địa chỉ IP"), max_length=64, blank=True)
    user_agent = models.CharField(_("Trình duyệt"), max_length=300, blank=True)
    # The chain this entry links into: one per agency ("agency-<id>"), "main" for the rest.
    chain = models.CharField(max_length=32, default="main")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("Bản ghi nhật ký")
        verbose_name_plural = _("Nhật ký kiểm tra")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit entries are append-only.")

    def changes(self) -> list[tuple[str, Any, Any]]:
        """The keys whose value differs between `before` and `after`, as (key, before, after).

        A key missing on one side shows as None there. Not a dict on either side: one row
        with the key "".
        """
        before, after = self.before, self.after
        if not isinstance(before, dict) or not isinstance(after, dict):
            if before == after:
                return []
            if before is None and isinstance(after, dict):
                return [(k, None, v) for k, v in sorted(after.items())]
            if after is None and isinstance(before, dict):
                return [(k, v, None) for k, v in sorted(before.items())]
            return [("", before, after)]
        rows = []
        for key in sorted(before.keys() | after.keys()):
            old, new = before.get(key, _MISSING), after.get(key, _MISSING)
            if old != new:
                rows.append(
                    (key, None if old is _MISSING else old, None if new is _MISSING else new)
                )
        return rows


class AuditChainHead(models.Model):
    """The last link of one chain. Locking it serialises that chain's appends (decision 0004)."""

    name = models.CharField(max_length=32, unique=True, default="main")
    last_entry_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    entry_count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Chuỗi nhật ký {self.name}"
