"""A URL map for the shell's tests: the real one, plus a plain page extending base.html,
mounted both under /app/ and on the portal to check which chrome it gets."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from egov.conf.urls import urlpatterns as real_urlpatterns

_PLAIN = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Trang thử{% endblock %}'
    "{% block content %}<h1>Trang thử</h1>{% endblock %}"
)


def plain_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_PLAIN.render({}, request))


urlpatterns = [
    path("app/trang-thu/", plain_page),
    path("trang-thu/", plain_page),
    *real_urlpatterns,
]
