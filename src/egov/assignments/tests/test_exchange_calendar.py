"""Comments with mentions, notices, digest, the work calendar and its exports, pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from egov.assignments import exports, services
from egov.assignments.models import DigestSent, WorkEvent, WorkEventStatus
from egov.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from egov.notifications.models import Notification
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_staff

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def give(world):
    return services.assignment_create(
        actor=world.leader.user, title="Việc", owners=[("main", world.owner)], working_days=5
    )


def test_mention_notifies_only_who_may_see(world):
    a = give(world)
    c = services.comment_add(
        actor=world.owner.user, target=a, body="Nhờ @lanhdao xem, cc @coquankhac và @khongco"
    )
    assert list(c.mentions.values_list("username", flat=True)) == ["lanhdao"]
    n = Notification.objects.filter(event="comment.mention")
    assert list(n.values_list("recipient_user__username", flat=True)) == ["lanhdao"]
    reply = services.comment_add(actor=world.leader.user, target=a, body="Đã xem", parent=c)
    assert reply.parent_id == c.pk


def test_comment_refused_for_who_cannot_see_and_empty(world):
    a = give(world)
    with pytest.raises(NotFound):
        services.comment_add(actor=world.outsider.user, target=a, body="x")
    with pytest.raises(ValidationFailed):
        services.comment_add(actor=world.owner.user, target=a, body="  ")


def test_notice_read_receipts_and_digest_once(world, client):
    notice = services.notice_publish(
        actor=world.leader.user, title="Họp", body="Nội dung", to_agencies=[world.owner.agency]
    )
    assert notice.recipients.filter(user=world.owner.user).exists()
    with pytest.raises(PermissionDenied):
        services.notice_publish(actor=world.owner.user, title="x", body="y")
    client.force_login(world.owner.user)
    assert client.get(f"/app/nhiem-vu/thong-bao-noi-bo/{notice.public_id}/").status_code == 200
    assert notice.recipients.get(user=world.owner.user).notification.read_at is not None
    give(world)  # an unread notification of the day for the owner
    sent = services.digest_send()
    assert sent >= 1 and services.digest_send() == 0
    assert DigestSent.objects.filter(user=world.owner.user).count() == 1


def _office(world):
    return make_staff(agency=world.agency, roles=[R.CLERK], username="vanthu")


def test_work_calendar_edit_approve_publish_and_portal(world, client):
    clerk = _office(world)
    start = datetime(2025, 3, 10, 8, 0, tzinfo=VN)
    event = services.work_event_save(
        actor=clerk.user,
        title="Họp giao ban; tuần, quý",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Phòng họp số 1",
        leader=world.leader,
        is_public=True,
    )
    with pytest.raises(PermissionDenied):
        services.work_event_save(actor=world.owner.user, title="x", starts_at=start, ends_at=start)
    with pytest.raises(Conflict):
        services.work_week_publish(actor=clerk.user, week=start.date())
    with pytest.raises(PermissionDenied):
        services.work_week_approve(actor=clerk.user, week=start.date())
    assert services.work_week_approve(actor=world.leader.user, week=start.date()) == 1
    assert services.work_week_publish(actor=clerk.user, week=start.date()) == 1
    event.refresh_from_db()
    assert event.status == WorkEventStatus.PUBLISHED
    page = client.get(f"/lich-cong-tac/{world.agency.code}/?tuan=2025-03-10")
    assert page.status_code == 200 and "Họp giao ban" in page.content.decode()
    ics = client.get(f"/lich-cong-tac/{world.agency.code}/lich.ics?tuan=2025-03-10")
    assert ics["Content-Type"].startswith("text/calendar")
    pdf = client.get(f"/lich-cong-tac/{world.agency.code}/lich.pdf?tuan=2025-03-10")
    assert pdf.content.startswith(b"%PDF")


def test_ics_format_escapes_folds_and_parses_back(world):
    start = datetime(2025, 3, 10, 8, 0, tzinfo=VN)
    event = WorkEvent.objects.create(
        agency=world.agency,
        week=start.date(),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        title="Làm việc với Sở Tài chính; Sở Kế hoạch, Đầu tư " + "về dự án " * 10,
        location="Phòng 2, tầng 3",
        status=WorkEventStatus.PUBLISHED,
    )
    text = exports.work_events_ics([event], name="Lịch")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for raw in text.split("\r\n"):
        assert len(raw.encode("utf-8")) <= 75
    lines = exports.ics_unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert "Tài chính\\; Sở Kế hoạch\\, Đầu tư" in summary
    assert "DTSTART:20250310T010000Z" in lines
    assert "LOCATION:Phòng 2\\, tầng 3" in lines


def test_pages_status_and_policy(world, client):
    a = give(world)
    client.force_login(world.owner.user)
    assert client.get("/app/nhiem-vu/").status_code == 200
    assert client.get(f"/app/nhiem-vu/{a.public_id}/").status_code == 200
    assert client.get("/app/nhiem-vu/bang/").status_code == 403
    r = client.post(f"/app/nhiem-vu/{a.public_id}/tien-do/", {"text": "Đang làm", "percent": "30"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.percent == 30
    r = client.post(
        f"/app/nhiem-vu/trao-doi/assignment/{a.public_id}/",
        {"body": "@lanhdao xin ý kiến"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "xin ý kiến" in r.content.decode()
    client.force_login(world.outsider.user)
    assert client.get(f"/app/nhiem-vu/{a.public_id}/").status_code == 404
    client.force_login(world.stranger.user)
    r = client.post(f"/app/nhiem-vu/{a.public_id}/hoan-thanh/", {"text": "Xong"})
    assert r.status_code == 404  # not visible to a colleague who is not an owner
    client.force_login(world.leader.user)
    for url in (
        "/app/nhiem-vu/bang/",
        "/app/nhiem-vu/bang/?qua_han=1",
        "/app/nhiem-vu/da-giao/",
        "/app/nhiem-vu/moi/",
        "/app/lich-cong-tac/",
        "/app/nhiem-vu/thong-bao-noi-bo/",
    ):
        assert client.get(url).status_code == 200, url
    assert a.title in client.get("/app/nhiem-vu/bang/").content.decode()


def test_api_mine_create_progress(world, client):
    client.force_login(world.leader.user)
    r = client.post(
        "/api/v1/assignments",
        {
            "title": "Qua API",
            "owners": [{"kind": "main", "staff": str(world.owner.public_id)}],
            "working_days": 3,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pid = r.json()["public_id"]
    client.force_login(world.owner.user)
    assert [row["public_id"] for row in client.get("/api/v1/assignments").json()] == [pid]
    r = client.post(
        f"/api/v1/assignments/{pid}/progress",
        {"text": "50%", "percent": 50},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["percent"] == 50
    client.force_login(world.stranger.user)
    r = client.post(
        f"/api/v1/assignments/{pid}/progress",
        {"text": "x", "percent": 1},
        content_type="application/json",
    )
    assert r.status_code == 404


def test_detail_page_ids_are_unique_so_each_label_names_its_box(world, client):
    import re
    from collections import Counter

    a = give(world)
    client.force_login(world.owner.user)
    html = client.get(f"/app/nhiem-vu/{a.public_id}/").content.decode()
    repeated = [i for i, n in Counter(re.findall(r'\bid="([^"]+)"', html)).items() if n > 1]
    assert not repeated, repeated
    assert 'for="completion_text"' in html and 'for="progress_text"' in html
