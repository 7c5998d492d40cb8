"""Workspace URL map, mounted at /app/ho-so/ (namespace ``workspace:dossiers``)."""

from django.urls import path

from egov.dossiers import views_workspace as views

app_name = "dossiers"
urlpatterns = [
    path("", views.queue, name="inbox"),
    path("hang-doi/<slug:key>/", views.queue, name="queue"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/xu-ly/", views.act, name="act"),
    path("<uuid:public_id>/xin-loi/", views.apologise, name="apologise"),
    path(
        "<uuid:public_id>/thanh-toan/<uuid:payment_id>/xac-nhan/",
        views.payment_confirm,
        name="payment_confirm",
    ),
    path("<uuid:public_id>/in/<slug:kind>.pdf", views.pdf, name="pdf"),
    path("<uuid:public_id>/giay-to/<uuid:paper_id>/", views.paper, name="paper"),
    path("<uuid:public_id>/ket-qua/<uuid:result_id>/", views.result, name="result"),
]
