"""The hook other apps call when something the indicators count has changed.

    from egov.indicators.events import dossier_changed
    dossier_changed(dossier_id=dossier.pk, event="received")   # inside the service's transaction

The facts are brought up to date by a job enqueued on commit (nothing happens if the
transaction rolls back). The job recounts the dossier, so the `event` is informational: a lost
or repeated event is repaired by the next one, or by `facts_recompute`.
"""

from __future__ import annotations

from egov.jobs import enqueue_on_commit


def dossier_changed(*, dossier_id: int, event: str = "") -> None:
    from egov.indicators.jobs import facts_dossier_apply_job

    enqueue_on_commit(facts_dossier_apply_job, dossier_id, event)


def people_changed(*, source: str, object_id: int) -> None:
    """An assignment ("assignments") or incoming document ("documents") changed in a way the
    figures per unit and person count (created, completed, overdue, extended, closed): the job
    recounts it on commit. Dossiers need no call: `dossier_changed` recounts their steps."""
    from egov.indicators.jobs import people_apply_job

    enqueue_on_commit(people_apply_job, source, object_id)
