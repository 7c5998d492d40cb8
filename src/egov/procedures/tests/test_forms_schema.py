"""Online forms as data: the schema check, the submission check and the rendered form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from egov.core.errors import ValidationFailed
from egov.procedures.forms_schema import (
    build_form,
    normalise_schema,
    schema_errors,
    validate_submission,
)

SCHEMA = normalise_schema(
    [
        {"name": "ho_ten", "label": "Họ và tên", "type": "text", "required": True, "max": 20},
        {"name": "ghi_chu", "label": "Ghi chú", "type": "textarea"},
        {"name": "so_ban", "label": "Số bản", "type": "number", "min": 1, "max": 10},
        {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date", "max": "today"},
        {"name": "email", "label": "Thư điện tử", "type": "email"},
        {"name": "dien_thoai", "label": "Điện thoại", "type": "phone"},
        {
            "name": "gioi_tinh",
            "label": "Giới tính",
            "type": "select",
            "choices": [{"value": "nam", "label": "Nam"}, "nữ"],
        },
        {"name": "cam_doan", "label": "Cam đoan", "type": "checkbox", "required": True},
        {"name": "cccd", "label": "Số định danh", "type": "citizen_id"},
        {"name": "ma", "label": "Mã", "type": "text", "pattern": r"[A-Z]{2}\d{3}"},
    ]
)

GOOD = {
    "ho_ten": " Nguyễn Văn An ",
    "so_ban": "2",
    "ngay_sinh": "20/05/1990",
    "email": "an@example.com",
    "dien_thoai": "0905 123 456",
    "gioi_tinh": "nữ",
    "cam_doan": "on",
    "cccd": "048095012345",
    "ma": "AB123",
    "thua": "bị bỏ",
}


def test_a_sound_schema_has_no_errors_and_choices_are_normalised() -> None:
    assert schema_errors(SCHEMA) == []
    assert SCHEMA[6]["choices"][1] == {"value": "nữ", "label": "nữ"}
    assert SCHEMA[1]["required"] is False


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ("x", "danh sách"),
        ([{"name": "a", "label": "A", "type": "colour"}], "không được hỗ trợ"),
        ([{"name": "A b", "label": "A", "type": "text"}], "tên trường"),
        (
            [
                {"name": "a", "label": "A", "type": "text"},
                {"name": "a", "label": "B", "type": "text"},
            ],
            "bị trùng",
        ),
        ([{"name": "a", "label": "", "type": "text"}], "thiếu nhãn"),
        ([{"name": "a", "label": "A", "type": "select"}], "lựa chọn"),
        ([{"name": "a", "label": "A", "type": "number", "min": 5, "max": 1}], "min lớn hơn max"),
        ([{"name": "a", "label": "A", "type": "date", "min": "hôm qua"}], "YYYY-MM-DD"),
        ([{"name": "a", "label": "A", "type": "text", "pattern": "("}], "biểu thức"),
        ([{"name": "a", "label": "A", "type": "text", "colour": "x"}], "colour"),
        ([{"name": "a", "label": "A", "type": "text", "required": "yes"}], "true hoặc false"),
    ],
)
def test_bad_schemas_are_refused_with_the_field_named(schema: object, fragment: str) -> None:
    problems = schema_errors(schema)
    assert problems and fragment in " ".join(problems)
    with pytest.raises(ValidationFailed) as refused:
        normalise_schema(schema)
    assert refused.value.fields["form_schema"] == problems


def test_every_problem_is_listed_at_once() -> None:
    problems = schema_errors(
        [{"name": "1", "label": "", "type": "x"}, {"name": "b", "label": "B", "type": "select"}]
    )
    assert len(problems) >= 3
    assert any(p.startswith("Trường #2 b") for p in problems)


def test_a_good_submission_is_cleaned() -> None:
    cleaned, errors = validate_submission(SCHEMA, GOOD)
    assert errors == {}
    assert cleaned == {
        "ho_ten": "Nguyễn Văn An",
        "ghi_chu": None,
        "so_ban": 2,
        "ngay_sinh": "1990-05-20",
        "email": "an@example.com",
        "dien_thoai": "0905123456",
        "gioi_tinh": "nữ",
        "cam_doan": True,
        "cccd": "048095012345",
        "ma": "AB123",
    }


def test_every_bad_field_gets_a_vietnamese_message() -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    _cleaned, errors = validate_submission(
        SCHEMA,
        {
            "ho_ten": "",
            "so_ban": "11",
            "ngay_sinh": tomorrow,
            "email": "khong-phai-email",
            "dien_thoai": "12345",
            "gioi_tinh": "khac",
            "cccd": "123",
            "ma": "ab123",
        },
    )
    assert errors["ho_ten"] == ["Vui lòng nhập “Họ và tên”."]
    assert errors["so_ban"] == ["Giá trị lớn nhất là 10."]
    assert "không được sau" in errors["ngay_sinh"][0]
    assert errors["email"] == ["Địa chỉ thư điện tử không hợp lệ."]
    assert "Số điện thoại" in errors["dien_thoai"][0]
    assert errors["gioi_tinh"] == ["Lựa chọn không hợp lệ."]
    assert errors["cam_doan"] == ["Cần đánh dấu “Cam đoan”."]
    assert "12 chữ số" in errors["cccd"][0]
    assert errors["ma"] == ["“Mã” không đúng định dạng."]
    assert "ghi_chu" not in errors


def test_json_values_are_accepted_too() -> None:
    cleaned, errors = validate_submission(
        SCHEMA, {**GOOD, "so_ban": 3, "cam_doan": True, "ngay_sinh": "1990-05-20"}
    )
    assert errors == {} and cleaned["so_ban"] == 3 and cleaned["cam_doan"] is True
    _cleaned, errors = validate_submission(SCHEMA, {**GOOD, "so_ban": "ba"})
    assert errors == {"so_ban": ["Vui lòng nhập một số."]}
    _cleaned, errors = validate_submission(SCHEMA, {**GOOD, "ho_ten": "x" * 21})
    assert errors == {"ho_ten": ["Tối đa 20 ký tự."]}


def test_the_built_form_renders_and_cleans_with_the_same_rules() -> None:
    form_class = build_form(SCHEMA)
    form = form_class(data={**GOOD, "so_ban": "0"})
    assert not form.is_valid()
    assert form.errors["so_ban"] == ["Giá trị nhỏ nhất là 1."]
    html = form.as_div()
    assert 'type="date"' in html and 'type="tel"' in html and 'type="email"' in html
    assert '<label for="id_ho_ten">Họ và tên:</label>' in html
    assert 'aria-required="true"' in html
    assert form_class(data=GOOD).is_valid()
    good = form_class(data=GOOD)
    assert good.is_valid() and good.cleaned_data["ngay_sinh"] == "1990-05-20"
