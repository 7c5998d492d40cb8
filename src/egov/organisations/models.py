"""The agency tree, units, positions, staff, roles and delegation of powers."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    OTHER = "other", _("Cơ quan, đơn vị khác")


class Agency(TimeStampedModel):
    """A state body. `parent` allows any depth (the 2025 reform removed districts)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("Cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("Mã định danh điện tử"), max_length=13, unique=True)
    name = models.CharField(_("Tên cơ quan"), max_length=255)
    abbreviation = models.CharField(_("Tên viết tắt"), max_length=30)
    kind = models.CharField(_("Loại cơ quan"), max_length=32, choices=AgencyKind.choices)
    address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    website = models.URLField(_("Trang thông tin điện tử"), blank=True)
    # Receipts after this hour count as received the next working day (Civil Code Art. 147).
    cutoff_time = models.TimeField(_("Giờ tiếp nhận cuối ngày"), null=True, blank=True)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("Cơ quan")
        verbose_name_plural = _("Cơ quan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Agency]:
        chain: list[Agency] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Unit(TimeStampedModel):
    """A section inside an agency (phòng, ban)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("Tên đơn vị"), max_length=255)
    abbreviation = models.CharField(_("Tên viết tắt"), max_length=30)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("Đơn vị")
        verbose_name_plural = _("Đơn vị")
        ordering = ["agency__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "abbreviation"], name="unit_abbreviation_unique_in_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.agency.abbreviation}"


class Position(models.Model):
    """A post: director, deputy director, head of unit, specialist…"""

    code = models.SlugField(_("Mã chức vụ"), max_length=40, unique=True)
    name = models.CharField(_("Tên chức vụ"), max_length=120)
    is_leader = models.BooleanField(_("Là lãnh đạo"), default=False)
    rank = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)

    class Meta:
        verbose_name = _("Chức vụ")
        verbose_name_plural = _("Chức vụ")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class RoleCode(models.TextChoices):
    CLERK = "clerk", _("Văn thư")
    ONE_STOP_OFFICER = "one_stop_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    UNIT_HEAD = "unit_head", _("Lãnh đạo phòng")
    AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")
    CITY_LEADER = "city_leader", _("Lãnh đạo thành phố")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


class Role(models.Model):
    """A role; `requires_two_factor` is set by administrators per role."""

    code = models.CharField(_("Mã vai trò"), max_length=32, choices=RoleCode.choices, unique=True)
    requires_two_factor = models.BooleanField(_("Bắt buộc xác thực hai lớp"), default=False)

    class Meta:
        verbose_name = _("Vai trò")
        verbose_name_plural = _("Vai trò")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class StaffMember(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Tài khoản"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("Đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("Chức vụ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    roles = models.ManyToManyField(
        Role, verbose_name=_("Vai trò"), related_name="staff", blank=True
    )
    is_active = models.BooleanField(_("Đang công tác"), default=True)

    class Meta:
        verbose_name = _("Cán bộ")
        verbose_name_plural = _("Cán bộ")
        indexes = [models.Index(fields=["agency", "is_active"])]

    def __str__(self) -> str:
        return str(self.user)


class Delegation(TimeStampedModel):
    """A leader hands a role's powers to another official for a bounded period (ủy quyền)."""

    delegator = models.ForeignKey(
        StaffMember,
        verbose_name=_("Người ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        StaffMember,
        verbose_name=_("Người được ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    role = models.ForeignKey(Role, verbose_name=_("Vai trò ủy quyền"), on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("Từ"))
    ends_at = models.DateTimeField(_("Đến"))
    reason = models.CharField(_("Lý do, căn cứ"), max_length=300, blank=True)
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Ủy quyền")
        verbose_name_plural = _("Ủy quyền")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="delegation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(delegator=models.F("delegate")), name="delegation_not_to_self"
            ),
        ]

    def is_active_at(self, when: datetime | None = None) -> bool:
        when = when or timezone.now()
        return self.revoked_at is None and self.starts_at <= when < self.ends_at
