"""Pages of signing in, two-factor authentication, registration and the account page."""

from __future__ import annotations

import math
from base64 import b32encode
from typing import Any

import django_otp
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import LogoutView
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from egov.accounts import selectors, services, signin
from egov.accounts.decorators import verified_login_required
from egov.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    RegistrationForm,
    ResendVerificationForm,
    TokenForm,
)
from egov.accounts.models import User
from egov.core.errors import AppError


def _apply_error(form: Form, error: AppError, *, default_field: str | None = None) -> None:
    """Show a service refusal on the form: field errors next to their fields."""
    if error.fields:
        for name, problems in error.fields.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    else:
        form.add_error(default_field, error.message)


# --- Login and logout ---------------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = signin.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and signin.two_factor_gate(request) is None:
        return redirect(next_url or signin.default_destination(request.user))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        step = signin.next_step(user)
        if step is None:
            return redirect(signin.complete_login(request, user, next_url=next_url))
        signin.begin_pending(request, user, next_url=next_url)
        target = "accounts:two_factor_verify" if step == "verify" else "accounts:two_factor_setup"
        return redirect(target)
    return render(request, "accounts/login.html", {"form": form, "next": next_url or ""})


class EgovLogoutView(LogoutView):
    next_page = "accounts:login"


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes answers once an account (username + address) is locked: 429."""
    cool_off = get_cool_off(request)
    context: dict[str, Any] = {"retry_at": None, "minutes": None}
    if cool_off is not None:
        # A failed attempt during the lockout restarts the cool-off, so it ends `cool_off` from now.
        context["retry_at"] = timezone.localtime(timezone.now() + cool_off)
        context["minutes"] = max(1, math.ceil(cool_off.total_seconds() / 60))
    response = render(request, "accounts/lockout.html", context, status=429)
    if cool_off is not None:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# --- Two-factor: the code page and enrolment ------------------------------------------------


def _two_factor_subject(request: HttpRequest) -> tuple[User | None, bool]:
    """Who the two-factor pages act for, and whether they are still pending (not logged in)."""
    pending = signin.pending_user(request)
    if pending is not None:
        return pending, True
    if request.user.is_authenticated:
        return request.user, False  # type: ignore[return-value]
    return None, False


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    user, pending = _two_factor_subject(request)
    if user is None:
        messages.info(request, _("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."))
        return redirect("accounts:login")
    next_url = signin.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if selectors.confirmed_totp_device(user) is None:
        return redirect("accounts:two_factor_setup")
    if not pending and signin.two_factor_gate(request) is None:
        return redirect(next_url or signin.default_destination(user))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_check(user=user, token=form.cleaned_data["token"])
        except AppError as error:
            _apply_error(form, error, default_field="token")
        else:
            if pending:
                return redirect(signin.complete_login(request, user, device, next_url=next_url))
            django_otp.login(request, device)
            return redirect(next_url or signin.default_destination(user))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": next_url or ""}
    )


def _qr_svg(device: Any) -> str:
    import segno  # here: ~11 MB a web process needs only while enrolling

    qr = segno.make(device.config_url, error="m")
    return str(
        qr.svg_inline(scale=5, border=2, title=_("Mã QR để thêm tài khoản vào ứng dụng xác thực"))
    )


def _grouped_secret(device: Any) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup_view(request: HttpRequest) -> HttpResponse:
    user, pending = _two_factor_subject(request)
    if user is None:
        return redirect("accounts:login")
    next_url = signin.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if selectors.confirmed_totp_device(user) is not None:
        if pending or signin.two_factor_gate(request) is not None:
            return redirect("accounts:two_factor_verify")
        messages.info(request, _("Tài khoản đã bật xác thực hai lớp."))
        return redirect("accounts:profile")
    device = services.two_factor_enrol(user=user, actor=user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_confirm(
                device=device, token=form.cleaned_data["token"], actor=user
            )
        except AppError as error:
            _apply_error(form, error, default_field="token")
        else:
            messages.success(request, _("Đã bật xác thực hai lớp cho tài khoản."))
            if pending:
                return redirect(signin.complete_login(request, user, device, next_url=next_url))
            django_otp.login(request, device)
            return redirect(next_url or "accounts:profile")
    context = {
        "form": form,
        "next": next_url or "",
        "required": selectors.two_factor_required(user),
        "qr_svg": _qr_svg(device),
        "secret": _grouped_secret(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "username": user.get_username(),
    }
    return render(request, "accounts/two_factor_setup.html", context)


# --- The account page ---------------------------------------------------------------------


@never_cache
@verified_login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)  # type: ignore[arg-type]
    return render(request, "accounts/profile.html", {"profile": profile})


# --- Registration and e-mail verification ---------------------------------------------------


@sensitive_post_parameters("password", "password_confirm")
@csrf_protect
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.citizen_register(
                kind=data["kind"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                password=data["password"],
                citizen_id=data["citizen_id"],
                tax_code=data["tax_code"],
            )
        except AppError as error:
            _apply_error(form, error)
        else:
            request.session["egov_registered_email"] = user.email
            return redirect("accounts:register_done")
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


def register_done_view(request: HttpRequest) -> HttpResponse:
    email = request.session.get("egov_registered_email", "")
    return render(request, "accounts/register_done.html", {"email": email})


@csrf_protect
@require_http_methods(["GET", "POST"])
def verification_resend_view(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.verification_email_resend(email=form.cleaned_data["email"])
        # The same answer whether or not the address has an account (no address probing).
        messages.success(
            request,
            _("Nếu địa chỉ này có tài khoản chưa kích hoạt, email xác minh mới đã được gửi."),
        )
        return redirect("accounts:login")
    return render(request, "accounts/verification_resend.html", {"form": form})


@never_cache
def verify_email_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.email_verify(token=token)
    except AppError as error:
        return render(
            request,
            "accounts/verify_email.html",
            {"error": error.message, "code": error.code},
            status=error.status,
        )
    return render(request, "accounts/verify_email.html", {"verified_user": user})


# --- Passwords ------------------------------------------------------------------------------


@sensitive_post_parameters("old_password", "new_password", "new_password_confirm")
@csrf_protect
@never_cache
@verified_login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.password_change(
                user=request.user,  # type: ignore[arg-type]
                old_password=data["old_password"],
                new_password=data["new_password"],
                new_password_confirm=data["new_password_confirm"],
            )
        except AppError as error:
            _apply_error(form, error)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect("accounts:profile")
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


@csrf_protect
@require_http_methods(["GET", "POST"])
def password_reset_request_view(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        # The same answer whether or not the address has an account (no address probing).
        messages.success(
            request,
            _(
                "Nếu địa chỉ này thuộc một tài khoản đang hoạt động, email có liên kết đặt lại "
                "mật khẩu đã được gửi. Liên kết có hiệu lực trong %(hours)s giờ."
            )
            % {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        )
        return redirect("accounts:login")
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "accounts/password_reset_request.html", {"form": form}, status=status)


@sensitive_post_parameters("new_password", "new_password_confirm")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        account = services.password_reset_check(uidb64=uidb64, token=token)
    except AppError as error:
        return render(
            request, "accounts/password_reset_confirm.html", {"error": error.message}, status=400
        )
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(
                uidb64=uidb64,
                token=token,
                new_password=form.cleaned_data["new_password"],
                new_password_confirm=form.cleaned_data["new_password_confirm"],
            )
        except AppError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Đã đặt lại mật khẩu. Hãy đăng nhập bằng mật khẩu mới."))
            return redirect("accounts:login")
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "accounts/password_reset_confirm.html",
        {"form": form, "account": account},
        status=status,
    )
