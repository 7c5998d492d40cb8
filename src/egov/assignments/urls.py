"""/app/nhiem-vu/ (namespace ``workspace:assignments``)."""

from django.urls import path

from egov.assignments import views

app_name = "assignments"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("da-giao/", views.given, name="given"),
    path("bang/", views.board, name="board"),
    path("moi/", views.create, name="create"),
    path("ket-luan/moi/", views.conclusion_new, name="conclusion_new"),
    path("thong-bao-noi-bo/", views.notices, name="notices"),
    path("thong-bao-noi-bo/<uuid:public_id>/", views.notice_detail, name="notice"),
    path("trao-doi/<slug:kind>/<uuid:public_id>/", views.comment_post, name="comment"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
