from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def healthz(request: HttpRequest) -> JsonResponse:
    status: dict[str, str] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - health reports every failure
        ok = False
        status["database"] = f"error: {exc}"
    return JsonResponse({"status": "ok" if ok else "error", **status}, status=200 if ok else 503)


def api_docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html")
