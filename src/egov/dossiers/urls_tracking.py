"""Public tracking URL map, mounted at /tra-cuu/ (namespace ``tracking``)."""

from django.urls import path

from egov.dossiers import views_portal as views

app_name = "tracking"
urlpatterns = [
    path("", views.track_form, name="form"),
    path("<str:code>/", views.track, name="dossier"),
]
