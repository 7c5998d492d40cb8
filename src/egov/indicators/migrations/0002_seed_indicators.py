"""The indicator registry, seeded as data (edit it in the admin; corrections need no code).

Decision 766/QĐ-TTg: group points from the shared reference §4.3 (memory, weakly corroborated);
the formulas below are our reading and are marked to be checked against the official annex.
"""

from decimal import Decimal

from django.db import migrations

ALL = ["month", "quarter", "half", "year"]
CHECK = "Công thức và điểm cần đối chiếu với phụ lục chính thức của Quyết định 766/QĐ-TTg."

# code, name, group, source, formula, unit, direction, green, amber, points, aggregation, note
INDICATORS = [
    # 1. Công khai, minh bạch (18)
    ("766-1.1", "Tỷ lệ thủ tục hành chính được công khai", "766_publicity", "catalogue",
     "100 * published / procedures", "percent", "higher", 100, 90, 10, "last", CHECK),
    ("766-1.2", "Tỷ lệ hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia", "766_publicity",
     "national_sync", "100 * synced / received", "percent", "higher", 100, 90, 8, "sum",
     CHECK + " Chưa có nguồn số liệu: việc đồng bộ với Cổng DVC quốc gia chưa được xây dựng."),
    # 2. Tiến độ giải quyết (20)
    ("766-2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "766_progress", "dossiers",
     "100 * decided_on_time / (decided_on_time + decided_late)", "percent", "higher", 95, 85,
     16, "sum", CHECK),
    ("766-2.2", "Tỷ lệ hồ sơ quá hạn có phiếu xin lỗi gửi đúng thời hạn", "766_progress",
     "dossiers", "100 * late_with_apology / decided_late", "percent", "higher", 100, 80, 4,
     "sum", CHECK),
    # 3. Dịch vụ công trực tuyến (12)
    ("766-3.1", "Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến toàn trình", "766_online",
     "catalogue", "100 * full_online / published", "percent", "higher", 80, 50, 4, "last",
     CHECK),
    ("766-3.2", "Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến (toàn trình và một phần)",
     "766_online", "catalogue", "100 * (full_online + partial_online) / published", "percent",
     "higher", 100, 80, 2, "last", CHECK),
    ("766-3.3", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "766_online", "dossiers",
     "100 * received_online / received", "percent", "higher", 50, 30, 6, "sum", CHECK),
    # 4. Thanh toán trực tuyến (10)
    ("766-4.1", "Tỷ lệ khoản thanh toán phí, lệ phí thực hiện trực tuyến", "766_payment",
     "dossiers", "100 * payments_online / payments_confirmed", "percent", "higher", 50, 30, 10,
     "sum", CHECK + " Chỉ tiêu tỷ lệ thủ tục có phí cho phép thanh toán trực tuyến chưa đo."),
    # 5. Mức độ hài lòng (18)
    ("766-5.1", "Tỷ lệ đánh giá hài lòng hoặc chấp nhận được", "766_satisfaction", "dossiers",
     "100 * (rated_satisfied + rated_acceptable) / rated", "percent", "higher", 95, 85, 12,
     "sum", CHECK),
    ("766-5.2", "Tỷ lệ hồ sơ đã trả kết quả được người dân đánh giá", "766_satisfaction",
     "dossiers", "100 * rated / returned", "percent", "higher", 50, 20, 6, "sum",
     CHECK + " Tiếp nhận, xử lý phản ánh kiến nghị chưa có nguồn số liệu."),
    # 6. Số hóa hồ sơ (22)
    ("766-6.1", "Tỷ lệ hồ sơ được số hóa khi tiếp nhận", "766_digitisation", "dossiers",
     "100 * received_digitised / received", "percent", "higher", 100, 80, 10, "sum", CHECK),
    ("766-6.2", "Tỷ lệ kết quả giải quyết được ký số (kết quả điện tử)", "766_digitisation",
     "dossiers", "100 * results_signed / returned", "percent", "higher", 100, 70, 8, "sum",
     CHECK),
    ("766-6.3", "Tỷ lệ kết quả trả trực tuyến", "766_digitisation", "dossiers",
     "100 * returned_online / returned", "percent", "higher", 50, 20, 4, "sum",
     CHECK + " Tái sử dụng dữ liệu số hóa chưa có nguồn số liệu."),
    # Văn bản
    ("VB-1", "Tỷ lệ văn bản gửi, nhận dưới dạng điện tử", "documents", "documents",
     "100 * (sent_electronic + received_electronic) / "
     "(sent_electronic + sent_paper + received_electronic + received_paper)",
     "percent", "higher", 90, 70, None, "sum", "Số liệu văn bản tính theo tháng dương lịch."),
    ("VB-2", "Tỷ lệ văn bản đi được ký số", "documents", "documents",
     "100 * digitally_signed / (sent_electronic + sent_paper)", "percent", "higher", 90, 70,
     None, "sum", "Số liệu văn bản tính theo tháng dương lịch."),
    ("VB-3", "Tỷ lệ văn bản đến được xử lý đúng hạn", "documents", "documents",
     "100 * incoming_on_time / (incoming_on_time + incoming_late)", "percent", "higher", 95, 85,
     None, "sum", "Số liệu văn bản tính theo tháng dương lịch."),
    # Nhiệm vụ
    ("NV-1", "Tỷ lệ nhiệm vụ hoàn thành đúng hạn", "assignments", "assignments",
     "100 * done_on_time / (done_on_time + done_late)", "percent", "higher", 90, 75, None,
     "sum", "Số liệu nhiệm vụ tính theo tháng dương lịch, cơ quan chủ trì."),
    ("NV-2", "Số nhiệm vụ quá hạn chưa hoàn thành", "assignments", "assignments",
     "overdue_open", "count", "lower", 0, 3, None, "sum",
     "Tính theo tháng đến hạn (dương lịch) của nhiệm vụ."),
    # Năng lực
    ("NL-1", "Tỷ lệ cán bộ đạt chuẩn kỹ năng CNTT cơ bản", "capacity", "training",
     "100 * basic_met / staff_total", "percent", "higher", 90, 70, None, "last",
     "Số liệu hiện tại (không theo kỳ)."),
    ("NL-2", "Tỷ lệ cán bộ đạt chuẩn kỹ năng CNTT nâng cao", "capacity", "training",
     "100 * advanced_met / staff_total", "percent", "higher", 30, 15, None, "last",
     "Số liệu hiện tại (không theo kỳ)."),
    ("NL-3", "Số máy tính trên một cán bộ", "capacity", "infrastructure",
     "computers_in_use / staff_total", "ratio", "higher", 1, Decimal("0.8"), None, "last",
     "Số liệu hiện tại (không theo kỳ)."),
    ("NL-4", "Tỷ lệ cán bộ có thư điện tử công vụ", "capacity", "infrastructure",
     "100 * work_email_staff / staff_total", "percent", "higher", 100, 90, None, "last",
     "Số liệu hiện tại (không theo kỳ)."),
    ("NL-5", "Số hệ thống thông tin đang sử dụng", "capacity", "infrastructure",
     "systems_in_use", "count", "higher", 5, 3, None, "last",
     "Số liệu hiện tại (không theo kỳ)."),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for order, row in enumerate(INDICATORS, start=1):
        (code, name, group, source, formula, unit, direction, green, amber, points, agg,
         note) = row
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "source": source,
                "formula": formula,
                "unit": unit,
                "direction": direction,
                "target_green": Decimal(green),
                "target_amber": Decimal(amber),
                "max_points": None if points is None else Decimal(points),
                "aggregation": agg,
                "period_kinds": ALL,
                "note": note,
                "order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(
        code__in=[row[0] for row in INDICATORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
