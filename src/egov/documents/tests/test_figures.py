"""Paperless figures: kept incrementally by the services, equal to a recomputation."""

from __future__ import annotations

import pytest

from egov.documents.figures import (
    figures_compute,
    figures_recompute,
    month_of,
    months_with_documents,
)
from egov.documents.models import DocumentMonthlyFact
from egov.documents.services import (
    RecipientInput,
    _common,
    document_issue,
    handling_close,
    incoming_direct,
    incoming_register,
)
from egov.documents.tests.factories import make_world, signed_document

pytestmark = pytest.mark.django_db


def _row(agency) -> dict[str, int]:  # type: ignore[no-untyped-def]
    fact = DocumentMonthlyFact.objects.get(agency=agency, month=month_of(_common.now()))
    return {k: getattr(fact, k) for k in figures_compute(agency=agency, month=fact.month)}


def test_incremental_figures_equal_a_recompute() -> None:
    w = make_world()
    for _ in range(2):
        doc = signed_document(w.a, recipients=[RecipientInput(agency=w.b.agency)])
        document_issue(actor=w.a.clerk.user, document=doc)
    for copy in w.b.agency.documents.all():
        incoming_register(actor=w.b.clerk.user, agency=w.b.agency, source="platform", document=copy)
    paper = incoming_register(
        actor=w.b.clerk.user, agency=w.b.agency, source="paper",
        metadata={"type": "cong-van", "subject": "Giấy", "code_number": "3",
                  "code_notation": "UBND-VP"},
        sender_organ_name="UBND xã",
    )  # fmt: skip
    incoming_direct(
        actor=w.b.leader.user, document=paper, instruction="Xử lý", main_handler=w.b.specialist,
        working_days=2,
    )  # fmt: skip
    handling_close(actor=w.b.specialist.user, handling=paper.handlings.get())

    a_row, b_row = _row(w.a.agency), _row(w.b.agency)
    assert a_row["sent_paper"] == 2 and a_row["sent_electronic"] == 0
    assert b_row["received_electronic"] == 2 and b_row["received_paper"] == 1
    assert b_row["incoming_on_time"] == 1 and b_row["incoming_late"] == 0
    for side, row in ((w.a, a_row), (w.b, b_row)):
        for month in months_with_documents(side.agency):
            assert figures_compute(agency=side.agency, month=month) == row
        fact = figures_recompute(agency=side.agency, month=month_of(_common.now()))
        assert {k: getattr(fact, k) for k in row} == row


def test_recompute_repairs_a_drifted_row() -> None:
    w = make_world()
    doc = signed_document(w.a)
    document_issue(actor=w.a.clerk.user, document=doc)
    month = month_of(_common.now())
    DocumentMonthlyFact.objects.filter(agency=w.a.agency, month=month).update(sent_paper=9)
    assert figures_recompute(agency=w.a.agency, month=month).sent_paper == 1
