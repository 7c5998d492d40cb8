"""Workspace URL map, mounted at /app/lien-thong/ (namespace ``workspace:exchange``)."""

from django.urls import path

from egov.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("goi-tin/<uuid:public_id>/gui-lai/", views.outbox_retry, name="retry"),
    path("hop-thu-den/", views.inbox, name="inbox"),
    path("doi-tac/", views.partner_list, name="partners"),
    path("doi-tac/them/", views.partner_add, name="partner_add"),
    path("doi-tac/<uuid:public_id>/", views.partner_edit, name="partner_edit"),
    path("doi-tac/<uuid:public_id>/thu-hoi/", views.partner_revoke, name="partner_revoke"),
    path("doi-tac/<uuid:public_id>/cap-lai-ma/", views.partner_token, name="partner_token"),
]
