"""Workspace pages under /app/thu-tuc/ (namespace "workspace:procedures")."""

from django.urls import path

from egov.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.manage_list, name="list"),
    path("them/", views.manage_create, name="create"),
    path("nhap/", views.manage_import, name="import"),
    path("xuat/", views.manage_export, name="export"),
    path("<str:code>/", views.manage_edit, name="edit"),
    path("<str:code>/cong-khai/", views.manage_publish, name="publish"),
    path("<str:code>/mau/<int:paper_id>/", views.manage_template, name="template"),
]
