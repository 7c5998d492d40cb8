"""The public catalogue under /thu-tuc/ (namespace "portal:procedures")."""

from django.urls import path

from egov.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("<str:code>/", views.procedure_page, name="detail"),
    path("<str:code>/mau/<int:paper_id>/", views.template_download, name="template"),
]
