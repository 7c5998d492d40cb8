"""Root pytest configuration: fast password hashing in tests.

The isolated data directory is set by the `egov.conf.test_environment` plugin (see pyproject).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is the production hasher; tests that check it set PASSWORD_HASHERS themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _vietnamese_by_default():  # type: ignore[no-untyped-def]
    # LocaleMiddleware activates the request's language on the test's own thread and leaves it
    # there; without this, a test after an English request would read English messages.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
