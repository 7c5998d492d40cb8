"""Workspace pages of official documents: /app/van-ban/ (namespace ``workspace:documents``)."""

from django.urls import path

from egov.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.drafts, name="drafts"),
    path("du-thao/moi/", views.draft_new, name="draft_new"),
    path("van-ban-di/", views.outgoing, name="outgoing"),
    path("van-ban-den/", views.incoming, name="incoming"),
    path("van-ban-den/vao-so/", views.incoming_new, name="incoming_new"),
    path("viec-cua-toi/", views.my_work, name="my_work"),
    path("tim-kiem/", views.search_page, name="search"),
    path("so/", views.register_index, name="registers"),
    path("so/<slug:kind>/<int:year>.<str:fmt>", views.register_export, name="register_export"),
    path("ho-so/", views.case_files, name="case_files"),
    path("ho-so/<int:pk>/", views.case_file_detail, name="case_file"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/sua/", views.draft_edit, name="draft_edit"),
    path("<uuid:public_id>/chi-dao/", views.direct, name="direct"),
    path("<uuid:public_id>/xu-ly/<int:handling_id>/", views.handling, name="handling"),
    path("<uuid:public_id>/tep/<int:file_id>/", views.file_download, name="file"),
    path("<uuid:public_id>/<slug:action>/", views.act, name="act"),
]
