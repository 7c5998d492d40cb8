"""50 submissions at once to one agency get 50 distinct consecutive codes (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from egov.dossiers import services
from egov.dossiers.models import Dossier, DossierCounter
from egov.dossiers.testing import make_world

VN = ZoneInfo("Asia/Ho_Chi_Minh")
N = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_submissions_get_consecutive_codes() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL (SQLite serialises writers)")
    world = make_world()
    when = datetime(2027, 3, 3, 9, tzinfo=VN)
    barrier = threading.Barrier(N)
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            dossier = services.dossier_submit_online(
                actor=world.citizen,
                procedure=world.procedure,
                agency=world.ward,
                form_data={"ho_ten": f"Người nộp {i}"},
                papers=world.uploads(),
                at=when,
            )
            with lock:
                codes.append(dossier.code)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)

    assert not errors, errors[:3]
    prefix = f"{world.ward.code}-270303-"
    assert sorted(codes) == [f"{prefix}{n:04d}" for n in range(1, N + 1)]
    assert Dossier.objects.filter(agency=world.ward).count() == N
    assert DossierCounter.objects.get(agency=world.ward).last_value == N
