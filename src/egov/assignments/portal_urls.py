"""Portal: /lich-cong-tac/<agency code>/ (public entries of the published work calendar)."""

from django.urls import path

from egov.assignments import views

app_name = "workcalendar_public"
urlpatterns = [
    path("<str:code>/", views.portal_calendar, name="week"),
    path("<str:code>/lich.<str:fmt>", views.portal_calendar, name="export"),
]
