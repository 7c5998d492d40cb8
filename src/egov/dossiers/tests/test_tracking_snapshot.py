"""Public tracking reads the timeline snapshot kept on the dossier's row, and never trusts a
snapshot the workflow has moved past."""

from __future__ import annotations

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
