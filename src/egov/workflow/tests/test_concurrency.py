"""Two officers act on the same dossier at once: the row lock lets one win, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, connections

from egov.core.errors import AppError
from egov.workflow.models import Action, HistoryEntry, Instance
from egov.workflow.services import instance_act, instance_start
from egov.workflow.tests.factories import make_world

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_actions_one_wins_the_others_are_refused() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers with its database lock; the row lock is for PostgreSQL"
        )
    world = make_world()
    inst = instance_start(
        process=world.process, subject=world.subject(), agency=world.ward, actor=None
    )
    barrier = threading.Barrier(THREADS)
    won: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def officer(n: int) -> None:
        try:
            seen = Instance.objects.get(pk=inst.pk)  # what each officer has on screen
            barrier.wait()
            instance_act(
                instance=seen, action=Action.FORWARD, actor=world.officer.user, note=str(n)
            )
            won.append(n)
        except AppError as exc:
            refused.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    assert not errors, errors
    assert len(won) == 1
    assert refused == ["workflow_instance_changed"] * (THREADS - 1)
    forwards = HistoryEntry.objects.filter(instance_id=inst.pk, action=Action.FORWARD)
    assert list(forwards.values_list("note", flat=True)) == [str(won[0])]
    assert Instance.objects.get(pk=inst.pk).current_step.code == "tham-dinh"
