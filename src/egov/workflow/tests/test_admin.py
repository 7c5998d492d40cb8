"""Administrators can inspect processes and instances; nothing can be changed there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from egov.accounts.models import User, UserKind
from egov.workflow.models import Action
from egov.workflow.services import instance_act, instance_start
from egov.workflow.tests.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser(
        username="quantri", password="matkhau-thu-123", kind=UserKind.STAFF
    )
    client.force_login(user)
    return client


def test_process_and_instance_pages_show_steps_and_history(admin_client: Client) -> None:
    world = make_world()
    inst = instance_start(
        process=world.process, subject=world.subject(), agency=world.ward, actor=None
    )
    instance_act(instance=inst, action=Action.FORWARD, actor=world.officer.user)

    page = admin_client.get(reverse("admin:workflow_process_change", args=[world.process.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Thẩm định hồ sơ" in body and "tham-dinh" in body
    assert admin_client.get(reverse("admin:workflow_process_changelist")).status_code == 200

    page = admin_client.get(reverse("admin:workflow_instance_change", args=[inst.pk]))
    assert page.status_code == 200
    assert world.department.name in page.content.decode()


def test_nothing_can_be_added_or_changed(admin_client: Client) -> None:
    world = make_world()
    assert admin_client.get(reverse("admin:workflow_process_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:workflow_process_change", args=[world.process.pk]),
        {"name": "Đổi tên"},
    )
    assert response.status_code == 403
    world.process.refresh_from_db()
    assert world.process.name != "Đổi tên"
