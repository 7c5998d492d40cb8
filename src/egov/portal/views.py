"""The public portal's own pages: the home page at /."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from egov.portal import navigation


def home(request: HttpRequest) -> HttpResponse:
    # The search box submits to the procedure catalogue (/thu-tuc/?q=…).
    return render(
        request, "portal/home.html", {"services": navigation.shown(navigation.HOME_SERVICES)}
    )
