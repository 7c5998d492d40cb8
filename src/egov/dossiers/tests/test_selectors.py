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


def test_queue_pages_read_each_branch_in_order_and_match_the_plain_or_query() -> None:
    """A page of a queue is the same rows, in the same order, as the plain OR query's slice,
    with dossiers received by my agency, handled by it for another, and neither."""
    mine, other, third = make_agency(), make_agency(), make_agency()
    me = make_staff(agency=mine, roles=[RoleCode.SPECIALIST])
    now = timezone.now().replace(microsecond=0)
    dues = [None, now - timedelta(days=3), now + timedelta(hours=2), now + timedelta(days=9)]
    statuses = [DossierStatus.PROCESSING, DossierStatus.RETURNED, DossierStatus.SUBMITTED]
    n = 0
    for received_by, handled_by in ((mine, mine), (mine, other), (other, mine), (third, other)):
        for due in dues:
            for status in statuses:
                n += 1
                make_dossier(
                    agency=received_by,
                    handling_agency=handled_by,
                    status=status,
                    due_at=due,  # ties on the due: the id decides
                    assignee=me if n % 5 == 0 else None,
                    submitted_at=now - timedelta(hours=n % 7),
                )
    for key in ("all", "overdue", "mine", "due_soon"):
        for sort in ("due", "-due", "submitted", "-submitted", "code"):
            qs = selectors.queue(
                user=me.user, key=key, filters=selectors.QueueFilters(sort=sort), now=now
            )
            plain = [d.pk for d in qs.all()]  # a whole iteration: the plain OR query
            assert plain, (key, sort)
            for start, stop in ((0, 3), (3, 7), (5, len(plain) + 4), (0, 1000)):
                with CaptureQueriesContext(connection) as queries:
                    page = [d.pk for d in qs[start:stop]]
                assert page == plain[start:stop], (key, sort, start, stop)
                assert len(queries.captured_queries) == 1
                assert "UNION" in queries.captured_queries[0]["sql"]
    # A queue whose action the user has nowhere: both branches are empty.
    assert list(selectors.queue(user=me.user, key="to_receive")[:20]) == []
    everything = selectors.queue(user=me.user, key="all")
    received_or_handled = 3 * len(dues) * len(statuses)
    assert len(list(everything)) == received_or_handled
    assert {d.agency_id for d in everything[:100]} == {mine.pk, other.pk}


def test_queue_page_query_count_does_not_grow_with_the_page_size() -> None:
    agency = make_agency()
    officer = make_staff(agency=agency, roles=[RoleCode.SPECIALIST])
    for _ in range(12):
        make_dossier(agency=agency, status=DossierStatus.PROCESSING, assignee=officer)
    counts = []
    for size in (2, 10):
        officer.user.__dict__.pop("_egov_subject", None)
        with CaptureQueriesContext(connection) as queries:
            qs = selectors.queue(user=officer.user, key="all")
            for row in qs[:size]:
                _ = (row.procedure.name, row.agency.name, row.assignee.user.full_name)
            selectors.capped_count(qs)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
