"""Many writers at once: each chain stays intact under its head lock; agencies do not queue."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import OperationalError, close_old_connections, connection, connections, transaction

from egov.audit.models import AuditChainHead, AuditEntry
from egov.audit.services import audit_record, chain_for
from egov.audit.verify import verify_chain
from egov.organisations.testing import make_agency

THREADS = 8
PER_THREAD = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_intact_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers with its database lock; the row lock is for PostgreSQL"
        )
    agency = make_agency()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                with transaction.atomic():
                    audit_record(
                        actor=None, action="thu.song_song", target=agency, summary=f"{n}-{i}"
                    )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    assert not errors, errors
    total = THREADS * PER_THREAD
    assert AuditEntry.objects.count() == total
    # No fork: every prev_hash is used by exactly one entry, and ids follow the chain.
    prevs = Counter(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert max(prevs.values()) == 1
    times = list(AuditEntry.objects.order_by("id").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    head = AuditChainHead.objects.get()
    assert head.entry_count == total
    result = verify_chain()
    assert result.ok and result.checked == total


@pytest.mark.django_db(transaction=True)
def test_first_writers_race_for_the_head() -> None:
    # Even the very first appends (no head row yet) end in a single head.
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    agency = make_agency()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                audit_record(actor=None, action="thu.dau", target=agency)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert AuditChainHead.objects.count() == 1
    assert verify_chain().ok and verify_chain().checked == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_agencies_append_side_by_side_and_one_agency_queues() -> None:
    """A writer holding agency A's chain blocks A's next writer, not agency B's."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    first, second = make_agency(), make_agency()
    holding = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def hold_first() -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, action="thu.giu", target=first)
                holding.set()
                release.wait(timeout=60)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert holding.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '5s'")
            audit_record(actor=None, action="thu.song_song", target=second)  # not blocked
        with pytest.raises(OperationalError), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '300ms'")
            audit_record(actor=None, action="thu.xep_hang", target=first)  # queues on A
    finally:
        release.set()
        holder.join(timeout=60)
    assert not errors, errors
    assert dict(AuditEntry.objects.values_list("action", "chain")) == {
        "thu.giu": chain_for(first.pk),
        "thu.song_song": chain_for(second.pk),
    }
    assert verify_chain().ok
