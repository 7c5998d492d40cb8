"""Read-only screens to inspect processes and running instances.

Processes are written only by `services.process_define` (a new version from data, checked
against the legal time and audited); an edit in the admin would bypass both, so these screens
show and never change. Import or export a process as JSON with `process_as_data`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from egov.workflow.models import HistoryEntry, Instance, Process, Step, Transition


class _ReadOnly:
    """Mixin: view permission only (inlines and model admins alike)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(_ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = Step
    fields = (
        "order",
        "code",
        "name",
        "kind",
        "actor_roles",
        "actor_agency",
        "actor_unit",
        "allotted_hours",
        "is_final",
    )
    ordering = ("order",)
    extra = 0
    show_change_link = False


class TransitionInline(_ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = Transition
    fk_name = "process"
    fields = ("source", "action", "target", "label")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Transition]:
        return super().get_queryset(request).select_related("source", "target")


@admin.register(Process)
class ProcessAdmin(_ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "version", "name", "legal_working_days", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    fields = ("code", "version", "name", "legal_working_days", "is_active", "description")
    inlines = (StepInline, TransitionInline)


class HistoryInline(_ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = HistoryEntry
    fields = (
        "acted_at",
        "action",
        "step",
        "to_step",
        "actor",
        "actor_agency",
        "to_agency",
        "to_assignee",
        "step_started_at",
        "step_due_at",
        "outcome",
        "paused_working",
        "note",
    )
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[HistoryEntry]:
        return (
            super()
            .get_queryset(request)
            .select_related(
                "step", "to_step", "actor", "actor_agency", "to_agency", "to_assignee__user"
            )
        )


@admin.register(Instance)
class InstanceAdmin(_ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "subject",
        "process",
        "agency",
        "current_step",
        "status",
        "step_due_at",
        "due_at",
    )
    list_filter = ("status",)
    list_select_related = ("process", "agency", "current_step")
    search_fields = ("subject_type", "=subject_id")
    fields = (
        "process",
        "subject_type",
        "subject_id",
        "agency",
        "current_step",
        "assignee",
        "status",
        "step_started_at",
        "step_due_at",
        "paused_at",
        "due_at",
        "paused_working",
    )
    inlines = (HistoryInline,)

    @admin.display(description=_("Đối tượng"))
    def subject(self, obj: Instance) -> str:
        return str(obj)
