from pathlib import Path

import ninja
from django.urls import URLPattern, URLResolver, path, re_path
from django.views.static import serve

from egov.api.problems import not_allowed_as_problem, not_found
from egov.api.router import api
from egov.api.views import api_docs, healthz

# Swagger UI ships inside django-ninja; served from there, so the docs work with no internet.
NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"
DOCS_ASSETS = r"swagger-ui-bundle\.js|swagger-ui\.css|swagger-ui-init\.js|favicon\.(?:png|svg)"


def _api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = not_allowed_as_problem(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/docs", api_docs, name="api-docs"),
    re_path(
        rf"^api/docs/assets/(?P<path>{DOCS_ASSETS})$",
        serve,
        {"document_root": str(NINJA_STATIC)},
        name="api-docs-asset",
    ),
    path("api/v1/", _api_urls()),
    re_path(r"^api/v1/(?P<path>.*)$", not_found, name="api-not-found"),
]
