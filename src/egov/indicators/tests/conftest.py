from __future__ import annotations

from collections.abc import Iterator

import pytest

from egov.jobs.queue import queue


@pytest.fixture(autouse=True)
def _jobs_run_immediately() -> Iterator[None]:
    """Run queued jobs inline (see notifications/tests/conftest.py for why)."""
    huey = queue()
    saved = huey.immediate
    huey.immediate = True
    try:
        yield
    finally:
        huey.immediate = saved
