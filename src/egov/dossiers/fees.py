"""Fees of a dossier: what is due (snapshot at submission) and what was paid.

`fees_due_for(procedure, channel)` gives the rows created at submission: each fee of the
procedure with the amount for the channel (online amounts are often reduced). `fee_summary`
is the paid/unpaid summary printed on receipts and shown on the dossier pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from egov.dossiers.models import Channel, Dossier, FeeDue, Payment, PaymentStatus
from egov.procedures.models import Procedure


def fees_due_for(procedure: Procedure, channel: str) -> list[FeeDue]:
    """Unsaved `FeeDue` rows (dossier unset) for the procedure's fees, by channel."""
    return [
        FeeDue(
            fee=fee,
            name=fee.name,
            kind=fee.kind,
            amount=fee.online_amount if channel == Channel.ONLINE else fee.counter_amount,
        )
        for fee in procedure.fees.order_by("order", "id")
    ]


@dataclass(frozen=True)
class FeeSummary:
    items: tuple[FeeDue, ...]
    payments: tuple[Payment, ...]
    total_due: int
    paid: int  # confirmed payments
    pending: int  # recorded, waiting for an officer's confirmation

    @property
    def outstanding(self) -> int:
        """Still to pay, not counting pending payments (never negative)."""
        return max(self.total_due - self.paid, 0)

    @property
    def unclaimed(self) -> int:
        """Still to pay once pending payments are counted."""
        return max(self.total_due - self.paid - self.pending, 0)

    @property
    def is_paid(self) -> bool:
        return self.paid >= self.total_due


def fee_summary(dossier: Dossier) -> FeeSummary:
    items = tuple(FeeDue.objects.filter(dossier=dossier).order_by("id"))
    payments = tuple(Payment.objects.filter(dossier=dossier).order_by("created_at", "id"))
    return FeeSummary(
        items=items,
        payments=payments,
        total_due=sum(i.amount for i in items),
        paid=sum(p.amount for p in payments if p.status == PaymentStatus.CONFIRMED),
        pending=sum(p.amount for p in payments if p.status == PaymentStatus.PENDING),
    )
