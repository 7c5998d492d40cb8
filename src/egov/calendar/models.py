"""The administrators' part of the working calendar: exceptions, agency hours, a revision stamp.

Statutory holidays are not stored: they come from the `holidays` package (statutory.py).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ nhật")


class CalendarException(TimeStampedModel):
    """A date worked or not worked against the package's data, with its legal basis.

    `agency` null means the whole deployment; an agency's own row wins over the shared one.
    """

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan áp dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_exceptions",
        help_text=_("Để trống: áp dụng cho mọi cơ quan."),
    )
    day = models.DateField(_("Ngày"))
    is_working = models.BooleanField(
        _("Là ngày làm việc"),
        help_text=_("Đánh dấu: ngày làm việc (làm bù); bỏ trống: ngày nghỉ."),
    )
    reason = models.CharField(_("Lý do"), max_length=300)
    legal_reference = models.CharField(_("Căn cứ pháp lý"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Ngày ngoại lệ")
        verbose_name_plural = _("Ngày ngoại lệ")
        ordering = ["day", "agency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=Q(agency__isnull=True),
                name="calendar_exception_day_shared",
            ),
            models.UniqueConstraint(
                fields=["agency", "day"],
                condition=Q(agency__isnull=False),
                name="calendar_exception_day_agency",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="calendar_exception_has_reason"),
        ]
        indexes = [models.Index(fields=["day"], name="calendar_exception_day")]

    def __str__(self) -> str:
        kind = _("làm việc") if self.is_working else _("nghỉ")
        return f"{self.day:%d/%m/%Y} – {kind} – {self.reason}"


class WorkingPeriod(TimeStampedModel):
    """One stretch of an agency's working hours on a weekday. None for an agency: the default."""

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan"),
        on_delete=models.PROTECT,
        related_name="working_periods",
    )
    weekday = models.PositiveSmallIntegerField(_("Thứ"), choices=Weekday.choices)
    starts_at = models.TimeField(_("Từ giờ"))
    ends_at = models.TimeField(_("Đến giờ"))

    class Meta:
        verbose_name = _("Giờ làm việc")
        verbose_name_plural = _("Giờ làm việc")
        ordering = ["agency_id", "weekday", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "weekday", "starts_at"], name="working_period_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="working_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="working_period_weekday_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{Weekday(self.weekday).label} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class CalendarRevision(models.Model):
    """One row whose token changes with every calendar change, so cached calendars in every
    process know when to rebuild (a random token, not a counter: a rolled-back change must not
    hand its number to the next one)."""

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Phiên bản lịch làm việc")
        verbose_name_plural = _("Phiên bản lịch làm việc")

    def __str__(self) -> str:
        return str(self.token)
