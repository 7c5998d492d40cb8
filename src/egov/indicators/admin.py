"""The indicator registry, edited by administrators (each save audited): a formula is
checked against its source's fact fields before it is saved (refused with the reason, nothing
changed). Facts and reports are written only by jobs and services, so they are read-only here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from egov.audit.admin_audited import AuditedModelAdmin
from egov.indicators import formulas
from egov.indicators.models import DossierMonthlyFact, Indicator, MonthlyReport
from egov.indicators.periods import KINDS
from egov.indicators.sources import SOURCES


class IndicatorForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Indicator
        fields = (
            "code",
            "name",
            "group",
            "source",
            "formula",
            "aggregation",
            "unit",
            "direction",
            "target_green",
            "target_amber",
            "period_kinds",
            "max_points",
            "note",
            "order",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = SOURCES.get(data.get("source", ""))
        if source is None:
            self.add_error("source", f"Nguồn số liệu không có; chọn: {', '.join(sorted(SOURCES))}.")
        elif data.get("formula"):
            try:
                formulas.parse(data["formula"], source.fields)
            except formulas.FormulaError as exc:
                self.add_error("formula", f"Công thức không hợp lệ: {exc}.")
        kinds = data.get("period_kinds") or []
        if not isinstance(kinds, list) or not set(kinds) <= set(KINDS):
            self.add_error("period_kinds", f"Kỳ tính là danh sách trong: {', '.join(KINDS)}.")
        green, amber = data.get("target_green"), data.get("target_amber")
        if green is not None and amber is not None:
            lower = data.get("direction") == "lower"
            if (lower and amber < green) or (not lower and amber > green):
                self.add_error("target_amber", "Ngưỡng cần cố gắng phải kém hơn ngưỡng đạt.")
        return data


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    form = IndicatorForm
    list_display = ("code", "name", "group", "source", "formula", "unit", "max_points", "is_active")
    list_filter = ("group", "source", "is_active")
    search_fields = ("code", "name", "formula")


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DossierMonthlyFact)
class DossierMonthlyFactAdmin(ReadOnly):
    list_display = ("agency", "month", "service_level", "received", "decided", "decided_late")
    list_filter = ("month",)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnly):
    list_display = ("agency", "month", "recipients", "created_at")
