"""Parallel clerks issue 200 documents: numbers 1..200, no gap, no duplicate (invariant 3)."""

from __future__ import annotations

import threading

import pytest
from django.apps import apps
from django.db import close_old_connections, connection, connections

from egov.documents.models import Document, DocumentStatus
from egov.documents.reference import seed
from egov.documents.services import document_issue
from egov.documents.tests.factories import bare_signed, make_side
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_staff

CLERKS = 6
DOCUMENTS = 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_clerks_number_without_gap_or_duplicate() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers with its database lock; the race is PostgreSQL's")
    # An earlier transactional test may have flushed the database: put the reference tables back.
    seed(apps)
    side = make_side(abbreviation="UBND")
    clerks = [side.clerk] + [
        make_staff(agency=side.agency, roles=[RoleCode.CLERK]) for _ in range(CLERKS - 1)
    ]
    ids = [bare_signed(side).pk for _ in range(DOCUMENTS)]
    barrier = threading.Barrier(CLERKS)
    errors: list[BaseException] = []

    def clerk(n: int) -> None:
        try:
            user = clerks[n].user
            barrier.wait()
            for pk in ids[n::CLERKS]:
                document_issue(actor=user, document=Document.objects.get(pk=pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(CLERKS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    close_old_connections()
    assert not errors, errors
    issued = Document.objects.filter(pk__in=ids, status=DocumentStatus.ISSUED)
    numbers = sorted(int(n) for n in issued.values_list("code_number", flat=True))
    assert numbers == list(range(1, DOCUMENTS + 1))
    assert issued.values("document_id").distinct().count() == DOCUMENTS
