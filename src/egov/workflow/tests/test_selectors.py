"""Reads: the control sheet in one query, queues per agency, soonest due first."""

from __future__ import annotations

from typing import Any

import pytest

from egov.workflow.models import Action, InstanceStatus
from egov.workflow.selectors import (
    control_sheet,
    instance_for_subject,
    instances_for_queue,
    instances_overdue,
)
from egov.workflow.services import instance_act, instance_start
from egov.workflow.tests.factories import at, make_world

pytestmark = pytest.mark.django_db


def test_control_sheet_is_one_query(django_assert_num_queries: Any) -> None:
    world = make_world()
    inst = instance_start(
        process=world.process, subject=world.subject(), agency=world.ward, actor=None
    )
    instance_act(instance=inst, action=Action.FORWARD, actor=world.officer.user)
    instance_act(instance=inst, action=Action.FORWARD, actor=world.specialist.user)
    with django_assert_num_queries(1):
        sheet = control_sheet(inst)
    assert [r.number for r in sheet] == [1, 2, 3]
    assert sheet[0].actor == "hệ thống" and sheet[0].to_step == "Tiếp nhận hồ sơ"


def test_queues_hold_only_the_agencies_rows_soonest_due_first() -> None:
    world = make_world()
    subjects = [world.subject() for _ in range(3)]
    late, soon, other = (
        instance_start(process=world.process, subject=s, agency=world.ward, actor=None, at=when)
        for s, when in zip(
            subjects, [at(2027, 3, 2, 8), at(2027, 3, 1, 8), at(2027, 3, 1, 8)], strict=True
        )
    )
    instance_act(
        instance=other, action=Action.FORWARD, actor=world.officer.user, at=at(2027, 3, 1, 9)
    )
    ward_queue = list(instances_for_queue(agency_ids=[world.ward.pk]))
    assert ward_queue == [soon, late]
    assert list(instances_for_queue(agency_ids=[world.department.pk])) == [other]
    assert list(instances_for_queue(agency_ids=[world.ward.pk], step_codes=["tham-dinh"])) == []
    assert list(instances_overdue(agency_ids=[world.ward.pk], at=at(2027, 3, 1, 16))) == [soon]
    instance_act(
        instance=soon, action=Action.REFUSE, actor=world.officer.user, at=at(2027, 3, 1, 10)
    )
    assert soon.status == InstanceStatus.REFUSED
    assert list(instances_for_queue(agency_ids=[world.ward.pk])) == [late]
    assert instance_for_subject(subjects[0]) == late
