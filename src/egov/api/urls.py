from django.urls import path

from egov.api.router import api
from egov.api.views import api_docs, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/docs", api_docs, name="api-docs"),
    path("api/v1/", api.urls),
]
