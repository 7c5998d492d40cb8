"""The real URL map plus two baseline endpoints used as the denominator of served figures.

- ``/bench/plain``: a bare Django JSON view, no database (the foundation baseline);
- ``/bench/baseline/<code>``: one indexed query on the dossier code, the cheapest thing a
  tracking request could possibly do (the issue-3 tracking baseline).

Both go through the full middleware stack, like every real page.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def plain(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def baseline(request: HttpRequest, code: str) -> JsonResponse:
    from egov.dossiers.models import Dossier  # imported late: the foundation run needs none

    pk = Dossier.objects.filter(code=code).values_list("id", flat=True).first()
    return JsonResponse({"id": pk}, status=200 if pk else 404)


urlpatterns = [
    path("bench/plain", plain),
    path("bench/baseline/<str:code>", baseline),
    path("", include("egov.conf.urls")),
]
