"""The OpenAPI document as committed in docs/api/openapi.json (see `egov export_openapi`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from egov.conf.env import REPO_ROOT

COMMITTED = REPO_ROOT / "docs" / "api" / "openapi.json"
REGENERATE = "egov export_openapi > docs/api/openapi.json"


def openapi_document() -> dict[str, Any]:
    """The live schema, normalised through JSON so it compares equal to the committed file."""
    from egov.api.router import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    document: dict[str, Any] = json.loads(json.dumps(schema, ensure_ascii=False, sort_keys=True))
    return document


def committed_document(path: Path = COMMITTED) -> dict[str, Any] | None:
    if not path.exists():
        return None
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document
