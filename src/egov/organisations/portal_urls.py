"""Public directory under /co-quan/ (namespace "portal:directory")."""

from django.urls import path

from egov.organisations import views

app_name = "directory"
urlpatterns = [
    path("", views.directory, name="list"),
    path("<str:code>/", views.public_agency, name="agency"),
]
