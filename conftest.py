"""Root pytest configuration: fast password hashing in tests.

The isolated data directory is set by the `egov.conf.test_environment` plugin (see pyproject).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is the production hasher; tests that check it set PASSWORD_HASHERS themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
