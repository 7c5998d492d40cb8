"""REST operations of organisations, mounted at /api/v1/agencies.

The directory (list, detail, tree) is public; staff and delegations are internal data: they need
a signed-in staff session and the policy (`staff.view`), and answer 404 for an agency the
caller may not see, as for one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from egov.accounts.signin import two_factor_gate
from egov.core.errors import AppError
from egov.organisations import selectors
from egov.organisations.models import Agency, Delegation, RoleCode, StaffMember
from egov.policy.engine import require

router = Router()

PAGE_SIZE = 30


class ProblemOut(Schema):
    type: str = Field(..., examples=["urn:egov:error:not_found"])
    title: str = Field(..., examples=["Không tìm thấy."])
    status: int = Field(..., examples=[404])
    code: str = Field(..., examples=["not_found"])


class AgencyRef(Schema):
    code: str = Field(..., description="Mã định danh điện tử", examples=["000.00.00.H15"])
    name: str = Field(..., examples=["Ủy ban nhân dân thành phố Đà Nẵng"])


class AgencyOut(Schema):
    code: str = Field(
        ..., description="Mã định danh điện tử (LLL.KK.JJ.Xnn)", examples=["000.00.05.H15"]
    )
    name: str = Field(..., description="Tên cơ quan", examples=["Sở Xây dựng"])
    abbreviation: str = Field(..., description="Tên viết tắt", examples=["SXD"])
    kind: str = Field(..., description="Loại cơ quan (mã)", examples=["department"])
    kind_label: str = Field(..., description="Loại cơ quan", examples=["Sở, ban, ngành"])
    parent_code: str | None = Field(
        None, description="Mã cơ quan cấp trên", examples=["000.00.00.H15"]
    )
    address: str = Field("", examples=["Tầng 9, Trung tâm Hành chính thành phố, 24 Trần Phú"])
    phone: str = Field("", examples=["0236.3822.105"])
    email: str = Field("", examples=["sxd@danang.gov.vn"])
    website: str = Field("", examples=["https://sxd.danang.gov.vn"])

    @staticmethod
    def resolve_kind_label(obj: Agency) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent_code(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None


class AgencyDetailOut(AgencyOut):
    parent: AgencyRef | None = None
    children: list[AgencyRef] = Field(default_factory=list, description="Cơ quan trực thuộc")

    @staticmethod
    def resolve_children(obj: Agency) -> list[Agency]:
        return list(obj.children.all())


class AgencyNodeOut(Schema):
    code: str = Field(..., examples=["000.00.00.H15"])
    name: str = Field(..., examples=["Ủy ban nhân dân thành phố Đà Nẵng"])
    abbreviation: str = Field(..., examples=["UBND"])
    kind: str = Field(..., examples=["peoples_committee"])
    children: list[AgencyNodeOut] = Field(default_factory=list)


class StaffOut(Schema):
    id: UUID = Field(..., description="Mã công khai của cán bộ")
    username: str = Field(..., examples=["annv.sxd"])
    full_name: str = Field(..., examples=["Nguyễn Văn An"])
    email: str = Field("", examples=["annv.sxd@danang.gov.vn"])
    phone: str = Field("", examples=["0905123456"])
    agency_code: str = Field(..., examples=["000.00.05.H15"])
    unit: str | None = Field(None, examples=["Phòng Quản lý hoạt động xây dựng"])
    position: str | None = Field(None, examples=["Chuyên viên"])
    roles: list[str] = Field(default_factory=list, examples=[["specialist"]])
    is_active: bool = True

    @staticmethod
    def resolve_id(obj: StaffMember) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_username(obj: StaffMember) -> str:
        return obj.user.username

    @staticmethod
    def resolve_full_name(obj: StaffMember) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj: StaffMember) -> str:
        return obj.user.email

    @staticmethod
    def resolve_phone(obj: StaffMember) -> str:
        return obj.user.phone

    @staticmethod
    def resolve_agency_code(obj: StaffMember) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_unit(obj: StaffMember) -> str | None:
        return obj.unit.name if obj.unit else None

    @staticmethod
    def resolve_position(obj: StaffMember) -> str | None:
        return obj.position.name if obj.position else None

    @staticmethod
    def resolve_roles(obj: StaffMember) -> list[str]:
        return [r.code for r in obj.roles.all()]


class DelegationOut(Schema):
    id: UUID
    delegator: str = Field(..., description="Tên đăng nhập người ủy quyền", examples=["hungnv.sxd"])
    delegate: str = Field(
        ..., description="Tên đăng nhập người được ủy quyền", examples=["annv.sxd"]
    )
    role: str = Field(..., examples=[RoleCode.AGENCY_LEADER.value])
    starts_at: datetime
    ends_at: datetime
    reason: str = Field("", examples=["Giám đốc đi công tác nước ngoài"])

    @staticmethod
    def resolve_id(obj: Delegation) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_delegator(obj: Delegation) -> str:
        return obj.delegator.user.username

    @staticmethod
    def resolve_delegate(obj: Delegation) -> str:
        return obj.delegate.user.username

    @staticmethod
    def resolve_role(obj: Delegation) -> str:
        return obj.role.code


AgencyNodeOut.model_rebuild()


def _signed_in_user(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated:
        raise AppError("not_authenticated", _("Bạn chưa đăng nhập."), status=401)
    if two_factor_gate(request) is not None:
        raise AppError(
            "two_factor_required", _("Phiên đăng nhập chưa qua xác thực hai lớp."), status=401
        )
    return user


@router.get(
    "",
    response=list[AgencyOut],
    summary="Danh bạ cơ quan",
    description="Các cơ quan đang hoạt động, theo mã định danh; `q` tìm không phân biệt dấu "
    "(“hai chau” tìm được “Hải Châu”). Phân trang bằng `page`.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def agency_list(
    request: HttpRequest,
    q: str = Query("", description="Tìm theo tên, tên viết tắt hoặc mã; có dấu hay không dấu"),
) -> Any:
    return selectors.agency_directory(q=q)


@router.get(
    "/tree",
    response=list[AgencyNodeOut],
    summary="Sơ đồ cơ quan",
    description="Toàn bộ cây cơ quan đang hoạt động, cấp trên chứa cấp dưới.",
)
def agency_tree(request: HttpRequest) -> list[dict[str, Any]]:
    def as_dict(node: selectors.AgencyNode) -> dict[str, Any]:
        agency = node.agency
        return {
            "code": agency.code,
            "name": agency.name,
            "abbreviation": agency.abbreviation,
            "kind": agency.kind,
            "children": [as_dict(child) for child in node.children],
        }

    return [as_dict(node) for node in selectors.agency_tree()]


@router.get(
    "/{code}",
    response={200: AgencyDetailOut, 404: ProblemOut},
    summary="Thông tin một cơ quan",
    description="Thông tin công khai và liên hệ của một cơ quan, theo mã định danh.",
)
def agency_detail(request: HttpRequest, code: str) -> Agency:
    return selectors.agency_get(code=code, include_inactive=False)


@router.get(
    "/{code}/staff",
    response={200: list[StaffOut], 401: ProblemOut, 404: ProblemOut},
    summary="Cán bộ của cơ quan (nội bộ)",
    description="Cần đăng nhập bằng tài khoản cán bộ có quyền xem cán bộ của cơ quan "
    "(`staff.view`); cơ quan không được xem trả về 404.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def agency_staff(
    request: HttpRequest,
    code: str,
    q: str = Query("", description="Tìm theo họ tên hoặc tên đăng nhập"),
) -> Any:
    user = _signed_in_user(request)
    agency = selectors.agency_get(code=code)
    require(user, "staff.view", agency, hide=True)
    return selectors.staff_of_agency(user=user, agency=agency, q=q)


@router.get(
    "/{code}/delegations",
    response={200: list[DelegationOut], 401: ProblemOut, 404: ProblemOut},
    summary="Ủy quyền đang hiệu lực (nội bộ)",
    description="Các ủy quyền đang có hiệu lực do lãnh đạo của cơ quan lập.",
)
def agency_delegations(request: HttpRequest, code: str) -> Any:
    user = _signed_in_user(request)
    agency = selectors.agency_get(code=code)
    require(user, "staff.view", agency, hide=True)
    return list(selectors.active_delegations(agency=agency))
