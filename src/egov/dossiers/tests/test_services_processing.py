"""Processing services: the whole path, the clock stopping during a supplement, suspension,
apology, refusals of actions the step or the user may not take, withdrawal and rating rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from egov.core.errors import AppError, Conflict, NotFound, PermissionDenied, ValidationFailed
from egov.dossiers import services
from egov.dossiers.models import (
    ApologyLetter,
    Dossier,
    DossierStatus,
    PaymentStatus,
    Rating,
    RatingValue,
    ResultChannel,
    SupplementStage,
)
from egov.dossiers.testing import World, make_world, pdf
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_citizen, make_staff
from egov.workflow.models import HistoryEntry, InstanceStatus

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FORM = {"ho_ten": "Nguyễn Văn An"}


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def world() -> World:
    return make_world()


def received(world: World, when: datetime | None = None) -> Dossier:
    """A dossier submitted online and accepted at `when` (default Tue 03/03/2026 09:00: due
    Tue 10/03/2026 17:00)."""
    when = when or at(2026, 3, 3, 9)
    dossier = services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data=FORM,
        papers=world.uploads(),
        at=when,
    )
    services.dossier_accept(actor=world.officer.user, dossier=dossier, at=when)
    return dossier


def pay(world: World, dossier: Dossier) -> None:
    services.payment_record(
        actor=world.officer.user,
        dossier=dossier,
        provider="counter",
        reference=f"BL-{dossier.pk}",
        amount=25000,
    )


def to_result(world: World, dossier: Dossier, day: int = 5) -> Dossier:
    services.dossier_act(
        actor=world.specialist.user, dossier=dossier, action="forward", at=at(2026, 3, day, 9)
    )
    services.dossier_act(
        actor=world.leader.user, dossier=dossier, action="approve", at=at(2026, 3, day, 10)
    )
    services.dossier_attach_result(
        actor=world.leader.user, dossier=dossier, upload=pdf("giay-phep.pdf", extra=b"kq")
    )
    services.dossier_sign_result(actor=world.leader.user, dossier=dossier, at=at(2026, 3, day, 11))
    return dossier


def test_the_whole_path(world: World) -> None:
    dossier = received(world)
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.handling_agency == world.department
    services.dossier_act(
        actor=world.specialist.user,
        dossier=dossier,
        action="forward",
        note="Đủ điều kiện",
        to_assignee=world.leader,
        at=at(2026, 3, 5, 9),
    )
    assert dossier.current_step_name == "Phê duyệt" and dossier.assignee == world.leader
    services.dossier_act(
        actor=world.leader.user, dossier=dossier, action="approve", at=at(2026, 3, 5, 10)
    )
    assert dossier.current_step_name == "Ký kết quả"
    result = services.dossier_attach_result(
        actor=world.leader.user, dossier=dossier, upload=pdf("giay-phep.pdf", extra=b"kq")
    )
    signed = services.dossier_sign_result(
        actor=world.leader.user, dossier=dossier, at=at(2026, 3, 5, 11)
    )
    assert signed.pk == result.pk and signed.signed and signed.signed_by == world.leader.user
    assert dossier.status == DossierStatus.RESULT_READY
    assert dossier.handling_agency == world.ward
    assert dossier.decided_at == at(2026, 3, 5, 11) and dossier.finished_on_time is True
    pay(world, dossier)
    services.dossier_return_result(
        actor=world.officer.user,
        dossier=dossier,
        channel=ResultChannel.ONLINE,
        at=at(2026, 3, 6, 9),
    )
    assert dossier.status == DossierStatus.RETURNED
    assert dossier.returned_at == at(2026, 3, 6, 9) and dossier.closed_at is not None
    instance = dossier.workflow_instance
    assert instance is not None
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED
    actions = list(HistoryEntry.objects.filter(instance=instance).values_list("action", flat=True))
    assert actions == ["submit", "accept", "forward", "approve", "sign_result", "return_result"]
    rating = services.dossier_rate(
        actor=world.citizen, dossier=dossier, value=RatingValue.SATISFIED, comment="Nhanh"
    )
    assert rating.value == "satisfied"
    with pytest.raises(Conflict):
        services.dossier_rate(actor=world.citizen, dossier=dossier, value=RatingValue.ACCEPTABLE)
    assert Rating.objects.count() == 1


def test_late_decision_is_flagged(world: World) -> None:
    dossier = received(world)
    to_result(world, dossier, day=11)  # due Tue 10/03 17:00
    assert dossier.finished_on_time is False and dossier.is_late


def test_action_the_step_does_not_have_is_refused_and_changes_nothing(world: World) -> None:
    dossier = received(world)
    with pytest.raises(AppError) as caught:
        services.dossier_act(actor=world.specialist.user, dossier=dossier, action="approve")
    assert caught.value.code == "workflow_action_not_allowed"
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING and dossier.current_step_name == (
        "Thẩm định hồ sơ"
    )
    assert HistoryEntry.objects.filter(instance=dossier.workflow_instance).count() == 2


def test_actor_without_the_step_role_is_refused_and_changes_nothing(world: World) -> None:
    dossier = received(world)
    # a leader of the department has no specialist role at the appraisal step
    with pytest.raises(AppError) as caught:
        services.dossier_act(actor=world.leader.user, dossier=dossier, action="forward")
    assert caught.value.code == "workflow_actor_not_allowed"
    # a specialist of the ward is not staff of the handling agency
    with pytest.raises(PermissionDenied):
        services.dossier_act(actor=world.ward_specialist.user, dossier=dossier, action="forward")
    # a citizen is not staff
    with pytest.raises(PermissionDenied):
        services.dossier_act(actor=world.citizen, dossier=dossier, action="forward")
    dossier.refresh_from_db()
    assert dossier.current_step_name == "Thẩm định hồ sơ" and dossier.assignee is None


def test_actions_with_their_own_service_are_not_generic(world: World) -> None:
    dossier = received(world)
    with pytest.raises(ValidationFailed):
        services.dossier_act(actor=world.specialist.user, dossier=dossier, action="refuse")


def test_supplement_during_processing_stops_the_clock(world: World) -> None:
    dossier = received(world)  # due Tue 10/03/2026 17:00
    request = services.dossier_request_supplement(
        actor=world.specialist.user,
        dossier=dossier,
        items=["Bản vẽ thiết kế có chữ ký"],
        at=at(2026, 3, 4, 9),  # Wednesday 09:00
    )
    assert request.stage == SupplementStage.PROCESSING
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    # the applicant answers on Monday 09/03 at 09:00: Wed 9:00 → Mon 9:00 is 3 working days
    services.dossier_supplement(
        actor=world.citizen,
        dossier=dossier,
        papers=[(None, pdf("ban-ve.pdf", extra=b"bv"))],
        at=at(2026, 3, 9, 9),
    )
    request.refresh_from_db()
    assert request.paused_working == timedelta(hours=22, minutes=30)  # 3 × 7 h 30
    assert dossier.status == DossierStatus.PROCESSING
    # due shifted by exactly the waiting working time: Tue 10/03 17:00 + 3 working days
    assert dossier.due_at == at(2026, 3, 13, 17, 0)
    assert dossier.legal_due_at == dossier.due_at
    assert dossier.original_due_at == at(2026, 3, 10, 17, 0)


def test_supplement_by_the_officer_at_the_counter(world: World) -> None:
    dossier = received(world)
    services.dossier_request_supplement(
        actor=world.specialist.user, dossier=dossier, items=["Bản vẽ"], at=at(2026, 3, 4, 9)
    )
    services.dossier_supplement(
        actor=world.officer.user,
        dossier=dossier,
        papers=[(None, pdf("ban-ve.pdf", extra=b"bv2"))],
        at=at(2026, 3, 4, 14),
    )
    assert dossier.status == DossierStatus.PROCESSING
    # 09:00–11:30 and 13:30–14:00: 3 working hours
    assert dossier.due_at == at(2026, 3, 11, 10, 30)


def test_suspend_and_resume_shift_the_due(world: World) -> None:
    dossier = received(world)
    services.dossier_suspend(
        actor=world.specialist.user,
        dossier=dossier,
        reason="Chờ ý kiến sở khác",
        at=at(2026, 3, 4, 9),
    )
    assert dossier.status == DossierStatus.SUSPENDED and dossier.status_note
    with pytest.raises(Conflict):
        services.dossier_act(actor=world.specialist.user, dossier=dossier, action="forward")
    services.dossier_resume(actor=world.specialist.user, dossier=dossier, at=at(2026, 3, 5, 9))
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.due_at == at(2026, 3, 11, 17, 0)


def test_suspend_needs_a_reason(world: World) -> None:
    dossier = received(world)
    with pytest.raises(ValidationFailed):
        services.dossier_suspend(actor=world.specialist.user, dossier=dossier, reason="")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING


def test_refuse_during_processing_is_a_decision(world: World) -> None:
    dossier = received(world)
    services.dossier_refuse(
        actor=world.specialist.user,
        dossier=dossier,
        reasons=["Không đủ điều kiện cấp phép"],
        at=at(2026, 3, 4, 9),
    )
    assert dossier.status == DossierStatus.REFUSED
    assert dossier.decided_at == at(2026, 3, 4, 9) and dossier.finished_on_time is True


def test_withdraw_during_processing_then_not_after_a_decision(world: World) -> None:
    dossier = received(world)
    services.dossier_withdraw(actor=world.citizen, dossier=dossier, reason="Không cần nữa")
    assert dossier.status == DossierStatus.WITHDRAWN

    decided = to_result(world, received(world))
    with pytest.raises(Conflict):
        services.dossier_withdraw(actor=world.citizen, dossier=decided, reason="Đổi ý")
    decided.refresh_from_db()
    assert decided.status == DossierStatus.RESULT_READY


def test_withdraw_where_the_step_does_not_allow_it_is_refused(world: World) -> None:
    dossier = received(world)
    services.dossier_act(actor=world.specialist.user, dossier=dossier, action="forward")
    with pytest.raises(AppError) as caught:
        services.dossier_withdraw(actor=world.citizen, dossier=dossier, reason="Đổi ý")
    assert caught.value.code == "workflow_action_not_allowed"
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING


def test_rating_before_the_result_is_returned_is_refused(world: World) -> None:
    dossier = to_result(world, received(world))
    with pytest.raises(Conflict):
        services.dossier_rate(actor=world.citizen, dossier=dossier, value=RatingValue.SATISFIED)
    assert Rating.objects.count() == 0


def test_rating_by_someone_else_looks_like_not_found(world: World) -> None:
    dossier = to_result(world, received(world))
    pay(world, dossier)
    services.dossier_return_result(
        actor=world.officer.user, dossier=dossier, channel=ResultChannel.COUNTER
    )
    with pytest.raises(NotFound):
        services.dossier_rate(actor=make_citizen(), dossier=dossier, value=RatingValue.SATISFIED)
    with pytest.raises(ValidationFailed):
        services.dossier_rate(actor=world.citizen, dossier=dossier, value="tuyet-voi")


def test_return_needs_the_fees_paid(world: World) -> None:
    dossier = to_result(world, received(world))
    with pytest.raises(ValidationFailed) as caught:
        services.dossier_return_result(
            actor=world.officer.user, dossier=dossier, channel=ResultChannel.COUNTER
        )
    assert "25.000" in caught.value.message
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY


def test_return_by_a_specialist_is_refused(world: World) -> None:
    dossier = to_result(world, received(world))
    pay(world, dossier)
    with pytest.raises(PermissionDenied):
        services.dossier_return_result(
            actor=world.ward_specialist.user, dossier=dossier, channel=ResultChannel.COUNTER
        )


def test_sign_without_a_result_is_refused(world: World) -> None:
    dossier = received(world)
    services.dossier_act(actor=world.specialist.user, dossier=dossier, action="forward")
    services.dossier_act(actor=world.leader.user, dossier=dossier, action="approve")
    with pytest.raises(ValidationFailed):
        services.dossier_sign_result(actor=world.leader.user, dossier=dossier)
    services.dossier_attach_result(actor=world.specialist.user, dossier=dossier, upload=pdf())
    with pytest.raises(AppError) as caught:  # a specialist may not sign
        services.dossier_sign_result(actor=world.specialist.user, dossier=dossier)
    assert caught.value.code == "workflow_actor_not_allowed"
    assert not dossier.results.get().signed


# --- apology ---------------------------------------------------------------------------------


def test_needs_apology_the_day_before_the_due(world: World) -> None:
    dossier = received(world)  # due Tue 10/03/2026 17:00
    assert not services.dossier_needs_apology(dossier, at(2026, 3, 6, 9))  # Friday
    assert services.dossier_needs_apology(dossier, at(2026, 3, 9, 9))  # Monday, the day before
    assert services.dossier_needs_apology(dossier, at(2026, 3, 11, 9))  # already late
    services.dossier_suspend(actor=world.specialist.user, dossier=dossier, reason="Chờ")
    assert not services.dossier_needs_apology(dossier, at(2026, 3, 9, 9))  # the clock stopped


def test_apology_moves_the_appointment_not_the_due_by_law(world: World) -> None:
    dossier = received(world)
    letter = services.dossier_apologise(
        actor=world.officer.user,
        dossier=dossier,
        reason="Cần xác minh thực địa",
        new_due_at=at(2026, 3, 13, 17, 0).date(),
        at=at(2026, 3, 9, 10),
    )
    assert letter.previous_due_at == at(2026, 3, 10, 17, 0)
    assert letter.new_due_at == at(2026, 3, 13, 17, 0) and letter.in_time
    assert dossier.due_at == at(2026, 3, 13, 17, 0)
    assert dossier.legal_due_at == at(2026, 3, 10, 17, 0)
    assert not services.dossier_needs_apology(dossier, at(2026, 3, 10, 9))
    to_result(world, dossier, day=12)
    assert dossier.finished_on_time is False  # late by law, even with the apology


def test_apology_after_the_deadline_is_recorded_as_late(world: World) -> None:
    dossier = received(world)
    letter = services.dossier_apologise(
        actor=world.leader.user,
        dossier=dossier,
        reason="Quá tải",
        new_due_at=at(2026, 3, 16, 17, 0),
        at=at(2026, 3, 10, 9),  # on the due day: later than the day before
    )
    assert not letter.in_time


def test_apology_new_date_must_be_later_than_the_due(world: World) -> None:
    dossier = received(world)
    with pytest.raises(ValidationFailed) as caught:
        services.dossier_apologise(
            actor=world.officer.user,
            dossier=dossier,
            reason="x",
            new_due_at=at(2026, 3, 10, 9),
            at=at(2026, 3, 9, 9),
        )
    assert "new_due_at" in caught.value.fields
    with pytest.raises(ValidationFailed):  # Saturday is not a working day
        services.dossier_apologise(
            actor=world.officer.user,
            dossier=dossier,
            reason="x",
            new_due_at=at(2026, 3, 14).date(),
            at=at(2026, 3, 9, 9),
        )
    assert ApologyLetter.objects.count() == 0


def test_apology_by_a_specialist_or_before_receipt_is_refused(world: World) -> None:
    dossier = received(world)
    with pytest.raises(PermissionDenied):
        services.dossier_apologise(
            actor=world.specialist.user,
            dossier=dossier,
            reason="x",
            new_due_at=at(2026, 3, 13).date(),
        )
    fresh = services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data=FORM,
        papers=world.uploads(),
    )
    with pytest.raises(Conflict):
        services.dossier_apologise(
            actor=world.officer.user, dossier=fresh, reason="x", new_due_at=at(2030, 3, 13).date()
        )


def test_unit_head_of_the_handling_agency_may_apologise(world: World) -> None:
    dossier = received(world)
    head = make_staff(agency=world.department, roles=[RoleCode.UNIT_HEAD])
    services.dossier_apologise(
        actor=head.user,
        dossier=dossier,
        reason="x",
        new_due_at=at(2026, 3, 13).date(),
        at=at(2026, 3, 9, 9),
    )
    assert dossier.due_at == at(2026, 3, 13, 17, 0)


def test_payment_of_the_counter_is_confirmed_at_once(world: World) -> None:
    dossier = received(world)
    pay(world, dossier)
    assert dossier.payments.get().status == PaymentStatus.CONFIRMED
