from django.urls import path

from egov.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entries"),
    path("kiem-tra-chuoi/", views.chain_verify, name="verify"),
]
