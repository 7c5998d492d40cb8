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
