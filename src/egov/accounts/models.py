"""Accounts: one user table for staff, citizens and businesses."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    STAFF = "staff", _("Cán bộ, công chức")
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")


class User(AbstractUser):
    public_id = models.UUIDField(_("Mã công khai"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("Loại tài khoản"), max_length=16, choices=UserKind.choices, default=UserKind.STAFF
    )
    full_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    # Citizens: the 12-digit personal identification number (CCCD). Businesses: the tax code.
    citizen_id = models.CharField(_("Số định danh cá nhân"), max_length=12, blank=True)
    tax_code = models.CharField(_("Mã số thuế"), max_length=14, blank=True)
    email_verified_at = models.DateTimeField(_("Xác minh email lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Người dùng")
        verbose_name_plural = _("Người dùng")
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=~models.Q(citizen_id=""),
                name="user_citizen_id_unique",
            ),
            models.UniqueConstraint(
                fields=["tax_code"], condition=~models.Q(tax_code=""), name="user_tax_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.kind == UserKind.STAFF
