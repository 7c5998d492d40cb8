"""The engine end to end: a 4-step process across a ward and a department, with the real
calendar (Tết 2027: Thu 04/02 – Wed 10/02 off; make-up Saturday 22/08/2026)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from egov.audit.models import AuditEntry
from egov.calendar.arithmetic import WorkingCalendar
from egov.core.errors import AppError, ValidationFailed
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_staff, make_unit
from egov.workflow.models import Action, HistoryEntry, Instance, InstanceStatus, Outcome
from egov.workflow.selectors import control_sheet
from egov.workflow.services import (
    available_actions,
    instance_act,
    instance_start,
    paused_working_time,
    process_define,
)
from egov.workflow.tests.factories import World, at, four_steps, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


T0 = at(2027, 2, 3, 8)  # Wednesday 03/02/2027 08:00, the eve of Tết


def start(world: World, when: datetime | None = None) -> Instance:
    """Start a dossier at the ward, at `when` (default now)."""
    return instance_start(
        process=world.process,
        subject=world.subject(),
        agency=world.ward,
        actor=world.officer.user,
        at=when or timezone.now(),
    )


def state(instance: Instance) -> dict[str, object]:
    row = Instance.objects.get(pk=instance.pk)
    return {
        f.attname: getattr(row, f.attname)
        for f in Instance._meta.concrete_fields
        if f.attname != "updated_at"
    }


# --- the whole way -----------------------------------------------------------------------------


def test_four_steps_across_two_agencies(world: World) -> None:
    # Given a dossier received at the ward on Wednesday 03/02/2027 08:00, the eve of Tết
    inst = start(world, T0)
    assert inst.current_step.code == "tiep-nhan"
    assert inst.agency == world.ward
    assert inst.step_due_at == at(2027, 2, 3, 14)  # 4 working hours: 3.5 h morning, 0.5 h after
    # Five working days after the day of receipt, Tết left out: Thu 11, Fri 12, Mon 15, Tue 16,
    # Wed 17/02 at the close of work.
    assert inst.due_at == at(2027, 2, 17, 17)

    # When the one-stop officer forwards it the same morning, it crosses to the department
    e1 = instance_act(
        instance=inst, action=Action.FORWARD, actor=world.officer.user, at=at(2027, 2, 3, 9)
    )
    assert (e1.outcome, e1.to_agency, e1.actor_agency) == (
        Outcome.ON_TIME,
        world.department,
        world.ward,
    )
    assert inst.agency == world.department and inst.current_step.code == "tham-dinh"
    # 16 h from Wed 09:00: 6 h on Wednesday, Tết, 7.5 h on Thu 11/02, 2.5 h on Fri 12/02
    assert inst.step_due_at == at(2027, 2, 12, 10)

    # the specialist finishes a day before the due day: early
    e2 = instance_act(
        instance=inst, action=Action.FORWARD, actor=world.specialist.user, at=at(2027, 2, 11, 16)
    )
    assert e2.outcome == Outcome.EARLY
    assert inst.step_due_at == at(2027, 2, 12, 16, 30)

    # the leader approves on Monday: late; the result goes back to the ward
    e3 = instance_act(
        instance=inst, action=Action.APPROVE, actor=world.leader.user, at=at(2027, 2, 15, 8)
    )
    assert e3.outcome == Outcome.LATE
    assert inst.agency == world.ward and inst.current_step.code == "tra-ket-qua"

    e4 = instance_act(
        instance=inst, action=Action.RETURN_RESULT, actor=world.officer.user, at=at(2027, 2, 15, 10)
    )
    assert e4.outcome == Outcome.ON_TIME and e4.to_step is None
    assert inst.status == InstanceStatus.COMPLETED and inst.current_step is None

    # Then the control sheet has one row per hand-over, with bodies, times and results
    sheet = control_sheet(inst)
    assert [r.action for r in sheet] == [
        "submit",
        "forward",
        "forward",
        "approve",
        "return_result",
    ]
    assert [r.outcome_label for r in sheet] == ["", "Đúng hạn", "Trước hạn", "Quá hạn", "Đúng hạn"]
    assert [(r.from_agency, r.to_agency) for r in sheet[1:4]] == [
        (world.ward.name, world.department.name),
        (world.department.name, world.department.name),
        (world.department.name, world.ward.name),
    ]
    assert sheet[2].step_started_at == at(2027, 2, 3, 9)
    assert sheet[2].step_due_at == at(2027, 2, 12, 10)
    assert sheet[2].actor == str(world.specialist.user)
    # and every transition left an audit row on the instance
    actions = list(
        AuditEntry.objects.filter(object_id=str(inst.public_id), action__startswith="workflow.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "workflow.start",
        "workflow.forward",
        "workflow.forward",
        "workflow.approve",
        "workflow.return_result",
    ]


def test_one_instance_per_subject(world: World) -> None:
    subject = world.subject()
    kw = {"process": world.process, "subject": subject, "agency": world.ward, "actor": None}
    instance_start(**kw)  # type: ignore[arg-type]
    with pytest.raises(AppError) as exc:
        instance_start(**kw)  # type: ignore[arg-type]
    assert exc.value.code == "workflow_instance_exists"


# --- refusals change nothing --------------------------------------------------------------------


def test_an_action_the_step_does_not_have_is_refused_and_nothing_changes(world: World) -> None:
    inst = start(world, T0)
    before, rows, audits = state(inst), HistoryEntry.objects.count(), AuditEntry.objects.count()
    with pytest.raises(AppError) as exc:
        instance_act(
            instance=inst, action=Action.APPROVE, actor=world.officer.user, at=at(2027, 2, 3, 9)
        )
    assert exc.value.code == "workflow_action_not_allowed"
    assert exc.value.status == 409
    assert exc.value.message == (
        "Không thể phê duyệt ở bước Tiếp nhận hồ sơ: bước này không có hành động đó."
    )
    assert state(inst) == before
    assert HistoryEntry.objects.count() == rows and AuditEntry.objects.count() == audits


def test_nothing_can_be_done_once_the_process_ended(world: World) -> None:
    inst = start(world)
    instance_act(instance=inst, action=Action.REFUSE, actor=world.officer.user)
    assert inst.status == InstanceStatus.REFUSED
    with pytest.raises(AppError, match="quy trình đã kết thúc \\(Từ chối\\)"):
        instance_act(instance=inst, action=Action.FORWARD, actor=world.officer.user)
    assert available_actions(inst, world.officer.user) == []


def test_an_unknown_action_is_a_validation_error(world: World) -> None:
    inst = start(world)
    with pytest.raises(ValidationFailed):
        instance_act(instance=inst, action="teleport", actor=world.officer.user)


@pytest.mark.parametrize(
    "who",
    ["ward_specialist", "specialist", "leader"],
)
def test_actor_without_the_role_in_the_agency_is_refused(world: World, who: str) -> None:
    # the intake step needs a one-stop officer of the ward; the department's staff hold no role
    # there and the ward's specialist holds the wrong one
    inst = start(world)
    before, rows = state(inst), HistoryEntry.objects.count()
    with pytest.raises(AppError) as exc:
        instance_act(instance=inst, action=Action.FORWARD, actor=getattr(world, who).user)
    assert exc.value.code == "workflow_actor_not_allowed" and exc.value.status == 403
    assert "Cán bộ một cửa" in exc.value.message and world.ward.name in exc.value.message
    assert state(inst) == before and HistoryEntry.objects.count() == rows


def test_a_specialist_of_the_ward_cannot_act_at_the_departments_step(world: World) -> None:
    inst = start(world)
    instance_act(instance=inst, action=Action.FORWARD, actor=world.officer.user)
    with pytest.raises(AppError) as exc:
        instance_act(instance=inst, action=Action.FORWARD, actor=world.ward_specialist.user)
    assert exc.value.code == "workflow_actor_not_allowed"
    assert world.department.name in exc.value.message


def test_a_step_restricted_to_a_unit(world: World) -> None:
    unit = make_unit(agency=world.department, abbreviation="QLXD")
    data = four_steps(world.ward, world.department, code="co-don-vi")
    data["steps"][1]["actor_unit"] = "QLXD"
    process = process_define(actor=None, **data)
    inst = instance_start(process=process, subject=world.subject(), agency=world.ward, actor=None)
    instance_act(instance=inst, action=Action.FORWARD, actor=world.officer.user)
    with pytest.raises(AppError, match="chỉ cán bộ của"):
        instance_act(instance=inst, action=Action.FORWARD, actor=world.specialist.user)
    in_unit = make_staff(agency=world.department, roles=[RoleCode.SPECIALIST], unit=unit)
    assert Action.FORWARD in available_actions(inst, in_unit.user)
    instance_act(instance=inst, action=Action.FORWARD, actor=in_unit.user)
    assert inst.current_step.code == "phe-duyet"


def test_a_citizen_cannot_act_as_staff(world: World) -> None:
    inst = start(world)
    with pytest.raises(AppError) as exc:
        instance_act(instance=inst, action=Action.WITHDRAW, actor=world.applicant)
    assert exc.value.code == "workflow_actor_not_allowed"


def test_no_actor_and_not_the_system_is_refused(world: World) -> None:
    inst = start(world)
    with pytest.raises(AppError) as exc:
        instance_act(instance=inst, action=Action.FORWARD, actor=None)
    assert exc.value.code == "workflow_actor_not_allowed"


# --- applicant and system -----------------------------------------------------------------------


def test_applicant_withdraws_before_the_decision(world: World) -> None:
    inst = start(world, T0)
    assert available_actions(inst, world.applicant, applicant=True) == [Action.WITHDRAW]
    entry = instance_act(
        instance=inst,
        action=Action.WITHDRAW,
        actor=world.applicant,
        applicant_ok=True,
        note="Không còn nhu cầu",
        at=at(2027, 2, 3, 10),
    )
    assert inst.status == InstanceStatus.WITHDRAWN
    assert entry.actor == world.applicant and entry.actor_agency is None
    assert entry.outcome == ""  # a withdrawal says nothing about the step's timeliness


def test_applicant_cannot_withdraw_once_at_approval(world: World) -> None:
    inst = start(world)
    instance_act(instance=inst, action=Action.FORWARD, actor=world.officer.user)
    instance_act(instance=inst, action=Action.FORWARD, actor=world.specialist.user)
    assert available_actions(inst, world.applicant, applicant=True) == []
    with pytest.raises(AppError) as exc:
        instance_act(
            instance=inst, action=Action.WITHDRAW, actor=world.applicant, applicant_ok=True
        )
    assert exc.value.code == "workflow_action_not_allowed"


def test_applicant_flag_opens_only_the_applicants_actions(world: World) -> None:
    inst = start(world)
    with pytest.raises(AppError) as exc:
        instance_act(instance=inst, action=Action.FORWARD, actor=world.applicant, applicant_ok=True)
    assert exc.value.code == "workflow_actor_not_allowed"
    assert "rút hoặc bổ sung" in exc.value.message


def test_the_system_acts_without_roles(world: World) -> None:
    inst = start(world)
    entry = instance_act(instance=inst, action=Action.FORWARD, actor=None, as_system=True)
    assert entry.actor is None and inst.current_step.code == "tham-dinh"
    assert control_sheet(inst)[1].actor == "hệ thống"


# --- available actions --------------------------------------------------------------------------


def test_available_actions_follow_step_status_and_roles(world: World) -> None:
    inst = start(world)
    assert available_actions(inst, world.officer.user) == [
        Action.FORWARD,
        Action.REFUSE,
        Action.WITHDRAW,
    ]
    assert available_actions(inst, world.specialist.user) == []
    instance_act(instance=inst, action=Action.FORWARD, actor=world.officer.user)
    assert available_actions(inst, world.specialist.user) == [
        Action.FORWARD,
        Action.RETURN,
        Action.REQUEST_SUPPLEMENT,
        Action.WITHDRAW,
        Action.SUSPEND,
    ]
    instance_act(instance=inst, action=Action.REQUEST_SUPPLEMENT, actor=world.specialist.user)
    assert available_actions(inst, world.specialist.user) == [
        Action.SUPPLEMENT,
        Action.WITHDRAW,
    ]
    assert available_actions(inst, world.applicant, applicant=True) == [
        Action.SUPPLEMENT,
        Action.WITHDRAW,
    ]


# --- outcomes with the real calendar ------------------------------------------------------------


@pytest.mark.parametrize(
    ("acted", "outcome"),
    [
        (at(2027, 2, 3, 16), Outcome.EARLY),  # before Tết
        (at(2027, 2, 11, 17), Outcome.EARLY),  # the day before the due day, after hours
        (at(2027, 2, 12, 7, 0), Outcome.ON_TIME),  # due day, before work starts
        (at(2027, 2, 12, 10, 0), Outcome.ON_TIME),  # the due instant itself
        (at(2027, 2, 12, 10, 1), Outcome.LATE),
        (at(2027, 2, 15, 8), Outcome.LATE),
    ],
)
def test_outcome_around_tet(world: World, acted, outcome) -> None:  # type: ignore[no-untyped-def]
    inst = start(world, T0)
    instance_act(
        instance=inst, action=Action.FORWARD, actor=world.officer.user, at=at(2027, 2, 3, 9)
    )
    assert inst.step_due_at == at(2027, 2, 12, 10)
    entry = instance_act(
        instance=inst, action=Action.FORWARD, actor=world.specialist.user, at=acted
    )
    assert entry.outcome == outcome
    assert entry.step_due_at == at(2027, 2, 12, 10)


@pytest.mark.parametrize(
    ("acted", "outcome"),
    [
        (at(2026, 8, 21, 16), Outcome.EARLY),
        (at(2026, 8, 22, 7, 45), Outcome.ON_TIME),  # the make-up Saturday is a working day
        (at(2026, 8, 22, 8, 1), Outcome.LATE),
        (at(2026, 8, 24, 7), Outcome.LATE),  # had Saturday been off: due Monday, on time
    ],
)
def test_outcome_with_a_makeup_saturday(world: World, acted, outcome) -> None:  # type: ignore[no-untyped-def]
    # Received Friday 21/08/2026 13:30; Saturday 22/08 is worked in exchange for Monday 31/08.
    inst = instance_start(
        process=world.process,
        subject=world.subject(),
        agency=world.ward,
        actor=None,
        at=at(2026, 8, 21, 13, 30),
    )
    # 4 h from Fri 13:30: 3.5 h on Friday, 0.5 h on Saturday 22/08 → 08:00 Saturday
    assert inst.step_due_at == at(2026, 8, 22, 8)
    entry = instance_act(instance=inst, action=Action.FORWARD, actor=world.officer.user, at=acted)
    assert entry.outcome == outcome


def test_makeup_saturday_counts_in_a_step_due(world: World) -> None:
    inst = start(world, at(2026, 8, 21, 13, 30))
    instance_act(
        instance=inst, action=Action.FORWARD, actor=world.officer.user, at=at(2026, 8, 21, 13, 30)
    )
    # 16 h: 3.5 h Friday, 7.5 h on the make-up Saturday, 5 h Monday 24/08 → 14:30
    assert inst.step_due_at == at(2026, 8, 24, 14, 30)


# --- the clock stops while waiting --------------------------------------------------------------


def test_supplement_shifts_the_dues_by_exactly_the_paused_working_time(world: World) -> None:
    inst = start(world, T0)
    instance_act(
        instance=inst, action=Action.FORWARD, actor=world.officer.user, at=at(2027, 2, 3, 9)
    )
    step_due, overall_due = inst.step_due_at, inst.due_at
    assert step_due == at(2027, 2, 12, 10)

    # When the specialist asks for a supplement on Wed 03/02 at 10:00
    e1 = instance_act(
        instance=inst,
        action=Action.REQUEST_SUPPLEMENT,
        actor=world.specialist.user,
        at=at(2027, 2, 3, 10),
        note="Thiếu bản vẽ",
    )
    assert inst.status == InstanceStatus.WAITING and inst.paused_at == at(2027, 2, 3, 10)
    assert e1.outcome == "" and e1.to_step == e1.step
    # nothing moves forward while waiting
    with pytest.raises(AppError, match="chờ bổ sung"):
        instance_act(instance=inst, action=Action.FORWARD, actor=world.specialist.user)
    # the running pause counts up to "now"
    assert paused_working_time(inst, at=at(2027, 2, 3, 11)) == timedelta(hours=1)

    # and the applicant supplements on Thu 11/02 at 14:00
    e2 = instance_act(
        instance=inst,
        action=Action.SUPPLEMENT,
        actor=world.applicant,
        applicant_ok=True,
        at=at(2027, 2, 11, 14),
    )
    # paused: 1.5 + 3.5 h on Wednesday, Tết, 4 + 0.5 h on Thursday = 9.5 working hours
    paused = timedelta(hours=9.5)
    assert e2.paused_working == paused
    assert inst.status == InstanceStatus.ACTIVE and inst.paused_at is None
    assert paused_working_time(inst) == paused
    calendar = WorkingCalendar.for_agency(world.department)
    assert calendar.working_duration_between(step_due, inst.step_due_at) == paused
    assert inst.step_due_at == at(2027, 2, 15, 14)  # Fri 10:00 + 9.5 h
    assert inst.due_at is not None and overall_due is not None
    assert calendar.working_duration_between(overall_due, inst.due_at) == paused
    assert e2.step_due_at == inst.step_due_at

    # the step's outcome compares with the shifted due
    e3 = instance_act(
        instance=inst, action=Action.FORWARD, actor=world.specialist.user, at=at(2027, 2, 15, 13)
    )
    assert e3.outcome == Outcome.ON_TIME
    assert e3.step_due_at == at(2027, 2, 15, 14)


def test_suspend_and_resume(world: World) -> None:
    inst = start(world, T0)
    instance_act(
        instance=inst, action=Action.FORWARD, actor=world.officer.user, at=at(2027, 2, 3, 9)
    )
    instance_act(
        instance=inst, action=Action.SUSPEND, actor=world.specialist.user, at=at(2027, 2, 11, 8)
    )
    assert inst.status == InstanceStatus.SUSPENDED
    with pytest.raises(AppError, match="tạm dừng"):
        instance_act(instance=inst, action=Action.SUPPLEMENT, actor=world.specialist.user)
    entry = instance_act(
        instance=inst, action=Action.RESUME, actor=world.specialist.user, at=at(2027, 2, 12, 8)
    )
    assert entry.paused_working == timedelta(hours=7.5)
    assert inst.step_due_at == at(2027, 2, 15, 10)
    assert inst.paused_working == timedelta(hours=7.5)


def test_resume_when_not_paused_is_refused(world: World) -> None:
    inst = start(world)
    with pytest.raises(AppError) as exc:
        instance_act(instance=inst, action=Action.RESUME, actor=world.officer.user)
    assert exc.value.code == "workflow_action_not_allowed"
    assert "không ở trạng thái tạm dừng" in exc.value.message


def test_withdrawing_while_waiting_closes_the_pause(world: World) -> None:
    inst = start(world, T0)
    instance_act(
        instance=inst, action=Action.FORWARD, actor=world.officer.user, at=at(2027, 2, 3, 9)
    )
    instance_act(
        instance=inst,
        action=Action.REQUEST_SUPPLEMENT,
        actor=world.specialist.user,
        at=at(2027, 2, 3, 10),
    )
    entry = instance_act(
        instance=inst,
        action=Action.WITHDRAW,
        actor=world.applicant,
        applicant_ok=True,
        at=at(2027, 2, 3, 11),
    )
    assert entry.paused_working == timedelta(hours=1)
    assert inst.status == InstanceStatus.WITHDRAWN and inst.paused_at is None


# --- return, assignees, agencies ----------------------------------------------------------------


def test_return_goes_back_to_the_previous_step_agency_and_assignee(world: World) -> None:
    inst = start(world, T0)
    instance_act(
        instance=inst,
        action=Action.FORWARD,
        actor=world.officer.user,
        to_assignee=world.specialist,
        at=at(2027, 2, 3, 9),
    )
    assert inst.assignee == world.specialist
    instance_act(
        instance=inst, action=Action.FORWARD, actor=world.specialist.user, at=at(2027, 2, 3, 10)
    )
    assert inst.assignee is None
    entry = instance_act(
        instance=inst,
        action=Action.RETURN,
        actor=world.leader.user,
        note="Thẩm định lại",
        at=at(2027, 2, 3, 11),
    )
    assert entry.to_step.code == "tham-dinh" and entry.outcome == Outcome.EARLY
    assert inst.assignee == world.specialist
    assert inst.step_started_at == at(2027, 2, 3, 11)
    # back to intake: the ward again (the step has no fixed agency: it held the dossier before)
    instance_act(
        instance=inst, action=Action.RETURN, actor=world.specialist.user, at=at(2027, 2, 3, 13, 30)
    )
    assert inst.current_step.code == "tiep-nhan" and inst.agency == world.ward


def test_assignee_must_work_in_the_target_agency_with_the_role(world: World) -> None:
    inst = start(world)
    with pytest.raises(ValidationFailed) as exc:
        instance_act(
            instance=inst,
            action=Action.FORWARD,
            actor=world.officer.user,
            to_assignee=world.ward_specialist,
        )
    assert "to_assignee" in exc.value.fields
    with pytest.raises(ValidationFailed):
        instance_act(
            instance=inst, action=Action.FORWARD, actor=world.officer.user, to_assignee=world.leader
        )
    assert inst.current_step.code == "tiep-nhan"


def test_to_agency_chooses_the_agency_of_a_step_without_a_fixed_one(world: World) -> None:
    other_ward = make_agency(name="UBND phường khác")
    data = four_steps(world.ward, world.department, code="chon-co-quan")
    del data["steps"][1]["actor_agency"]
    process = process_define(actor=None, **data)
    inst = instance_start(process=process, subject=world.subject(), agency=world.ward, actor=None)
    entry = instance_act(
        instance=inst, action=Action.FORWARD, actor=world.officer.user, to_agency=other_ward
    )
    assert inst.agency == other_ward and entry.to_agency == other_ward
    # a step with a fixed agency refuses another
    with pytest.raises(ValidationFailed):
        instance_act(
            instance=inst,
            action=Action.FORWARD,
            actor=make_staff(agency=other_ward, roles=[RoleCode.SPECIALIST]).user,
            to_agency=other_ward,
        )


def test_a_stale_instance_is_refused(world: World) -> None:
    inst = start(world)
    seen_by_other = Instance.objects.get(pk=inst.pk)
    instance_act(instance=inst, action=Action.FORWARD, actor=world.officer.user)
    with pytest.raises(AppError) as exc:
        instance_act(instance=seen_by_other, action=Action.FORWARD, actor=world.officer.user)
    assert exc.value.code == "workflow_instance_changed" and exc.value.status == 409


def test_acting_before_the_step_began_is_refused(world: World) -> None:
    inst = start(world, T0)
    with pytest.raises(ValidationFailed):
        instance_act(
            instance=inst, action=Action.FORWARD, actor=world.officer.user, at=at(2027, 2, 2, 9)
        )
