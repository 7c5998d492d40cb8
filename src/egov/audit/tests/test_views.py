"""The log page /app/nhat-ky/, the chain check button and the history include."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from egov.audit.models import AuditEntry
from egov.audit.selectors import history_for
from egov.audit.services import audit_record
from egov.audit.views import PAGE_SIZE
from egov.organisations.models import Agency, RoleCode
from egov.organisations.testing import make_agency, make_staff

pytestmark = pytest.mark.django_db

LIST = "/app/nhat-ky/"
VERIFY = "/app/nhat-ky/kiem-tra-chuoi/"


def _log(target: Any, action: str, *, n: int = 1, **kwargs: Any) -> list[AuditEntry]:
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(
                audit_record(
                    actor=None, action=action, target=target, summary=f"{action} {i}", **kwargs
                )
            )
    return out


@pytest.fixture
def two_agencies() -> tuple[Agency, Agency]:
    own, other = make_agency(), make_agency()
    _log(make_staff(agency=own), "staff.update", n=2)
    _log(make_staff(agency=other), "staff.update", n=3)
    return own, other


def _client(agency: Agency, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(agency=agency, roles=[role]).user)
    return client


def test_urls_are_named() -> None:
    assert reverse("workspace:audit:entries") == LIST
    assert reverse("workspace:audit:verify") == VERIFY


def test_anonymous_goes_to_login(client: Client) -> None:
    response = client.get(LIST)
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("role", [RoleCode.SPECIALIST, RoleCode.CLERK, RoleCode.UNIT_HEAD])
def test_roles_without_audit_view_are_refused(
    two_agencies: tuple[Agency, Agency], role: str
) -> None:
    assert _client(two_agencies[0], role).get(LIST).status_code == 403


def test_leader_sees_only_own_agency(two_agencies: tuple[Agency, Agency]) -> None:
    own, _ = two_agencies
    page = _client(own, RoleCode.AGENCY_LEADER).get(LIST).context["page"]
    entries = list(page.object_list)
    assert len(entries) == 2 and {e.agency_id for e in entries} == {own.pk}
    assert [e.id for e in entries] == sorted((e.id for e in entries), reverse=True)


def test_administrator_sees_every_agency(two_agencies: tuple[Agency, Agency]) -> None:
    page = _client(two_agencies[0], RoleCode.ADMINISTRATOR).get(LIST).context["page"]
    assert {e.agency_id for e in page.object_list} >= {a.pk for a in two_agencies}


def test_filter_by_action_exact_and_prefix(two_agencies: tuple[Agency, Agency]) -> None:
    own, _ = two_agencies
    _log(own, "agency.update")
    client = _client(own, RoleCode.AGENCY_LEADER)
    exact = client.get(LIST, {"action": "agency.update"}).context["page"]
    assert [e.action for e in exact.object_list] == ["agency.update"]
    prefix = client.get(LIST, {"action": "staff."}).context["page"]
    assert {e.action for e in prefix.object_list} == {"staff.update"}
    assert prefix.paginator.count == 2


def test_filter_by_date(two_agencies: tuple[Agency, Agency]) -> None:
    own, _ = two_agencies
    old = _log(own, "agency.update")[0]
    with connection.cursor() as cur:  # moves one row back in time (breaks the chain: fine here)
        cur.execute(
            "UPDATE audit_auditentry SET occurred_at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=10), old.id],
        )
    client = _client(own, RoleCode.AGENCY_LEADER)
    today = timezone.localdate()
    recent = client.get(LIST, {"date_from": today.isoformat()}).context["page"]
    assert old.id not in {e.id for e in recent.object_list} and recent.paginator.count == 2
    before = client.get(LIST, {"date_to": (today - timedelta(days=5)).isoformat()}).context["page"]
    assert [e.id for e in before.object_list] == [old.id]


def test_inverted_dates_are_explained_and_ignored(two_agencies: tuple[Agency, Agency]) -> None:
    client = _client(two_agencies[0], RoleCode.AGENCY_LEADER)
    response = client.get(LIST, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert "phải trước hoặc bằng" in response.content.decode()
    assert response.context["page"].paginator.count == 2


def test_pagination_and_constant_queries(
    two_agencies: tuple[Agency, Agency], django_assert_max_num_queries: Any
) -> None:
    own, _ = two_agencies
    _log(own, "agency.update", n=PAGE_SIZE + 5)
    client = _client(own, RoleCode.AGENCY_LEADER)
    client.get(LIST)  # warm the session
    with django_assert_max_num_queries(12):
        first = client.get(LIST, {"action": "agency."})
    page = first.context["page"]
    assert len(page.object_list) == PAGE_SIZE and page.has_next()
    assert "trang=2" in first.content.decode() and "action=agency." in first.content.decode()
    second = client.get(LIST, {"action": "agency.", "trang": 2}).context["page"]
    assert len(second.object_list) == 5


def test_verify_button_only_for_administrators(two_agencies: tuple[Agency, Agency]) -> None:
    own, _ = two_agencies
    leader_page = _client(own, RoleCode.AGENCY_LEADER).get(LIST).content.decode()
    admin_page = _client(own, RoleCode.ADMINISTRATOR).get(LIST).content.decode()
    assert VERIFY not in leader_page and VERIFY in admin_page
    assert _client(own, RoleCode.AGENCY_LEADER).post(VERIFY).status_code == 403


def test_verify_runs_and_is_recorded(two_agencies: tuple[Agency, Agency]) -> None:
    client = _client(two_agencies[0], RoleCode.ADMINISTRATOR)
    assert client.get(VERIFY).status_code == 405
    response = client.post(VERIFY)
    assert response.status_code == 200
    assert "Chuỗi nhật ký toàn vẹn: 5 bản ghi." in response.content.decode()
    last = AuditEntry.objects.order_by("-id").first()
    assert last is not None and last.action == "audit.verify" and last.actor is not None


def test_verify_reports_a_broken_chain(two_agencies: tuple[Agency, Agency]) -> None:
    first = AuditEntry.objects.order_by("id").first()
    assert first is not None
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET summary = 'x' WHERE id = %s", [first.id])
    response = _client(two_agencies[0], RoleCode.ADMINISTRATOR).post(VERIFY)
    assert f"hỏng tại bản ghi #{first.id}" in response.content.decode()


# --- history -------------------------------------------------------------------------------


def test_history_for_is_newest_first_with_actor_and_limited() -> None:
    agency = make_agency()
    actor = make_staff(agency=agency).user
    other = make_agency()
    for i in range(4):
        with transaction.atomic():
            audit_record(actor=actor, action="agency.update", target=agency, summary=str(i))
    _log(other, "agency.update")
    rows = history_for(agency, limit=3)
    assert [r.summary for r in rows] == ["3", "2", "1"]
    assert all(r.actor == actor for r in rows)
    staff = make_staff(agency=agency)
    _log(staff, "staff.update")  # keyed by public_id
    assert [r.action for r in history_for(staff)] == ["staff.update"]


def test_history_for_fetches_actors_in_one_query(django_assert_num_queries: Any) -> None:
    agency = make_agency()
    actor = make_staff(agency=agency).user
    for _ in range(3):
        with transaction.atomic():
            audit_record(actor=actor, action="agency.update", target=agency)
    with django_assert_num_queries(1):
        rows = history_for(agency)
        labels = [str(r.actor) for r in rows]
    assert len(labels) == 3


def test_history_template_shows_the_changed_keys_only() -> None:
    agency = make_agency()
    with transaction.atomic():
        audit_record(
            actor=None,
            action="agency.update",
            target=agency,
            summary="Đổi tên cơ quan",
            before={"name": "Sở cũ", "phone": "0236", "email": "a@x.vn"},
            after={"name": "Sở Khoa học và Công nghệ", "phone": "0236", "website": "https://x.vn"},
        )
    html = render_to_string("audit/_history.html", {"history": history_for(agency)})
    assert "Lịch sử thay đổi" in html and "Đổi tên cơ quan" in html
    assert "<del>Sở cũ</del> → <ins>Sở Khoa học và Công nghệ</ins>" in html
    assert "<dt>phone</dt>" not in html  # unchanged
    assert "<dt>email</dt>" in html and "<dt>website</dt>" in html
    assert "hệ thống" in html
    empty = render_to_string("audit/_history.html", {"history": []})
    assert "Chưa có thay đổi nào" in empty
