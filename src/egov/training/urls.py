"""Workspace pages under /app/dao-tao/ (namespace "workspace:training")."""

from django.urls import path

from egov.training import views

app_name = "training"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("nhap/", views.import_file, name="import"),
    path("co-quan/<uuid:public_id>/", views.agency_detail, name="agency"),
]
