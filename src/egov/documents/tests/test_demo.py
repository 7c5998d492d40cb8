"""The demo documents: every state, continuous numbers, exchanges, valid signatures, idempotent.

A small variant (`count=1500`) of what `egov demo` loads (20,000); the speed of the full load is
measured in benchmarks/documents/, not here.
"""

from __future__ import annotations

import io
from collections import defaultdict

import pytest

from egov.audit.models import AuditEntry
from egov.core.files import file_open
from egov.documents.demo import DEMO_ACTION, load_demo_documents
from egov.documents.figures import figures_compute
from egov.documents.models import (
    Direction,
    Document,
    DocumentFile,
    DocumentMonthlyFact,
    DocumentStatus,
    Handling,
    NumberSeries,
    Recipient,
    RecipientChannel,
    Source,
)
from egov.organisations.demo import load_demo_city
from egov.signing.demo import load_demo_keys
from egov.signing.verification import verify_pdf

pytestmark = pytest.mark.django_db

OUTGOING_STATES = {
    DocumentStatus.DRAFT,
    DocumentStatus.IN_REVIEW,
    DocumentStatus.RETURNED,
    DocumentStatus.APPROVED,
    DocumentStatus.SIGNED,
    DocumentStatus.ISSUED,
    DocumentStatus.RECALLED,
}
INCOMING_STATES = {
    DocumentStatus.ARRIVED,
    DocumentStatus.REJECTED,
    DocumentStatus.REGISTERED,
    DocumentStatus.SUBMITTED,
    DocumentStatus.ASSIGNED,
    DocumentStatus.PROCESSING,
    DocumentStatus.DONE,
    DocumentStatus.REVOKED,
}


def test_the_documents_demo() -> None:
    """One load (signing costs seconds), every property checked on it."""
    # given the demo city and its keys
    load_demo_city()
    load_demo_keys()
    # when the documents demo loads
    out = io.StringIO()
    assert load_demo_documents(stdout=out, count=1500) == []
    # then
    _every_state(out)
    _numbers_continuous_per_agency_year_and_series()
    _some_exchanged_between_demo_agencies()
    _signatures_verify_as_valid()
    _monthly_facts_match_the_documents()
    _idempotent_with_one_summary_audit_entry()


def _every_state(demo: io.StringIO) -> None:
    docs = list(Document.objects.all())
    # then about the asked number, in every state of both directions
    assert 1400 <= len(docs) <= 1500
    assert "văn bản demo" in demo.getvalue()
    states = defaultdict(set)
    for d in docs:
        states[d.direction].add(d.status)
    assert states[Direction.OUTGOING] == OUTGOING_STATES
    assert states[Direction.INCOMING] == INCOMING_STATES
    assert any(d.is_public for d in docs)
    secret = [d for d in docs if d.secrecy_id and d.secrecy.level > 0]
    assert 0 < len(secret) < len(docs) // 50
    assert not any(d.is_public for d in secret)
    assert not Recipient.objects.filter(
        document__in=secret, channel=RecipientChannel.EXCHANGE
    ).exists()
    assert Handling.objects.exists()
    # subjects read like trích yếu of their type
    subjects = {d.type.code: d.subject for d in docs if d.direction == Direction.OUTGOING}
    assert subjects["cong-van"].startswith("V/v ")
    assert subjects["quyet-dinh"].startswith("Về việc ")


def _numbers_continuous_per_agency_year_and_series() -> None:
    numbered = Document.objects.filter(series_number__isnull=False).values_list(
        "agency_id", "series_year", "series_key", "series_number", "code_number", "direction"
    )
    series: dict[tuple[int, int | None, str], list[int]] = defaultdict(list)
    for agency_id, year, key, number, code_number, direction in numbered:
        assert number is not None
        series[(agency_id, year, key)].append(number)
        if direction == Direction.OUTGOING:
            assert code_number == f"{number:02d}"
    assert any(key == "incoming" for _a, _y, key in series)
    for series_id, numbers in series.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), series_id
    # the series rows end at the last number: the next issue continues without a gap
    last = {(s.agency_id, s.year, s.key): s.last for s in NumberSeries.objects.all()}
    assert last == {key: len(numbers) for key, numbers in series.items()}
    # notations follow the rules
    issued = Document.objects.filter(
        direction=Direction.OUTGOING, series_number__isnull=False, type__code="quyet-dinh"
    ).select_related("agency")
    for d in issued[:50]:
        assert d.code_notation == f"QĐ-{d.agency.abbreviation}"
        assert d.document_id == f"{d.agency.code},{d.issued_date:%Y/%m/%d},{d.number_notation}"


def _some_exchanged_between_demo_agencies() -> None:
    copies = Document.objects.filter(
        direction=Direction.INCOMING, source=Source.PLATFORM
    ).select_related("source_document")
    assert copies.count() > 20
    for copy in copies[:50]:
        assert copy.source_document is not None
        assert copy.source_document.agency_id != copy.agency_id
        assert copy.document_id == copy.source_document.document_id
        recipient = Recipient.objects.get(document=copy.source_document, agency=copy.agency)
        assert recipient.incoming_document_id == copy.pk
        assert recipient.status  # the receiver's edXML status, seen by the sender
    assert len(set(Recipient.objects.values_list("status", flat=True))) >= 5


def _signatures_verify_as_valid() -> None:
    signed = DocumentFile.objects.filter(signed=True).select_related("stored_file")
    stored = {f.stored_file_id: f.stored_file for f in signed}
    # a handful of real signed PDFs shared by many documents (content-addressed store)
    assert 0 < len(stored) < signed.count()
    for sf in list(stored.values())[:3]:
        handle = file_open(sf)
        try:
            result = verify_pdf(handle.read())
        finally:
            handle.close()
        assert str(result.status) == "valid", result.reason
    assert Document.objects.filter(digitally_signed=True).exists()


def _monthly_facts_match_the_documents() -> None:
    facts = list(DocumentMonthlyFact.objects.select_related("agency").order_by("-month")[:10])
    assert facts
    for fact in facts:
        computed = figures_compute(agency=fact.agency, month=fact.month)
        assert {k: getattr(fact, k) for k in computed} == computed


def _idempotent_with_one_summary_audit_entry() -> None:
    count = Document.objects.count()
    out = io.StringIO()
    load_demo_documents(stdout=out, count=1500)
    assert Document.objects.count() == count
    assert "bỏ qua" in out.getvalue()
    entries = AuditEntry.objects.filter(action=DEMO_ACTION)
    assert entries.count() == 1
    assert entries.get().actor_id is None
