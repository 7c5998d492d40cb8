"""A URL map for the shell's tests: the real one, plus stand-in pages where sections will be.

The stand-ins make every navigation entry's page exist, whatever the other apps have built so
far, so the tests can check what the policy shows and hides. A plain page extending base.html
is mounted both under /app/ and on the portal to check which chrome it gets.
"""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from egov.conf.urls import urlpatterns as real_urlpatterns

_PLAIN = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Trang thử{% endblock %}'
    "{% block content %}<h1>Trang thử</h1>{% endblock %}"
)


def stand_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse("stand-in")


def plain_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_PLAIN.render({}, request))


urlpatterns = [
    path("app/co-quan/", stand_in),
    path("app/lich/", stand_in),
    path("app/nhat-ky/", stand_in),
    path("app/trang-thu/", plain_page),
    path("trang-thu/", plain_page),
    *real_urlpatterns,
]
