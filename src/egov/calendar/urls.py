from django.urls import path

from egov.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.year_page, name="year"),
    path("dat-ngay/", views.exception_set, name="exception_set"),
    path("bo-ngay/", views.exception_clear, name="exception_clear"),
]
