"""Background jobs: `job`, `enqueue`, `enqueue_on_commit`, `queue_health` (see queue.py)."""

from egov.jobs.queue import enqueue, enqueue_on_commit, job, queue_health

__all__ = ["enqueue", "enqueue_on_commit", "job", "queue_health"]
