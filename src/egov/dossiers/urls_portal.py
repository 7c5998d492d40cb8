"""Portal URL map, mounted at /dich-vu-cong/ (namespace ``portal:dossiers``)."""

from django.urls import path

from egov.dossiers import views_citizen_payments as payments
from egov.dossiers import views_portal as views

app_name = "dossiers"
urlpatterns = [
    path("nop/<str:code>/", views.submit, name="submit"),
    path("nop/<str:code>/xem-lai/", views.submit_review, name="submit_review"),
    path("ho-so/<str:code>/da-nop/", views.submitted, name="submitted"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views.receipt, name="receipt"),
    path("ho-so-cua-toi/", views.my_dossiers, name="mine"),
    path("ho-so-cua-toi/<str:code>/", views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/rut/", views.my_withdraw, name="my_withdraw"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.my_supplement, name="my_supplement"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", views.my_rate, name="my_rate"),
    path("ho-so-cua-toi/<str:code>/thanh-toan/", payments.my_payment, name="my_payment"),
    path(
        "ho-so-cua-toi/<str:code>/giay-xac-nhan-nop-phi.pdf",
        payments.my_fee_receipt,
        name="my_fee_receipt",
    ),
    path("ho-so-cua-toi/<str:code>/ket-qua/<uuid:result_id>/", views.my_result, name="my_result"),
    path("ho-so-cua-toi/<str:code>/giay-to/<uuid:paper_id>/", views.my_paper, name="my_paper"),
]
