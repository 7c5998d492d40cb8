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
