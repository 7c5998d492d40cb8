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


@pytest.fixture(autouse=True)
def _process_caches_forgotten():  # type: ignore[no-untyped-def]
    # Kept per process for a minute in production; a rolled-back test fires no signal, so the
    # next test must not see what the last one created.
    from egov.portal.selectors import forget_city_committee

    forget_city_committee()


# Reference rows that data migrations seed: a transactional test (live server, threads) ends by
# flushing every table, so the next one would find none. Seeded again, only when missing.
_SEEDED = (
    ("documents.DocumentType", "egov.documents.migrations.0002_reference_data", "forwards"),
    ("indicators.Indicator", "egov.indicators.migrations.0002_seed_indicators", "seed"),
    ("training.SkillModule", "egov.training.migrations.0002_skill_modules", "seed"),
)


@pytest.fixture(autouse=True)
def _reference_data_after_a_flush(request):  # type: ignore[no-untyped-def]
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
    )
    if not transactional:
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    for model, module, function in _SEEDED:
        if not apps.get_model(model).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)
