"""The edXML message as plain data (QCVN 102:2016; numbering as in the standard's section 1.x/2.x).

Frozen dataclasses, no Django: `build_message` turns an `EdxmlMessage` into bytes and
`parse_message` turns bytes back into an equal `EdxmlMessage`. Optional text is ``""`` (never
None), so a parsed message compares equal to the one it was built from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Priority(IntEnum):
    """1.11.1 Priority (độ khẩn)."""

    NORMAL = 0  # thường
    URGENT = 1  # khẩn
    VERY_URGENT = 2  # thượng khẩn
    IMMEDIATE = 3  # hỏa tốc
    IMMEDIATE_TIMED = 4  # hỏa tốc hẹn giờ (gone from Decree 30; shown as hỏa tốc)


class BussinessDocType(IntEnum):
    """2.2.1 BussinessDocType (the spelling "Bussiness" is the standard's)."""

    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3


class StatusCode(StrEnum):
    """2.5 status codes."""

    ARRIVED = "01"  # đã đến
    REJECTED = "02"  # từ chối tiếp nhận
    ACCEPTED = "03"  # đã tiếp nhận
    ASSIGNED = "04"  # phân công
    PROCESSING = "05"  # đang xử lý
    DONE = "06"  # đã xử lý xong
    RECALL_REQUESTED = "13"  # yêu cầu thu hồi / lấy lại
    RECALL_ACCEPTED = "15"  # đồng ý thu hồi / cập nhật
    RECALL_REFUSED = "16"  # từ chối thu hồi / cập nhật


STATUS_LABELS: dict[str, str] = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Đã phân công xử lý",
    "05": "Đang xử lý",
    "06": "Đã xử lý xong",
    "13": "Yêu cầu thu hồi",
    "15": "Đồng ý thu hồi/cập nhật",
    "16": "Từ chối thu hồi/cập nhật",
}


@dataclass(frozen=True)
class Organization:
    """1.1 From / 1.2 To / Status From."""

    organ_id: str
    organ_name: str = ""
    organization_in_charge: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Code:
    """1.3 Code: số (CodeNumber) and ký hiệu (CodeNotation), e.g. "13" and "CT-UBND"."""

    number: str
    notation: str = ""

    def __str__(self) -> str:
        return f"{self.number}/{self.notation}" if self.notation else self.number


@dataclass(frozen=True)
class PromulgationInfo:
    """1.4 PromulgationInfo."""

    date: dt.date
    place: str = ""


@dataclass(frozen=True)
class DocumentType:
    """1.5 DocumentType. The code table for Type/TypeDetail was not found: TypeName is what
    receivers display, so it is required."""

    type_name: str
    type: int | None = None
    type_detail: int | None = None


@dataclass(frozen=True)
class SignerInfo:
    """1.8 SignerInfo: Competence (TM., KT., TL., …), Position, FullName."""

    competence: str = ""
    position: str = ""
    full_name: str = ""


@dataclass(frozen=True)
class OtherInfo:
    """1.11 OtherInfo."""

    priority: int = Priority.NORMAL
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseFor:
    """1.12 ResponseFor, and the Status message's ResponseFor: the document answered."""

    organ_id: str
    document_id: str
    code: str = ""  # one string "số/ký hiệu" here
    promulgation_date: dt.date | None = None


@dataclass(frozen=True)
class MessageHeader:
    """1. MessageHeader, items 1.1–1.14."""

    from_: Organization
    to: tuple[Organization, ...]
    code: Code
    promulgation_info: PromulgationInfo
    document_type: DocumentType
    subject: str
    document_id: str
    content: str = ""
    signer_info: SignerInfo | None = None
    due_date: dt.date | None = None
    to_places: tuple[str, ...] = ()
    other_info: OtherInfo = field(default_factory=OtherInfo)
    response_for: tuple[ResponseFor, ...] = ()
    steering_type: int | None = 1  # reference §2.3: send 1 (not a direction) by default


@dataclass(frozen=True)
class TraceHeader:
    """2.1 TraceHeader: one per agency the message passed through."""

    organ_id: str
    timestamp: dt.datetime


@dataclass(frozen=True)
class StaffInfo:
    """2.2.5 StaffInfo (also in the status message)."""

    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True)
class Receiver:
    """2.2.3 ReceiverList/Receiver: 0 = remove this agency from the recipients, 1 = add it."""

    receiver_type: int
    organ_id: str


@dataclass(frozen=True)
class BussinessDocumentInfo:
    """2.2.3 BussinessDocumentInfo."""

    document_info: str = ""
    document_receiver: str = ""
    receivers: tuple[Receiver, ...] = ()


@dataclass(frozen=True)
class ReplacementInfo:
    """2.2.8 ReplacementInfo: the replaced document and the agencies concerned."""

    document_id: str
    organ_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bussiness:
    """2.2 Bussiness: what the message does to a document (new, revoke, update, replace)."""

    doc_type: int = BussinessDocType.NEW
    reason: str = ""
    document_info: BussinessDocumentInfo | None = None
    document_id: str = ""  # the document revoked, updated or replaced
    staff_info: StaffInfo | None = None
    paper: str = ""
    replacements: tuple[ReplacementInfo, ...] = ()


@dataclass(frozen=True)
class Attachment:
    """One attached file: the manifest Reference and the AttachmentEncoded/Attachment together.

    `data` is the file itself (unzipped, decoded). `content_id` is the bare id (no ``cid:``).
    """

    content_id: str
    name: str
    data: bytes
    content_type: str = "application/octet-stream"
    description: str = ""


@dataclass(frozen=True)
class EdxmlMessage:
    """A whole document message."""

    header: MessageHeader
    trace_headers: tuple[TraceHeader, ...] = ()
    bussiness: Bussiness = field(default_factory=Bussiness)
    attachments: tuple[Attachment, ...] = ()

    @property
    def document_id(self) -> str:
        return self.header.document_id


@dataclass(frozen=True)
class StatusMessage:
    """A status (tracking) message (§2.5)."""

    response_for: ResponseFor
    from_: Organization
    code: str
    timestamp: dt.datetime
    description: str = ""
    staff_info: StaffInfo | None = None


def document_id_for(*, organ_id: str, date: dt.date, code: Code) -> str:
    """The document identifier (mã định danh văn bản): ``<OrganId>,<yyyy/MM/dd>,<số>/<ký hiệu>``.

    >>> document_id_for(organ_id="000.00.00.G22", date=dt.date(2015, 9, 30),
    ...                 code=Code("7816", "VPCP-TTĐT"))
    '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT'
    """
    return f"{organ_id},{date:%Y/%m/%d},{code}"
