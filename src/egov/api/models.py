"""Bearer tokens for integrations (partner systems, scripts): `Authorization: Bearer <token>`."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel


class ApiToken(TimeStampedModel):
    """A named credential acting as its owner. Only the SHA-256 of the secret is kept: the
    token is shown once, when created (`api.services.api_token_create`)."""

    name = models.CharField(_("Tên"), max_length=150)
    owner = models.ForeignKey(
        "accounts.User",
        verbose_name=_("Tài khoản sở hữu"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    key_prefix = models.CharField(_("Tiền tố"), max_length=16, editable=False)
    key_hash = models.CharField(_("Băm SHA-256"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("Hết hạn lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(
        _("Dùng lần cuối lúc"), null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Mã truy cập API")
        verbose_name_plural = _("Mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
