from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import User
from egov.audit.admin_audited import AuditedModelAdmin

_EGOV_FIELDS: Any = (
    _("Thông tin egov"),
    {"fields": ("kind", "full_name", "phone", "citizen_id", "tax_code", "email_verified_at")},
)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):  # type: ignore[misc]
    audit_exclude = ("password",)  # the hash stays out of the audit trail

    list_display = ("username", "full_name", "kind", "email", "is_active", "email_verified_at")
    list_filter = ("kind", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "email", "citizen_id", "tax_code")
    fieldsets = (*list(DjangoUserAdmin.fieldsets or ()), _EGOV_FIELDS)
