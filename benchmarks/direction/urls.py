"""The real URLs (with the bench baselines) plus `/bench/signed-in`: a trivial view behind
`staff_required`, the same sign-in, session, two-factor and permission middleware as the
dashboard, one small JSON answer. The dashboard's figure reads as a ratio against it."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from egov.accounts.decorators import staff_required


@staff_required
def signed_in(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"user": request.user.pk})


urlpatterns = [
    path("bench/signed-in", signed_in),
    path("", include("benchmarks.bench_urls")),
]
