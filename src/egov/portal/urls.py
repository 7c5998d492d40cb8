from django.urls import include, path

from egov.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("co-quan/", include("egov.organisations.portal_urls")),
    path("thu-tuc/", include("egov.procedures.portal_urls")),
    path("dich-vu-cong/", include("egov.dossiers.urls_portal")),
    path("tra-cuu/", include("egov.dossiers.urls_tracking")),
    path("van-ban/", include("egov.documents.portal_urls")),
    path("lich-cong-tac/", include("egov.assignments.portal_urls")),
]
