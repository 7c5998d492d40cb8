"""Background jobs of the indicators: thin, take ids, idempotent."""

from __future__ import annotations

from egov.jobs import job


@job(retries=3, retry_delay=30)
def facts_dossier_apply_job(dossier_id: int, event: str = "") -> None:
    """Bring the dossier facts up to date with one dossier (safe to run twice)."""
    from egov.indicators.facts import facts_dossier_apply

    facts_dossier_apply(dossier_id=dossier_id)


@job(retries=3, retry_delay=30)
def people_apply_job(source: str, object_id: int) -> None:
    """Bring the figures per unit and person up to date with one item (safe to run twice)."""
    from egov.indicators.people import people_apply

    people_apply(source=source, object_id=object_id)
