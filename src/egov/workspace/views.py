from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from egov.policy.engine import require


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require(request.user, "workspace.enter")
    return render(request, "workspace/home.html")
