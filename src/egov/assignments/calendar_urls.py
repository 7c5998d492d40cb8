"""/app/lich-cong-tac/ (namespace ``workspace:workcalendar``)."""

from django.urls import path

from egov.assignments import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.calendar_week, name="week"),
    path("moi/", views.calendar_edit, name="new"),
    path("<int:pk>/sua/", views.calendar_edit, name="edit"),
    path("xuat.<str:fmt>", views.calendar_export, name="export"),
    path("<slug:step>/", views.calendar_transition, name="transition"),
]
