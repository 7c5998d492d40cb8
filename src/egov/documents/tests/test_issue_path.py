"""`document_issue`'s path: the statements it runs (the number taken late, after every read),
the caller's object brought up to date, and the monthly figures' single upsert."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from egov.documents.figures import fact_add
from egov.documents.models import Document, DocumentMonthlyFact, DocumentStatus, NumberingPolicy
from egov.documents.services import document_issue
from egov.documents.tests.factories import bare_signed, make_side

pytestmark = pytest.mark.django_db


def _statements(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT"))
    ]


def test_issue_reads_once_and_takes_the_number_after_every_read() -> None:
    side = make_side(abbreviation="UBND")
    document_issue(actor=side.clerk.user, document=bare_signed(side))  # the chain head exists
    document = Document.objects.get(pk=bare_signed(side).pk)
    with CaptureQueriesContext(connection) as ctx:
        document_issue(actor=side.clerk.user, document=document)
    sql = _statements(ctx)
    # Before: 14 statements (the document read twice, type, secrecy, unit, agency and policy
    # one by one, the fact read then updated). Now: the document with its type, secrecy,
    # agency and policy in one; the recipients; then the number and its writes.
    # On PostgreSQL the number, the document and the figures are one statement (6 in all).
    assert len(sql) == (6 if connection.vendor == "postgresql" else 8), sql
    allocation = next(i for i, s in enumerate(sql) if "documents_numberseries" in s)
    assert allocation == 2
    assert not any(
        s.lstrip().startswith("SELECT") for s in sql[allocation + 1 :] if "audit" not in s
    )
    assert sum("documents_documentmonthlyfact" in s for s in sql) == 1


def test_issue_updates_the_callers_object_and_saves_only_what_it_changes() -> None:
    side = make_side(abbreviation="UBND")
    document = bare_signed(side)
    document.subject = "changed in memory, not saved by the issue"
    issued = document_issue(actor=side.clerk.user, document=document)
    assert issued is document
    assert document.status == DocumentStatus.ISSUED and document.code_number == "01"
    assert document.code_notation == "QĐ-UBND" and document.series_number == 1
    stored = Document.objects.get(pk=document.pk)
    assert stored.subject == "Văn bản thử"
    assert (stored.code_number, stored.code_notation, stored.document_id) == (
        document.code_number,
        document.code_notation,
        document.document_id,
    )
    assert "01/qd-ubnd" in stored.search_text
    assert stored.document_id == f"{side.agency.code},{stored.issued_date:%Y/%m/%d},01/QĐ-UBND"
    assert stored.trace_header_list[-1]["event"] == "document_issue"
    assert stored.trace_header_list[-1]["number"] == "01/QĐ-UBND"
    assert stored.search_text == document.search_text and "{{" not in stored.search_text
    assert stored.trace_header_list == document.trace_header_list
    assert (stored.series_key, stored.series_number) == ("outgoing", 1)
    assert stored.issued_at == document.issued_at and stored.status == DocumentStatus.ISSUED
    fact = DocumentMonthlyFact.objects.get(agency=side.agency)
    assert (fact.sent_paper, fact.sent_electronic, fact.digitally_signed) == (1, 0, 0)
    # Two digits from 10 on, and the series goes on.
    for _ in range(9):
        last = document_issue(actor=side.clerk.user, document=bare_signed(side))
    assert (last.code_number, last.series_number) == ("10", 10)
    assert Document.objects.get(pk=last.pk).document_id.endswith(",10/QĐ-UBND")
    assert DocumentMonthlyFact.objects.get(agency=side.agency).sent_paper == 10


def test_policy_per_type_read_with_the_document() -> None:
    side = make_side(abbreviation="UBND")
    NumberingPolicy.objects.create(agency=side.agency, mode="per_type")
    first = document_issue(actor=side.clerk.user, document=bare_signed(side))
    other = document_issue(actor=side.clerk.user, document=bare_signed(side, type_code="ke-hoach"))
    assert (first.series_key, other.series_key) == ("outgoing:quyet-dinh", "outgoing:ke-hoach")
    assert first.code_number == other.code_number == "01"


def test_fact_add_is_one_upsert_that_creates_then_increments() -> None:
    side = make_side(abbreviation="UBND")
    at = datetime(2026, 3, 31, 18, 0, tzinfo=UTC)  # 1 April in Vietnam
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        fact_add(agency_id=side.agency.pk, at=at, sent_paper=1)
    assert len(_statements(ctx)) == 1
    with transaction.atomic():
        fact_add(agency_id=side.agency.pk, at=at, sent_paper=2, digitally_signed=1)
        fact_add(agency_id=side.agency.pk, at=at, incoming_late=0)
    fact = DocumentMonthlyFact.objects.get(agency=side.agency)
    assert str(fact.month) == "2026-04-01"
    assert (fact.sent_paper, fact.digitally_signed, fact.incoming_late) == (3, 1, 0)
    with pytest.raises(ValueError):
        fact_add(agency_id=side.agency.pk, at=at, unknown=1)


def test_a_cong_van_takes_the_drafting_units_abbreviation() -> None:
    side = make_side(abbreviation="UBND", unit_abbreviation="VP")
    issued = document_issue(actor=side.clerk.user, document=bare_signed(side, type_code="cong-van"))
    assert (issued.code_number, issued.code_notation) == ("01", "UBND-VP")
    assert issued.number_notation == "01/UBND-VP"
