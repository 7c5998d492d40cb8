"""Settings for benchmarks only: the real settings plus a URLconf with baseline views.

The baseline views live here, not in the product, so that a figure can be read as a ratio
against "bare Django on the same server, same middleware, same database connection".

``BENCH_SQLITE_CONN_MAX_AGE`` (diagnosis only) keeps SQLite connections open between requests,
which the product settings do not do; the foundation benchmark uses it to show what the
per-request connection costs.
"""

import os

from egov.conf.settings import *  # noqa: F403
from egov.conf.settings import DATABASES

ROOT_URLCONF = "benchmarks.bench_urls"

if os.environ.get("BENCH_SQLITE_CONN_MAX_AGE") and DATABASES["default"]["ENGINE"].endswith(
    "sqlite3"
):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_SQLITE_CONN_MAX_AGE"])
