"""Configuration screens: reference tables, abbreviations, numbering policy (administrators).
Every save here writes its audit row (AuditedModelAdmin); documents themselves change only
through the services, so they are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from egov.audit.admin_audited import AuditedModelAdmin
from egov.documents.models import (
    Document,
    DocumentType,
    FieldAbbreviation,
    NumberingPolicy,
    SecrecyLevel,
    SigningAuthority,
    Urgency,
)


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedModelAdmin):
    list_display = ("name", "abbreviation", "category", "series", "rank", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("name", "abbreviation", "code")


@admin.register(Urgency)
class UrgencyAdmin(AuditedModelAdmin):
    list_display = ("name", "edxml_code")


@admin.register(SecrecyLevel)
class SecrecyLevelAdmin(AuditedModelAdmin):
    list_display = ("name", "level")


@admin.register(SigningAuthority)
class SigningAuthorityAdmin(AuditedModelAdmin):
    list_display = ("abbreviation", "name", "rank")


@admin.register(FieldAbbreviation)
class FieldAbbreviationAdmin(AuditedModelAdmin):
    list_display = ("agency", "abbreviation", "name", "is_active")
    search_fields = ("abbreviation", "name", "agency__name")


@admin.register(NumberingPolicy)
class NumberingPolicyAdmin(AuditedModelAdmin):
    list_display = ("agency", "mode")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "agency", "direction", "status", "issued_date", "arrival_number")
    list_filter = ("direction", "status", "channel")
    search_fields = ("code_notation", "subject", "document_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
