"""REST operations of accounts: the signed-in user's profile."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from egov.accounts import selectors
from egov.accounts.models import User
from egov.accounts.signin import two_factor_gate
from egov.core.errors import AppError

router = Router()


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    code: str


class MeOut(Schema):
    public_id: str
    username: str
    kind: str
    kind_label: str
    full_name: str
    email: str
    email_verified: bool
    two_factor_enabled: bool
    two_factor_required: bool
    agency_code: str | None = None
    agency_name: str | None = None
    roles: list[str] = []


def _signed_in_user(request: HttpRequest) -> User:
    """The session's user, refused with 401 when anonymous or still owing a second factor."""
    user = request.user
    if not user.is_authenticated:
        raise AppError("not_authenticated", _("Bạn chưa đăng nhập."), status=401)
    if two_factor_gate(request) is not None:
        raise AppError(
            "two_factor_required",
            _("Phiên đăng nhập chưa qua xác thực hai lớp."),
            status=401,
        )
    return user  # type: ignore[return-value]


@router.get(
    "/me",
    response={200: MeOut, 401: ProblemOut},
    summary="Tài khoản đang đăng nhập",
    description="Hồ sơ của người dùng đang đăng nhập: loại tài khoản, họ tên, cơ quan và "
    "vai trò (nếu là cán bộ).",
)
def me(request: HttpRequest) -> selectors.Profile:
    return selectors.profile_of(_signed_in_user(request))
