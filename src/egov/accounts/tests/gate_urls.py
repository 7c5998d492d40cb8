"""URLs for testing the gates: the project's URLs plus two views behind `staff_required`."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views import View

from egov.accounts.decorators import StaffRequiredMixin, staff_required
from egov.conf.urls import urlpatterns as project_urlpatterns


@staff_required
def gated(request: HttpRequest) -> HttpResponse:
    return HttpResponse("bên trong")


class GatedView(StaffRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("bên trong (lớp)")


urlpatterns = [
    path("gated/", gated),
    path("gated-class/", GatedView.as_view()),
    *project_urlpatterns,
]
