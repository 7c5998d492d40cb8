"""Sample forms for the tests, the demo and a look at the layout.

`python -m egov.printing.samples DIR` writes the five sample PDFs into DIR.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from egov.printing.onestop import (
    AgencyHeader,
    ApologyLetter,
    ControlSheet,
    ControlStep,
    Form,
    PaperLine,
    ReceiptSlip,
    Refusal,
    StepOutcome,
    SupplementRequest,
    render_pdf,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.01.00.H15-270303-0001"
TRACKING = "http://localhost:8000/tra-cuu/000.01.00.H15-270303-0001"
AGENCY = AgencyHeader(
    parent_name="UBND THÀNH PHỐ ĐÀ NẴNG",
    name="UBND PHƯỜNG HẢI CHÂU",
    place="Đà Nẵng",
    office_name="Bộ phận Một cửa",
    display_name="Ủy ban nhân dân phường Hải Châu",
)
APPLICANT = "Nguyễn Thị Ánh Tuyết"
ADDRESS = "12 Nguyễn Văn Linh, Phường Hòa Cường, thành phố Đà Nẵng"
PROCEDURE = "Đăng ký khai sinh có yếu tố nước ngoài"


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def receipt(papers: int = 4) -> ReceiptSlip:
    names = [
        ("Tờ khai đăng ký khai sinh (theo mẫu)", 1, "Bản chính"),
        ("Giấy chứng sinh do cơ sở y tế cấp", 1, "Bản chính"),
        ("Giấy chứng nhận kết hôn của cha, mẹ", 1, "Bản sao có chứng thực"),
        ("Căn cước công dân của người đi đăng ký", 1, "Bản sao"),
    ]
    lines = [PaperLine(*names[i % len(names)]) for i in range(papers)]
    return ReceiptSlip(
        agency=AGENCY,
        number="125/GTN-BPMC",
        dossier_code=CODE,
        applicant_name=APPLICANT,
        applicant_address=ADDRESS,
        phone="0905 123 456",
        email="anhtuyet@example.vn",
        procedure_name=PROCEDURE,
        papers=lines,
        received_at=at(2027, 3, 3, 9, 30),
        due_at=at(2027, 3, 10, 16, 30),
        processing_time="05 ngày làm việc",
        result_delivery="Bộ phận Một cửa Ủy ban nhân dân phường Hải Châu",
        register_entry="Quyển số 01, số thứ tự 125",
        receiving_officer="Trần Văn Đức",
        tracking_url=TRACKING,
    )


def supplement() -> SupplementRequest:
    return SupplementRequest(
        agency=AGENCY,
        dossier_code=CODE,
        applicant_name=APPLICANT,
        applicant_address=ADDRESS,
        procedure_name=PROCEDURE,
        received_at=at(2027, 3, 3, 9, 30),
        missing=[
            "Bản dịch Giấy chứng sinh sang tiếng Việt, có chứng thực chữ ký người dịch",
            "Bản sao Hộ chiếu của người cha (quốc tịch nước ngoài)",
            "Văn bản thỏa thuận lựa chọn quốc tịch cho con, có chữ ký của cha và mẹ",
        ],
        note="Thời gian chờ bổ sung hồ sơ không tính vào thời hạn giải quyết.",
        contact="điện thoại 0236 3822 111",
        officer="Trần Văn Đức",
        tracking_url=TRACKING,
        issued_at=at(2027, 3, 3, 10, 0),
    )


def refusal() -> Refusal:
    return Refusal(
        agency=AGENCY,
        applicant_name=APPLICANT,
        applicant_address=ADDRESS,
        procedure_name="Chứng thực bản sao từ bản chính",
        reasons=[
            "Bản chính giấy tờ bị tẩy xóa, sửa chữa, không bảo đảm tính chính xác "
            "(khoản 1 Điều 22 Nghị định 23/2015/NĐ-CP).",
        ],
        officer="Trần Văn Đức",
        issued_at=at(2027, 2, 5, 14, 5),
    )


def apology() -> ApologyLetter:
    return ApologyLetter(
        agency=AGENCY,
        dossier_code=CODE,
        applicant_name=APPLICANT,
        procedure_name=PROCEDURE,
        received_at=at(2027, 3, 3, 9, 30),
        original_due_at=at(2027, 3, 10, 16, 30),
        new_due_at=at(2027, 3, 15, 16, 30),
        reason="cần xác minh thông tin hộ tịch với Sở Tư pháp thành phố Đà Nẵng.",
        signer_title="Chủ tịch",
        signer_name="Lê Thị Hồng Nhung",
        tracking_url=TRACKING,
        issued_at=at(2027, 3, 9, 8, 0),
    )


def control_sheet() -> ControlSheet:
    return ControlSheet(
        agency=AGENCY,
        dossier_code=CODE,
        applicant_name=APPLICANT,
        procedure_name=PROCEDURE,
        due_at=at(2027, 3, 10, 16, 30),
        steps=[
            ControlStep(
                name="Tiếp nhận hồ sơ",
                from_unit="Bộ phận Một cửa",
                from_person="Trần Văn Đức",
                to_unit="Công chức Tư pháp - Hộ tịch",
                to_person="Phạm Quốc Hưng",
                handed_over_at=at(2027, 3, 3, 10, 15),
                outcome=StepOutcome.EARLY,
            ),
            ControlStep(
                name="Thẩm định, trình ký",
                from_unit="Công chức Tư pháp - Hộ tịch",
                from_person="Phạm Quốc Hưng",
                to_unit="Lãnh đạo UBND phường",
                to_person="Lê Thị Hồng Nhung",
                handed_over_at=at(2027, 3, 8, 15, 0),
                outcome=StepOutcome.ON_TIME,
            ),
            ControlStep(
                name="Ký duyệt, trả kết quả",
                from_unit="Lãnh đạo UBND phường",
                to_unit="Bộ phận Một cửa",
                handed_over_at=at(2027, 3, 11, 9, 0),
                outcome=StepOutcome.LATE,
                note="Đã gửi phiếu xin lỗi",
            ),
        ],
        tracking_url=TRACKING,
        issued_at=at(2027, 3, 3, 10, 0),
    )


def samples() -> dict[str, Form]:
    return {
        "mau-01-tiep-nhan": receipt(),
        "mau-02-bo-sung": supplement(),
        "mau-03-tu-choi": refusal(),
        "mau-04-xin-loi": apology(),
        "mau-05-kiem-soat": control_sheet(),
    }


def main(argv: list[str]) -> None:
    out = Path(argv[0] if argv else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, form in samples().items():
        (out / f"{name}.pdf").write_bytes(render_pdf(form))
        print(out / f"{name}.pdf")


if __name__ == "__main__":
    main(sys.argv[1:])
