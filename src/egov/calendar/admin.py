"""Admin screens for the calendar. Every save goes through the services, so the audit trail
and the cached calendars stay right; the forms ask the policy (`calendar.manage`) and check
what the services would refuse, so a refusal shows as a form error. The workspace page
/app/lich/ and `egov calendar set` are the everyday ways to edit exceptions."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from egov.calendar import services
from egov.calendar.arithmetic import Period, normalise_periods
from egov.calendar.models import CalendarException, WorkingPeriod
from egov.organisations.models import Agency
from egov.policy.engine import can

Week = dict[int, list[tuple[time, time]]]


class _PolicyForm(forms.ModelForm):
    request: HttpRequest

    def _check_policy(self, agency: Agency | None) -> None:
        if not can(self.request.user, "calendar.manage", agency):
            raise forms.ValidationError(_("Bạn không có quyền sửa lịch làm việc của cơ quan này."))


class CalendarExceptionForm(_PolicyForm):
    class Meta:
        model = CalendarException
        fields = ("agency", "day", "is_working", "reason", "legal_reference")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency = data.get("agency", self.instance.agency if self.instance.pk else None)
        self._check_policy(agency)
        day = data.get("day", self.instance.day if self.instance.pk else None)
        if day is not None and not services.FIRST_YEAR <= day.year <= services.LAST_YEAR:
            self.add_error("day", _("Ngày phải trong khoảng năm 1995–2100."))
        if "reason" in data and not str(data["reason"]).strip():
            self.add_error("reason", _("Lý do là bắt buộc."))
        return data


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    form = CalendarExceptionForm
    list_display = ("day", "is_working", "reason", "legal_reference", "agency")
    list_filter = ("is_working", "agency")
    date_hierarchy = "day"
    search_fields = ("reason", "legal_reference")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # type: ignore[attr-defined]
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Day and scope are the row's identity: clear it and add another to move it.
        return ("day", "agency") if obj is not None else ()

    def save_model(
        self, request: HttpRequest, obj: CalendarException, form: Any, change: bool
    ) -> None:
        saved = services.calendar_exception_set(
            actor=request.user,
            day=obj.day,
            working=obj.is_working,
            reason=obj.reason,
            legal_reference=obj.legal_reference,
            agency=obj.agency,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CalendarException) -> None:
        services.calendar_exception_clear(actor=request.user, day=obj.day, agency=obj.agency)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarException]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


def _week_of(agency_id: int, *, without: Any = ()) -> Week:
    week: Week = {}
    rows = WorkingPeriod.objects.filter(agency_id=agency_id).exclude(pk__in=list(without))
    for period in rows:
        week.setdefault(period.weekday, []).append((period.starts_at, period.ends_at))
    return week


class WorkingPeriodForm(_PolicyForm):
    class Meta:
        model = WorkingPeriod
        fields = ("agency", "weekday", "starts_at", "ends_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency = data.get("agency")
        if agency is None:
            return data
        self._check_policy(agency)
        start, end, weekday = data.get("starts_at"), data.get("ends_at"), data.get("weekday")
        if start is None or end is None or weekday is None:
            return data
        if not start < end:
            raise forms.ValidationError(_("Giờ kết thúc phải sau giờ bắt đầu."))
        week = _week_of(agency.pk, without=[self.instance.pk] if self.instance.pk else [])
        try:
            normalise_periods(
                [Period(s, e) for s, e in week.get(weekday, [])] + [Period(start, end)]
            )
        except ValueError as exc:
            raise forms.ValidationError(
                _("Khoảng giờ này chồng lên khoảng giờ khác trong ngày.")
            ) from exc
        return data


@admin.register(WorkingPeriod)
class WorkingPeriodAdmin(admin.ModelAdmin):
    form = WorkingPeriodForm
    list_display = ("agency", "weekday", "starts_at", "ends_at")
    list_filter = ("weekday",)
    ordering = ("agency__code", "weekday", "starts_at")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # type: ignore[attr-defined]
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("agency",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: WorkingPeriod, form: Any, change: bool) -> None:
        week = _week_of(obj.agency_id, without=[obj.pk] if obj.pk else [])
        week.setdefault(obj.weekday, []).append((obj.starts_at, obj.ends_at))
        services.working_hours_set(actor=request.user, agency=obj.agency, periods=week)
        obj.pk = WorkingPeriod.objects.get(
            agency_id=obj.agency_id, weekday=obj.weekday, starts_at=obj.starts_at
        ).pk

    def delete_model(self, request: HttpRequest, obj: WorkingPeriod) -> None:
        self.delete_queryset(request, WorkingPeriod.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WorkingPeriod]) -> None:
        doomed = list(queryset.values_list("pk", flat=True))
        for agency in Agency.objects.filter(working_periods__pk__in=doomed).distinct():
            services.working_hours_set(
                actor=request.user,
                agency=agency,
                periods=_week_of(agency.pk, without=doomed) or None,
            )
