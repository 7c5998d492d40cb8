from django.urls import include, path

from egov.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("co-quan/", include("egov.organisations.urls")),
    path("thu-tuc/", include("egov.procedures.urls")),
    path("lich/", include("egov.calendar.urls")),
    path("nhat-ky/", include("egov.audit.urls")),
    path("ho-so/", include("egov.dossiers.urls_workspace")),
    path("thong-bao/", include("egov.notifications.urls")),
    path("van-ban/", include("egov.documents.urls")),
    path("lien-thong/", include("egov.exchange.urls")),
    path("nhiem-vu/", include("egov.assignments.urls")),
    path("lich-cong-tac/", include("egov.assignments.calendar_urls")),
    path("chi-so/", include("egov.indicators.urls")),
    path("dao-tao/", include("egov.training.urls")),
    path("ha-tang/", include("egov.infrastructure.urls")),
]
