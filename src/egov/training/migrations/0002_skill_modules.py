"""The module catalogue of Circular 03/2014/TT-BTTTT (reference §5): IU01–IU06 basic,
IU07–IU15 advanced."""

from django.db import migrations

MODULES = [
    ("IU01", "Hiểu biết về CNTT cơ bản", "basic"),
    ("IU02", "Sử dụng máy tính cơ bản", "basic"),
    ("IU03", "Xử lý văn bản cơ bản", "basic"),
    ("IU04", "Sử dụng bảng tính cơ bản", "basic"),
    ("IU05", "Sử dụng trình chiếu cơ bản", "basic"),
    ("IU06", "Sử dụng Internet cơ bản", "basic"),
    ("IU07", "Xử lý văn bản nâng cao", "advanced"),
    ("IU08", "Sử dụng bảng tính nâng cao", "advanced"),
    ("IU09", "Sử dụng trình chiếu nâng cao", "advanced"),
    ("IU10", "Sử dụng hệ quản trị cơ sở dữ liệu", "advanced"),
    ("IU11", "Thiết kế đồ họa hai chiều", "advanced"),
    ("IU12", "Biên tập ảnh", "advanced"),
    ("IU13", "Biên tập trang thông tin điện tử", "advanced"),
    ("IU14", "An toàn, bảo mật thông tin", "advanced"),
    ("IU15", "Sử dụng phần mềm kế hoạch dự án", "advanced"),
]


def seed(apps, schema_editor):
    SkillModule = apps.get_model("training", "SkillModule")
    for rank, (code, name, level) in enumerate(MODULES, start=1):
        SkillModule.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "rank": rank}
        )


def unseed(apps, schema_editor):
    SkillModule = apps.get_model("training", "SkillModule")
    SkillModule.objects.filter(code__in=[m[0] for m in MODULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
