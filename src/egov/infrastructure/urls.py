"""Workspace pages under /app/ha-tang/ (namespace "workspace:infrastructure")."""

from django.urls import path

from egov.infrastructure import views

app_name = "infrastructure"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("nhap/", views.import_file, name="import"),
    path("co-quan/<uuid:public_id>/", views.agency_detail, name="agency"),
]
