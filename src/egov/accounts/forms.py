"""Page forms: they collect input; the rules live in services and validators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from egov.accounts import selectors
from egov.accounts.models import UserKind


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
        "unverified": _(
            "Tài khoản chưa được kích hoạt. Hãy mở liên kết trong email xác minh "
            "chúng tôi đã gửi cho bạn."
        ),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["username"].help_text = _(
            "Công dân, doanh nghiệp: dùng địa chỉ email đã đăng ký."
        )
        self.fields["password"].label = _("Mật khẩu")

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        # Citizens and businesses sign in with their e-mail, stored lower-case as the username.
        return username.lower() if "@" in username else username

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            self._explain_unverified()
            raise

    def _explain_unverified(self) -> None:
        """Say "not yet activated" instead of "wrong password" when the password was right."""
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        user = selectors.user_by_login(username)
        if (
            user is not None
            and not user.is_active
            and user.email_verified_at is None
            and user.check_password(password)
        ):
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        help_text=_("Mở ứng dụng xác thực trên điện thoại và nhập mã đang hiển thị."),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("Mã xác thực gồm đúng 6 chữ số."), code="format")
        return token


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Bạn đăng ký với tư cách"),
        choices=[
            (UserKind.CITIZEN, UserKind.CITIZEN.label),
            (UserKind.BUSINESS, UserKind.BUSINESS.label),
        ],
        initial=UserKind.CITIZEN,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(
        label=_("Họ và tên"),
        help_text=_("Doanh nghiệp, tổ chức: ghi tên đầy đủ theo giấy đăng ký."),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Email"),
        help_text=_("Dùng để đăng nhập; chúng tôi gửi liên kết kích hoạt đến địa chỉ này."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    citizen_id = forms.CharField(
        label=_("Số định danh cá nhân (số CCCD)"),
        help_text=_("Công dân: 12 chữ số in trên thẻ căn cước."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        help_text=_(
            "Doanh nghiệp, tổ chức: 10 chữ số, hoặc 10 chữ số-3 chữ số với đơn vị phụ thuộc."
        ),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số, không quá giống tên hay email."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("Hai lần nhập mật khẩu không khớp."))
        return data


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email đã đăng ký"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ email không hợp lệ.")},
    )


def _password_field(label: Any, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": _("Trường này là bắt buộc.")},
    )


class PasswordChangeForm(forms.Form):
    old_password = _password_field(_("Mật khẩu hiện tại"), "current-password")
    new_password = _password_field(_("Mật khẩu mới"), "new-password")
    new_password_confirm = _password_field(_("Nhập lại mật khẩu mới"), "new-password")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = _(
            "Ít nhất 8 ký tự, không quá giống thông tin cá nhân, không phải mật khẩu phổ biến."
        )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email của tài khoản"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Địa chỉ email không hợp lệ."),
            "required": _("Trường này là bắt buộc."),
        },
    )


class PasswordResetForm(forms.Form):
    new_password = _password_field(_("Mật khẩu mới"), "new-password")
    new_password_confirm = _password_field(_("Nhập lại mật khẩu mới"), "new-password")
