"""The WSGI entry point (`egov serve` runs it under granian).

After start-up the process holds ~180,000 long-lived objects (Django, the URL patterns and the
views they import). A full garbage collection walks all of them: ~100 ms, every few requests
on a busy dashboard, which was the p99 tail in BENCHMARKS.md (issue 5). So the URL patterns
are loaded now and everything alive is moved out of the collector's generations
(`gc.freeze`, as Instagram does for Django); objects made while serving are collected as usual.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
application = get_wsgi_application()


def _freeze_startup_objects() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on a request
    gc.collect()
    gc.freeze()


_freeze_startup_objects()
