from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from egov.jobs.queue import backend_name, queue_health


def healthz(request: HttpRequest) -> JsonResponse:
    """Database and job queue; 503 when either cannot be reached. A missing worker is reported
    (``jobs.worker_alive``) but is not an outage of the web service."""
    ok = True
    body: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = "ok"
    except Exception as exc:
        ok = False
        body["database"] = f"error: {type(exc).__name__}"
    try:
        body["jobs"] = {"status": "ok", **queue_health()}
    except Exception as exc:
        ok = False
        body["jobs"] = {"status": f"error: {type(exc).__name__}", "backend": backend_name()}
    response = JsonResponse({"status": "ok" if ok else "error", **body}, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


def api_docs(request: HttpRequest) -> HttpResponse:
    settings_json = json.dumps(
        {"url": reverse("api:openapi-json"), "layout": "BaseLayout", "deepLinking": True}
    )
    return render(request, "api/docs.html", {"swagger_settings": settings_json})
