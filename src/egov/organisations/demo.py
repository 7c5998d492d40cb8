"""The demo city: the People's Committee of Đà Nẵng, its departments, wards and communes, and
about 300 officials with every role.

`load_demo_city()` is idempotent (objects are found by code or username and skipped when
present) and fast: it writes through the services (so the audit trail is real) but hashes the
shared demo password once and reuses the hash.

Agency names follow the 2025 reorganisation (NQ 1659/NQ-UBTVQH15: 23 wards, 70 communes and
the Hoàng Sa special zone; no district level). Identifier codes use the configured province
code; the level-2 numbers are illustrative, not the official registry.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User, UserKind
from egov.audit.services import audit_record, snapshot
from egov.organisations import services
from egov.organisations.models import Agency, AgencyKind, Position, RoleCode, StaffMember, Unit
from egov.organisations.search import fold

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - printed for the demo on purpose
DEMO_EMAIL_DOMAIN = "danang.gov.vn"
SEED = 2026

CITY_ADDRESS = "24 Trần Phú, phường Hải Châu, thành phố Đà Nẵng"
CENTRE_ADDRESS = "Trung tâm Hành chính thành phố, 24 Trần Phú, phường Hải Châu, thành phố Đà Nẵng"


@dataclass(frozen=True)
class DemoLogin:
    """One account printed by `egov demo`."""

    username: str
    password: str
    role: str
    role_label: str
    agency: str
    agency_code: str
    full_name: str


@dataclass(frozen=True)
class _Dept:
    jj: int
    name: str
    abbreviation: str
    head: str  # position code of the head
    deputy: str
    units: tuple[tuple[str, str], ...]  # (name, abbreviation) besides the common ones
    floor: int


# Departments of the merged city (2025). Each gets Văn phòng and Bộ phận Một cửa as well.
DEPARTMENTS: tuple[_Dept, ...] = (
    _Dept(
        1,
        "Văn phòng Ủy ban nhân dân thành phố",
        "VP",
        "chanh-van-phong",
        "pho-chanh-van-phong",
        (("Phòng Tổng hợp", "TH"), ("Phòng Kinh tế", "KT")),
        1,
    ),
    _Dept(
        2,
        "Sở Nội vụ",
        "SNV",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Tổ chức, biên chế", "TCBC"), ("Phòng Công chức, viên chức", "CCVC")),
        3,
    ),
    _Dept(
        3,
        "Sở Tài chính",
        "STC",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Quản lý ngân sách", "QLNS"), ("Phòng Đăng ký kinh doanh", "ĐKKD")),
        5,
    ),
    _Dept(
        4,
        "Sở Tư pháp",
        "STP",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Hành chính tư pháp", "HCTP"), ("Phòng Bổ trợ tư pháp", "BTTP")),
        7,
    ),
    _Dept(
        5,
        "Sở Xây dựng",
        "SXD",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Quản lý hoạt động xây dựng", "QLXD"), ("Phòng Quản lý giao thông", "QLGT")),
        9,
    ),
    _Dept(
        6,
        "Sở Nông nghiệp và Môi trường",
        "SNNMT",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Quản lý đất đai", "QLĐĐ"), ("Phòng Môi trường", "MT")),
        11,
    ),
    _Dept(
        7,
        "Sở Khoa học và Công nghệ",
        "SKHCN",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Chuyển đổi số", "CĐS"), ("Phòng Bưu chính, viễn thông", "BCVT")),
        13,
    ),
    _Dept(
        8,
        "Sở Giáo dục và Đào tạo",
        "SGDĐT",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Giáo dục trung học", "GDTrH"), ("Phòng Khảo thí", "KT")),
        15,
    ),
    _Dept(
        9,
        "Sở Y tế",
        "SYT",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Nghiệp vụ y", "NVY"), ("Phòng Nghiệp vụ dược", "NVD")),
        17,
    ),
    _Dept(
        10,
        "Sở Văn hóa, Thể thao và Du lịch",
        "SVHTTDL",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Quản lý văn hóa", "QLVH"), ("Phòng Quản lý du lịch", "QLDL")),
        19,
    ),
    _Dept(
        11,
        "Sở Công Thương",
        "SCT",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Quản lý thương mại", "QLTM"), ("Phòng Quản lý năng lượng", "QLNL")),
        21,
    ),
    _Dept(
        12,
        "Sở Dân tộc và Tôn giáo",
        "SDTTG",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Công tác dân tộc", "CTDT"), ("Phòng Quản lý tôn giáo", "QLTG")),
        23,
    ),
    _Dept(
        13,
        "Thanh tra thành phố",
        "TTTP",
        "chanh-thanh-tra",
        "pho-chanh-thanh-tra",
        (("Phòng Tiếp công dân, xử lý đơn", "TCD"), ("Phòng Nghiệp vụ 1", "NV1")),
        25,
    ),
    _Dept(
        14,
        "Sở Ngoại vụ",
        "SNGV",
        "giam-doc",
        "pho-giam-doc",
        (("Phòng Lãnh sự", "LS"), ("Phòng Hợp tác quốc tế", "HTQT")),
        27,
    ),
    _Dept(
        15,
        "Ban Quản lý Khu công nghệ cao và các khu công nghiệp Đà Nẵng",
        "BQLKCNC",
        "truong-ban",
        "pho-truong-ban",
        (("Phòng Quản lý đầu tư", "QLĐT"), ("Phòng Quản lý lao động", "QLLĐ")),
        29,
    ),
    _Dept(
        16,
        "Ban Quản lý Khu kinh tế mở Chu Lai",
        "BQLCL",
        "truong-ban",
        "pho-truong-ban",
        (("Phòng Quản lý đầu tư", "QLĐT"), ("Phòng Quy hoạch, xây dựng", "QHXD")),
        0,
    ),
    _Dept(
        17,
        "Ban Quản lý An toàn thực phẩm",
        "BQLATTP",
        "truong-ban",
        "pho-truong-ban",
        (("Phòng Nghiệp vụ", "NV"), ("Phòng Thanh tra", "TTr")),
        31,
    ),
    _Dept(
        18,
        "Ban Quản lý Bán đảo Sơn Trà và các bãi biển du lịch",
        "BQLBĐST",
        "truong-ban",
        "pho-truong-ban",
        (("Phòng Quản lý bãi biển", "QLBB"), ("Phòng Quản lý bán đảo", "QLBĐ")),
        0,
    ),
    _Dept(
        19,
        "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông",
        "BQLDAGT",
        "truong-ban",
        "pho-truong-ban",
        (("Phòng Kế hoạch, tổng hợp", "KHTH"), ("Phòng Kỹ thuật", "KTh")),
        33,
    ),
    _Dept(
        20,
        "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp",
        "BQLDADDCN",
        "truong-ban",
        "pho-truong-ban",
        (("Phòng Kế hoạch, tổng hợp", "KHTH"), ("Phòng Kỹ thuật", "KTh")),
        34,
    ),
)

# The 23 wards and a selection of the 70 communes of the merged city (NQ 1659/NQ-UBTVQH15).
WARDS: tuple[str, ...] = (
    "Hải Châu",
    "Hòa Cường",
    "Thanh Khê",
    "An Khê",
    "An Hải",
    "Sơn Trà",
    "Ngũ Hành Sơn",
    "Hòa Khánh",
    "Hải Vân",
    "Liên Chiểu",
    "Cẩm Lệ",
    "Hòa Xuân",
    "Tam Kỳ",
    "Quảng Phú",
    "Hương Trà",
    "Bàn Thạch",
    "Điện Bàn",
    "Điện Bàn Đông",
    "An Thắng",
    "Điện Bàn Bắc",
    "Hội An",
    "Hội An Đông",
    "Hội An Tây",
)
COMMUNES: tuple[str, ...] = (
    "Hòa Vang",
    "Hòa Tiến",
    "Bà Nà",
    "Núi Thành",
    "Tam Mỹ",
    "Tam Anh",
    "Đức Phú",
    "Tam Xuân",
    "Tây Hồ",
    "Chiên Đàn",
    "Phú Ninh",
    "Tiên Phước",
    "Thăng Bình",
    "Quế Sơn",
    "Nông Sơn",
    "Duy Xuyên",
    "Đại Lộc",
    "Thạnh Mỹ",
    "Đông Giang",
    "Tây Giang",
    "Hiệp Đức",
    "Khâm Đức",
    "Nam Trà My",
    "Trà My",
)
SPECIAL_ZONE = "Hoàng Sa"

FAMILY_NAMES = (
    ("Nguyễn", 32),
    ("Trần", 11),
    ("Lê", 10),
    ("Phạm", 7),
    ("Huỳnh", 6),
    ("Hoàng", 4),
    ("Phan", 5),
    ("Võ", 6),
    ("Đặng", 3),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 3),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
    ("Trương", 2),
    ("Đoàn", 1),
    ("Mai", 1),
    ("Tô", 1),
)
MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Ngọc", "Xuân", "Anh")
MIDDLE_FEMALE = ("Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hoài", "Mỹ", "Bảo")
GIVEN_MALE = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Vũ",
)
GIVEN_FEMALE = (
    "Anh",
    "Chi",
    "Diễm",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Trang",
    "Trâm",
    "Uyên",
    "Vân",
    "Yến",
)


@dataclass(frozen=True)
class _Person:
    username: str
    position: str
    roles: tuple[str, ...]
    unit: str | None  # unit abbreviation
    login_role: str | None = None  # set for the printed demo logins


class _Names:
    """Deterministic Vietnamese names and unique usernames from one seeded RNG."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()
        families, weights = zip(*FAMILY_NAMES, strict=True)
        self.families = families
        self.weights = weights

    def full_name(self) -> str:
        family = self.rng.choices(self.families, weights=self.weights)[0]
        if self.rng.random() < 0.5:
            return f"{family} {self.rng.choice(MIDDLE_MALE)} {self.rng.choice(GIVEN_MALE)}"
        return f"{family} {self.rng.choice(MIDDLE_FEMALE)} {self.rng.choice(GIVEN_FEMALE)}"

    def username(self, full_name: str, suffix: str) -> str:
        """'Nguyễn Văn An' at SXD → 'annv.sxd' (given name + initials), made unique."""
        parts = fold(full_name).split()
        base = parts[-1] + "".join(p[0] for p in parts[:-1])
        suffix = fold(suffix).replace(" ", "").replace(".", "")
        candidate = f"{base}.{suffix}"
        n = 2
        while candidate in self.used:
            candidate = f"{base}{n}.{suffix}"
            n += 1
        self.used.add(candidate)
        return candidate


def _phone(rng: random.Random) -> str:
    return f"0236.3{rng.randint(500, 899)}.{rng.randint(100, 999)}"


def _code(jj: int, kk: int = 0) -> str:
    return f"000.{kk:02d}.{jj:02d}.{settings.EGOV_PROVINCE_CODE}"


@dataclass(frozen=True)
class _AgencySpec:
    code: str
    name: str
    abbreviation: str
    kind: str
    parent: str | None
    address: str
    phone: str
    email: str
    units: tuple[tuple[str, str], ...]


def _agency_specs(rng: random.Random) -> list[_AgencySpec]:
    city = _code(0)
    specs = [
        _AgencySpec(
            city,
            "Ủy ban nhân dân thành phố Đà Nẵng",
            "UBND",
            AgencyKind.PEOPLES_COMMITTEE,
            None,
            CITY_ADDRESS,
            "0236.3821.144",
            f"ubnd@{DEMO_EMAIL_DOMAIN}",
            (),
        )
    ]
    for dept in DEPARTMENTS:
        address = (
            f"Tầng {dept.floor}, {CENTRE_ADDRESS}"
            if dept.floor
            else "Khu kinh tế mở Chu Lai, xã Núi Thành, thành phố Đà Nẵng"
            if dept.abbreviation == "BQLCL"
            else "Bán đảo Sơn Trà, phường Sơn Trà, thành phố Đà Nẵng"
        )
        units = (("Văn phòng", "VP"), *dept.units, ("Bộ phận Một cửa", "BPMC"))
        if dept.abbreviation == "VP":
            units = (
                ("Phòng Hành chính, tổ chức", "HCTC"),
                *dept.units,
                ("Bộ phận Một cửa", "BPMC"),
            )
        specs.append(
            _AgencySpec(
                _code(dept.jj),
                dept.name,
                dept.abbreviation,
                AgencyKind.DEPARTMENT,
                city,
                address,
                _phone(rng),
                f"{fold(dept.abbreviation)}@{DEMO_EMAIL_DOMAIN}",
                units,
            )
        )
    # One level deeper: the city's public administrative service centre under the city office.
    specs.append(
        _AgencySpec(
            _code(1, 1),
            "Trung tâm Phục vụ hành chính công thành phố",
            "TTPVHCC",
            AgencyKind.OTHER,
            _code(1),
            f"Tầng 1, {CENTRE_ADDRESS}",
            "0236.1022",
            f"ttpvhcc@{DEMO_EMAIL_DOMAIN}",
            (("Bộ phận Tiếp nhận và trả kết quả", "TNTKQ"),),
        )
    )
    ward_units = (
        ("Văn phòng HĐND và UBND", "VP"),
        ("Phòng Kinh tế, Hạ tầng và Đô thị", "KTHTĐT"),
        ("Phòng Văn hóa - Xã hội", "VHXH"),
        ("Bộ phận Một cửa", "BPMC"),
    )
    commune_units = (
        ("Văn phòng HĐND và UBND", "VP"),
        ("Phòng Kinh tế", "KT"),
        ("Phòng Văn hóa - Xã hội", "VHXH"),
        ("Bộ phận Một cửa", "BPMC"),
    )
    jj = 40
    for name in WARDS:
        slug = fold(name).replace(" ", "")
        specs.append(
            _AgencySpec(
                _code(jj),
                f"Ủy ban nhân dân phường {name}",
                "UBND",
                AgencyKind.WARD,
                city,
                f"Trụ sở UBND phường {name}, thành phố Đà Nẵng",
                _phone(rng),
                f"{slug}@{DEMO_EMAIL_DOMAIN}",
                ward_units,
            )
        )
        jj += 1
    for name in COMMUNES:
        slug = fold(name).replace(" ", "")
        specs.append(
            _AgencySpec(
                _code(jj),
                f"Ủy ban nhân dân xã {name}",
                "UBND",
                AgencyKind.COMMUNE,
                city,
                f"Trụ sở UBND xã {name}, thành phố Đà Nẵng",
                _phone(rng),
                f"{slug}@{DEMO_EMAIL_DOMAIN}",
                commune_units,
            )
        )
        jj += 1
    specs.append(
        _AgencySpec(
            _code(jj),
            f"Ủy ban nhân dân đặc khu {SPECIAL_ZONE}",
            "UBND",
            AgencyKind.SPECIAL_ZONE,
            city,
            "Thành phố Đà Nẵng",
            _phone(rng),
            f"hoangsa@{DEMO_EMAIL_DOMAIN}",
            (("Văn phòng HĐND và UBND", "VP"),),
        )
    )
    return specs


def _people_for(spec: _AgencySpec) -> list[tuple[str, tuple[str, ...], str | None, str | None]]:
    """(position, roles, unit abbreviation, login role) for each official of an agency."""
    R = RoleCode
    if spec.kind == AgencyKind.PEOPLES_COMMITTEE:
        return [
            ("chu-tich", (R.CITY_LEADER,), None, R.CITY_LEADER),
            ("pho-chu-tich", (R.CITY_LEADER,), None, None),
            ("pho-chu-tich", (R.CITY_LEADER,), None, None),
            ("pho-chu-tich", (R.CITY_LEADER,), None, None),
        ]
    if spec.kind == AgencyKind.DEPARTMENT:
        dept = next(d for d in DEPARTMENTS if _code(d.jj) == spec.code)
        domain_unit = dept.units[0][1]
        people: list[tuple[str, tuple[str, ...], str | None, str | None]] = [
            (dept.head, (R.AGENCY_LEADER,), None, None),
            (dept.deputy, (R.AGENCY_LEADER,), None, None),
            ("truong-phong", (R.UNIT_HEAD,), domain_unit, None),
            ("chuyen-vien", (R.SPECIALIST,), domain_unit, None),
            ("chuyen-vien", (R.SPECIALIST,), dept.units[1][1], None),
            ("van-thu", (R.CLERK,), "VP" if dept.abbreviation != "VP" else "HCTC", None),
            ("chuyen-vien", (R.ONE_STOP_OFFICER,), "BPMC", None),
        ]
        if dept.abbreviation == "SXD":
            # the demo team: one login per role of a department
            people = [
                (dept.head, (R.AGENCY_LEADER,), None, None),
                (dept.deputy, (R.AGENCY_LEADER,), None, R.AGENCY_LEADER),
                ("truong-phong", (R.UNIT_HEAD,), domain_unit, R.UNIT_HEAD),
                ("pho-truong-phong", (R.UNIT_HEAD,), domain_unit, None),
                ("chuyen-vien", (R.SPECIALIST,), domain_unit, R.SPECIALIST),
                ("chuyen-vien-chinh", (R.SPECIALIST,), domain_unit, None),
                ("chuyen-vien", (R.SPECIALIST,), dept.units[1][1], None),
                ("truong-phong", (R.UNIT_HEAD,), dept.units[1][1], None),
                ("van-thu", (R.CLERK,), "VP", R.CLERK),
                ("chuyen-vien", (R.ONE_STOP_OFFICER,), "BPMC", R.ONE_STOP_OFFICER),
                ("chuyen-vien", (R.ONE_STOP_OFFICER,), "BPMC", None),
            ]
        if dept.abbreviation == "SKHCN":
            people.append(("chuyen-vien", (R.SPECIALIST, R.ADMINISTRATOR), "CĐS", R.ADMINISTRATOR))
        return people
    if spec.kind == AgencyKind.OTHER:
        return [
            ("giam-doc", (R.AGENCY_LEADER,), None, None),
            ("chuyen-vien", (R.ONE_STOP_OFFICER,), "TNTKQ", None),
            ("chuyen-vien", (R.ONE_STOP_OFFICER,), "TNTKQ", None),
        ]
    if spec.kind == AgencyKind.WARD:
        return [
            ("chu-tich", (R.AGENCY_LEADER,), None, None),
            ("cong-chuc", (R.ONE_STOP_OFFICER,), "BPMC", None),
            ("van-thu", (R.CLERK,), "VP", None),
            ("cong-chuc", (R.SPECIALIST,), "KTHTĐT", None),
        ]
    if spec.kind == AgencyKind.COMMUNE:
        return [
            ("chu-tich", (R.AGENCY_LEADER,), None, None),
            ("cong-chuc", (R.ONE_STOP_OFFICER,), "BPMC", None),
            ("cong-chuc", (R.CLERK, R.SPECIALIST), "VP", None),
        ]
    return [
        ("chu-tich", (R.AGENCY_LEADER,), None, None),
        ("cong-chuc", (R.ONE_STOP_OFFICER, R.CLERK, R.SPECIALIST), "VP", None),
    ]


LOGIN_USERNAMES = {
    RoleCode.CLERK: "vanthu",
    RoleCode.ONE_STOP_OFFICER: "motcua",
    RoleCode.SPECIALIST: "chuyenvien",
    RoleCode.UNIT_HEAD: "truongphong",
    RoleCode.AGENCY_LEADER: "lanhdao",
    RoleCode.CITY_LEADER: "chutich",
    RoleCode.ADMINISTRATOR: "quantri",
}
CITIZEN_USERNAME = "congdan"
# CCCD: 048 = born in Đà Nẵng, 0 = male born in the 1900s, 95 = 1995, then 6 digits.
CITIZEN_ID = "048095012345"


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def load_demo_city(
    *, stdout: TextIO | None = None, two_factor_roles: tuple[str, ...] = ()
) -> list[DemoLogin]:
    """Create (or complete) the demo city; returns one login per role plus a citizen.

    `two_factor_roles` lists roles that must use an authenticator; by default none, so every
    demo login works with a password alone.
    """
    rng = random.Random(SEED)
    names = _Names(SEED)
    specs = _agency_specs(rng)
    password_hash = make_password(DEMO_PASSWORD)  # hashed once, reused for every demo account
    logins: list[DemoLogin] = []

    with transaction.atomic():
        positions = {p.code: p for p in services.positions_ensure_standard(actor=None)}
        for role in RoleCode.values:
            services.role_set_two_factor(
                actor=None, role=role, requires_two_factor=role in two_factor_roles
            )
        agencies = {a.code: a for a in Agency.objects.filter(code__in=[s.code for s in specs])}
        units: dict[tuple[int, str], Unit] = {
            (u.agency_id, u.abbreviation): u
            for u in Unit.objects.filter(agency__in=agencies.values())
        }
        existing_users = set(User.objects.values_list("username", flat=True))
        created_agencies = created_staff = 0

        for spec in specs:  # parents come first in `specs`
            agency = agencies.get(spec.code)
            if agency is None:
                agency = services.agency_create(
                    actor=None,
                    code=spec.code,
                    name=spec.name,
                    abbreviation=spec.abbreviation,
                    kind=spec.kind,
                    parent=agencies[spec.parent] if spec.parent else None,
                    address=spec.address,
                    phone=spec.phone,
                    email=spec.email,
                )
                agencies[spec.code] = agency
                created_agencies += 1
            for unit_name, abbreviation in spec.units:
                if (agency.pk, abbreviation) not in units:
                    units[(agency.pk, abbreviation)] = services.unit_create(
                        actor=None, agency=agency, name=unit_name, abbreviation=abbreviation
                    )

        for spec in specs:
            agency = agencies[spec.code]
            suffix = (
                "ubnd"
                if spec.kind == AgencyKind.PEOPLES_COMMITTEE
                else (
                    spec.abbreviation if spec.abbreviation != "UBND" else spec.email.split("@")[0]
                )
            )
            for position_code, roles, unit_abbr, login_role in _people_for(spec):
                full_name = names.full_name()  # drawn even when skipped: stable across runs
                username = (
                    LOGIN_USERNAMES[RoleCode(login_role)]
                    if login_role
                    else names.username(full_name, suffix)
                )
                if login_role:
                    logins.append(
                        DemoLogin(
                            username=username,
                            password=DEMO_PASSWORD,
                            role=login_role,
                            role_label=str(RoleCode(login_role).label),
                            agency=agency.name,
                            agency_code=agency.code,
                            full_name=full_name,
                        )
                    )
                if username in existing_users:
                    continue
                services.staff_create(
                    actor=None,
                    agency=agency,
                    username=username,
                    full_name=full_name,
                    email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                    phone=f"09{rng.randint(10000000, 99999999)}",
                    unit=units.get((agency.pk, unit_abbr)) if unit_abbr else None,
                    position=positions[position_code],
                    roles=roles,
                    password_hash=password_hash,
                )
                existing_users.add(username)
                created_staff += 1

        citizen = _ensure_citizen(password_hash, existing_users)
        logins.append(
            DemoLogin(
                username=citizen.username,
                password=DEMO_PASSWORD,
                role="citizen",
                role_label=str(UserKind.CITIZEN.label),
                agency="",
                agency_code="",
                full_name=citizen.full_name,
            )
        )
    _write(
        stdout,
        _("    cơ quan mới: %(a)d, cán bộ mới: %(s)d (tổng %(t)d cán bộ)")
        % {"a": created_agencies, "s": created_staff, "t": StaffMember.objects.count()},
    )
    return logins


def _ensure_citizen(password_hash: str, existing_users: set[str]) -> User:
    """The demo citizen (accounts has no registration service yet: written and audited here)."""
    user = User.objects.filter(username=CITIZEN_USERNAME).first()
    if user is not None:
        return user
    user = User(
        username=CITIZEN_USERNAME,
        kind=UserKind.CITIZEN,
        full_name="Trần Văn Minh",
        email=f"{CITIZEN_USERNAME}@example.com",
        phone="0905123456",
        citizen_id=CITIZEN_ID,
        email_verified_at=timezone.now(),
        is_active=True,
        password=password_hash,
    )
    user.save()
    audit_record(
        actor=None,
        action="account.create",
        target=user,
        summary=_("Tạo tài khoản công dân mẫu %(u)s") % {"u": user.username},
        after=snapshot(user, ("username", "kind", "full_name", "email", "citizen_id")),
    )
    existing_users.add(user.username)
    return user


def demo_positions() -> dict[str, Position]:
    """The standard positions by code (for other demo loaders)."""
    return {p.code: p for p in Position.objects.all()}


def demo_agency(code_suffix: tuple[int, int] = (0, 0)) -> Agency:
    """An agency of the demo city by its (JJ, KK) numbers, e.g. (5, 0) is Sở Xây dựng."""
    jj, kk = code_suffix
    return Agency.objects.get(code=_code(jj, kk))
