"""Workspace pages under /app/ha-tang/ (namespace "workspace:infrastructure")."""

from django.urls import path

from egov.infrastructure import views

app_name = "infrastructure"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("nhap/", views.import_file, name="import"),
    path("co-quan/<uuid:public_id>/", views.agency_detail, name="agency"),
    path("co-quan/<uuid:public_id>/<slug:kind>/them/", views.item_create, name="item_create"),
    path("<slug:kind>/<uuid:public_id>/sua/", views.item_update, name="item_update"),
    path("<slug:kind>/<uuid:public_id>/ngung-su-dung/", views.item_retire, name="item_retire"),
]
