"""Words of the generated documents: actions, topics, places, periods, people, outside bodies.

Shared by the generator (SQL arrays) and the search benchmark (queries that hit a realistic
share of the rows). Combined per document, they give trích yếu such as "V/v đôn đốc thực hiện
chuyển đổi số trên địa bàn thành phố" or "Về việc phê duyệt phương án phòng, chống thiên tai
tại phường Hải Châu".
"""

from __future__ import annotations

ACTIONS: tuple[str, ...] = (
    "phê duyệt",
    "ban hành quy chế",
    "thành lập Ban chỉ đạo",
    "kiện toàn Tổ công tác",
    "giao chỉ tiêu",
    "điều chỉnh kế hoạch",
    "triển khai thực hiện",
    "đôn đốc thực hiện",
    "góp ý dự thảo",
    "tăng cường công tác",
    "tổng kết công tác",
    "hướng dẫn thực hiện",
    "bổ sung kinh phí",
    "phân bổ dự toán",
    "kiểm tra việc thực hiện",
    "báo cáo kết quả",
)

TOPICS: tuple[str, ...] = (
    "ứng dụng công nghệ thông tin",
    "chuyển đổi số",
    "cải cách hành chính",
    "dịch vụ công trực tuyến toàn trình",
    "phòng, chống thiên tai",
    "phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "xây dựng nông thôn mới",
    "bảo đảm trật tự an toàn giao thông",
    "bảo vệ môi trường",
    "thu gom, xử lý chất thải rắn sinh hoạt",
    "giải phóng mặt bằng dự án đường Nguyễn Tất Thành nối dài",
    "quản lý trật tự xây dựng",
    "thu ngân sách nhà nước",
    "giải ngân vốn đầu tư công",
    "phát triển du lịch biển",
    "Lễ hội pháo hoa quốc tế Đà Nẵng",
    "an sinh xã hội và giảm nghèo bền vững",
    "tuyển sinh đầu cấp",
    "tiêm chủng mở rộng",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "sắp xếp đơn vị hành chính cấp xã",
    "vận hành chính quyền địa phương hai cấp",
    "công tác văn thư, lưu trữ",
    "đào tạo, bồi dưỡng cán bộ, công chức",
    "thi đua, khen thưởng",
    "tổ chức Tết Nguyên đán",
    "quốc phòng, an ninh",
    "phòng, chống tham nhũng, tiêu cực",
    "tiếp công dân",
    "giải quyết khiếu nại, tố cáo",
    "quy hoạch chung thành phố Đà Nẵng",
    "chỉnh trang đô thị",
    "cấp nước sinh hoạt",
    "hỗ trợ doanh nghiệp nhỏ và vừa",
    "Khu công nghệ cao Đà Nẵng",
    "đầu tư xây dựng cảng Liên Chiểu",
    "phòng, chống dịch bệnh",
    "an toàn thực phẩm",
    "kinh tế tập thể, hợp tác xã",
    "đề án Trung tâm tài chính quốc tế",
)

PLACES: tuple[str, ...] = (
    "trên địa bàn thành phố",
    "tại phường Hải Châu",
    "tại phường Thanh Khê",
    "tại phường Sơn Trà",
    "tại phường Ngũ Hành Sơn",
    "tại phường Liên Chiểu",
    "tại phường Cẩm Lệ",
    "tại xã Hòa Vang",
    "tại xã Bà Nà",
    "tại đặc khu Hoàng Sa",
    "tại các cơ quan, đơn vị",
    "trong các cơ sở giáo dục",
)

PERIODS: tuple[str, ...] = (
    "năm 2025",
    "năm 2026",
    "quý I",
    "quý II",
    "quý III",
    "quý IV",
    "6 tháng đầu năm",
    "giai đoạn 2021-2025",
    "giai đoạn 2026-2030",
    "tháng 10",
)

FAMILY: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Trương",
)  # fmt: skip
MIDDLE: tuple[str, ...] = (
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thu", "Thanh", "Quang", "Kim", "Xuân",
)  # fmt: skip
GIVEN: tuple[str, ...] = (
    "An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Trang", "Trung", "Tuấn", "Vy", "Yến",
)  # fmt: skip

# Field abbreviations for công văn of agencies that have no units (UBND-VX …).
FIELDS: tuple[tuple[str, str], ...] = (
    ("TH", "Tổng hợp"),
    ("KT", "Kinh tế"),
    ("VX", "Văn hóa - Xã hội"),
    ("NC", "Nội chính"),
    ("ĐT", "Đô thị"),
)

# (organ id, name, abbreviation): bodies outside the platform that write to the city.
EXTERNAL_BODIES: tuple[tuple[str, str, str], ...] = (
    ("000.00.00.G09", "Văn phòng Chính phủ", "VPCP"),
    ("000.00.00.G12", "Bộ Nội vụ", "BNV"),
    ("000.00.00.G10", "Bộ Tài chính", "BTC"),
    ("000.00.00.G22", "Bộ Khoa học và Công nghệ", "BKHCN"),
    ("000.00.00.G05", "Bộ Công an", "BCA"),
    ("000.00.00.G17", "Bộ Xây dựng", "BXD"),
    ("000.00.00.G15", "Bộ Giáo dục và Đào tạo", "BGDĐT"),
    ("000.00.00.G20", "Bộ Y tế", "BYT"),
)
