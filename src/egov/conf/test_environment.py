"""pytest plugin loaded with `-p` (see pyproject): runs before pytest-django reads the settings.

A conftest.py is too late for environment defaults: pytest-django configures Django in
`pytest_load_initial_conftests`, before conftest modules are imported. Tests must never write
into the developer's `var/`, so each run gets its own data directory.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("EGOV_DATA_DIR", tempfile.mkdtemp(prefix="egov-test-"))
