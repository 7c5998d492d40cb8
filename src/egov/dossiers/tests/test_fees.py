"""Fees due, payments through providers, the paid/unpaid summary; notifications on commit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from egov.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from egov.dossiers import services
from egov.dossiers.fees import fee_summary
from egov.dossiers.models import Dossier, Payment, PaymentStatus
from egov.dossiers.payments import BankTransfer, PaymentProvider, provider_for, providers
from egov.dossiers.testing import World, make_world
from egov.jobs.queue import queue
from egov.notifications.models import Notification
from egov.organisations.testing import make_citizen
from egov.procedures.inputs import FeeInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world(
        fees=(
            FeeInput(name="Lệ phí", counter_amount=50000, online_amount=25000),
            FeeInput(name="Phí thẩm định", kind="fee", counter_amount=100000, online_amount=100000),
        )
    )


def submit(world: World) -> Dossier:
    return services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Nguyễn Văn An"},
        papers=world.uploads(),
    )


def test_fees_due_by_channel_and_summary(world: World) -> None:
    dossier = submit(world)
    summary = fee_summary(dossier)
    assert [(i.name, i.amount) for i in summary.items] == [
        ("Lệ phí", 25000),
        ("Phí thẩm định", 100000),
    ]
    assert (summary.total_due, summary.paid, summary.outstanding, summary.is_paid) == (
        125000,
        0,
        125000,
        False,
    )


def test_bank_transfer_recorded_by_applicant_then_confirmed_by_officer(world: World) -> None:
    dossier = submit(world)
    instructions = provider_for("bank_transfer").start(dossier)
    assert instructions.transfer_note == dossier.code and instructions.amount == 125000
    payment = services.payment_record(
        actor=world.citizen,
        dossier=dossier,
        provider="bank_transfer",
        reference="FT2603030001",
        amount=125000,
    )
    assert payment.status == PaymentStatus.PENDING
    summary = fee_summary(dossier)
    assert (summary.paid, summary.pending, summary.is_paid) == (0, 125000, False)
    # a citizen cannot confirm, nor a specialist
    with pytest.raises(PermissionDenied):
        services.payment_confirm(actor=world.citizen, payment=payment)
    with pytest.raises(PermissionDenied):
        services.payment_confirm(actor=world.ward_specialist.user, payment=payment)
    services.payment_confirm(actor=world.officer.user, payment=payment)
    assert payment.status == PaymentStatus.CONFIRMED and payment.confirmed_by == world.officer.user
    assert fee_summary(dossier).is_paid
    with pytest.raises(Conflict):
        services.payment_confirm(actor=world.officer.user, payment=payment)


def test_rejecting_a_payment_needs_a_note(world: World) -> None:
    dossier = submit(world)
    payment = services.payment_record(
        actor=world.citizen, dossier=dossier, provider="bank_transfer", reference="X1", amount=1000
    )
    with pytest.raises(ValidationFailed):
        services.payment_confirm(actor=world.officer.user, payment=payment, accept=False)
    services.payment_confirm(
        actor=world.officer.user, payment=payment, accept=False, note="Không thấy giao dịch"
    )
    assert payment.status == PaymentStatus.REJECTED
    assert fee_summary(dossier).paid == 0


def test_payment_refusals(world: World) -> None:
    dossier = submit(world)
    services.payment_record(
        actor=world.citizen, dossier=dossier, provider="bank_transfer", reference="R1", amount=100
    )
    with pytest.raises(Conflict):  # the same bank reference twice
        services.payment_record(
            actor=world.citizen, dossier=dossier, provider="bank_transfer", reference="R1", amount=5
        )
    with pytest.raises(ValidationFailed) as caught:  # more than is left to pay
        services.payment_record(
            actor=world.citizen,
            dossier=dossier,
            provider="bank_transfer",
            reference="R2",
            amount=125000,
        )
    assert "amount" in caught.value.fields
    with pytest.raises(ValidationFailed):  # cash is recorded by the officer
        services.payment_record(
            actor=world.citizen, dossier=dossier, provider="counter", reference="R3", amount=5
        )
    with pytest.raises(ValidationFailed):
        services.payment_record(
            actor=world.citizen, dossier=dossier, provider="vi-dien-tu", reference="R4", amount=5
        )
    with pytest.raises(ValidationFailed):
        services.payment_record(
            actor=world.citizen, dossier=dossier, provider="bank_transfer", reference="", amount=5
        )
    with pytest.raises(NotFound):  # someone else's dossier
        services.payment_record(
            actor=make_citizen(),
            dossier=dossier,
            provider="bank_transfer",
            reference="R5",
            amount=5,
        )
    assert Payment.objects.count() == 1


def test_providers_registry(settings: Any) -> None:
    assert list(providers()) == ["counter", "bank_transfer"]
    assert isinstance(providers()["bank_transfer"], PaymentProvider)
    assert isinstance(BankTransfer(), PaymentProvider)
    settings.EGOV_PAYMENT_PROVIDERS = []
    assert list(providers()) == ["counter"]


# --- notifications ---------------------------------------------------------------------------


@pytest.fixture
def jobs_run_here() -> Iterator[None]:
    """Run queued jobs in this process (huey's immediate mode; the root conftest's
    EGOV_JOBS_IMMEDIATE comes too late to switch the queue, see notifications' tests)."""
    huey = queue()
    saved = huey.immediate
    huey.immediate = True
    try:
        yield
    finally:
        huey.immediate = saved


def test_applicant_is_notified_when_the_submission_commits(
    world: World, django_capture_on_commit_callbacks: Any, jobs_run_here: None
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier = submit(world)
    # nothing sent inside the transaction: the job waits for the commit
    assert not Notification.objects.filter(event="dossier.submitted").exists()
    for callback in callbacks:
        callback()
    notification = Notification.objects.get(event="dossier.submitted")
    assert notification.recipient_user == world.citizen
    assert dossier.code in notification.subject and dossier.code in notification.body


def test_nothing_is_sent_when_the_transaction_rolls_back(
    world: World, django_capture_on_commit_callbacks: Any, jobs_run_here: None
) -> None:
    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        submit(world)
        raise Boom
    assert callbacks == []
    assert not Notification.objects.filter(event__startswith="dossier.").exists()
    assert Dossier.objects.count() == 0


def test_acceptance_notifies_with_the_due_date(
    world: World, django_capture_on_commit_callbacks: Any, jobs_run_here: None
) -> None:
    dossier = submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_accept(actor=world.officer.user, dossier=dossier)
    notification = Notification.objects.get(event="dossier.received")
    assert "Ngày hẹn trả kết quả" in notification.body
