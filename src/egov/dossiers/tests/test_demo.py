"""The demo dossiers: every state, late ones with apologies, ratings, sound history, idempotent.

A small variant (`count=300`) of what `egov demo` loads (10,000); the speed of the full load is
measured in benchmarks/, not here.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage

from egov.accounts.validators import PROVINCE_CODES, citizen_id_problem, tax_code_problem
from egov.audit.models import AuditEntry
from egov.core.models import StoredFile
from egov.dossiers import deadlines, selectors
from egov.dossiers.demo import DEMO_MARK, load_demo_dossiers
from egov.dossiers.models import (
    ApologyLetter,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCounter,
    DossierPaper,
    DossierStatus,
    Rating,
)
from egov.organisations.demo import load_demo_city
from egov.procedures.demo import load_demo_procedures
from egov.workflow.models import Action, HistoryEntry, Instance, InstanceStatus

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def catalogue() -> None:
    load_demo_city()
    load_demo_procedures()


def test_a_year_of_dossiers_in_every_state(catalogue: None) -> None:
    # given the demo city and catalogue; when the dossier demo loads
    out = io.StringIO()
    assert load_demo_dossiers(stdout=out, count=300, now=NOW) == []

    # then about the asked number, over the year before now, in every state
    dossiers = list(Dossier.objects.select_related("procedure", "agency"))
    assert 290 <= len(dossiers) <= 300
    assert f"hồ sơ mới: {len(dossiers)}" in out.getvalue()
    assert {d.status for d in dossiers} == set(DossierStatus.values)
    assert all(d.form_data.get(DEMO_MARK) for d in dossiers)
    assert min(d.submitted_at for d in dossiers) > NOW.replace(year=2026)
    assert max(d.submitted_at for d in dossiers) <= NOW
    assert {d.channel for d in dossiers} == set(Channel.values)
    assert len({d.procedure_id for d in dossiers}) > 30
    assert len({d.agency_id for d in dossiers}) > 20

    # some decided late, most of those with an apology and a later appointment
    late = [d for d in dossiers if d.finished_on_time is False]
    assert late
    apologies = list(ApologyLetter.objects.select_related("dossier"))
    assert apologies
    for letter in apologies:
        assert letter.new_due_at > letter.previous_due_at
        assert letter.dossier.due_at == letter.new_due_at
        deadline = deadlines.apology_deadline(letter.dossier.agency, letter.previous_due_at)
        assert letter.in_time == (letter.issued_at <= deadline)
    # open dossiers past their due (the overdue queue is not empty)
    assert any(
        d.status == DossierStatus.PROCESSING and d.due_at and d.due_at < NOW for d in dossiers
    )

    # ratings after the result was returned, by the applicant
    ratings = list(Rating.objects.select_related("dossier"))
    assert ratings
    for rating in ratings:
        assert rating.dossier.status == DossierStatus.RETURNED
        assert rating.rated_at >= rating.dossier.returned_at
        assert rating.rated_by_id == rating.dossier.applicant_id

    # applicants look real
    for d in Dossier.objects.all():
        if d.applicant_kind == ApplicantKind.CITIZEN:
            assert citizen_id_problem(d.applicant_id_number) is None, d.applicant_id_number
            assert d.applicant_id_number[:3] in PROVINCE_CODES
        else:
            assert tax_code_problem(d.applicant_id_number) is None, d.applicant_id_number
        assert len(d.applicant_phone) == 10 and d.applicant_phone.startswith("0")
        assert "Đà Nẵng" in d.applicant_address
        assert len(d.applicant_name.split()) >= 3
        if d.channel == Channel.ONLINE:
            assert d.applicant_id is not None


def test_history_papers_and_codes(catalogue: None) -> None:
    load_demo_dossiers(count=300, now=NOW)
    instances = {i.subject_id: i for i in Instance.objects.filter(subject_type="dossiers.dossier")}
    history: dict[int, list[HistoryEntry]] = {}
    for entry in HistoryEntry.objects.order_by("acted_at", "id"):
        history.setdefault(entry.instance_id, []).append(entry)
    expected_instance_status = {
        DossierStatus.SUBMITTED: InstanceStatus.ACTIVE,
        DossierStatus.PROCESSING: InstanceStatus.ACTIVE,
        DossierStatus.RESULT_READY: InstanceStatus.ACTIVE,
        DossierStatus.SUPPLEMENT_REQUESTED: InstanceStatus.WAITING,
        DossierStatus.SUSPENDED: InstanceStatus.SUSPENDED,
        DossierStatus.RETURNED: InstanceStatus.COMPLETED,
        DossierStatus.REFUSED: InstanceStatus.REFUSED,
        DossierStatus.WITHDRAWN: InstanceStatus.WITHDRAWN,
    }
    for d in Dossier.objects.select_related("procedure", "agency"):
        instance = instances[d.pk]
        assert d.workflow_instance_id == instance.pk
        assert instance.status == expected_instance_status[d.status], d.code
        rows = history[instance.pk]
        actions = [r.action for r in rows]
        times = [r.acted_at for r in rows]
        assert actions[0] == Action.SUBMIT
        assert times == sorted(times) and times[-1] <= NOW
        if d.received_at is not None:
            assert Action.ACCEPT in actions
            # the due is the working calendar's, as the services compute it
            assert d.original_due_at == deadlines.due_at_receipt(
                d.procedure, d.agency, d.received_at
            )
        if d.status == DossierStatus.RETURNED:
            assert actions[-1] == Action.RETURN_RESULT
            assert d.returned_at == times[-1] and d.closed_at == d.returned_at
            assert d.results.filter(signed=True).exists()
        if d.status == DossierStatus.REFUSED:
            assert actions[-1] == Action.REFUSE and hasattr(d, "refusal")
        if d.status == DossierStatus.WITHDRAWN:
            assert actions[-1] == Action.WITHDRAW
        if d.status == DossierStatus.SUPPLEMENT_REQUESTED:
            assert actions[-1] == Action.REQUEST_SUPPLEMENT
            assert d.supplements.filter(fulfilled_at__isnull=True).count() == 1
        if d.decided_at is not None and d.legal_due_at is not None:
            assert d.finished_on_time == (d.decided_at <= d.legal_due_at)
        for r in rows:
            if r.outcome:
                assert r.step_due_at is not None
    # every decided step row has its early / on time / late
    assert HistoryEntry.objects.exclude(outcome="").exists()
    # each dossier carries the timeline snapshot a real workflow move writes, and tracking
    # trusts it: the same answer as reading the history
    for d in Dossier.objects.select_related("workflow_instance"):
        assert d.tracking_snapshot == selectors.timeline_snapshot(d.workflow_instance), d.code
    sample = list(Dossier.objects.values_list("code", flat=True)[:40])
    fast = [selectors.public_tracking(code) for code in sample]
    Dossier.objects.filter(code__in=sample).update(tracking_snapshot=None)
    assert fast == [selectors.public_tracking(code) for code in sample]

    # two papers each
    assert DossierPaper.objects.count() == 2 * Dossier.objects.count()
    # three tiny PDFs, stored once, referenced by every demo paper and result
    assert StoredFile.objects.count() == 3
    for stored in StoredFile.objects.all():
        assert default_storage.exists(stored.storage_key)
        with default_storage.open(stored.storage_key, "rb") as fh:
            assert fh.read(5) == b"%PDF-"
    # codes follow the format, and the day counters are where the next real code continues
    for counter in DossierCounter.objects.select_related("agency"):
        prefix = f"{counter.agency.code}-{counter.day:%y%m%d}-"
        codes = Dossier.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        assert max(int(c.rsplit("-", 1)[1]) for c in codes) == counter.last_value


def test_idempotent_with_one_audit_entry(catalogue: None) -> None:
    load_demo_dossiers(count=120, now=NOW)
    count = Dossier.objects.count()
    histories = HistoryEntry.objects.count()
    out = io.StringIO()
    load_demo_dossiers(stdout=out, count=120, now=NOW)
    assert Dossier.objects.count() == count
    assert HistoryEntry.objects.count() == histories
    assert "đã có" in out.getvalue()
    # one summary entry for the seed, not one per dossier and action
    entries = AuditEntry.objects.filter(action="dossier.demo_load")
    assert entries.count() == 1
    assert not AuditEntry.objects.filter(object_type__startswith="dossiers").exists()
