"""A ModelAdmin base for configuration tables edited in Django's admin.

Reference data (document types, urgency levels, abbreviations…) has no workflow of its own, so
its admin screen is its service: each save or delete runs in one transaction with its audit
row, like every other state change (architecture invariant 1).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from egov.audit.services import audit_record, snapshot


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    # Fields never copied into the audit trail (secrets such as password hashes).
    audit_exclude: tuple[str, ...] = ()

    def _snapshot(self, obj: models.Model) -> dict[str, Any]:
        names = [
            f.attname for f in obj._meta.concrete_fields if f.attname not in self.audit_exclude
        ]
        return snapshot(obj, names)

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                stored = type(obj)._default_manager.filter(pk=obj.pk).first()
                before = self._snapshot(stored) if stored is not None else None
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=f"{obj._meta.label_lower}.{'update' if change else 'create'}",
                target=obj,
                summary=f"Quản trị {'sửa' if change else 'thêm'} {obj._meta.verbose_name}: {obj}",
                before=before,
                after=self._snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            before = self._snapshot(obj)
            audit_record(
                actor=request.user,
                action=f"{obj._meta.label_lower}.delete",
                target=obj,
                summary=f"Quản trị xóa {obj._meta.verbose_name}: {obj}",
                before=before,
                after=None,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
