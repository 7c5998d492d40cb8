"""Workspace pages under /app/dao-tao/ (namespace "workspace:training")."""

from django.urls import path

from egov.training import views

app_name = "training"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("nhap/", views.import_file, name="import"),
    path("co-quan/<uuid:public_id>/", views.agency_detail, name="agency"),
    path("co-quan/<uuid:public_id>/ket-qua/", views.results, name="results"),
    path("co-quan/<uuid:public_id>/ket-qua/them/", views.result_create, name="result_create"),
    path("ket-qua/<uuid:public_id>/sua/", views.result_update, name="result_update"),
    path("ket-qua/<uuid:public_id>/ngung-su-dung/", views.result_retire, name="result_retire"),
]
