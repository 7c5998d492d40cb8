"""Selectors: queue definitions, scoping, capped counts, the lean tracking reads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egov.dossiers import selectors
from egov.dossiers.models import DossierStatus
from egov.dossiers.testing import make_dossier
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_staff

pytestmark = pytest.mark.django_db


def test_queues_split_by_status_and_due() -> None:
    agency = make_agency()
    me = make_staff(agency=agency, roles=[RoleCode.ONE_STOP_OFFICER])
    now = timezone.now()
    late = make_dossier(
        agency=agency, status=DossierStatus.PROCESSING, due_at=now - timedelta(hours=1)
    )
    soon = make_dossier(
        agency=agency, status=DossierStatus.PROCESSING, due_at=now + timedelta(hours=1)
    )
    far = make_dossier(
        agency=agency, status=DossierStatus.PROCESSING, due_at=now + timedelta(days=60)
    )
    waiting = make_dossier(agency=agency, status=DossierStatus.SUPPLEMENT_REQUESTED)
    online = make_dossier(agency=agency, status=DossierStatus.SUBMITTED)
    mine = make_dossier(
        agency=agency, status=DossierStatus.PROCESSING, assignee=me, due_at=now + timedelta(days=30)
    )

    def codes(key: str) -> set[str]:
        return {d.code for d in selectors.queue(user=me.user, key=key, agency=agency, now=now)}

    assert codes("overdue") == {late.code}
    assert soon.code in codes("due_soon") and far.code not in codes("due_soon")
    assert codes("waiting") == {waiting.code}
    assert codes("to_receive") == {online.code}
    assert codes("mine") == {mine.code}
    assert (
        next(d.code for d in selectors.queue(user=me.user, key="all", agency=agency)) == late.code
    )


def test_queue_never_shows_another_agency() -> None:
    mine, other = make_agency(), make_agency()
    officer = make_staff(agency=mine, roles=[RoleCode.SPECIALIST])
    make_dossier(agency=other, status=DossierStatus.PROCESSING)
    assert list(selectors.queue(user=officer.user, key="all")) == []


def test_text_search_is_folded() -> None:
    agency = make_agency()
    officer = make_staff(agency=agency, roles=[RoleCode.SPECIALIST])
    hit = make_dossier(agency=agency, search_text="000 nguyen thi anh tuyet")
    make_dossier(agency=agency, search_text="tran van b")
    filters = selectors.QueueFilters(q="Nguyễn Tuyết")
    found = selectors.queue(user=officer.user, key="all", filters=filters)
    assert [d.code for d in found] == [hit.code]


def test_capped_count() -> None:
    agency = make_agency()
    officer = make_staff(agency=agency, roles=[RoleCode.SPECIALIST])
    for _ in range(4):
        make_dossier(agency=agency)
    qs = selectors.queue(user=officer.user, key="all")
    assert selectors.capped_count(qs, cap=3) == (3, True)
    assert selectors.capped_count(qs, cap=10) == (4, False)


def test_tracking_reads_one_query_each() -> None:
    dossier = make_dossier(agency=make_agency())
    with CaptureQueriesContext(connection) as queries:
        found = selectors.tracking_dossier(dossier.code.lower())
        assert found is not None
        assert found.procedure.name and found.agency.name
        selectors.tracking_timeline(found)
    assert len(queries.captured_queries) == 1  # no workflow yet: no timeline query
    assert selectors.tracking_dossier("") is None
