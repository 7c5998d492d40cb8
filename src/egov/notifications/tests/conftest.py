from __future__ import annotations

from collections.abc import Iterator

import pytest

from egov.jobs.queue import queue


@pytest.fixture(autouse=True)
def _jobs_run_immediately() -> Iterator[None]:
    """Run queued jobs in the test's process (huey's in-memory immediate mode).

    The root conftest's ``EGOV_JOBS_IMMEDIATE=1`` is set after pytest-django has loaded the
    settings, so it does not switch the queue: without this, jobs would go to the real SQLite or
    Redis queue and never run.
    """
    huey = queue()
    saved = huey.immediate
    huey.immediate = True
    try:
        yield
    finally:
        huey.immediate = saved
