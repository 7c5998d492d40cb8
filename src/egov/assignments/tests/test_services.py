"""Assignments' services: every path and refusal (given / when / then)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from egov.assignments import facts, services
from egov.assignments.models import (
    Assignment,
    AssignmentMonthlyFact,
    AssignmentStatus,
    ExtensionDecision,
    MeetingConclusion,
    Recurrence,
)
from egov.audit.models import AuditEntry
from egov.calendar.arithmetic import WorkingCalendar
from egov.core.errors import Conflict, PermissionDenied, ValidationFailed
from egov.notifications.models import Notification

pytestmark = pytest.mark.django_db


def give(world, **kw):
    kw.setdefault("title", "Báo cáo tình hình")
    kw.setdefault("owners", [("main", world.owner), ("co", world.co)])
    kw.setdefault("working_days", 5)
    return services.assignment_create(actor=world.leader.user, **kw)


def test_create_due_from_working_calendar_audit_and_notify(world):
    before = timezone.now()
    a = give(world)
    cal = WorkingCalendar.for_agency(world.agency)
    assert a.assigned_at >= before
    assert a.due_at == cal.due_after_working_days(a.assigned_at, 5)
    assert a.owner_agency_id == world.owner.agency_id
    assert AuditEntry.objects.filter(action="assignment.create").count() == 1
    assert Notification.objects.filter(
        recipient_user=world.owner.user, event="assignment.assigned"
    ).exists()
    fact = AssignmentMonthlyFact.objects.get(
        agency=world.owner.agency, month=facts.month_of(a.assigned_at)
    )
    assert fact.assigned == 1


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"title": ""}, ValidationFailed),
        ({"owners": []}, ValidationFailed),
        ({"owners": [("co", "x")]}, ValidationFailed),
        ({"working_days": 0}, ValidationFailed),
        ({"working_days": None}, ValidationFailed),
    ],
)
def test_create_bad_input_changes_nothing(world, kwargs, error):
    with pytest.raises(error):
        give(world, **kwargs)
    assert Assignment.objects.count() == 0
    assert AssignmentMonthlyFact.objects.count() == 0


def test_create_refused_for_non_leader_and_outside_agency_tree(world):
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            actor=world.owner.user, title="x", owners=[("main", world.co)], working_days=3
        )
    with pytest.raises(ValidationFailed, match="ngoài phạm vi"):
        give(world, owners=[("main", world.outsider)])
    assert Assignment.objects.count() == 0


def test_conclusion_becomes_three_assignments(world):
    c = services.meeting_conclusion_create(
        actor=world.leader.user, title="Giao ban tháng", date=timezone.localdate()
    )
    items = [
        services.ConclusionItem(title=f"Việc {n}", owners=[("main", t)], working_days=n + 2)
        for n, t in enumerate([world.owner, world.co, world.unit])
    ]
    created = services.assignments_from_conclusion(
        actor=world.leader.user, conclusion=c, items=items
    )
    assert [a.meeting_id for a in created] == [c.pk] * 3
    assert Assignment.objects.filter(meeting=c).count() == 3


def test_conclusion_all_or_nothing(world):
    c = MeetingConclusion.objects.create(
        agency=world.agency, title="Họp", date=timezone.localdate(), created_by=world.leader
    )
    items = [
        services.ConclusionItem(title="Việc 1", owners=[("main", world.owner)], working_days=3),
        services.ConclusionItem(title="", owners=[("main", world.owner)], working_days=3),
    ]
    with pytest.raises(ValidationFailed, match="Nhiệm vụ thứ 2"):
        services.assignments_from_conclusion(actor=world.leader.user, conclusion=c, items=items)
    assert Assignment.objects.count() == 0


def test_progress_by_owner_and_refused_for_non_owner(world):
    a = give(world)
    services.progress_report(actor=world.co.user, assignment=a, text="Đang làm", percent=40)
    a.refresh_from_db()
    assert (a.status, a.percent) == (AssignmentStatus.IN_PROGRESS, 40)
    with pytest.raises(PermissionDenied):
        services.progress_report(actor=world.stranger.user, assignment=a, text="x", percent=90)
    with pytest.raises(ValidationFailed):
        services.progress_report(actor=world.owner.user, assignment=a, text="x", percent=101)
    a.refresh_from_db()
    assert a.percent == 40 and a.progress.count() == 1


def test_unit_owner_members_may_act(world):
    a = give(world, owners=[("main", world.unit)])
    services.progress_report(actor=world.owner.user, assignment=a, text="Phòng báo cáo", percent=10)
    with pytest.raises(PermissionDenied):
        services.progress_report(actor=world.co.user, assignment=a, text="x", percent=10)


def test_extension_approved_moves_due_refused_keeps_it(world):
    a = give(world)
    old = a.due_at
    req = services.extension_request(
        actor=world.owner.user,
        assignment=a,
        new_due_at=old + timedelta(days=7),
        reason="Chờ số liệu",
    )
    a.refresh_from_db()
    assert a.status == AssignmentStatus.EXTENSION_REQUESTED
    with pytest.raises(Conflict):
        services.extension_request(
            actor=world.owner.user, assignment=a, new_due_at=old + timedelta(days=9), reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=world.owner.user, request=req, approve=True)
    services.extension_decide(actor=world.leader.user, request=req, approve=True, note="Đồng ý")
    a.refresh_from_db()
    assert a.due_at == old + timedelta(days=7) and a.original_due_at == old
    assert a.status == AssignmentStatus.IN_PROGRESS
    req2 = services.extension_request(
        actor=world.owner.user, assignment=a, new_due_at=a.due_at + timedelta(days=3), reason="Nữa"
    )
    services.extension_decide(actor=world.leader.user, request=req2, approve=False)
    a.refresh_from_db()
    req2.refresh_from_db()
    assert req2.decision == ExtensionDecision.REFUSED and a.due_at == old + timedelta(days=7)


def test_extension_request_after_completion_refused_nothing_changed(world):
    a = give(world)
    services.completion_report(actor=world.owner.user, assignment=a, text="Xong")
    services.completion_decide(actor=world.leader.user, assignment=a, accept=True)
    a.refresh_from_db()
    due, audits = a.due_at, AuditEntry.objects.count()
    with pytest.raises(Conflict, match="hoàn thành"):
        services.extension_request(
            actor=world.owner.user, assignment=a, new_due_at=due + timedelta(days=3), reason="Muộn"
        )
    a.refresh_from_db()
    assert a.due_at == due and a.status == AssignmentStatus.DONE
    assert a.extensions.count() == 0 and AuditEntry.objects.count() == audits


def test_completion_report_by_non_owner_refused_nothing_changed(world):
    a = give(world)
    with pytest.raises(PermissionDenied, match="được giao"):
        services.completion_report(actor=world.stranger.user, assignment=a, text="Xong")
    a.refresh_from_db()
    assert a.status == AssignmentStatus.OPEN and a.events.count() == 1


def test_completion_accept_on_time_and_send_back(world):
    a = give(world)
    with pytest.raises(Conflict):
        services.completion_decide(actor=world.leader.user, assignment=a, accept=True)
    services.completion_report(actor=world.owner.user, assignment=a, text="Xong")
    with pytest.raises(ValidationFailed):
        services.completion_decide(actor=world.leader.user, assignment=a, accept=False, note="")
    services.completion_decide(actor=world.leader.user, assignment=a, accept=False, note="Bổ sung")
    a.refresh_from_db()
    assert a.status == AssignmentStatus.IN_PROGRESS
    services.completion_report(actor=world.owner.user, assignment=a, text="Đã bổ sung")
    services.completion_decide(actor=world.leader.user, assignment=a, accept=True)
    a.refresh_from_db()
    assert a.status == AssignmentStatus.DONE and a.on_time is True and a.completed_at


def test_completion_late_counts_late(world):
    a = give(world)
    Assignment.objects.filter(pk=a.pk).update(due_at=timezone.now() - timedelta(days=1))
    a.refresh_from_db()
    services.escalate_overdue()
    services.completion_report(actor=world.owner.user, assignment=a, text="Xong muộn")
    services.completion_decide(actor=world.leader.user, assignment=a, accept=True)
    a.refresh_from_db()
    assert a.on_time is False
    _assert_facts_match(world)


def _assert_facts_match(world):
    rows = list(AssignmentMonthlyFact.objects.all())
    assert rows
    for row in rows:
        computed = facts.facts_compute(agency_id=row.agency_id, month=row.month)
        assert {f: getattr(row, f) for f in facts.FIELDS} == computed, row


def test_facts_incremental_equal_recompute(world):
    a1 = give(world, title="Một")
    a2 = give(world, title="Hai", owners=[("main", world.unit)])
    a3 = give(world, title="Ba", owners=[("main", world.agency)])
    Assignment.objects.filter(pk__in=[a2.pk, a3.pk]).update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    services.escalate_overdue()
    services.completion_report(actor=world.owner.user, assignment=a1, text="Xong")
    services.completion_decide(actor=world.leader.user, assignment=a1, accept=True)
    a2.refresh_from_db()
    req = services.extension_request(
        actor=world.owner.user,
        assignment=a2,
        new_due_at=timezone.now() + timedelta(days=5),
        reason="r",
    )
    services.extension_decide(actor=world.leader.user, request=req, approve=True)
    _assert_facts_match(world)
    fact = AssignmentMonthlyFact.objects.get(
        agency=world.owner.agency, month=facts.month_of(timezone.now())
    )
    before = {f: getattr(fact, f) for f in facts.FIELDS}
    again = facts.facts_recompute(agency_id=fact.agency_id, month=fact.month)
    assert {f: getattr(again, f) for f in facts.FIELDS} == before
    assert before["assigned"] == 2 and before["done"] == 1 and before["done_on_time"] == 1


def test_reminder_once_to_owners(world):
    a = give(world, working_days=1)
    assert services.reminders_due() == 1
    assert services.reminders_due() == 0
    assert (
        Notification.objects.filter(
            event="assignment.reminder", recipient_user=world.owner.user
        ).count()
        == 1
    )
    a.refresh_from_db()
    assert a.reminded_at is not None


def test_no_reminder_far_from_deadline(world):
    give(world, working_days=20)
    assert services.reminders_due() == 0


def test_escalation_once_reaches_assigner_and_owner_head(world):
    a = give(world)
    Assignment.objects.filter(pk=a.pk).update(due_at=timezone.now() - timedelta(hours=2))
    assert services.escalate_overdue() == 1
    assert services.escalate_overdue() == 0
    overdue = Notification.objects.filter(event="assignment.overdue")
    assert set(overdue.values_list("recipient_user", flat=True)) == {
        world.leader.user_id,
        world.head.user_id,
    }
    a.refresh_from_db()
    assert a.escalated_at and a.overdue_since
    assert a.events.filter(kind="escalated").count() == 1


def test_recurring_monthly_instance_idempotent(world):
    series = give(world, recurrence=Recurrence.MONTHLY, recurrence_day=25, working_days=None)
    assert series.is_series
    today = timezone.localdate()
    first = services.recurring_spawn(today=today)
    assert len(first) == 1 and first[0].parent_id == series.pk
    assert services.recurring_spawn(today=today) == []
    assert series.instances.count() == 1
    assert first[0].period_start == today.replace(day=1)
    assert first[0].due_at > timezone.now() - timedelta(seconds=5)
    assert first[0].owners.count() == 2


def test_recurrence_needs_a_day(world):
    with pytest.raises(ValidationFailed):
        give(world, recurrence=Recurrence.WEEKLY, recurrence_day=9, working_days=None)
