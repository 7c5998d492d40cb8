"""The public portal's own pages: the home page at /."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from egov.portal import navigation


def home(request: HttpRequest) -> HttpResponse:
    # The procedure catalogue arrives with a later capability; until then the search box
    # answers honestly instead of pretending to search.
    query = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "portal/home.html",
        {
            "query": query,
            "services": navigation.shown(navigation.HOME_SERVICES),
        },
    )
