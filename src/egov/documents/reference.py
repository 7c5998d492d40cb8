"""Seed reference data (Decree 30/2020 Art. 7, Appendix III; edXML priority codes).

Plain data, read by the data migration that seeds the tables and by tests. Administrators edit
the tables afterwards (admin); the migration only adds rows that are missing.
Abbreviations are NFC-normalised: "QĐ" is the single code point Đ (U+0110), whatever the
keyboard sent.
"""

from __future__ import annotations

import unicodedata

# (code, name, abbreviation, category, fixed series)
DOCUMENT_TYPES: tuple[tuple[str, str, str, str, str], ...] = (
    ("nghi-quyet", "Nghị quyết (cá biệt)", "NQ", "named", ""),
    ("quyet-dinh", "Quyết định (cá biệt)", "QĐ", "named", ""),
    ("chi-thi", "Chỉ thị", "CT", "named", ""),
    ("quy-che", "Quy chế", "QC", "named", ""),
    ("quy-dinh", "Quy định", "QyĐ", "named", ""),
    ("thong-cao", "Thông cáo", "TC", "named", ""),
    ("thong-bao", "Thông báo", "TB", "named", ""),
    ("huong-dan", "Hướng dẫn", "HD", "named", ""),
    ("chuong-trinh", "Chương trình", "CTr", "named", ""),
    ("ke-hoach", "Kế hoạch", "KH", "named", ""),
    ("phuong-an", "Phương án", "PA", "named", ""),
    ("de-an", "Đề án", "ĐA", "named", ""),
    ("du-an", "Dự án", "DA", "named", ""),
    ("bao-cao", "Báo cáo", "BC", "named", ""),
    ("bien-ban", "Biên bản", "BB", "named", ""),
    ("to-trinh", "Tờ trình", "TTr", "named", ""),
    ("hop-dong", "Hợp đồng", "HĐ", "named", ""),
    ("cong-dien", "Công điện", "CĐ", "named", ""),
    ("ban-ghi-nho", "Bản ghi nhớ", "BGN", "named", ""),
    ("ban-thoa-thuan", "Bản thỏa thuận", "BTT", "named", ""),
    ("giay-uy-quyen", "Giấy ủy quyền", "GUQ", "named", ""),
    ("giay-moi", "Giấy mời", "GM", "named", ""),
    ("giay-gioi-thieu", "Giấy giới thiệu", "GGT", "named", ""),
    ("giay-nghi-phep", "Giấy nghỉ phép", "GNP", "named", ""),
    ("phieu-gui", "Phiếu gửi", "PG", "named", ""),
    ("phieu-chuyen", "Phiếu chuyển", "PC", "named", ""),
    ("phieu-bao", "Phiếu báo", "PB", "named", ""),
    ("cong-van", "Công văn", "", "official_letter", ""),
    ("thu-cong", "Thư công", "", "public_letter", ""),
    ("ban-sao-y", "Bản sao y", "SY", "copy", "copy"),
    ("ban-trich-sao", "Bản trích sao", "TrS", "copy", "copy"),
    ("ban-sao-luc", "Bản sao lục", "SL", "copy", "copy"),
)

# (code, name, edXML Priority)
URGENCIES: tuple[tuple[str, str, int], ...] = (
    ("thuong", "Thường", 0),
    ("khan", "Khẩn", 1),
    ("thuong-khan", "Thượng khẩn", 2),
    ("hoa-toc", "Hỏa tốc", 3),
)

# (code, name, level)
SECRECY_LEVELS: tuple[tuple[str, str, int], ...] = (
    ("thuong", "Thường", 0),
    ("mat", "Mật", 1),
    ("toi-mat", "Tối mật", 2),
    ("tuyet-mat", "Tuyệt mật", 3),
)

# (code, abbreviation, name)
SIGNING_AUTHORITIES: tuple[tuple[str, str, str], ...] = (
    ("tm", "TM.", "Thay mặt (tập thể)"),
    ("kt", "KT.", "Ký thay (cấp phó ký thay cấp trưởng)"),
    ("q", "Q.", "Quyền (cấp trưởng)"),
    ("tl", "TL.", "Thừa lệnh"),
    ("tuq", "TUQ.", "Thừa ủy quyền"),
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def seed(apps: object) -> None:
    """Add the missing rows (a data migration passes its historical `apps`)."""
    get_model = apps.get_model  # type: ignore[attr-defined]
    document_type = get_model("documents", "DocumentType")
    for rank, (code, name, abbreviation, category, series) in enumerate(DOCUMENT_TYPES, start=1):
        document_type.objects.get_or_create(
            code=code,
            defaults={
                "name": nfc(name),
                "abbreviation": nfc(abbreviation),
                "category": category,
                "series": series,
                "rank": rank,
            },
        )
    urgency = get_model("documents", "Urgency")
    for code, name, edxml_code in URGENCIES:
        urgency.objects.get_or_create(code=code, defaults={"name": name, "edxml_code": edxml_code})
    secrecy = get_model("documents", "SecrecyLevel")
    for code, name, level in SECRECY_LEVELS:
        secrecy.objects.get_or_create(code=code, defaults={"name": name, "level": level})
    authority = get_model("documents", "SigningAuthority")
    for rank, (code, abbreviation, name) in enumerate(SIGNING_AUTHORITIES, start=1):
        authority.objects.get_or_create(
            code=code, defaults={"abbreviation": abbreviation, "name": name, "rank": rank}
        )
