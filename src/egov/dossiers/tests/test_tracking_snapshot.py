"""Public tracking reads the timeline snapshot kept on the dossier's row, and never trusts a
snapshot the workflow has moved past."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egov.dossiers import selectors, services
from egov.dossiers.models import Dossier
from egov.dossiers.testing import World, make_world
from egov.workflow.models import Instance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def _accepted(world: World) -> Dossier:
    dossier = services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Lê Thị Hoa"},
        papers=world.uploads(),
    )
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    return Dossier.objects.get(pk=dossier.pk)


def _joined(code: str) -> selectors.PublicTracking | None:
    """The answer read the long way (history joined), for comparison."""
    Dossier.objects.filter(code=code).update(tracking_snapshot=None)
    return selectors.public_tracking(code)


def test_every_move_writes_the_snapshot_and_a_lookup_is_one_row(world: World) -> None:
    dossier = _accepted(world)
    assert dossier.tracking_snapshot is not None
    assert [row[0] for row in dossier.tracking_snapshot["rows"]][:2] == ["submit", "accept"]
    with CaptureQueriesContext(connection) as queries:
        fast = selectors.public_tracking(dossier.code)
    assert len(queries.captured_queries) == 1
    assert "workflow_historyentry" not in queries.captured_queries[0]["sql"]
    assert fast is not None and fast == _joined(dossier.code)
    assert [row.action for row in fast.timeline][:2] == ["submit", "accept"]


def test_a_snapshot_behind_the_instance_is_not_used(world: World) -> None:
    dossier = _accepted(world)
    expected = selectors.public_tracking(dossier.code)
    # The instance moved on (saved) without the snapshot being rewritten: it must not be used.
    Instance.objects.filter(pk=dossier.workflow_instance_id).update(updated_at=timezone.now())
    Dossier.objects.filter(pk=dossier.pk).update(
        tracking_snapshot={**dossier.tracking_snapshot, "rows": []}
    )
    with CaptureQueriesContext(connection) as queries:
        answer = selectors.public_tracking(dossier.code)
    assert len(queries.captured_queries) == 2  # the row, then the history joined
    assert answer == expected and answer is not None and len(answer.timeline) >= 2


def test_a_dossier_without_a_snapshot_is_still_tracked(world: World) -> None:
    dossier = _accepted(world)
    expected = selectors.public_tracking(dossier.code)
    assert _joined(dossier.code) == expected


def test_the_command_writes_missing_snapshots_that_tracking_then_uses(world: World) -> None:
    from django.core.management import call_command

    dossier = _accepted(world)
    expected = _joined(dossier.code)  # also clears the snapshot
    call_command("dossiers_tracking_snapshots", "--no-progress")
    assert Dossier.objects.get(pk=dossier.pk).tracking_snapshot is not None
    with CaptureQueriesContext(connection) as queries:
        answer = selectors.public_tracking(dossier.code)
    assert len(queries.captured_queries) == 1  # the snapshot was trusted
    assert answer == expected


@pytest.mark.postgres
def test_on_postgresql_the_lookup_is_planned_once_per_connection(world: World) -> None:
    """The lookup is a prepared statement: planning its joins cost more than running them."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    dossier = _accepted(world)
    for _ in range(3):
        assert selectors.public_tracking(dossier.code) is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%tracking_snapshot%"],
        )
        runs = cursor.fetchall()
    assert runs == [(3,)], "the tracking lookup should be one statement, prepared and reused"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_dropped_connection_is_replaced_not_failed() -> None:
    """The lookup uses its own cursor on Django's connection; like Django's cursors it must
    reconnect when the server has dropped the connection between two requests."""
    if connection.vendor != "postgresql":
        pytest.skip("the server-side connection is PostgreSQL's")
    dossier = _accepted(make_world())
    assert selectors.public_tracking(dossier.code) is not None
    pid = connection.connection.info.backend_pid
    # Another session ends this one, as a server restart would.
    with psycopg.connect(connection.connection.info.dsn, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.close_if_unusable_or_obsolete()  # what Django does when the next request starts
    found = selectors.public_tracking(dossier.code)
    assert found is not None and found.code == dossier.code
    assert connection.connection.info.backend_pid != pid
