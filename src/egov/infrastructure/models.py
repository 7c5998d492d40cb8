"""IT infrastructure of each agency (directive point 1.c): computers, servers, network links,
information systems in use, and who among the officials has a work email.

`InfrastructureFact` holds each agency's totals, updated in the transaction of every change
(see docs/subsystems/infrastructure.md); the ratios are derived from it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel
from egov.organisations.models import Agency, StaffMember


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("Đang sử dụng")
    SPARE = "spare", _("Dự phòng")
    BROKEN = "broken", _("Hỏng, chờ sửa")
    RETIRED = "retired", _("Đã thanh lý")


class ComputerKind(models.TextChoices):
    DESKTOP = "desktop", _("Máy tính để bàn")
    LAPTOP = "laptop", _("Máy tính xách tay")


class Computer(TimeStampedModel):
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    asset_tag = models.CharField(_("Mã tài sản"), max_length=60)
    kind = models.CharField(_("Loại máy"), max_length=10, choices=ComputerKind.choices)
    year = models.PositiveSmallIntegerField(_("Năm trang bị"), null=True, blank=True)
    serves = models.ForeignKey(
        StaffMember,
        verbose_name=_("Người sử dụng"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("Tình trạng"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.IN_USE
    )

    class Meta:
        verbose_name = _("Máy tính")
        verbose_name_plural = _("Máy tính")
        ordering = ["agency_id", "asset_tag"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "asset_tag"], name="infrastructure_computer_tag_unique"
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return self.asset_tag

    @property
    def is_retired(self) -> bool:
        return self.status == AssetStatus.RETIRED


class Server(TimeStampedModel):
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("Tên máy chủ"), max_length=100)
    purpose = models.CharField(_("Chức năng"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("Năm trang bị"), null=True, blank=True)
    status = models.CharField(
        _("Tình trạng"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.IN_USE
    )

    class Meta:
        verbose_name = _("Máy chủ")
        verbose_name_plural = _("Máy chủ")
        ordering = ["agency_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="infrastructure_server_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.status == AssetStatus.RETIRED


class LinkKind(models.TextChoices):
    LAN = "lan", _("Mạng nội bộ (LAN)")
    WAN = "wan", _("Mạng diện rộng (WAN)")
    INTERNET = "internet", _("Internet")


class NetworkLink(TimeStampedModel):
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("Loại kết nối"), max_length=10, choices=LinkKind.choices)
    provider = models.CharField(_("Nhà cung cấp"), max_length=120, blank=True)
    bandwidth_mbps = models.PositiveIntegerField(_("Băng thông (Mbps)"))
    is_active = models.BooleanField(_("Đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("Kết nối mạng")
        verbose_name_plural = _("Kết nối mạng")
        ordering = ["agency_id", "kind", "provider"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "provider"], name="infrastructure_link_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.provider} {self.bandwidth_mbps} Mbps"

    @property
    def is_retired(self) -> bool:
        return not self.is_active


class SystemKind(models.TextChoices):
    DOCUMENT_MANAGEMENT = "document_management", _("Quản lý văn bản và điều hành")
    ONE_STOP_SHOP = "one_stop_shop", _("Một cửa điện tử")
    WEBSITE = "website", _("Trang/Cổng thông tin điện tử")
    EMAIL = "email", _("Thư điện tử công vụ")
    OTHER = "other", _("Hệ thống khác")


class SystemStatus(models.TextChoices):
    IN_USE = "in_use", _("Đang sử dụng")
    PILOTING = "piloting", _("Thử nghiệm")
    RETIRED = "retired", _("Ngừng sử dụng")


class InformationSystem(TimeStampedModel):
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("Loại hệ thống"), max_length=24, choices=SystemKind.choices)
    name = models.CharField(_("Tên hệ thống"), max_length=200)
    vendor = models.CharField(_("Đơn vị cung cấp"), max_length=200, blank=True)
    status = models.CharField(
        _("Tình trạng"), max_length=10, choices=SystemStatus.choices, default=SystemStatus.IN_USE
    )
    since = models.DateField(_("Sử dụng từ"), null=True, blank=True)

    class Meta:
        verbose_name = _("Hệ thống thông tin")
        verbose_name_plural = _("Hệ thống thông tin")
        ordering = ["agency_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="infrastructure_system_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.status == SystemStatus.RETIRED


class StaffItProfile(models.Model):
    """Whether an official has a work (official, .gov.vn) email account in use.

    Recorded explicitly rather than guessed from the login's email domain: a login address on
    the agency's domain does not mean the person uses an official mailbox (the directive's
    measure). No profile means "not recorded", counted as no work email."""

    staff = models.OneToOneField(
        StaffMember,
        verbose_name=_("Cán bộ"),
        on_delete=models.CASCADE,
        related_name="it_profile",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.CASCADE, related_name="+"
    )
    has_work_email = models.BooleanField(_("Có thư điện tử công vụ"), default=False)
    work_email = models.EmailField(_("Địa chỉ thư công vụ"), blank=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Thông tin CNTT của cán bộ")
        verbose_name_plural = _("Thông tin CNTT của cán bộ")

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.has_work_email}"


class InfrastructureFact(models.Model):
    """Per agency, now: the counts behind the infrastructure ratios.

    Kept current incrementally (one locked row per agency, changed in the transaction of every
    inventory change); `egov.infrastructure.facts.infrastructure_facts_recompute` rebuilds it
    from the live tables and must give the same numbers. Read by the indicators.
    """

    agency = models.OneToOneField(
        Agency,
        verbose_name=_("Cơ quan"),
        on_delete=models.CASCADE,
        related_name="infrastructure_fact",
    )
    staff_total = models.PositiveIntegerField(_("Số cán bộ đang công tác"), default=0)
    computers_in_use = models.PositiveIntegerField(_("Máy tính đang sử dụng"), default=0)
    servers_in_use = models.PositiveIntegerField(_("Máy chủ đang sử dụng"), default=0)
    internet_mbps = models.PositiveIntegerField(_("Tổng băng thông Internet (Mbps)"), default=0)
    work_email_staff = models.PositiveIntegerField(_("Cán bộ có thư công vụ"), default=0)
    systems_in_use = models.PositiveIntegerField(_("Hệ thống đang sử dụng"), default=0)
    # kind -> number of systems of that kind in use, e.g. {"website": 1, "email": 1}
    systems_by_kind = models.JSONField(_("Hệ thống theo loại"), default=dict)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Số liệu hạ tầng theo cơ quan")
        verbose_name_plural = _("Số liệu hạ tầng theo cơ quan")

    def __str__(self) -> str:
        return f"{self.agency_id}"

    @property
    def computers_per_official(self) -> float | None:
        return self.computers_in_use / self.staff_total if self.staff_total else None

    @property
    def work_email_share(self) -> float | None:
        return self.work_email_staff / self.staff_total if self.staff_total else None

    @property
    def internet_mbps_per_official(self) -> float | None:
        return self.internet_mbps / self.staff_total if self.staff_total else None

    @property
    def system_kinds(self) -> list[str]:
        return sorted(k for k, n in self.systems_by_kind.items() if n > 0)
