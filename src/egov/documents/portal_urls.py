"""Public pages of published documents: /van-ban/ (namespace ``portal:documents``)."""

from django.urls import path

from egov.documents import views_portal

app_name = "documents"
urlpatterns = [
    path("", views_portal.public_list, name="list"),
    path("<uuid:public_id>/", views_portal.public_detail, name="detail"),
    path("<uuid:public_id>/tep/<int:file_id>/", views_portal.public_file, name="file"),
]
