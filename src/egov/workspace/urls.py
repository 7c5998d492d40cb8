from django.urls import path

from egov.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
]
