"""Reference tables edited in Django's admin leave audit rows like every other change."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.accounts.models import User
from egov.audit.models import AuditEntry
from egov.audit.verify import verify_chain
from egov.documents.models import Urgency

pytestmark = pytest.mark.django_db


def test_admin_edit_of_a_reference_table_is_audited_and_chained() -> None:
    admin_user = User.objects.create_superuser("quantri-admin", "qt@example.gov.vn", "x-Strong-9")
    client = Client()
    client.force_login(admin_user)
    urgency = Urgency.objects.order_by("pk").first()
    assert urgency is not None
    url = f"/django-admin/documents/urgency/{urgency.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["name"] = "Khẩn (sửa thử)"
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:500]
    entry = AuditEntry.objects.filter(action="documents.urgency.update").get()
    assert entry.actor_id == admin_user.pk
    assert entry.after["name"] == "Khẩn (sửa thử)" and entry.before["name"] != entry.after["name"]
    assert verify_chain().ok


def test_admin_edit_of_a_user_is_audited_without_the_password_hash() -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    admin_user = User.objects.create_superuser("qt-users", "qtu@example.gov.vn", "x-Strong-9")
    citizen = User.objects.create_user("congdan-admin", password="x-Strong-9", full_name="Cũ")
    request = RequestFactory().post("/django-admin/accounts/user/")
    request.user = admin_user
    user_admin = admin.site._registry[User]
    citizen.full_name = "Nguyễn Văn Mới"
    user_admin.save_model(request, citizen, form=None, change=True)
    entry = AuditEntry.objects.filter(action="accounts.user.update").get()
    assert entry.actor_id == admin_user.pk
    assert entry.after["full_name"] == "Nguyễn Văn Mới" and entry.before["full_name"] == "Cũ"
    assert "password" not in entry.after and "password" not in entry.before
    assert verify_chain().ok
