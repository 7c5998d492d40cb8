"""The demo catalogue: about 100 procedures of the demo city across fields, each with papers,
fees, an online form and a processing workflow.

`load_demo_procedures()` is idempotent (it goes through `catalogue_import`, which updates by
code and skips unchanged procedures) and needs the demo city (organisations' loader) first.

Codes have the national format (d.dddddd); a few are the codes commonly cited for the
procedure (1.001193 đăng ký khai sinh…), most are illustrative. Times, fees and legal bases
follow the usual texts (Luật Hộ tịch 2014, Nghị định 23/2015/NĐ-CP, Luật Đất đai 2024…) as
examples, not as an authoritative catalogue: a city loads its own from the national database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from decimal import ROUND_DOWN, Decimal
from typing import Any, TextIO

from django.conf import settings
from django.utils.translation import gettext as _

from egov.organisations.models import Agency
from egov.procedures import services
from egov.procedures.catalogue import ImportRow, process_code_for
from egov.procedures.inputs import FeeInput, PaperInput, ProcedureInput
from egov.procedures.models import Field, Procedure, ServiceLevel

HOURS_PER_DAY = services.HOURS_PER_WORKING_DAY

FIELDS: tuple[tuple[str, str], ...] = (
    ("ho-tich", "Hộ tịch"),
    ("chung-thuc", "Chứng thực"),
    ("dang-ky-kinh-doanh", "Đăng ký kinh doanh"),
    ("xay-dung", "Xây dựng"),
    ("dat-dai", "Đất đai"),
    ("giao-thong", "Giao thông vận tải"),
    ("lao-dong", "Lao động, việc làm"),
    ("bao-tro-xa-hoi", "Bảo trợ xã hội"),
    ("nguoi-co-cong", "Người có công"),
    ("giao-duc", "Giáo dục và đào tạo"),
    ("y-te", "Y tế"),
    ("van-hoa", "Văn hóa, thể thao và du lịch"),
    ("cong-thuong", "Công thương"),
    ("tu-phap", "Bổ trợ tư pháp, lý lịch tư pháp"),
    ("moi-truong", "Môi trường"),
    ("noi-vu", "Nội vụ, tôn giáo, thi đua khen thưởng"),
)

BASIS: dict[str, str] = {
    "ho-tich": "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP; Thông tư số "
    "04/2020/TT-BTP; Thông tư số 85/2019/TT-BTC về phí, lệ phí thuộc thẩm quyền HĐND tỉnh.",
    "chung-thuc": "Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực bản sao từ "
    "bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch; Thông tư số "
    "01/2020/TT-BTP; Thông tư số 226/2016/TT-BTC.",
    "dang-ky-kinh-doanh": "Luật Doanh nghiệp số 59/2020/QH14; Nghị định số 01/2021/NĐ-CP về "
    "đăng ký doanh nghiệp; Thông tư số 47/2019/TT-BTC.",
    "xay-dung": "Luật Xây dựng số 50/2014/QH13, sửa đổi bởi Luật số 62/2020/QH14; Nghị định "
    "số 175/2024/NĐ-CP.",
    "dat-dai": "Luật Đất đai số 31/2024/QH15; Nghị định số 101/2024/NĐ-CP; Nghị định số "
    "102/2024/NĐ-CP.",
    "giao-thong": "Luật Trật tự, an toàn giao thông đường bộ số 36/2024/QH15; Thông tư số "
    "35/2024/TT-BGTVT; Thông tư số 37/2023/TT-BTC.",
    "lao-dong": "Bộ luật Lao động số 45/2019/QH14; Nghị định số 152/2020/NĐ-CP; Nghị định số "
    "145/2020/NĐ-CP.",
    "bao-tro-xa-hoi": "Luật Người cao tuổi số 39/2009/QH12; Luật Người khuyết tật số "
    "51/2010/QH12; Nghị định số 20/2021/NĐ-CP.",
    "nguoi-co-cong": "Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14; "
    "Nghị định số 131/2021/NĐ-CP.",
    "giao-duc": "Luật Giáo dục số 43/2019/QH14; Thông tư số 21/2019/TT-BGDĐT về văn bằng, "
    "chứng chỉ.",
    "y-te": "Luật Khám bệnh, chữa bệnh số 15/2023/QH15; Nghị định số 96/2023/NĐ-CP; Luật An "
    "toàn thực phẩm số 55/2010/QH12.",
    "van-hoa": "Nghị định số 54/2019/NĐ-CP về kinh doanh dịch vụ karaoke, vũ trường; Nghị "
    "định số 144/2020/NĐ-CP về biểu diễn nghệ thuật; Luật Du lịch số 09/2017/QH14.",
    "cong-thuong": "Nghị định số 105/2017/NĐ-CP về kinh doanh rượu; Nghị định số "
    "67/2013/NĐ-CP về kinh doanh thuốc lá; Luật Thương mại số 36/2005/QH11.",
    "tu-phap": "Luật Lý lịch tư pháp số 28/2009/QH12; Luật Công chứng số 46/2024/QH15; Luật "
    "Luật sư số 65/2006/QH11, sửa đổi 2012.",
    "moi-truong": "Luật Bảo vệ môi trường số 72/2020/QH14; Nghị định số 08/2022/NĐ-CP.",
    "noi-vu": "Luật Tín ngưỡng, tôn giáo số 02/2016/QH14; Luật Thi đua, khen thưởng số "
    "06/2022/QH15; Nghị định số 95/2023/NĐ-CP.",
}

# Department numbers (JJ of the agency code) in the demo city; see organisations.demo.
DEPT = {
    "VP": 1,
    "SNV": 2,
    "STC": 3,
    "STP": 4,
    "SXD": 5,
    "SNNMT": 6,
    "SKHCN": 7,
    "SGDĐT": 8,
    "SYT": 9,
    "SVHTTDL": 10,
    "SCT": 11,
    "SDTTG": 12,
    "BQLATTP": 17,
}
CENTRE = (1, 1)  # (JJ, KK): Trung tâm Phục vụ hành chính công thành phố


def _agency_code(jj: int, kk: int = 0) -> str:
    return f"000.{kk:02d}.{jj:02d}.{settings.EGOV_PROVINCE_CODE}"


# --- online forms ----------------------------------------------------------------------------


def _f(name: str, label: str, kind: str = "text", required: bool = True, **extra: Any) -> dict:
    return {"name": name, "label": label, "type": kind, "required": required, **extra}


GENDER = [{"value": "nam", "label": "Nam"}, {"value": "nu", "label": "Nữ"}]
DELIVERY = [
    {"value": "truc_tiep", "label": "Nhận trực tiếp tại Bộ phận Một cửa"},
    {"value": "buu_chinh", "label": "Nhận qua dịch vụ bưu chính công ích"},
    {"value": "truc_tuyen", "label": "Nhận bản điện tử trực tuyến"},
]
PLEDGE = _f(
    "cam_doan",
    "Tôi cam đoan nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật",
    "checkbox",
)

CITIZEN = [
    _f("ho_ten", "Họ, chữ đệm và tên người yêu cầu", max=100),
    _f("so_dinh_danh", "Số định danh cá nhân", "citizen_id", help="12 chữ số trên thẻ căn cước"),
    _f("dien_thoai", "Số điện thoại", "phone"),
    _f("thu_dien_tu", "Thư điện tử", "email", required=False),
    _f("dia_chi", "Nơi cư trú", max=300),
]
BUSINESS = [
    _f("ten_to_chuc", "Tên tổ chức, doanh nghiệp", max=300),
    _f("ma_so_thue", "Mã số doanh nghiệp (mã số thuế)", pattern=r"\d{10}(-\d{3})?"),
    _f("nguoi_dai_dien", "Họ tên người đại diện theo pháp luật", max=100),
    _f("so_dinh_danh", "Số định danh cá nhân người đại diện", "citizen_id"),
    _f("dien_thoai", "Số điện thoại", "phone"),
    _f("thu_dien_tu", "Thư điện tử", "email"),
    _f("dia_chi", "Địa chỉ trụ sở chính", max=300),
]

SPECIFIC: dict[str, list[dict]] = {
    "birth": [
        _f("ten_tre", "Họ, chữ đệm và tên người được khai sinh", max=100),
        _f("gioi_tinh", "Giới tính", "select", choices=GENDER),
        _f("ngay_sinh", "Ngày, tháng, năm sinh", "date", max="today"),
        _f("noi_sinh", "Nơi sinh", max=300, help="Tên cơ sở y tế hoặc địa chỉ nơi sinh"),
        _f("dan_toc", "Dân tộc", max=50),
        _f("ho_ten_me", "Họ, chữ đệm và tên người mẹ", required=False, max=100),
        _f("ho_ten_cha", "Họ, chữ đệm và tên người cha", required=False, max=100),
        _f("quan_he", "Quan hệ với người được khai sinh", max=50),
    ],
    "marriage": [
        _f("ho_ten_ben_kia", "Họ, chữ đệm và tên bên kia", max=100),
        _f("ngay_sinh_ben_kia", "Ngày sinh bên kia", "date", max="today"),
        _f("so_dinh_danh_ben_kia", "Số định danh cá nhân bên kia", "citizen_id"),
        _f("noi_cu_tru_ben_kia", "Nơi cư trú bên kia", max=300),
        _f("lan_ket_hon", "Kết hôn lần thứ", "number", min=1, max=10),
    ],
    "death": [
        _f("ho_ten_nguoi_chet", "Họ, chữ đệm và tên người đã chết", max=100),
        _f("ngay_chet", "Ngày chết", "date", max="today"),
        _f("noi_chet", "Nơi chết", max=300),
        _f("nguyen_nhan", "Nguyên nhân chết", max=300),
        _f("quan_he", "Quan hệ với người đã chết", max=50),
    ],
    "civil_copy": [
        _f(
            "loai_giay",
            "Loại giấy tờ cần cấp bản sao",
            "select",
            choices=[
                {"value": "khai_sinh", "label": "Trích lục khai sinh"},
                {"value": "ket_hon", "label": "Trích lục kết hôn"},
                {"value": "khai_tu", "label": "Trích lục khai tử"},
            ],
        ),
        _f("ho_ten_nguoi_duoc_cap", "Họ tên người được cấp bản sao", max=100),
        _f("so_ban_sao", "Số bản sao", "number", min=1, max=20),
    ],
    "marital": [
        _f("muc_dich", "Mục đích sử dụng giấy xác nhận", "textarea", max=500),
        _f(
            "tinh_trang",
            "Tình trạng hôn nhân hiện tại",
            "select",
            choices=[
                {"value": "chua_ket_hon", "label": "Chưa đăng ký kết hôn với ai"},
                {"value": "ly_hon", "label": "Đã ly hôn"},
                {"value": "goa", "label": "Vợ/chồng đã chết"},
                {"value": "dang_co", "label": "Đang có vợ/chồng"},
            ],
        ),
    ],
    "certify": [
        _f("loai_giay_to", "Tên giấy tờ, văn bản cần chứng thực", max=300),
        _f("so_trang", "Số trang", "number", min=1, max=500),
        _f("so_ban", "Số bản", "number", min=1, max=50),
    ],
    "household_business": [
        _f("ten_ho_kinh_doanh", "Tên hộ kinh doanh", max=200),
        _f("nganh_nghe", "Ngành, nghề kinh doanh", "textarea", max=1000),
        _f("dia_diem", "Địa điểm kinh doanh", max=300),
        _f("von", "Vốn kinh doanh (đồng)", "number", min=0),
        _f("so_lao_dong", "Số lao động", "number", min=0, max=10000),
    ],
    "enterprise": [
        _f("ten_doanh_nghiep", "Tên doanh nghiệp viết bằng tiếng Việt", max=300),
        _f(
            "loai_hinh",
            "Loại hình doanh nghiệp",
            "select",
            choices=[
                {"value": "tnhh1", "label": "Công ty TNHH một thành viên"},
                {"value": "tnhh2", "label": "Công ty TNHH hai thành viên trở lên"},
                {"value": "cp", "label": "Công ty cổ phần"},
                {"value": "hd", "label": "Công ty hợp danh"},
                {"value": "tn", "label": "Doanh nghiệp tư nhân"},
            ],
        ),
        _f("von_dieu_le", "Vốn điều lệ (đồng)", "number", min=0),
        _f("nganh_nghe", "Ngành, nghề kinh doanh (mã ngành cấp 4)", "textarea", max=2000),
    ],
    "construction": [
        _f("dia_diem_xay_dung", "Địa điểm xây dựng", max=300),
        _f("so_thua", "Số thửa đất", max=20),
        _f("to_ban_do", "Tờ bản đồ số", max=20),
        _f("dien_tich_san", "Tổng diện tích sàn (m²)", "number", min=1),
        _f("so_tang", "Số tầng", "number", min=1, max=50),
        _f("chieu_cao", "Chiều cao công trình (m)", "number", min=1, max=200),
    ],
    "land": [
        _f("so_thua", "Số thửa đất", max=20),
        _f("to_ban_do", "Tờ bản đồ số", max=20),
        _f("dia_chi_thua_dat", "Địa chỉ thửa đất", max=300),
        _f("dien_tich", "Diện tích (m²)", "number", min=0),
        _f("noi_dung", "Nội dung đề nghị", "textarea", max=2000),
    ],
    "driving": [
        _f("so_gplx", "Số giấy phép lái xe", pattern=r"[0-9]{12}"),
        _f("hang", "Hạng", "select", choices=["A1", "A", "B", "C1", "C", "D", "BE", "CE"]),
        _f("ngay_het_han", "Ngày hết hạn", "date", required=False),
    ],
    "generic": [
        _f("noi_dung", "Nội dung yêu cầu", "textarea", max=2000),
    ],
}


def _form(applicant: str, key: str) -> list[dict]:
    base = BUSINESS if applicant == "business" else CITIZEN
    delivery = _f("hinh_thuc_nhan", "Hình thức nhận kết quả", "select", choices=DELIVERY)
    return [*base, *SPECIFIC[key], delivery, PLEDGE]


# --- processes -----------------------------------------------------------------------------


def _quarter(value: Decimal) -> Decimal:
    return (value * 4).to_integral_value(rounding=ROUND_DOWN) / 4


def _process(
    *,
    code: str,
    name: str,
    days: Decimal,
    local: bool,
    at: str | None = None,
    intake_at: str | None = None,
    consult_at: str | None = None,
) -> dict[str, Any]:
    """intake → processing (→ consultation at another agency) → approval → signing → result.

    `at` fixes the handling agency (None: the agency the dossier was received at), `intake_at`
    the receiving counter (liên thông: the city's service centre), `consult_at` adds a step at
    another agency. Allotments add up to exactly the legal time.
    """
    total = days * HOURS_PER_DAY
    intake = result = Decimal("0.5") if total < 8 else Decimal(1)
    rest = total - intake - result
    approval = signing = _quarter(rest * Decimal("0.15"))
    consult = _quarter(rest * Decimal("0.25")) if consult_at else Decimal(0)
    processing = rest - approval - signing - consult
    approver = ["agency_leader"] if local else ["unit_head"]
    signer = ["clerk", "agency_leader"] if local else ["agency_leader"]
    steps: list[dict[str, Any]] = [
        {
            "code": "tiep-nhan",
            "name": "Tiếp nhận, kiểm tra hồ sơ",
            "kind": "intake",
            "actor_roles": ["one_stop_officer"],
            "actor_agency": intake_at,
            "allotted_hours": float(intake),
        },
        {
            "code": "tham-dinh",
            "name": "Thẩm định, xử lý hồ sơ",
            "kind": "processing",
            "actor_roles": ["specialist"],
            "actor_agency": at,
            "allotted_hours": float(processing),
        },
    ]
    if consult_at:
        steps.append(
            {
                "code": "lay-y-kien",
                "name": "Lấy ý kiến cơ quan phối hợp",
                "kind": "processing",
                "actor_roles": ["specialist", "unit_head"],
                "actor_agency": consult_at,
                "allotted_hours": float(consult),
            }
        )
    steps += [
        {
            "code": "phe-duyet",
            "name": "Xem xét, phê duyệt",
            "kind": "approval",
            "actor_roles": approver,
            "actor_agency": at,
            "allotted_hours": float(approval),
        },
        {
            "code": "ky-ket-qua",
            "name": "Ký, đóng dấu, vào sổ kết quả",
            "kind": "signing",
            "actor_roles": signer,
            "actor_agency": at,
            "allotted_hours": float(signing),
        },
        {
            "code": "tra-ket-qua",
            "name": "Trả kết quả",
            "kind": "result",
            "actor_roles": ["one_stop_officer"],
            "actor_agency": intake_at,
            "allotted_hours": float(result),
        },
        {"code": "ket-thuc", "name": "Hoàn thành", "kind": "done", "is_final": True},
    ]
    for order, step in enumerate(steps, start=1):
        step["order"] = order
    codes = [s["code"] for s in steps]
    transitions: list[dict[str, Any]] = [
        {"source": "tiep-nhan", "action": "accept", "target": "tham-dinh"},
        {"source": "tiep-nhan", "action": "request_supplement"},
        {"source": "tiep-nhan", "action": "refuse"},
        {"source": "tham-dinh", "action": "forward", "target": codes[2]},
        {"source": "tham-dinh", "action": "request_supplement"},
        {"source": "tham-dinh", "action": "refuse"},
    ]
    if consult_at:
        transitions += [
            {"source": "lay-y-kien", "action": "forward", "target": "phe-duyet"},
            {"source": "lay-y-kien", "action": "return", "target": "tham-dinh"},
        ]
    transitions += [
        {"source": "phe-duyet", "action": "approve", "target": "ky-ket-qua"},
        {"source": "phe-duyet", "action": "return", "target": "tham-dinh"},
        {"source": "ky-ket-qua", "action": "sign_result", "target": "tra-ket-qua"},
        {"source": "ky-ket-qua", "action": "return", "target": "phe-duyet"},
        {"source": "tra-ket-qua", "action": "return_result", "target": "ket-thuc"},
    ]
    return {
        "code": code,
        "name": name,
        "description": "",
        "steps": steps,
        "transitions": transitions,
    }


# --- the catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _P:
    code: str
    name: str
    field: str
    days: str
    result: str
    papers: tuple[str, ...]
    at: str = "xa"  # "xa" = every ward/commune; else a department abbreviation
    fee: int | tuple[int, int] = 0  # counter amount, or (counter, online)
    fee_name: str = "Lệ phí"
    fee_kind: str = "charge"
    level: str = "full_online"
    form: str = "generic"
    applicant: str = "citizen"
    cutoff: str | None = None
    time_note: str = ""
    intake_at_centre: bool = False  # liên thông: received at the city's service centre
    consult: str | None = None  # liên thông: a step at another department


def _paper(text: str) -> PaperInput:
    """ "Tờ khai … [mẫu]", "(bản sao) …", "* optional", "2x …" (copies)."""
    required = not text.startswith("* ")
    text = text.removeprefix("* ")
    copies = 1
    match = re.match(r"^(\d+)x (.*)$", text)
    if match:
        copies, text = int(match[1]), match[2]
    form = "original"
    if text.startswith("(bản sao) "):
        form, text = "certified_copy", text.removeprefix("(bản sao) ")
    elif text.startswith("(sao) "):
        form, text = "original_or_copy", text.removeprefix("(sao) ")
    template = ""
    if text.endswith(" [mẫu]"):
        text = text.removesuffix(" [mẫu]")
        template = text
    kinds = ("pdf", "doc", "docx") if template else ("pdf", "jpeg", "png")
    return PaperInput(
        name=text,
        copies=copies,
        form=form,
        required=required,
        template_name=template,
        allowed_kinds=kinds,
    )


H = "ho-tich"
CT = "chung-thuc"
KD = "dang-ky-kinh-doanh"
XD = "xay-dung"
DD = "dat-dai"
GT = "giao-thong"
LD = "lao-dong"
BT = "bao-tro-xa-hoi"
NCC = "nguoi-co-cong"
GD = "giao-duc"
YT = "y-te"
VH = "van-hoa"
CTH = "cong-thuong"
TP = "tu-phap"
MT = "moi-truong"
NV = "noi-vu"

ID = (
    "(sao) Giấy tờ tùy thân có ảnh (trường hợp chưa khai thác được trên Cơ sở dữ liệu quốc gia "
    "về dân cư)"
)
POA = "* Văn bản ủy quyền (trường hợp nộp thay)"

# fmt: off
CATALOGUE: tuple[_P, ...] = (
    # --- Hộ tịch (cấp xã) -----------------------------------------------------------------------
    _P("1.001193", "Đăng ký khai sinh", H, "1", "Giấy khai sinh (bản chính)",
       ("Tờ khai đăng ký khai sinh [mẫu]", "Giấy chứng sinh", ID, POA), form="birth",
       time_note="Ngay trong ngày tiếp nhận; nhận sau 15 giờ thì trả trong ngày làm việc "
       "tiếp theo."),
    _P("1.000894", "Đăng ký kết hôn", H, "1", "Giấy chứng nhận kết hôn (bản chính)",
       ("Tờ khai đăng ký kết hôn [mẫu]", ID, "* Giấy xác nhận tình trạng hôn nhân (nếu đăng ký "
        "thường trú ở nơi khác)"), level="partial_online", form="marriage",
       time_note="Hai bên nam, nữ có mặt khi đăng ký; cần xác minh thì không quá 5 ngày làm việc."),
    _P("1.000656", "Đăng ký khai tử", H, "1", "Trích lục khai tử (bản chính)",
       ("Tờ khai đăng ký khai tử [mẫu]", "Giấy báo tử hoặc giấy tờ thay giấy báo tử", ID, POA),
       form="death"),
    _P("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", H, "3",
       "Giấy xác nhận tình trạng hôn nhân",
       ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân [mẫu]", ID,
        "* Bản án, quyết định ly hôn đã có hiệu lực (nếu đã ly hôn)"), form="marital"),
    _P("1.004884", "Đăng ký lại khai sinh", H, "5", "Giấy khai sinh (bản chính)",
       ("Tờ khai đăng ký lại khai sinh [mẫu]", "(sao) Giấy tờ liên quan có nội dung khai sinh",
        ID), form="birth"),
    _P("1.004746", "Đăng ký lại kết hôn", H, "5", "Giấy chứng nhận kết hôn (bản chính)",
       ("Tờ khai đăng ký lại kết hôn [mẫu]", "(sao) Bản sao Giấy chứng nhận kết hôn (nếu có)",
        ID), level="partial_online", form="marriage"),
    _P("1.005461", "Đăng ký lại khai tử", H, "5", "Trích lục khai tử (bản chính)",
       ("Tờ khai đăng ký lại khai tử [mẫu]", "(sao) Giấy tờ liên quan đến việc khai tử", ID),
       form="death"),
    _P("1.001022", "Đăng ký nhận cha, mẹ, con", H, "3", "Trích lục đăng ký nhận cha, mẹ, con",
       ("Tờ khai đăng ký nhận cha, mẹ, con [mẫu]", "Chứng cứ chứng minh quan hệ cha, mẹ, con",
        ID), level="partial_online"),
    _P("1.004859", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", H, "3",
       "Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
       ("Tờ khai thay đổi, cải chính, bổ sung thông tin hộ tịch [mẫu]",
        "(sao) Giấy tờ làm căn cứ thay đổi, cải chính", ID), fee=15000, fee_name="Lệ phí hộ tịch"),
    _P("2.000635", "Cấp bản sao trích lục hộ tịch", H, "0.5", "Bản sao trích lục hộ tịch",
       ("Tờ khai cấp bản sao trích lục hộ tịch [mẫu]", ID, POA), fee=(8000, 4000),
       fee_name="Phí cấp bản sao trích lục (mỗi bản)", fee_kind="fee", cutoff="15:00",
       form="civil_copy",
       time_note="Ngay trong ngày; yêu cầu nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo."),
    _P("1.000689", "Đăng ký giám hộ", H, "3", "Trích lục đăng ký giám hộ",
       ("Tờ khai đăng ký giám hộ [mẫu]", "Văn bản cử người giám hộ", ID),
       level="partial_online"),
    _P("1.000419", "Đăng ký chấm dứt giám hộ", H, "2", "Trích lục đăng ký chấm dứt giám hộ",
       ("Tờ khai đăng ký chấm dứt giám hộ [mẫu]", "Giấy tờ làm căn cứ chấm dứt giám hộ", ID)),
    _P("1.003583", "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", H, "3",
       "Giấy khai sinh và Trích lục đăng ký nhận cha, mẹ, con",
       ("Tờ khai đăng ký khai sinh và nhận cha, mẹ, con [mẫu]", "Giấy chứng sinh",
        "Chứng cứ chứng minh quan hệ cha, mẹ, con", ID), form="birth"),
    _P("1.004827", "Đăng ký khai sinh có yếu tố nước ngoài", H, "3",
       "Giấy khai sinh (bản chính)",
       ("Tờ khai đăng ký khai sinh [mẫu]", "Giấy chứng sinh",
        "Văn bản thỏa thuận chọn quốc tịch cho con", ID), level="partial_online", form="birth"),
    _P("1.000893", "Đăng ký kết hôn có yếu tố nước ngoài", H, "10",
       "Giấy chứng nhận kết hôn (bản chính)",
       ("Tờ khai đăng ký kết hôn [mẫu]", "Giấy xác nhận tình trạng hôn nhân của người nước ngoài",
        "Giấy xác nhận của tổ chức y tế về sức khỏe tâm thần", "(bản sao) Hộ chiếu"),
       fee=1000000, level="partial_online", form="marriage"),
    _P("1.001695", "Ghi vào Sổ hộ tịch việc hộ tịch đã giải quyết tại cơ quan có thẩm quyền "
       "nước ngoài", H, "5", "Trích lục ghi chú hộ tịch",
       ("Tờ khai ghi chú hộ tịch [mẫu]", "(bản sao) Giấy tờ hộ tịch do nước ngoài cấp", ID),
       fee=75000, level="partial_online"),
    _P("1.004772", "Đăng ký khai sinh lưu động", H, "5", "Giấy khai sinh (bản chính)",
       ("Tờ khai đăng ký khai sinh [mẫu]", "Giấy chứng sinh", ID), level="information",
       form="birth"),
    # --- Chứng thực -------------------------------------------------------------------------------
    _P("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền "
       "của Việt Nam cấp", CT, "0.5", "Bản sao được chứng thực từ bản chính",
       ("Bản chính giấy tờ, văn bản làm cơ sở chứng thực", "Bản sao cần chứng thực"),
       fee=(2000, 2000), fee_name="Phí chứng thực (mỗi trang; từ trang thứ ba 1.000 đồng, tối "
       "đa 200.000 đồng/bản)", fee_kind="fee", level="partial_online", form="certify",
       cutoff="15:00",
       time_note="Trong ngày; tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo."),
    _P("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", CT, "0.5",
       "Giấy tờ, văn bản được chứng thực chữ ký",
       ("Giấy tờ, văn bản cần chứng thực chữ ký", ID), fee=10000, fee_kind="fee",
       fee_name="Phí chứng thực chữ ký (mỗi trường hợp)", level="information", form="certify",
       cutoff="15:00"),
    _P("2.000843", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", CT, "2",
       "Hợp đồng, giao dịch được chứng thực",
       ("Dự thảo hợp đồng, giao dịch", ID, "(bản sao) Giấy chứng nhận quyền sở hữu tài sản"),
       fee=50000, fee_kind="fee", fee_name="Phí chứng thực hợp đồng", level="information"),
    _P("2.000913", "Chứng thực hợp đồng, giao dịch liên quan đến thực hiện quyền của người sử "
       "dụng đất", CT, "2", "Hợp đồng, giao dịch được chứng thực",
       ("Dự thảo hợp đồng, giao dịch", ID, "(bản sao) Giấy chứng nhận quyền sử dụng đất"),
       fee=50000, fee_kind="fee", fee_name="Phí chứng thực hợp đồng", level="information"),
    _P("2.000927", "Chứng thực văn bản thỏa thuận phân chia di sản", CT, "2",
       "Văn bản thỏa thuận phân chia di sản được chứng thực",
       ("Dự thảo văn bản thỏa thuận", "(bản sao) Giấy chứng tử của người để lại di sản",
        "(bản sao) Giấy tờ chứng minh quyền sở hữu tài sản", ID),
       fee=50000, fee_kind="fee", level="information"),
    _P("2.001019", "Chứng thực di chúc", CT, "2", "Di chúc được chứng thực",
       ("Dự thảo di chúc", ID, "* (bản sao) Giấy tờ chứng minh quyền sở hữu tài sản"),
       fee=50000, fee_kind="fee", level="information"),
    _P("2.000908", "Cấp bản sao từ sổ gốc", CT, "0.5", "Bản sao từ sổ gốc",
       ("Đơn đề nghị cấp bản sao từ sổ gốc [mẫu]", ID), fee=(8000, 4000), fee_kind="fee",
       fee_name="Phí cấp bản sao từ sổ gốc (mỗi bản)", cutoff="15:00", form="certify"),
    _P("2.000992", "Chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp", CT,
       "2", "Bản sao được chứng thực từ bản chính", ("Bản chính giấy tờ đã hợp pháp hóa lãnh sự",
       "Bản sao cần chứng thực"), at="STP", fee=2000, fee_kind="fee", level="partial_online",
       form="certify"),
    # --- Đăng ký kinh doanh ---------------------------------------------------------------------
    _P("2.000720", "Đăng ký thành lập hộ kinh doanh", KD, "3",
       "Giấy chứng nhận đăng ký hộ kinh doanh",
       ("Giấy đề nghị đăng ký hộ kinh doanh [mẫu]",
        "* (bản sao) Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh",
        "* (bản sao) Hợp đồng thuê địa điểm kinh doanh"), fee=(100000, 50000),
       form="household_business"),
    _P("2.000575", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", KD, "3",
       "Giấy chứng nhận đăng ký hộ kinh doanh (cấp mới)",
       ("Thông báo thay đổi nội dung đăng ký hộ kinh doanh [mẫu]",
        "Giấy chứng nhận đăng ký hộ kinh doanh đã cấp"), fee=(50000, 25000),
       form="household_business"),
    _P("2.000599", "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo "
       "của hộ kinh doanh", KD, "3", "Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng "
       "kinh doanh", ("Thông báo tạm ngừng kinh doanh [mẫu]",)),
    _P("2.000631", "Chấm dứt hoạt động hộ kinh doanh", KD, "3",
       "Thông báo về việc chấm dứt hoạt động hộ kinh doanh",
       ("Thông báo chấm dứt hoạt động hộ kinh doanh [mẫu]",
        "Giấy chứng nhận đăng ký hộ kinh doanh đã cấp",
        "Thông báo của cơ quan thuế về việc hoàn thành nghĩa vụ thuế")),
    _P("2.000559", "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", KD, "3",
       "Giấy chứng nhận đăng ký hộ kinh doanh", ("Giấy đề nghị cấp lại [mẫu]",),
       fee=(50000, 25000), form="household_business"),
    _P("1.001612", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", KD, "3",
       "Giấy chứng nhận đăng ký doanh nghiệp",
       ("Giấy đề nghị đăng ký doanh nghiệp [mẫu]", "Điều lệ công ty",
        "(sao) Giấy tờ pháp lý của chủ sở hữu", POA), at="STC", fee=(50000, 0),
       fee_name="Lệ phí đăng ký doanh nghiệp (miễn khi nộp trực tuyến)", form="enterprise",
       applicant="business", intake_at_centre=True),
    _P("2.001610", "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên", KD,
       "3", "Giấy chứng nhận đăng ký doanh nghiệp",
       ("Giấy đề nghị đăng ký doanh nghiệp [mẫu]", "Điều lệ công ty", "Danh sách thành viên",
        "(sao) Giấy tờ pháp lý của các thành viên"), at="STC", fee=(50000, 0),
       form="enterprise", applicant="business", intake_at_centre=True),
    _P("1.010026", "Đăng ký thành lập công ty cổ phần", KD, "3",
       "Giấy chứng nhận đăng ký doanh nghiệp",
       ("Giấy đề nghị đăng ký doanh nghiệp [mẫu]", "Điều lệ công ty",
        "Danh sách cổ đông sáng lập", "(sao) Giấy tờ pháp lý của cổ đông sáng lập"),
       at="STC", fee=(50000, 0), form="enterprise", applicant="business",
       intake_at_centre=True),
    _P("2.002042", "Đăng ký doanh nghiệp tư nhân", KD, "3",
       "Giấy chứng nhận đăng ký doanh nghiệp",
       ("Giấy đề nghị đăng ký doanh nghiệp [mẫu]", "(sao) Giấy tờ pháp lý của chủ doanh nghiệp"),
       at="STC", fee=(50000, 0), form="enterprise", applicant="business"),
    _P("2.002045", "Đăng ký thay đổi người đại diện theo pháp luật của công ty", KD, "3",
       "Giấy chứng nhận đăng ký doanh nghiệp (cập nhật)",
       ("Thông báo thay đổi nội dung đăng ký doanh nghiệp [mẫu]",
        "Nghị quyết, quyết định của chủ sở hữu hoặc hội đồng thành viên"),
       at="STC", fee=(50000, 0), form="enterprise", applicant="business"),
    _P("2.002047", "Thông báo tạm ngừng kinh doanh của doanh nghiệp", KD, "3",
       "Giấy xác nhận về việc doanh nghiệp đăng ký tạm ngừng kinh doanh",
       ("Thông báo tạm ngừng kinh doanh [mẫu]", "Nghị quyết, quyết định của doanh nghiệp"),
       at="STC", applicant="business"),
    _P("2.002049", "Giải thể doanh nghiệp", KD, "5", "Thông báo về việc giải thể doanh nghiệp",
       ("Thông báo về việc giải thể doanh nghiệp [mẫu]", "Báo cáo thanh lý tài sản",
        "Danh sách chủ nợ và số nợ đã thanh toán"), at="STC", applicant="business"),
    _P("2.002051", "Đăng ký hoạt động chi nhánh, văn phòng đại diện", KD, "3",
       "Giấy chứng nhận đăng ký hoạt động chi nhánh, văn phòng đại diện",
       ("Thông báo thành lập chi nhánh, văn phòng đại diện [mẫu]",
        "Nghị quyết, quyết định thành lập"), at="STC", fee=(50000, 0), form="enterprise",
       applicant="business"),
    _P("1.009645", "Quyết định chủ trương đầu tư của Ủy ban nhân dân thành phố", KD, "35",
       "Quyết định chấp thuận chủ trương đầu tư",
       ("Văn bản đề nghị thực hiện dự án đầu tư [mẫu]", "Đề xuất dự án đầu tư",
        "Báo cáo năng lực tài chính của nhà đầu tư", "Đề xuất nhu cầu sử dụng đất"),
       at="STC", level="partial_online", form="enterprise", applicant="business",
       consult="SXD"),
    # --- Xây dựng ---------------------------------------------------------------------------------
    _P("1.009972", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", XD, "15",
       "Giấy phép xây dựng",
       ("Đơn đề nghị cấp giấy phép xây dựng [mẫu]",
        "(bản sao) Giấy tờ hợp pháp về quyền sử dụng đất",
        "2x Bản vẽ thiết kế xây dựng (mặt bằng, mặt cắt, mặt đứng, móng)",
        "* Bản kê khai kinh nghiệm của tổ chức, cá nhân thiết kế"),
       fee=75000, fee_name="Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", form="construction"),
    _P("1.009976", "Cấp giấy phép sửa chữa, cải tạo đối với nhà ở riêng lẻ", XD, "15",
       "Giấy phép sửa chữa, cải tạo",
       ("Đơn đề nghị cấp giấy phép xây dựng [mẫu]", "(bản sao) Giấy tờ hợp pháp về quyền sử "
        "dụng đất, sở hữu nhà", "2x Bản vẽ hiện trạng và thiết kế cải tạo"),
       fee=75000, form="construction"),
    _P("1.009980", "Cấp giấy phép di dời công trình", XD, "15", "Giấy phép di dời công trình",
       ("Đơn đề nghị cấp giấy phép di dời công trình [mẫu]", "(bản sao) Giấy tờ về quyền sử "
        "dụng đất nơi di dời đến", "Phương án di dời"), fee=75000, form="construction"),
    _P("1.009984", "Gia hạn giấy phép xây dựng nhà ở riêng lẻ", XD, "5",
       "Giấy phép xây dựng được gia hạn",
       ("Đơn đề nghị gia hạn giấy phép xây dựng [mẫu]", "Bản chính giấy phép xây dựng đã cấp"),
       fee=15000, form="construction"),
    _P("1.009989", "Cấp lại giấy phép xây dựng", XD, "5", "Giấy phép xây dựng (cấp lại)",
       ("Đơn đề nghị cấp lại giấy phép xây dựng [mẫu]", "* Bản chính giấy phép đã cấp (nếu bị "
        "rách, nát)"), fee=15000, form="construction"),
    _P("1.009974", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
       XD, "20", "Giấy phép xây dựng",
       ("Đơn đề nghị cấp giấy phép xây dựng [mẫu]", "(bản sao) Giấy tờ về quyền sử dụng đất",
        "Quyết định phê duyệt dự án", "Văn bản thẩm định thiết kế xây dựng",
        "2x Hồ sơ thiết kế xây dựng"), at="SXD", fee=150000, form="construction",
       applicant="business", consult="SNNMT"),
    _P("1.009990", "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng", XD, "25",
       "Văn bản thông báo kết quả thẩm định",
       ("Tờ trình thẩm định [mẫu]", "Báo cáo nghiên cứu khả thi", "Hồ sơ khảo sát xây dựng"),
       at="SXD", fee=(500000, 500000), fee_name="Phí thẩm định (tạm tính)", fee_kind="fee",
       level="partial_online", applicant="business"),
    _P("1.009995", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", XD, "20",
       "Chứng chỉ hành nghề hoạt động xây dựng",
       ("Đơn đề nghị cấp chứng chỉ hành nghề [mẫu]", "(sao) Văn bằng chuyên môn",
        "Bản khai kinh nghiệm công việc", "Ảnh chân dung 4x6"), at="SXD", fee=150000,
       fee_kind="fee"),
    # --- Đất đai ----------------------------------------------------------------------------------
    _P("1.012753.H15", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền "
       "với đất do chuyển nhượng, tặng cho, thừa kế", DD, "10",
       "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (cập nhật "
       "hoặc cấp mới)",
       ("Đơn đăng ký biến động đất đai, tài sản gắn liền với đất [mẫu]",
        "Hợp đồng, văn bản chuyển quyền đã công chứng, chứng thực",
        "Bản gốc Giấy chứng nhận đã cấp", "Tờ khai lệ phí trước bạ, thuế thu nhập cá nhân"),
       at="SNNMT", fee=(100000, 50000), level="partial_online", form="land",
       intake_at_centre=True,
       time_note="Không quá 10 ngày làm việc; không kể thời gian thực hiện nghĩa vụ tài chính."),
    _P("1.012756", "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu", DD,
       "20", "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
       ("Đơn đăng ký đất đai, tài sản gắn liền với đất [mẫu]",
        "(sao) Giấy tờ về quyền sử dụng đất", "* Sơ đồ nhà ở, công trình xây dựng",
        "* Chứng từ thực hiện nghĩa vụ tài chính"), fee=(100000, 50000),
       level="partial_online", form="land", consult="SNNMT",
       time_note="Không quá 20 ngày làm việc; xã miền núi, hải đảo thêm 10 ngày."),
    _P("1.012760", "Cấp đổi Giấy chứng nhận quyền sử dụng đất", DD, "7",
       "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (cấp đổi)",
       ("Đơn đăng ký biến động đất đai [mẫu]", "Bản gốc Giấy chứng nhận đã cấp"),
       at="SNNMT", fee=(50000, 25000), level="partial_online", form="land",
       intake_at_centre=True),
    _P("1.012765", "Cấp lại Giấy chứng nhận do bị mất", DD, "10",
       "Giấy chứng nhận quyền sử dụng đất (cấp lại)",
       ("Đơn đề nghị cấp lại Giấy chứng nhận [mẫu]", "Giấy xác nhận của công an về việc mất "
        "giấy tờ hoặc giấy tờ chứng minh đã niêm yết thông báo mất"),
       at="SNNMT", fee=(50000, 25000), level="partial_online", form="land"),
    _P("1.012770", "Đăng ký, xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
       DD, "1", "Giấy chứng nhận được chứng nhận nội dung đăng ký thế chấp",
       ("Phiếu yêu cầu đăng ký thế chấp [mẫu]", "Hợp đồng thế chấp", "Bản gốc Giấy chứng nhận"),
       at="SNNMT", fee=80000, fee_kind="fee", fee_name="Phí đăng ký giao dịch bảo đảm",
       form="land", applicant="both"),
    _P("1.012775", "Tách thửa hoặc hợp thửa đất", DD, "15",
       "Giấy chứng nhận quyền sử dụng đất cho các thửa đất sau tách, hợp",
       ("Đơn đề nghị tách thửa, hợp thửa đất [mẫu]", "Bản gốc Giấy chứng nhận",
        "Bản vẽ tách thửa, hợp thửa đất"), at="SNNMT", fee=(100000, 50000),
       level="partial_online", form="land"),
    _P("1.012780", "Chuyển mục đích sử dụng đất không phải xin phép cơ quan nhà nước có thẩm "
       "quyền", DD, "10", "Giấy chứng nhận được cập nhật mục đích sử dụng đất",
       ("Đơn đăng ký biến động đất đai [mẫu]", "Bản gốc Giấy chứng nhận"),
       fee=(50000, 25000), level="partial_online", form="land"),
    _P("1.012785", "Cung cấp thông tin, dữ liệu đất đai", DD, "2",
       "Thông tin, dữ liệu đất đai được cung cấp",
       ("Phiếu yêu cầu cung cấp thông tin, dữ liệu đất đai [mẫu]",), at="SNNMT",
       fee=(100000, 100000), fee_kind="fee", fee_name="Phí khai thác tài liệu đất đai",
       form="land", applicant="both"),
    # --- Giao thông -----------------------------------------------------------------------------
    _P("1.002804", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", GT, "5",
       "Giấy phép lái xe (cấp đổi)",
       ("Đơn đề nghị đổi giấy phép lái xe [mẫu]", "Giấy khám sức khỏe của người lái xe",
        "* Bản chính giấy phép lái xe đã cấp"), at="SXD", fee=(135000, 115000),
       fee_name="Lệ phí cấp giấy phép lái xe", form="driving"),
    _P("1.002809", "Cấp lại giấy phép lái xe", GT, "10", "Giấy phép lái xe (cấp lại)",
       ("Đơn đề nghị cấp lại giấy phép lái xe [mẫu]", "Giấy khám sức khỏe của người lái xe"),
       at="SXD", fee=(135000, 115000), level="partial_online", form="driving"),
    _P("1.002820", "Đổi giấy phép lái xe do nước ngoài cấp", GT, "5",
       "Giấy phép lái xe Việt Nam",
       ("Đơn đề nghị đổi giấy phép lái xe [mẫu]", "(bản sao) Giấy phép lái xe nước ngoài kèm "
        "bản dịch", "(bản sao) Hộ chiếu, thị thực"), at="SXD", fee=135000,
       level="partial_online", form="driving"),
    _P("1.002835", "Cấp giấy phép lái xe quốc tế", GT, "5", "Giấy phép lái xe quốc tế",
       ("Tờ khai đề nghị cấp giấy phép lái xe quốc tế [mẫu]", "(sao) Giấy phép lái xe quốc gia",
        "(sao) Hộ chiếu"), at="SXD", fee=135000, form="driving"),
    _P("1.001577", "Cấp giấy phép kinh doanh vận tải bằng xe ô tô", GT, "5",
       "Giấy phép kinh doanh vận tải bằng xe ô tô",
       ("Giấy đề nghị cấp giấy phép kinh doanh [mẫu]", "Phương án kinh doanh vận tải",
        "(bản sao) Văn bằng, chứng chỉ của người điều hành vận tải"), at="SXD", fee=200000,
       applicant="business"),
    _P("1.001581", "Cấp phù hiệu xe ô tô kinh doanh vận tải", GT, "2",
       "Phù hiệu xe ô tô kinh doanh vận tải",
       ("Giấy đề nghị cấp phù hiệu [mẫu]", "(sao) Giấy đăng ký xe ô tô"), at="SXD",
       applicant="business"),
    _P("1.001585", "Cấp giấy phép thi công công trình trên đường bộ đang khai thác", GT, "7",
       "Giấy phép thi công",
       ("Đơn đề nghị cấp giấy phép thi công [mẫu]", "Hồ sơ thiết kế, biện pháp tổ chức thi "
        "công bảo đảm an toàn giao thông"), at="SXD", level="partial_online",
       applicant="business"),
    # --- Lao động -------------------------------------------------------------------------------
    _P("1.000105", "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
       LD, "5", "Giấy phép lao động",
       ("Văn bản đề nghị cấp giấy phép lao động [mẫu]", "Giấy chứng nhận sức khỏe",
        "Phiếu lý lịch tư pháp", "(bản sao) Hộ chiếu", "2x Ảnh màu 4x6"),
       at="SNV", fee=600000, fee_name="Lệ phí cấp giấy phép lao động", applicant="business"),
    _P("1.000459", "Gia hạn giấy phép lao động cho người lao động nước ngoài", LD, "5",
       "Giấy phép lao động được gia hạn",
       ("Văn bản đề nghị gia hạn [mẫu]", "Giấy phép lao động còn hiệu lực",
        "Giấy chứng nhận sức khỏe"), at="SNV", fee=450000, applicant="business"),
    _P("1.000464", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
       LD, "5", "Văn bản xác nhận", ("Văn bản đề nghị xác nhận [mẫu]", "(bản sao) Hộ chiếu"),
       at="SNV", applicant="business"),
    _P("2.001955", "Đăng ký nội quy lao động của doanh nghiệp", LD, "7",
       "Thông báo về việc đăng ký nội quy lao động",
       ("Văn bản đề nghị đăng ký nội quy lao động", "Nội quy lao động",
        "Văn bản góp ý của tổ chức đại diện người lao động"), at="SNV", applicant="business"),
    _P("1.001823", "Giải quyết hưởng trợ cấp thất nghiệp", LD, "20",
       "Quyết định về việc hưởng trợ cấp thất nghiệp",
       ("Đề nghị hưởng trợ cấp thất nghiệp [mẫu]", "(sao) Quyết định thôi việc hoặc hợp đồng "
        "lao động đã hết hạn", "Sổ bảo hiểm xã hội"), at="SNV"),
    _P("1.009874", "Cấp giấy phép hoạt động dịch vụ việc làm của doanh nghiệp", LD, "7",
       "Giấy phép hoạt động dịch vụ việc làm",
       ("Văn bản đề nghị cấp giấy phép [mẫu]", "Giấy chứng nhận đã thực hiện ký quỹ",
        "(sao) Hợp đồng thuê địa điểm"), at="SNV", applicant="business"),
    # --- Bảo trợ xã hội, người có công ---------------------------------------------------------
    _P("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng", BT, "15",
       "Quyết định hưởng trợ cấp xã hội hằng tháng",
       ("Tờ khai đề nghị trợ giúp xã hội [mẫu]", "* (sao) Giấy xác nhận khuyết tật"),
       level="partial_online"),
    _P("1.001699", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
       BT, "25", "Giấy xác nhận khuyết tật",
       ("Đơn đề nghị xác định mức độ khuyết tật [mẫu]", "* (sao) Hồ sơ bệnh án, giấy tờ khám "
        "bệnh, chữa bệnh")),
    _P("1.001758", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", BT, "5",
       "Quyết định hỗ trợ chi phí mai táng",
       ("Tờ khai đề nghị hỗ trợ chi phí mai táng [mẫu]", "(sao) Giấy chứng tử")),
    _P("1.001731", "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở", BT, "10",
       "Quyết định hỗ trợ", ("Tờ khai đề nghị hỗ trợ về nhà ở [mẫu]",),
       level="partial_online"),
    _P("1.001653", "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng", BT,
       "5", "Giấy chứng nhận đăng ký hoạt động",
       ("Tờ khai đăng ký hoạt động [mẫu]", "Quy chế hoạt động"), applicant="business"),
    _P("1.010801", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", NCC, "12",
       "Quyết định trợ cấp thờ cúng liệt sĩ",
       ("Bản khai đề nghị giải quyết chế độ thờ cúng liệt sĩ [mẫu]",
        "(bản sao) Bằng Tổ quốc ghi công"), at="SNV", level="partial_online"),
    _P("1.010805", "Cấp giấy xác nhận thân nhân của người có công", NCC, "5",
       "Giấy xác nhận thân nhân người có công",
       ("Đơn đề nghị [mẫu]", "(bản sao) Giấy tờ chứng minh quan hệ thân nhân"), at="SNV"),
    _P("1.010810", "Hỗ trợ người có công với cách mạng cải thiện nhà ở", NCC, "30",
       "Quyết định hỗ trợ cải thiện nhà ở",
       ("Đơn đề nghị hỗ trợ nhà ở [mẫu]", "(sao) Giấy tờ về quyền sử dụng đất"),
       level="partial_online", consult="SNV"),
    # --- Giáo dục ---------------------------------------------------------------------------------
    _P("1.005092", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc cấp văn bằng, chứng chỉ", GD, "1",
       "Bản sao văn bằng, chứng chỉ từ sổ gốc",
       ("Đơn đề nghị cấp bản sao văn bằng, chứng chỉ [mẫu]", ID), at="SGDĐT",
       fee=(10000, 5000), fee_kind="fee", form="civil_copy"),
    _P("1.005093", "Chỉnh sửa nội dung văn bằng, chứng chỉ", GD, "5",
       "Quyết định chỉnh sửa văn bằng, chứng chỉ",
       ("Đơn đề nghị chỉnh sửa văn bằng, chứng chỉ [mẫu]", "Văn bằng, chứng chỉ đề nghị chỉnh "
        "sửa", "(bản sao) Giấy tờ làm căn cứ chỉnh sửa"), at="SGDĐT"),
    _P("1.005095", "Chuyển trường đối với học sinh trung học phổ thông", GD, "3",
       "Văn bản đồng ý tiếp nhận học sinh",
       ("Đơn xin chuyển trường [mẫu]", "Học bạ (bản chính)", "(bản sao) Giấy khai sinh"),
       at="SGDĐT"),
    _P("1.005097", "Công nhận trường trung học đạt chuẩn quốc gia", GD, "30",
       "Quyết định công nhận trường đạt chuẩn quốc gia",
       ("Tờ trình đề nghị công nhận", "Báo cáo tự đánh giá", "Báo cáo đánh giá ngoài"),
       at="SGDĐT", level="information", applicant="business"),
    _P("1.005099", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", GD, "20",
       "Quyết định cho phép hoạt động giáo dục",
       ("Tờ trình đề nghị cho phép hoạt động [mẫu]", "Quyết định thành lập trung tâm",
        "Chương trình, tài liệu giảng dạy", "Danh sách giáo viên"), at="SGDĐT",
       level="partial_online", applicant="business"),
    _P("1.005101", "Xét tặng danh hiệu Nhà giáo ưu tú (cấp thành phố thẩm định)", GD, "20",
       "Văn bản đề nghị của Hội đồng cấp thành phố",
       ("Bản khai thành tích [mẫu]", "Biên bản họp xét của Hội đồng cấp cơ sở"), at="SGDĐT",
       level="information"),
    # --- Y tế ---------------------------------------------------------------------------------
    _P("1.011955", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh đối với chức danh bác sĩ", YT,
       "20", "Giấy phép hành nghề khám bệnh, chữa bệnh",
       ("Đơn đề nghị cấp giấy phép hành nghề [mẫu]", "(bản sao) Văn bằng chuyên môn",
        "Giấy chứng nhận đủ sức khỏe để hành nghề", "Phiếu lý lịch tư pháp",
        "2x Ảnh màu 4x6"), at="SYT", fee=(360000, 360000), fee_kind="fee",
       fee_name="Phí thẩm định cấp giấy phép hành nghề", level="partial_online"),
    _P("1.011960", "Cấp giấy phép hoạt động đối với phòng khám đa khoa", YT, "60",
       "Giấy phép hoạt động khám bệnh, chữa bệnh",
       ("Đơn đề nghị cấp giấy phép hoạt động [mẫu]", "Danh sách người hành nghề",
        "Bản kê khai cơ sở vật chất, thiết bị y tế"), at="SYT", fee=5700000, fee_kind="fee",
       level="partial_online", applicant="business"),
    _P("1.011965", "Cấp chứng chỉ hành nghề dược", YT, "20", "Chứng chỉ hành nghề dược",
       ("Đơn đề nghị cấp chứng chỉ hành nghề dược [mẫu]", "(bản sao) Văn bằng chuyên môn",
        "Giấy xác nhận thời gian thực hành", "2x Ảnh màu 4x6"), at="SYT", fee=500000,
       fee_kind="fee", level="partial_online"),
    _P("1.011970", "Cấp giấy chứng nhận đủ điều kiện kinh doanh dược (nhà thuốc)", YT, "20",
       "Giấy chứng nhận đủ điều kiện kinh doanh dược",
       ("Đơn đề nghị cấp giấy chứng nhận [mẫu]", "Tài liệu kỹ thuật về địa điểm, kho bảo quản",
        "(bản sao) Chứng chỉ hành nghề dược"), at="SYT", fee=1000000, fee_kind="fee",
       level="partial_online", applicant="business"),
    _P("1.011975", "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", YT, "15",
       "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
       ("Đơn đề nghị cấp giấy chứng nhận [mẫu]", "Bản thuyết minh cơ sở vật chất",
        "Giấy xác nhận đủ sức khỏe của chủ cơ sở và người trực tiếp sản xuất"),
       at="BQLATTP", fee=(700000, 700000), fee_kind="fee", applicant="business"),
    _P("1.011980", "Cấp giấy chứng sinh (cấp lại do nhầm lẫn)", YT, "3", "Giấy chứng sinh",
       ("Đơn đề nghị cấp lại giấy chứng sinh [mẫu]", "Giấy chứng sinh đã cấp"), at="SYT"),
    # --- Văn hóa, thể thao, du lịch -------------------------------------------------------------
    _P("1.001029", "Cấp giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", VH, "5",
       "Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
       ("Đơn đề nghị cấp giấy phép [mẫu]", "(bản sao) Giấy chứng nhận đăng ký kinh doanh",
        "Giấy chứng nhận đủ điều kiện phòng cháy, chữa cháy"), fee=4000000, fee_kind="fee",
       fee_name="Phí thẩm định cấp giấy phép (tại khu vực thành phố)", applicant="business"),
    _P("1.001031", "Tiếp nhận thông báo tổ chức biểu diễn nghệ thuật", VH, "5",
       "Văn bản xác nhận tiếp nhận thông báo",
       ("Văn bản thông báo tổ chức biểu diễn nghệ thuật [mẫu]",), at="SVHTTDL",
       applicant="both"),
    _P("1.001033", "Đăng ký tổ chức lễ hội cấp thành phố", VH, "15",
       "Văn bản chấp thuận tổ chức lễ hội",
       ("Văn bản đăng ký tổ chức lễ hội [mẫu]", "Kế hoạch tổ chức lễ hội"), at="SVHTTDL",
       level="partial_online", applicant="both"),
    _P("1.001035", "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", VH, "10",
       "Giấy phép kinh doanh dịch vụ lữ hành nội địa",
       ("Đơn đề nghị cấp giấy phép [mẫu]", "Giấy chứng nhận ký quỹ",
        "(bản sao) Văn bằng, chứng chỉ của người phụ trách kinh doanh lữ hành"), at="SVHTTDL",
       fee=3000000, fee_kind="fee", applicant="business"),
    _P("1.001037", "Công nhận hạng cơ sở lưu trú du lịch (hạng 1 sao, 2 sao)", VH, "30",
       "Quyết định công nhận hạng cơ sở lưu trú",
       ("Đơn đề nghị công nhận hạng [mẫu]", "Bản tự đánh giá chất lượng cơ sở lưu trú"),
       at="SVHTTDL", fee=1500000, fee_kind="fee", level="partial_online",
       applicant="business"),
    _P("1.001039", "Cấp phép thực hiện quảng cáo bằng băng-rôn", VH, "5",
       "Văn bản tiếp nhận thông báo sản phẩm quảng cáo",
       ("Văn bản thông báo sản phẩm quảng cáo [mẫu]", "Ma-két sản phẩm quảng cáo"),
       applicant="both"),
    # --- Công thương ------------------------------------------------------------------------------
    _P("2.000620", "Cấp giấy phép bán lẻ rượu", CTH, "10", "Giấy phép bán lẻ rượu",
       ("Đơn đề nghị cấp giấy phép bán lẻ rượu [mẫu]", "(bản sao) Hợp đồng thuê địa điểm "
        "kinh doanh", "Bản cam kết bảo đảm điều kiện an toàn thực phẩm"), fee=(1200000, 1200000),
       fee_kind="fee", applicant="both"),
    _P("2.000633", "Cấp giấy phép bán lẻ sản phẩm thuốc lá", CTH, "15",
       "Giấy phép bán lẻ sản phẩm thuốc lá",
       ("Đơn đề nghị cấp giấy phép [mẫu]", "(bản sao) Giấy chứng nhận đăng ký kinh doanh"),
       fee=(1200000, 1200000), fee_kind="fee", applicant="both"),
    _P("2.000190", "Cấp giấy phép bán buôn rượu trên địa bàn thành phố", CTH, "15",
       "Giấy phép bán buôn rượu",
       ("Đơn đề nghị cấp giấy phép [mẫu]", "Hợp đồng với nhà cung cấp rượu",
        "Tài liệu chứng minh quyền sử dụng kho"), at="SCT", fee=(2200000, 2200000),
       fee_kind="fee", applicant="business"),
    _P("2.000195", "Đăng ký tổ chức hội chợ, triển lãm thương mại", CTH, "7",
       "Văn bản xác nhận đăng ký", ("Đơn đăng ký tổ chức hội chợ, triển lãm [mẫu]",),
       at="SCT", applicant="business"),
    _P("2.000199", "Đăng ký thực hiện khuyến mại theo hình thức mang tính may rủi", CTH, "7",
       "Văn bản xác nhận đăng ký thực hiện khuyến mại",
       ("Đơn đề nghị thực hiện khuyến mại [mẫu]", "Thể lệ chương trình khuyến mại",
        "Mẫu vé số dự thưởng"), at="SCT", applicant="business"),
    # --- Tư pháp ------------------------------------------------------------------------------
    _P("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư "
       "trú tại Việt Nam", TP, "10", "Phiếu lý lịch tư pháp",
       ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp [mẫu]", ID), at="STP",
       fee=(200000, 200000), fee_kind="fee", fee_name="Phí cung cấp thông tin lý lịch tư pháp",
       form="generic"),
    _P("2.000505", "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng", TP, "10",
       "Phiếu lý lịch tư pháp số 2", ("Văn bản yêu cầu cấp Phiếu lý lịch tư pháp",),
       at="STP", level="information", applicant="business"),
    _P("1.008725", "Đăng ký hoạt động của văn phòng công chứng", TP, "10",
       "Giấy đăng ký hoạt động văn phòng công chứng",
       ("Đơn đề nghị đăng ký hoạt động [mẫu]", "Quyết định cho phép thành lập",
        "(bản sao) Giấy tờ chứng minh trụ sở"), at="STP", fee=1000000, fee_kind="fee",
       applicant="business"),
    _P("1.008728", "Đăng ký hoạt động của tổ chức hành nghề luật sư", TP, "10",
       "Giấy đăng ký hoạt động tổ chức hành nghề luật sư",
       ("Giấy đề nghị đăng ký hoạt động [mẫu]", "Dự thảo điều lệ (công ty luật)",
        "(bản sao) Chứng chỉ hành nghề luật sư"), at="STP", fee=100000, applicant="business"),
    # --- Môi trường -------------------------------------------------------------------------------
    _P("1.010727", "Cấp giấy phép môi trường (thẩm quyền Ủy ban nhân dân thành phố)", MT, "30",
       "Giấy phép môi trường",
       ("Văn bản đề nghị cấp giấy phép môi trường [mẫu]", "Báo cáo đề xuất cấp giấy phép "
        "môi trường"), at="SNNMT", fee=(6000000, 6000000), fee_kind="fee",
       level="partial_online", applicant="business", consult="SXD"),
    _P("1.010730", "Đăng ký môi trường", MT, "7", "Văn bản tiếp nhận đăng ký môi trường",
       ("Văn bản đăng ký môi trường [mẫu]",), applicant="both"),
    _P("1.010733", "Thẩm định báo cáo đánh giá tác động môi trường", MT, "30",
       "Quyết định phê duyệt kết quả thẩm định báo cáo đánh giá tác động môi trường",
       ("Văn bản đề nghị thẩm định [mẫu]", "Báo cáo đánh giá tác động môi trường",
        "Báo cáo nghiên cứu khả thi của dự án"), at="SNNMT", fee=(8000000, 8000000),
       fee_kind="fee", level="partial_online", applicant="business"),
    # --- Nội vụ, tôn giáo, thi đua khen thưởng ------------------------------------------------
    _P("1.001078", "Đăng ký sinh hoạt tôn giáo tập trung", NV, "20",
       "Văn bản chấp thuận đăng ký sinh hoạt tôn giáo tập trung",
       ("Văn bản đăng ký sinh hoạt tôn giáo tập trung [mẫu]", "Bản tóm tắt giáo lý, giáo luật",
        "Danh sách người tham gia"), applicant="both", level="partial_online"),
    _P("1.001090", "Thông báo tổ chức lễ hội tín ngưỡng", NV, "5",
       "Văn bản xác nhận tiếp nhận thông báo",
       ("Văn bản thông báo tổ chức lễ hội tín ngưỡng [mẫu]",), applicant="both"),
    _P("1.000775", "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân thành phố", NV, "20",
       "Quyết định tặng Bằng khen",
       ("Tờ trình đề nghị khen thưởng", "Báo cáo thành tích [mẫu]",
        "Biên bản họp Hội đồng thi đua, khen thưởng cấp cơ sở"), at="SNV",
       level="information", applicant="business"),
    _P("1.000780", "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", NV, "10",
       "Quyết định tặng Giấy khen",
       ("Tờ trình đề nghị khen thưởng", "Báo cáo thành tích [mẫu]"), level="information",
       applicant="both"),
    _P("1.009332", "Thủ tục thành lập hội cấp thành phố", NV, "30",
       "Quyết định cho phép thành lập hội",
       ("Đơn đề nghị thành lập hội [mẫu]", "Dự thảo điều lệ hội",
        "Danh sách những người trong ban vận động thành lập hội"), at="SNV",
       level="partial_online", applicant="both"),
)
# fmt: on


def _procedure_input(
    spec: _P,
    *,
    fields: dict[str, Field],
    levels: dict[str, ServiceLevel],
    agencies: dict[str, Agency],
) -> ProcedureInput:
    local = spec.at == "xa"
    days = Decimal(spec.days)
    dept = None if local else agencies[_agency_code(DEPT[spec.at])]
    centre = agencies[_agency_code(*CENTRE)] if spec.intake_at_centre else None
    consult = agencies[_agency_code(DEPT[spec.consult])] if spec.consult else None
    implementing = tuple(a for a in (dept, consult) if a is not None)
    if centre is not None:
        implementing = (centre, *implementing)
    counter, online = spec.fee if isinstance(spec.fee, tuple) else (spec.fee, spec.fee)
    fees: tuple[FeeInput, ...] = ()
    if counter or online:
        note = _("Giảm khi nộp hồ sơ trực tuyến.") if online < counter else ""
        fees = (
            FeeInput(
                name=spec.fee_name,
                kind=spec.fee_kind,
                counter_amount=counter,
                online_amount=online,
                note=note,
            ),
        )
    elif spec.field in {H}:
        fees = (FeeInput(name="Lệ phí đăng ký hộ tịch", note="Miễn lệ phí."),)
    if local:
        # received by every ward and commune; a department step makes it liên thông
        process = _process(
            code=process_code_for(spec.code),
            name=f"Quy trình giải quyết: {spec.name}"[:255],
            days=days,
            local=True,
            consult_at=consult.code if consult else None,
        )
    else:
        assert dept is not None
        process = _process(
            code=process_code_for(spec.code),
            name=f"Quy trình giải quyết: {spec.name}"[:255],
            days=days,
            local=False,
            at=dept.code,
            intake_at=centre.code if centre else dept.code,
            consult_at=consult.code if consult else None,
        )
    cutoff = None
    if spec.cutoff:
        hour, minute = spec.cutoff.split(":")
        cutoff = time(int(hour), int(minute))
    return ProcedureInput(
        code=spec.code,
        name=spec.name,
        field=fields[spec.field],
        level="commune" if local else "city",
        legal_working_days=days,
        result_type=spec.result,
        service_level=levels[spec.level],
        agencies=implementing,
        receiving_scope="all_local" if local else "listed",
        time_note=spec.time_note,
        cutoff_time=cutoff,
        applicant_types=spec.applicant,
        legal_basis=BASIS[spec.field],
        description=_steps_text(spec, local=local, centre=centre is not None),
        conditions="",
        form_schema=_form("business" if spec.applicant == "business" else "citizen", spec.form)
        if levels[spec.level].allows_online_submission
        else [],
        papers=tuple(_paper(p) for p in spec.papers),
        fees=fees,
        process=process,
        is_published=True,
    )


def _steps_text(spec: _P, *, local: bool, centre: bool) -> str:
    where = (
        "Bộ phận Một cửa của Ủy ban nhân dân phường, xã nơi cư trú"
        if local
        else "Trung tâm Phục vụ hành chính công thành phố"
        if centre
        else "Bộ phận Một cửa của cơ quan giải quyết"
    )
    return (
        f"Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định và nộp tại {where}, qua dịch vụ "
        "bưu chính hoặc trực tuyến trên Cổng dịch vụ công.\n"
        "Bước 2: Cán bộ tiếp nhận kiểm tra hồ sơ; hồ sơ đầy đủ thì cấp Giấy tiếp nhận hồ sơ và "
        "hẹn trả kết quả, chưa đầy đủ thì hướng dẫn bổ sung một lần, đầy đủ.\n"
        "Bước 3: Cơ quan có thẩm quyền thẩm định, giải quyết hồ sơ.\n"
        "Bước 4: Nhận kết quả theo ngày hẹn trên Giấy tiếp nhận."
    )


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def load_demo_procedures(*, stdout: TextIO | None = None) -> list[Any]:
    """Create or update the demo catalogue (needs the demo city). Returns no logins."""
    levels = {lv.code: lv for lv in services.service_levels_ensure_standard(actor=None)}
    fields = {
        code: services.field_ensure(actor=None, code=code, name=name, order=order)
        for order, (code, name) in enumerate(FIELDS, start=1)
    }
    agencies = {a.code: a for a in Agency.objects.all()}
    rows = [
        ImportRow(
            f"demo {spec.code}",
            _procedure_input(spec, fields=fields, levels=levels, agencies=agencies),
        )
        for spec in CATALOGUE
    ]
    report = services.catalogue_import(actor=None, rows=rows)
    _write(
        stdout,
        _("    thủ tục mới: %(c)d, cập nhật: %(u)d, giữ nguyên: %(s)d (tổng %(t)d thủ tục)")
        % {
            "c": len(report.created),
            "u": len(report.updated),
            "s": len(report.unchanged),
            "t": Procedure.objects.count(),
        },
    )
    return []
