"""Root pytest configuration: fast password hashing in tests, isolated data dir."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("EGOV_DATA_DIR", tempfile.mkdtemp(prefix="egov-test-"))
os.environ.setdefault("EGOV_JOBS_IMMEDIATE", "1")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is the production hasher; tests that check it set PASSWORD_HASHERS themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
