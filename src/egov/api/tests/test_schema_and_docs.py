"""The OpenAPI document is served, committed and diffed; the docs page works offline."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from egov.api.schema import COMMITTED, REGENERATE, committed_document, openapi_document


def test_openapi_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "egov API"
    assert any(p.startswith("/api/v1/") for p in document["paths"])


def test_committed_schema_matches_the_live_one():
    committed = committed_document()
    assert committed is not None, f"{COMMITTED} is missing; run: {REGENERATE}"
    assert committed == openapi_document(), (
        "The API changed but docs/api/openapi.json did not. "
        f"Review the change, then run: {REGENERATE}"
    )


def test_export_command_writes_the_same_document(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "egov", "export_openapi"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert json.loads(result.stdout) == openapi_document()


def test_docs_page_uses_local_swagger_assets(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/docs/assets/swagger-ui-bundle.js" in html
    assert "/api/v1/openapi.json" in html
    # Every script and stylesheet is ours (no CDN); checked on the URLs, not on the whole
    # page, whose random CSRF token can spell "cdn" by chance.
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(url.startswith("/") for url in sources), sources


@pytest.mark.parametrize(
    "asset", ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js", "favicon.svg"]
)
def test_docs_assets_are_served(client, asset):
    response = client.get(f"/api/docs/assets/{asset}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


@pytest.mark.django_db  # the site's 404 page renders the portal's layout
@pytest.mark.parametrize(
    "asset", ["redoc.standalone.js.map", "../__init__.py", "swagger-ui-bundle.js.map"]
)
def test_only_listed_assets_are_served(client, asset):
    assert client.get(f"/api/docs/assets/{asset}").status_code == 404
