from django.urls import path

from egov.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.home, name="home"),
    path("thanh-pho/", views.city, name="city"),
    path("chi-tieu/<str:code>/", views.indicator, name="indicator"),
    path("co-quan/<str:code>/", views.agency, name="agency"),
    path("co-quan/<str:code>/tre-han/", views.late, name="late"),
    path("bao-cao/<uuid:public_id>/", views.report, name="report"),
]
