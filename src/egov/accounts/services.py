"""Every write about accounts: registration, e-mail verification, two-factor, passwords.

Each function runs in one transaction and records an audit entry inside it; e-mails leave
only after the commit.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import selectors
from egov.accounts.models import User, UserKind
from egov.accounts.validators import citizen_id_problem, normalize_number, tax_code_problem
from egov.audit.services import audit_record
from egov.core.errors import AppError, Conflict, ValidationFailed

EMAIL_VERIFICATION_SALT = "egov.accounts.email-verification"
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=3)
_PHONE_RE = re.compile(r"^(?:0|\+84)\d{9}$")
_PUBLIC_FIELDS = ("username", "kind", "full_name", "email", "phone", "citizen_id", "tax_code")


def _public_snapshot(user: User) -> dict[str, Any]:
    return {name: getattr(user, name) for name in _PUBLIC_FIELDS}


# --- Registration and e-mail verification ---------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """Registration input, cleaned: what `citizen_register` stores."""

    kind: str
    full_name: str
    email: str
    phone: str
    citizen_id: str
    tax_code: str


def _registration_clean(
    *,
    kind: str,
    full_name: str,
    email: str,
    phone: str,
    password: str,
    citizen_id: str,
    tax_code: str,
) -> Registration:
    """Check every field and report all problems at once, keyed by field name."""
    errors: dict[str, list[str]] = {}
    data = Registration(
        kind=kind,
        full_name=" ".join((full_name or "").split()),
        email=(email or "").strip().lower(),
        phone=re.sub(r"[\s.\-()]", "", phone or ""),
        citizen_id=normalize_number(citizen_id) if kind == UserKind.CITIZEN else "",
        tax_code=normalize_number(tax_code) if kind == UserKind.BUSINESS else "",
    )
    if kind not in (UserKind.CITIZEN, UserKind.BUSINESS):
        errors["kind"] = [_("Chọn công dân hoặc doanh nghiệp, tổ chức.")]
    if not data.full_name:
        errors["full_name"] = [_("Nhập họ và tên (hoặc tên doanh nghiệp, tổ chức).")]
    try:
        validate_email(data.email)
    except ValidationError:
        errors["email"] = [_("Địa chỉ email không hợp lệ.")]
    if not _PHONE_RE.match(data.phone):
        errors["phone"] = [_("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84).")]
    if kind == UserKind.CITIZEN:
        if not data.citizen_id:
            errors["citizen_id"] = [_("Công dân cần nhập số định danh cá nhân (12 chữ số).")]
        elif problem := citizen_id_problem(data.citizen_id):
            errors["citizen_id"] = [problem]
    if kind == UserKind.BUSINESS:
        if not data.tax_code:
            errors["tax_code"] = [_("Doanh nghiệp, tổ chức cần nhập mã số thuế.")]
        elif problem := tax_code_problem(data.tax_code):
            errors["tax_code"] = [problem]
    try:
        validate_password(
            password, User(username=data.email, email=data.email, full_name=data.full_name)
        )
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    taken = selectors.identity_taken(
        email=data.email, citizen_id=data.citizen_id, tax_code=data.tax_code
    )
    if taken["email"] and "email" not in errors:
        errors["email"] = [_("Email này đã được dùng cho một tài khoản khác.")]
    if taken["citizen_id"] and "citizen_id" not in errors:
        errors["citizen_id"] = [_("Số định danh cá nhân này đã được đăng ký.")]
    if taken["tax_code"] and "tax_code" not in errors:
        errors["tax_code"] = [_("Mã số thuế này đã được đăng ký.")]
    if errors:
        raise ValidationFailed(_("Thông tin đăng ký chưa hợp lệ."), fields=errors)
    return data


def citizen_register(
    *,
    kind: str,
    full_name: str,
    email: str,
    phone: str,
    password: str,
    citizen_id: str = "",
    tax_code: str = "",
) -> User:
    """Create an inactive citizen or business account and mail it a verification link.

    The e-mail address is the username. Nothing is saved when any field is refused.
    """
    data = _registration_clean(
        kind=kind,
        full_name=full_name,
        email=email,
        phone=phone,
        password=password,
        citizen_id=citizen_id,
        tax_code=tax_code,
    )
    user = User(
        username=data.email,
        email=data.email,
        kind=data.kind,
        full_name=data.full_name,
        phone=data.phone,
        citizen_id=data.citizen_id,
        tax_code=data.tax_code,
        is_active=False,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            audit_record(
                actor=user,
                action="accounts.register",
                target=user,
                summary=_("Đăng ký tài khoản %(kind)s") % {"kind": UserKind(user.kind).label},
                after=_public_snapshot(user),
            )
            transaction.on_commit(lambda: verification_email_send(user))
    except IntegrityError as exc:
        # Two registrations raced past the checks above; the unique constraints decided.
        raise ValidationFailed(
            _("Thông tin đăng ký chưa hợp lệ."),
            fields={"email": [_("Email hoặc số giấy tờ này vừa được đăng ký.")]},
        ) from exc
    return user


def verification_token_make(user: User) -> str:
    payload = {"u": str(user.public_id), "e": user.email.lower()}
    return signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT).sign_object(payload)


def verification_email_send(user: User) -> None:
    """Send the verification link (outside any transaction: called on commit)."""
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:verify_email", args=[verification_token_make(user)]
    )
    context = {
        "user": user,
        "link": link,
        "days": EMAIL_VERIFICATION_MAX_AGE.days,
        "province": settings.EGOV_PROVINCE_NAME,
    }
    subject = render_to_string("accounts/email/verify_subject.txt", context).strip()
    body = render_to_string("accounts/email/verify_body.txt", context)
    send_mail(subject, body, None, [user.email])


def verification_email_resend(*, email: str) -> None:
    """Send a fresh link if an unverified account has this address; silent otherwise."""
    user = (
        User.objects.filter(email__iexact=(email or "").strip(), email_verified_at__isnull=True)
        .exclude(kind=UserKind.STAFF)
        .first()
    )
    if user is None:
        return
    with transaction.atomic():
        audit_record(
            actor=user,
            action="accounts.verification_resend",
            target=user,
            summary=_("Gửi lại email xác minh"),
        )
        transaction.on_commit(lambda: verification_email_send(user))


def email_verify(*, token: str) -> User:
    """Activate the account a verification link names (idempotent for the same link)."""
    invalid = AppError(
        "verification_invalid",
        _("Liên kết xác minh không hợp lệ. Hãy mở đúng liên kết trong email hoặc xin gửi lại."),
    )
    try:
        payload = signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT).unsign_object(
            token, max_age=EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise AppError(
            "verification_expired",
            _("Liên kết xác minh đã hết hạn (sau %(days)s ngày). Hãy xin gửi lại email xác minh.")
            % {"days": EMAIL_VERIFICATION_MAX_AGE.days},
        ) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise invalid from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), str):
        raise invalid
    with transaction.atomic():
        user = User.objects.select_for_update().filter(public_id=str(payload["u"])).first()
        if user is None or user.email.lower() != payload.get("e"):
            raise invalid
        if user.email_verified_at is not None:
            if not user.is_active:
                raise AppError(
                    "account_disabled",
                    _("Tài khoản này đã bị khóa. Vui lòng liên hệ cơ quan quản lý."),
                    status=403,
                )
            return user
        before = {"is_active": user.is_active, "email_verified_at": None}
        user.is_active = True
        user.email_verified_at = timezone.now()
        user.save(update_fields=["is_active", "email_verified_at"])
        audit_record(
            actor=user,
            action="accounts.email_verify",
            target=user,
            summary=_("Xác minh email, kích hoạt tài khoản"),
            before=before,
            after={"is_active": True, "email_verified_at": user.email_verified_at},
        )
    return user


# --- Two-factor authentication (TOTP) -----------------------------------------------------


def two_factor_enrol(*, user: User, actor: User) -> TOTPDevice:
    """The user's pending authenticator (created once, reused until confirmed)."""
    with transaction.atomic():
        if selectors.confirmed_totp_device(user) is not None:
            raise Conflict("two_factor_enabled", _("Tài khoản đã bật xác thực hai lớp."))
        device = selectors.unconfirmed_totp_device(user)
        if device is not None:
            return device
        device = TOTPDevice.objects.create(
            user=user, name=str(_("Ứng dụng xác thực")), confirmed=False
        )
        audit_record(
            actor=actor,
            action="accounts.two_factor_enrol",
            target=user,
            summary=_("Bắt đầu đăng ký xác thực hai lớp"),
        )
    return device


def _throttled(info: dict[str, Any] | None) -> AppError:
    locked_until = (info or {}).get("locked_until")
    seconds = 1
    if locked_until is not None:
        seconds = max(1, int((locked_until - timezone.now()).total_seconds() + 0.999))
    return AppError(
        "otp_throttled",
        _("Bạn đã nhập sai mã nhiều lần. Vui lòng chờ %(seconds)s giây rồi thử lại.")
        % {"seconds": seconds},
        status=429,
        extra={"retry_after": seconds},
    )


def _otp_invalid() -> AppError:
    return AppError(
        "otp_invalid",
        _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất trên ứng dụng."),
    )


def _totp_attempt(device: TOTPDevice, token: str) -> AppError | None:
    """Check a code with django-otp's throttling; runs inside the caller's transaction.

    A refused code must still be committed (it raises the throttle delay), so this returns the
    error for the caller to raise after the transaction rather than raising inside it.
    """
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return _throttled(info)
    if device.verify_token(token):
        return None
    return _otp_invalid()


def two_factor_confirm(*, device: TOTPDevice, token: str, actor: User) -> TOTPDevice:
    """Confirm a pending authenticator with a code it produced."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        error = _totp_attempt(device, token)
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
            audit_record(
                actor=actor,
                action="accounts.two_factor_confirm",
                target=device.user,
                summary=_("Bật xác thực hai lớp"),
            )
    if error is not None:
        raise error
    return device


def two_factor_check(*, user: User, token: str) -> TOTPDevice:
    """Verify a sign-in code against the user's confirmed authenticator."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user_id=user.pk, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise AppError("two_factor_missing", _("Tài khoản chưa bật xác thực hai lớp."))
        error = _totp_attempt(device, token)
        if error is not None and error.code == "otp_invalid":
            audit_record(
                actor=user,
                action="accounts.two_factor_failed",
                target=user,
                summary=_("Nhập sai mã xác thực hai lớp khi đăng nhập"),
            )
    if error is not None:
        raise error
    return device


# --- Passwords: change, reset by e-mail, set by an administrator --------------------------


def _new_password_problems(user: User, new_password: str, confirm: str) -> dict[str, list[str]]:
    if not new_password:
        return {"new_password": [_("Hãy nhập mật khẩu mới.")]}
    if new_password != confirm:
        return {"new_password_confirm": [_("Hai lần nhập mật khẩu mới không khớp.")]}
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        return {"new_password": [str(m) for m in exc.messages]}
    return {}


def _password_set(*, user: User, new_password: str, actor: User | None, action: str) -> None:
    """Store the new hash and its audit row (the hash itself never enters the trail)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=action,
        target=user,
        summary={
            "accounts.password_change": _("Đổi mật khẩu"),
            "accounts.password_reset": _("Đặt lại mật khẩu qua email"),
        }[action],
    )
    transaction.on_commit(lambda: password_changed_email_send(user))


def password_change(
    *, user: User, old_password: str, new_password: str, new_password_confirm: str
) -> None:
    """The signed-in user replaces their password; the old one must be given."""
    problems: dict[str, list[str]] = {}
    if not user.check_password(old_password or ""):
        problems["old_password"] = [_("Mật khẩu hiện tại không đúng.")]
    else:
        problems = _new_password_problems(user, new_password, new_password_confirm)
        if not problems and user.check_password(new_password):
            problems = {"new_password": [_("Mật khẩu mới phải khác mật khẩu hiện tại.")]}
    if problems:
        raise ValidationFailed(_("Chưa đổi được mật khẩu."), fields=problems)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        _password_set(
            user=locked, new_password=new_password, actor=user, action="accounts.password_change"
        )
        user.password = locked.password


def password_reset_request(*, email: str) -> int:
    """E-mail a reset link to each active account with this address; how many were sent.

    The page says the same thing whatever the answer, so nobody can probe for accounts.
    """
    address = (email or "").strip()
    if not address or _reset_requests_exceeded(address):
        return 0
    users = [
        u
        for u in User.objects.filter(email__iexact=address, is_active=True)
        if u.has_usable_password()
    ]
    for user in users:
        password_reset_email_send(user)
    return len(users)


RESET_REQUESTS_PER_HOUR = 3


def _reset_requests_exceeded(address: str) -> bool:
    """At most a few links an hour to one address, so the form cannot flood a mailbox."""
    key = "egov:password-reset:" + hashlib.sha256(address.lower().encode()).hexdigest()
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > RESET_REQUESTS_PER_HOUR
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return False


def _reset_link_invalid() -> AppError:
    return AppError(
        "password_reset_invalid",
        _(
            "Liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn (liên kết chỉ dùng được "
            "một lần). Hãy xin gửi lại."
        ),
    )


def _reset_user(uidb64: str, token: str) -> User:
    invalid = _reset_link_invalid()
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise invalid from exc
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise invalid
    return user


def password_reset_check(*, uidb64: str, token: str) -> User:
    """The account a reset link names, or `AppError` when the link is bad, used or expired."""
    return _reset_user(uidb64, token)


def password_reset_confirm(
    *, uidb64: str, token: str, new_password: str, new_password_confirm: str
) -> User:
    """Set the password from a reset link; the link stops working once used."""
    user = _reset_user(uidb64, token)
    problems = _new_password_problems(user, new_password, new_password_confirm)
    if problems:
        raise ValidationFailed(_("Chưa đặt lại được mật khẩu."), fields=problems)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.password != user.password:  # another tab used the same link first
            raise _reset_link_invalid()
        _password_set(
            user=locked, new_password=new_password, actor=locked, action="accounts.password_reset"
        )
    return locked


def password_reset_email_send(user: User) -> None:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:password_reset_confirm", args=[uidb64, token]
    )
    context = {
        "user": user,
        "link": link,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "province": settings.EGOV_PROVINCE_NAME,
    }
    subject = render_to_string("accounts/email/password_reset_subject.txt", context).strip()
    body = render_to_string("accounts/email/password_reset_body.txt", context)
    send_mail(subject, body, None, [user.email])


def password_changed_email_send(user: User) -> None:
    """Tell the owner their password changed (so a change they did not make is noticed)."""
    if not user.email:
        return
    context = {"user": user, "province": settings.EGOV_PROVINCE_NAME}
    subject = render_to_string("accounts/email/password_changed_subject.txt", context).strip()
    body = render_to_string("accounts/email/password_changed_body.txt", context)
    send_mail(subject, body, None, [user.email])
