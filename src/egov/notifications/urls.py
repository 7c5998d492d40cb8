from django.urls import path

from egov.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("da-doc-tat-ca/", views.notification_read_all, name="read_all"),
    path("<uuid:public_id>/", views.notification_open, name="open"),
    path("<uuid:public_id>/da-doc/", views.notification_read, name="read"),
]
