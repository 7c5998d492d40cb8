"""The WSGI module serves, with its start-up objects out of the garbage collector's way."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import gc
import egov.conf.wsgi as w
from django.test import RequestFactory
frozen = gc.get_freeze_count()
response = w.application(
    {**RequestFactory().get("/healthz").environ, "wsgi.input": __import__("io").BytesIO()},
    lambda status, headers: None,
)
print(frozen, b"".join(response)[:1].decode() or "-")
"""


def test_wsgi_application_loads_views_and_freezes_them(tmp_path) -> None:
    env = {**os.environ, "EGOV_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    frozen, first_byte = out.stdout.split()
    assert int(frozen) > 50_000  # Django, the URL patterns and every view module
    assert first_byte != "-"  # and it still answers
