from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import User
from egov.accounts.services import password_changed_email_send
from egov.audit.admin_audited import AuditedModelAdmin
from egov.audit.services import audit_record

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

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's password form, in one transaction with its audit row (hash kept out)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                assert user is not None  # the view answered 404 otherwise
                audit_record(
                    actor=request.user,
                    action="accounts.password_set",
                    target=user,
                    summary=str(
                        _("Quản trị đặt mật khẩu mới")
                        if user.has_usable_password()
                        else _("Quản trị tắt đăng nhập bằng mật khẩu")
                    ),
                )
                transaction.on_commit(lambda: password_changed_email_send(user))
        return response
