"""REST operations of official documents: /api/v1/documents (staff) and /api/v1/public/documents
(open access). Thin over the same selectors, access helper and services as the pages; field
names are the Appendix VI / edXML ones. A document the caller may not see answers 404 like a
missing one; errors are problem documents.

* ``GET /documents`` — the caller's visible documents, searched and filtered (``q``,
  ``direction``, ``status``, ``type``, ``date_from``, ``date_to``, ``sort``), paginated.
* ``GET /documents/{id}`` — one document with its recipients' statuses and files.
* ``POST /documents/incoming`` — a clerk registers a paper incoming document (metadata).
* ``POST /documents/{id}/register`` — a clerk accepts an arrived electronic document.
* ``POST /documents/{id}/issue`` — a clerk issues a signed outgoing document (number, notation,
  distribution).
* ``GET /public/documents?q=`` — published documents, no authentication.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from egov.api.auth import api_auth
from egov.api.schemas import ProblemOut
from egov.core.errors import NotFound
from egov.documents import search, selectors, services
from egov.documents.models import Document
from egov.documents.policy import access_document_for_staff
from egov.policy.engine import subject_for

router = Router(auth=api_auth)
public_router = Router()

PAGE_SIZE = 20


# --- schemas -------------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: UUID = Field(..., alias="public_id")
    direction: str = Field(..., examples=["outgoing"])
    status: str = Field(..., examples=["issued"])
    status_label: str = Field(..., examples=["Đã ban hành"])
    TypeName: str = Field(..., examples=["Quyết định"])
    CodeNumber: str = Field(..., alias="code_number", examples=["13"])
    CodeNotation: str = Field(..., alias="code_notation", examples=["QĐ-UBND"])
    IssuedDate: date | None = Field(None, alias="issued_date")
    OrganId: str = Field(..., alias="organ_id", examples=["000.00.00.H15"])
    OrganName: str = Field(..., alias="organ_name", examples=["Ủy ban nhân dân thành phố"])
    Subject: str = Field(..., alias="subject", examples=["Về việc ban hành quy chế"])
    Priority: int = Field(..., description="Độ khẩn (edXML: 0 thường … 3 hỏa tốc)")
    SecrecyLevel: int = Field(..., description="Độ mật (0 thường … 3 tuyệt mật)")
    ArrivalNumber: int | None = Field(None, alias="arrival_number")
    ArrivalDate: date | None = Field(None, alias="arrival_date")
    DueDate: date | None = Field(None, alias="due_date")

    @staticmethod
    def resolve_status_label(obj: Document) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_TypeName(obj: Document) -> str:
        return obj.type.name

    @staticmethod
    def resolve_Priority(obj: Document) -> int:
        return obj.priority.edxml_code

    @staticmethod
    def resolve_SecrecyLevel(obj: Document) -> int:
        return obj.secrecy.level


class RecipientOut(Schema):
    OrganId: str = Field(..., alias="organ_id")
    OrganName: str = Field(..., alias="organ_name")
    channel: str
    status: str = Field(..., description="Mã trạng thái edXML (01 đến … 06 xong), rỗng: chưa gửi")
    status_label: str
    status_at: datetime | None = None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class FileOut(Schema):
    id: int = Field(..., alias="pk")
    name: str
    kind: str
    version: int
    signed: bool
    signature_status: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.stored_file.original_name)


class DocumentDetailOut(DocumentOut):
    SignerInfo: dict[str, str]
    recipients: list[RecipientOut]
    files: list[FileOut]

    @staticmethod
    def resolve_recipients(obj: Document) -> list[Any]:
        return selectors.document_recipients(obj)

    @staticmethod
    def resolve_files(obj: Document) -> list[Any]:
        return selectors.document_files(obj)

    @staticmethod
    def resolve_SignerInfo(obj: Any) -> dict[str, str]:
        return {"Position": obj.signer_position, "FullName": obj.signer_full_name}


class PublicDocumentOut(Schema):
    id: UUID = Field(..., alias="public_id")
    TypeName: str
    CodeNumber: str = Field(..., alias="code_number")
    CodeNotation: str = Field(..., alias="code_notation")
    IssuedDate: date | None = Field(None, alias="issued_date")
    OrganName: str = Field(..., alias="organ_name")
    Subject: str = Field(..., alias="subject")
    url: str

    @staticmethod
    def resolve_TypeName(obj: Document) -> str:
        return obj.type.name

    @staticmethod
    def resolve_url(obj: Document) -> str:
        return f"/van-ban/{obj.public_id}/"


class SearchIn(Schema):
    q: str = Field("", max_length=200, description="Từ khóa, có dấu hoặc không dấu")
    direction: str = Field("", examples=["incoming"])
    status: str = ""
    type: str = Field("", description="Mã loại văn bản", examples=["quyet-dinh"])
    date_from: date | None = None
    date_to: date | None = None
    sort: str = Field("moi-nhat", examples=["moi-nhat", "cu-nhat", "so-den", "trich-yeu"])


class PublicSearchIn(Schema):
    q: str = Field("", max_length=200)
    type: str = ""


class IncomingIn(Schema):
    sender_organ_id: str = Field("", description="OrganId của cơ quan ban hành")
    sender_organ_name: str = Field(..., examples=["Sở Tư pháp"])
    metadata: dict[str, Any] = Field(
        ...,
        description="Các trường Phụ lục VI: type (mã loại), code_number, code_notation, "
        "issued_date, subject, signer_full_name, signer_position, priority, secrecy, due_date…",
    )
    allow_duplicate: bool = Field(False, description="Đã kiểm tra cảnh báo trùng")


def _type_id(code: str) -> int | None:
    """The type's id; an unknown code matches nothing (-1), not everything."""
    if not code:
        return None
    found = selectors.document_type_id(code)
    return found if found is not None else -1


class ResultsPagination(PageNumberPagination):
    """ninja's page-number pagination, the page read in two steps like the search pages
    (`search.ResultsPaginator`): the page's ids, then those rows with their reference rows.
    Same items and exact `count` as the plain one."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + page_size])
        return {
            self.items_attribute: search.rows_in_order(ids),
            "count": self._items_count(queryset),
        }


# --- staff ---------------------------------------------------------------------------------------


@router.get(
    "", response={200: list[DocumentOut], 401: ProblemOut}, summary="Tìm kiếm, liệt kê văn bản"
)
@paginate(ResultsPagination, page_size=PAGE_SIZE)
def documents_list(request: HttpRequest, filters: Query[SearchIn]) -> Any:
    params = search.SearchParams(
        q=filters.q,
        type_id=_type_id(filters.type),
        direction=filters.direction,
        status=filters.status,
        date_from=filters.date_from,
        date_to=filters.date_to,
        sort=filters.sort,
    )
    return search.search(selectors.visible_documents(request.user), params)


@router.post(
    "/incoming",
    response={201: DocumentOut, 401: ProblemOut, 403: ProblemOut, 409: ProblemOut, 422: ProblemOut},
    summary="Vào sổ văn bản đến (giấy)",
)
def incoming_register(request: HttpRequest, payload: IncomingIn) -> Any:
    agency = selectors.agency(subject_for(request.user).agency_id)
    metadata = dict(payload.metadata)
    metadata.setdefault("channel", "paper")
    document = services.incoming_register(
        actor=request.user,
        agency=agency,
        source="paper",
        metadata=metadata,
        sender_organ_id=payload.sender_organ_id,
        sender_organ_name=payload.sender_organ_name,
        allow_duplicate=payload.allow_duplicate,
    )
    return Status(201, document)


@router.get(
    "/{document_id}",
    response={200: DocumentDetailOut, 401: ProblemOut, 404: ProblemOut},
    summary="Một văn bản",
)
def document_detail(request: HttpRequest, document_id: UUID) -> Any:
    document = access_document_for_staff(request.user, document_id)
    if document.is_secret:
        services.document_view_log(actor=request.user, document=document)
    return document


@router.post(
    "/{document_id}/register",
    response={200: DocumentOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut},
    summary="Tiếp nhận văn bản điện tử đã đến",
)
def incoming_accept(request: HttpRequest, document_id: UUID) -> Any:
    document = access_document_for_staff(request.user, document_id)
    return services.incoming_register(
        actor=request.user, agency=document.agency, source=document.source, document=document
    )


@router.post(
    "/{document_id}/issue",
    response={200: DocumentOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut},
    summary="Cấp số, phát hành văn bản đi",
)
def document_issue(request: HttpRequest, document_id: UUID) -> Any:
    document = access_document_for_staff(request.user, document_id)
    return services.document_issue(actor=request.user, document=document)


# --- public --------------------------------------------------------------------------------------


@public_router.get(
    "", response=list[PublicDocumentOut], summary="Văn bản công khai (không cần đăng nhập)"
)
@paginate(ResultsPagination, page_size=PAGE_SIZE)
def public_documents(request: HttpRequest, filters: Query[PublicSearchIn]) -> Any:
    params = search.SearchParams(q=filters.q, type_id=_type_id(filters.type))
    return search.search(selectors.public_documents(), params)


@public_router.get(
    "/{document_id}",
    response={200: PublicDocumentOut, 404: ProblemOut},
    summary="Một văn bản công khai",
)
def public_document(request: HttpRequest, document_id: UUID) -> Any:
    document = selectors.public_document(document_id)
    if document is None:
        raise NotFound()
    return document
