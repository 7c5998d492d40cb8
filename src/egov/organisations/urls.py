"""Workspace pages under /app/co-quan/ (namespace "workspace:organisations")."""

from django.urls import path

from egov.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.agency_tree, name="tree"),
    path("can-bo/<uuid:public_id>/", views.staff_detail, name="staff"),
    path("uy-quyen/moi/", views.delegation_create, name="delegation_create"),
    path("uy-quyen/<uuid:public_id>/thu-hoi/", views.delegation_revoke, name="delegation_revoke"),
    path("<str:code>/", views.agency_detail, name="agency"),
]
