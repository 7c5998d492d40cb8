"""Fixed sample messages for the golden files (fixed ids and times, so bytes are stable)."""

from __future__ import annotations

import datetime as dt

from egov.exchange.edxml import (
    Attachment,
    Bussiness,
    BussinessDocType,
    BussinessDocumentInfo,
    Code,
    DocumentType,
    EdxmlMessage,
    MessageHeader,
    Organization,
    OtherInfo,
    Priority,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    TraceHeader,
)
from egov.exchange.edxml.dates import VIETNAM

SENDER = Organization(
    organ_id="000.00.00.H15",
    organ_name="Ủy ban nhân dân thành phố Đà Nẵng",
    organization_in_charge="000.00.00.H15",
    organ_add="24 Trần Phú, Hải Châu, Đà Nẵng",
    email="ubnd@danang.gov.vn",
    telephone="0236 3821 111",
    website="https://danang.gov.vn",
)
RECIPIENT = Organization(
    organ_id="000.00.00.H48",
    organ_name="Ủy ban nhân dân tỉnh Quảng Trị",
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def sample_message() -> EdxmlMessage:
    return EdxmlMessage(
        header=MessageHeader(
            from_=SENDER,
            to=(RECIPIENT,),
            code=Code("13", "CV-UBND"),
            promulgation_info=PromulgationInfo(date=dt.date(2025, 3, 14), place="Đà Nẵng"),
            document_type=DocumentType(type_name="Công văn", type=1, type_detail=0),
            subject="V/v phối hợp tổ chức Hội chợ thương mại miền Trung – Tây Nguyên năm 2025",
            document_id="000.00.00.H15,2025/03/14,13/CV-UBND",
            content="Đề nghị UBND tỉnh Quảng Trị cử đoàn doanh nghiệp tham gia.",
            signer_info=SignerInfo(
                competence="KT. CHỦ TỊCH", position="Phó Chủ tịch", full_name="Nguyễn Văn A"
            ),
            due_date=dt.date(2025, 3, 28),
            to_places=("Như trên", "Lưu: VT, KT"),
            other_info=OtherInfo(
                priority=Priority.URGENT,
                sphere_of_promulgation="Liên thông văn bản quốc gia",
                typer_notation="KT",
                promulgation_amount=2,
                page_amount=1,
                appendixes=("Phụ lục: Danh sách gian hàng",),
            ),
            response_for=(
                ResponseFor(
                    organ_id="000.00.00.H48",
                    document_id="000.00.00.H48,2025/03/01,45/UBND-KT",
                    code="45/UBND-KT",
                    promulgation_date=dt.date(2025, 3, 1),
                ),
            ),
            steering_type=1,
        ),
        trace_headers=(
            TraceHeader(
                organ_id="000.00.00.H15",
                timestamp=dt.datetime(2025, 3, 14, 9, 30, 5, tzinfo=VIETNAM),
            ),
        ),
        bussiness=Bussiness(
            doc_type=BussinessDocType.NEW,
            staff_info=StaffInfo(
                department="Văn phòng UBND", staff="Trần Thị B", mobile="0905000000"
            ),
        ),
        attachments=(
            Attachment(
                content_id="7c0e6f1e-0d7f-4b8a-9f6a-2f5d1c3b9e01",
                name="13-CV-UBND.pdf",
                data=PDF,
                content_type="application/pdf",
                description="Văn bản chính",
            ),
        ),
    )


def sample_revoke() -> EdxmlMessage:
    """BussinessDocType 1 (thu hồi) for the sample, with its receiver list and a replacement."""
    base = sample_message()
    return EdxmlMessage(
        header=base.header,
        trace_headers=base.trace_headers,
        bussiness=Bussiness(
            doc_type=BussinessDocType.REVOKE,
            reason="Ban hành nhầm đối tượng",
            document_info=BussinessDocumentInfo(
                receivers=(Receiver(receiver_type=0, organ_id="000.00.00.H48"),)
            ),
            document_id=base.header.document_id,
            replacements=(
                ReplacementInfo(document_id=base.header.document_id, organ_ids=("000.00.00.H48",)),
            ),
        ),
    )


def sample_status() -> StatusMessage:
    return StatusMessage(
        response_for=ResponseFor(
            organ_id="000.00.00.H15",
            document_id="000.00.00.H15,2025/03/14,13/CV-UBND",
            code="13/CV-UBND",
            promulgation_date=dt.date(2025, 3, 14),
        ),
        from_=RECIPIENT,
        code=StatusCode.ACCEPTED,
        timestamp=dt.datetime(2025, 3, 14, 10, 2, 0, tzinfo=VIETNAM),
        description="Đã tiếp nhận, số đến 125",
        staff_info=StaffInfo(department="Văn thư", staff="Lê Văn C"),
    )
