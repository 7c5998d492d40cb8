from django.urls import path

from egov.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.EgovLogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor_verify_view, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup_view, name="two_factor_setup"),
    path("profile/", views.profile_view, name="profile"),
    path("register/", views.register_view, name="register"),
    path("register/done/", views.register_done_view, name="register_done"),
    path("register/resend/", views.verification_resend_view, name="verification_resend"),
    path("verify-email/<str:token>/", views.verify_email_view, name="verify_email"),
    path("password/", views.password_change_view, name="password_change"),
    path("password/reset/", views.password_reset_request_view, name="password_reset"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm_view,
        name="password_reset_confirm",
    ),
]
