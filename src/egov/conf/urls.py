"""URL map: public portal at /, staff workspace at /app/, REST API at /api/v1/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("accounts/", include("egov.accounts.urls")),
    path("app/", include("egov.workspace.urls")),
    path("", include("egov.api.urls")),
    path("", include("egov.portal.urls")),
]
