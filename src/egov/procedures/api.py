"""REST operations of the catalogue, mounted at /api/v1/procedures (public, read only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from egov.policy.engine import require
from egov.procedures import selectors
from egov.procedures.models import Fee, Procedure, RequiredPaper

router = Router()

PAGE_SIZE = 30


class ProblemOut(Schema):
    type: str = Field(..., examples=["urn:egov:error:not_found"])
    title: str = Field(..., examples=["Không tìm thấy thủ tục hành chính."])
    status: int = Field(..., examples=[404])
    code: str = Field(..., examples=["not_found"])


class RefOut(Schema):
    code: str = Field(..., examples=["ho-tich"])
    name: str = Field(..., examples=["Hộ tịch"])


class ServiceLevelOut(Schema):
    code: str = Field(..., examples=["full_online"])
    name: str = Field(..., examples=["Dịch vụ công trực tuyến toàn trình"])
    allows_online_submission: bool = Field(..., examples=[True])


class ProcedureOut(Schema):
    code: str = Field(..., description="Mã thủ tục (d.dddddd[.Xnn])", examples=["1.001193"])
    name: str = Field(..., examples=["Đăng ký khai sinh"])
    field: RefOut
    level: str = Field(..., description="Cấp thực hiện: city | commune", examples=["commune"])
    receiving_scope: str = Field(
        ...,
        description="listed: các cơ quan liệt kê; all_local: mọi UBND phường, xã, đặc khu",
        examples=["all_local"],
    )
    agencies: list[RefOut] = Field(default_factory=list, description="Cơ quan thực hiện")
    legal_working_days: Decimal = Field(
        ..., description="Thời hạn giải quyết (ngày làm việc; dưới 1 là trong ngày)", examples=[1]
    )
    service_level: ServiceLevelOut
    applicant_types: str = Field(..., examples=["citizen"])
    url: str = Field(..., description="Trang công khai", examples=["/thu-tuc/1.001193/"])

    @staticmethod
    def resolve_agencies(obj: Procedure) -> list[dict[str, str]]:
        return [{"code": a.code, "name": a.name} for a in obj.agencies.all()]

    @staticmethod
    def resolve_url(obj: Procedure) -> str:
        return f"/thu-tuc/{obj.code}/"


class PaperOut(Schema):
    name: str = Field(..., examples=["Tờ khai đăng ký khai sinh"])
    copies: int = Field(..., examples=[1])
    form: str = Field(..., description="original | copy | certified_copy | original_or_copy")
    required: bool = True
    template_name: str = ""
    template_url: str | None = Field(None, examples=["/thu-tuc/1.001193/mau/12/"])
    allowed_kinds: list[str] = Field(default_factory=list, examples=[["pdf", "jpeg", "png"]])
    note: str = ""

    @staticmethod
    def resolve_template_url(obj: RequiredPaper) -> str | None:
        if not obj.template_id:
            return None
        return f"/thu-tuc/{obj.procedure.code}/mau/{obj.pk}/"


class FeeOut(Schema):
    name: str = Field(..., examples=["Lệ phí cấp giấy phép lái xe"])
    kind: str = Field(..., description="fee (phí) | charge (lệ phí)", examples=["charge"])
    counter_amount: int = Field(..., description="Đồng, nộp trực tiếp", examples=[135000])
    online_amount: int = Field(..., description="Đồng, nộp trực tuyến", examples=[115000])
    note: str = ""


class StepOut(Schema):
    code: str = Field(..., examples=["tiep-nhan"])
    name: str = Field(..., examples=["Tiếp nhận, kiểm tra hồ sơ"])
    kind: str = Field(..., examples=["intake"])
    roles: list[str] = Field(default_factory=list, examples=[["one_stop_officer"]])
    agency: str | None = Field(None, description="Mã cơ quan xử lý cố định (liên thông)")
    allotted_hours: Decimal = Field(..., examples=[0.5])


class ProcessOut(Schema):
    code: str = Field(..., examples=["tthc-1-001193"])
    version: int = Field(..., examples=[1])
    name: str
    steps: list[StepOut]


class ProcedureDetailOut(ProcedureOut):
    time_note: str = ""
    cutoff_time: str | None = Field(None, description="Giờ tiếp nhận cuối ngày", examples=["15:00"])
    result_type: str = Field(..., examples=["Giấy khai sinh (bản chính)"])
    legal_basis: str = ""
    description: str = Field("", description="Trình tự thực hiện")
    conditions: str = ""
    papers: list[PaperOut]
    fees: list[FeeOut]
    form_schema: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Biểu mẫu trực tuyến (docs/catalogue-format.md)",
        examples=[[{"name": "ho_ten", "label": "Họ và tên", "type": "text", "required": True}]],
    )
    process: ProcessOut | None = None
    submit_url: str | None = Field(None, examples=["/dich-vu-cong/nop/1.001193/"])

    @staticmethod
    def resolve_cutoff_time(obj: Procedure) -> str | None:
        return obj.cutoff_time.strftime("%H:%M") if obj.cutoff_time else None

    @staticmethod
    def resolve_papers(obj: Procedure) -> list[RequiredPaper]:
        return list(obj.papers.all())

    @staticmethod
    def resolve_fees(obj: Procedure) -> list[Fee]:
        return list(obj.fees.all())

    @staticmethod
    def resolve_process(obj: Procedure) -> dict[str, Any] | None:
        process = obj.process
        if process is None:
            return None
        return {
            "code": process.code,
            "version": process.version,
            "name": process.name,
            "steps": [
                {
                    "code": s.code,
                    "name": s.name,
                    "kind": s.kind,
                    "roles": list(s.actor_roles),
                    "agency": s.actor_agency.code if s.actor_agency else None,
                    "allotted_hours": s.allotted_hours,
                }
                for s in process.steps.all()
            ],
        }

    @staticmethod
    def resolve_submit_url(obj: Procedure) -> str | None:
        if not obj.service_level.allows_online_submission:
            return None
        return f"/dich-vu-cong/nop/{obj.code}/"


@router.get(
    "",
    response=list[ProcedureOut],
    summary="Danh mục thủ tục hành chính",
    description="Thủ tục đã công khai; tìm không phân biệt dấu, lọc theo lĩnh vực, cơ quan, "
    "mức độ dịch vụ công trực tuyến.",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def procedure_list(
    request: HttpRequest,
    q: str = Query("", description="Tìm không dấu, ví dụ “dang ky khai sinh”", max_length=200),
    field: str = Query("", description="Mã lĩnh vực", examples=["ho-tich"]),
    agency: str = Query("", description="Mã định danh cơ quan", examples=["000.00.04.H15"]),
    level: str = Query("", description="Mã mức độ dịch vụ", examples=["full_online"]),
) -> Any:
    require(request.user, "procedure.view_public")
    return selectors.catalogue_search(q=q, field=field, agency=agency, level=level)


@router.get(
    "/{code}",
    response={200: ProcedureDetailOut, 404: ProblemOut},
    summary="Chi tiết thủ tục hành chính",
    description="Thành phần hồ sơ, phí và lệ phí, biểu mẫu trực tuyến và quy trình xử lý.",
)
def procedure_get(request: HttpRequest, code: str) -> Any:
    require(request.user, "procedure.view_public")
    return selectors.procedure_detail(code=code)
