"""Online forms defined as data (`Procedure.form_schema`): check a schema, check a submission
against it, and build a Django form to render it.

A schema is a list of fields::

    [{"name": "ho_ten", "label": "Họ, chữ đệm và tên", "type": "text", "required": true,
      "max": 100, "help": "Ghi chữ in hoa có dấu"},
     {"name": "gioi_tinh", "label": "Giới tính", "type": "select",
      "choices": [{"value": "nam", "label": "Nam"}, {"value": "nu", "label": "Nữ"}]},
     {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date", "max": "today"}]

`min`/`max` bound the value of ``number`` and ``date`` fields (a date bound is an ISO date or
``"today"``) and the length of text fields. `pattern` is a regular expression the whole text
must match. The rules of a field live in one place (`clean_value`): `validate_submission` (the
dossier intake, the API) and `build_form` (the pages) both call it, so they cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.accounts.validators import citizen_id_problem, normalize_number
from egov.core.errors import ValidationFailed

FIELD_TYPES: dict[str, Any] = {
    "text": gettext_lazy("Chữ (một dòng)"),
    "textarea": gettext_lazy("Đoạn văn"),
    "number": gettext_lazy("Số"),
    "date": gettext_lazy("Ngày"),
    "email": gettext_lazy("Thư điện tử"),
    "phone": gettext_lazy("Số điện thoại"),
    "select": gettext_lazy("Chọn một"),
    "checkbox": gettext_lazy("Ô đánh dấu"),
    "citizen_id": gettext_lazy("Số định danh cá nhân"),
}
KNOWN_KEYS = frozenset(
    {"name", "label", "type", "required", "choices", "min", "max", "pattern", "help"}
)
TEXT_TYPES = frozenset({"text", "textarea"})
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
PHONE_RE = re.compile(r"^(?:0|\+84)\d{9,10}$")
MAX_FIELDS = 100


# --- the schema --------------------------------------------------------------------------------


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _date_bound(value: Any) -> date | None:
    if value == "today":
        return timezone.localdate()
    return _parse_date(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _choices(spec: Mapping[str, Any]) -> list[dict[str, str]]:
    """Choices as ``[{"value", "label"}]``; a plain string is both."""
    result = []
    for choice in spec.get("choices") or []:
        if isinstance(choice, Mapping):
            result.append(
                {"value": str(choice.get("value", "")), "label": str(choice.get("label", ""))}
            )
        else:
            result.append({"value": str(choice), "label": str(choice)})
    return result


def schema_errors(schema: Any) -> list[str]:
    """Every problem of a schema, each naming the field (`#3 ho_ten: …`); empty when sound."""
    if schema in (None, ""):
        return []
    if not isinstance(schema, list):
        return [_("Biểu mẫu phải là một danh sách các trường.")]
    if len(schema) > MAX_FIELDS:
        return [_("Biểu mẫu có tối đa %(n)d trường.") % {"n": MAX_FIELDS}]
    problems: list[str] = []
    seen: set[str] = set()
    for index, spec in enumerate(schema, start=1):
        if not isinstance(spec, Mapping):
            problems.append(_("Trường #%(i)d: phải là một đối tượng.") % {"i": index})
            continue
        name = spec.get("name")
        where = f"#{index} {name}" if name else f"#{index}"

        def bad(message: str, where: str = where) -> None:
            problems.append(
                _("Trường %(where)s: %(message)s") % {"where": where, "message": message}
            )

        if not isinstance(name, str) or not NAME_RE.match(name):
            bad(_("tên trường gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ."))
        elif name in seen:
            bad(_("tên trường bị trùng."))
        else:
            seen.add(name)
        unknown = sorted(set(spec) - KNOWN_KEYS)
        if unknown:
            bad(_("thuộc tính không được hỗ trợ: %(keys)s.") % {"keys": ", ".join(unknown)})
        if not str(spec.get("label") or "").strip():
            bad(_("thiếu nhãn (label)."))
        kind = spec.get("type")
        if kind not in FIELD_TYPES:
            bad(
                _("kiểu “%(type)s” không được hỗ trợ; các kiểu: %(types)s.")
                % {"type": kind, "types": ", ".join(FIELD_TYPES)}
            )
            continue
        if "required" in spec and not isinstance(spec["required"], bool):
            bad(_("required phải là true hoặc false."))
        choices = _choices(spec)
        if kind == "select":
            values = [c["value"] for c in choices]
            if not values:
                bad(_("trường chọn phải có danh sách lựa chọn (choices)."))
            elif len(set(values)) != len(values) or "" in values:
                bad(_("các lựa chọn phải khác nhau và không rỗng."))
        elif spec.get("choices"):
            bad(_("chỉ trường chọn (select) mới có lựa chọn."))
        for bound in ("min", "max"):
            if bound not in spec or spec[bound] is None:
                continue
            value = spec[bound]
            if kind == "date":
                if _date_bound(value) is None:
                    bad(_("%(b)s phải là ngày dạng YYYY-MM-DD hoặc “today”.") % {"b": bound})
            elif kind in TEXT_TYPES or kind == "number":
                if not _is_number(value):
                    bad(_("%(b)s phải là một số.") % {"b": bound})
            else:
                bad(_("kiểu này không dùng %(b)s.") % {"b": bound})
        if (
            _is_number(spec.get("min"))
            and _is_number(spec.get("max"))
            and spec["min"] > spec["max"]
        ):
            bad(_("min lớn hơn max."))
        pattern = spec.get("pattern")
        if pattern:
            if kind not in TEXT_TYPES:
                bad(_("chỉ trường chữ mới có mẫu kiểm tra (pattern)."))
            else:
                try:
                    re.compile(str(pattern))
                except re.error:
                    bad(_("mẫu kiểm tra (pattern) không phải biểu thức chính quy hợp lệ."))
    return problems


def normalise_schema(schema: Any) -> list[dict[str, Any]]:
    """The schema in its stored form, or `ValidationFailed` on ``form_schema`` listing every
    problem. Keys with no value are dropped; choices become ``{"value", "label"}``."""
    problems = schema_errors(schema)
    if problems:
        raise ValidationFailed(
            _("Biểu mẫu trực tuyến không hợp lệ: %(first)s") % {"first": problems[0]},
            fields={"form_schema": problems},
        )
    result = []
    for spec in schema or []:
        field: dict[str, Any] = {
            "name": spec["name"],
            "label": str(spec["label"]).strip(),
            "type": spec["type"],
            "required": bool(spec.get("required", False)),
        }
        if spec["type"] == "select":
            field["choices"] = _choices(spec)
        for key in ("min", "max", "pattern", "help"):
            if spec.get(key) not in (None, ""):
                field[key] = spec[key]
        result.append(field)
    return result


# --- one value ---------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean_value(spec: Mapping[str, Any], raw: Any) -> tuple[Any, str | None]:
    """The cleaned (JSON-safe) value of one field, or an error message in Vietnamese."""
    kind = spec["type"]
    label = spec.get("label", spec["name"])
    if kind == "checkbox":
        checked = raw is True or (
            isinstance(raw, str) and raw.strip().lower() in {"on", "true", "1", "yes", "co", "có"}
        )
        if spec.get("required") and not checked:
            return False, _("Cần đánh dấu “%(label)s”.") % {"label": label}
        return checked, None
    if _empty(raw):
        if spec.get("required"):
            return None, _("Vui lòng nhập “%(label)s”.") % {"label": label}
        return None, None
    low, high = spec.get("min"), spec.get("max")
    if kind in TEXT_TYPES or kind in {"email", "phone", "citizen_id", "select"}:
        text = str(raw).strip()
        if kind in TEXT_TYPES:
            if low is not None and _is_number(low) and len(text) < low:
                return None, _("Tối thiểu %(n)s ký tự.") % {"n": low}
            if high is not None and _is_number(high) and len(text) > high:
                return None, _("Tối đa %(n)s ký tự.") % {"n": high}
            if spec.get("pattern") and not re.fullmatch(str(spec["pattern"]), text):
                return None, _("“%(label)s” không đúng định dạng.") % {"label": label}
            return text, None
        if kind == "email":
            try:
                validate_email(text)
            except ValidationError:
                return None, _("Địa chỉ thư điện tử không hợp lệ.")
            return text, None
        if kind == "phone":
            number = normalize_number(text)
            if not PHONE_RE.match(number):
                return None, _("Số điện thoại không hợp lệ (ví dụ 0905123456).")
            return number, None
        if kind == "citizen_id":
            number = normalize_number(text)
            problem = citizen_id_problem(number)
            return (None, problem) if problem else (number, None)
        # select
        if text not in {c["value"] for c in _choices(spec)}:
            return None, _("Lựa chọn không hợp lệ.")
        return text, None
    if kind == "number":
        try:
            amount = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            return None, _("Vui lòng nhập một số.")
        if not amount.is_finite():
            return None, _("Vui lòng nhập một số.")
        if _is_number(low) and amount < Decimal(str(low)):
            return None, _("Giá trị nhỏ nhất là %(n)s.") % {"n": low}
        if _is_number(high) and amount > Decimal(str(high)):
            return None, _("Giá trị lớn nhất là %(n)s.") % {"n": high}
        return (int(amount) if amount == amount.to_integral_value() else float(amount)), None
    if kind == "date":
        day = _parse_date(raw)
        if day is None:
            return None, _("Ngày không hợp lệ (dạng dd/mm/yyyy).")
        low_day, high_day = _date_bound(low) if low else None, _date_bound(high) if high else None
        if low_day and day < low_day:
            return None, _("Ngày không được trước %(d)s.") % {"d": low_day.strftime("%d/%m/%Y")}
        if high_day and day > high_day:
            return None, _("Ngày không được sau %(d)s.") % {"d": high_day.strftime("%d/%m/%Y")}
        return day.isoformat(), None
    raise ValueError(f"unknown field type {kind!r}")  # schema_errors refuses it first


def validate_submission(
    schema: list[dict[str, Any]], data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check submitted `data` against a (stored, valid) schema.

    Returns ``(cleaned, errors)``: cleaned values by field name (JSON-safe: dates as ISO
    strings, numbers as int or float, checkboxes as bool, empty optional fields as None; keys
    not in the schema are dropped) and error messages by field name (empty when all is well).
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for spec in schema:
        value, problem = clean_value(spec, data.get(spec["name"]))
        if problem:
            errors[spec["name"]] = [problem]
        else:
            cleaned[spec["name"]] = value
    return cleaned, errors


# --- pages ---------------------------------------------------------------------------------------


class SchemaField(forms.Field):
    """A form field whose rules are `clean_value` of its spec."""

    def __init__(self, spec: Mapping[str, Any], **kwargs: Any) -> None:
        self.spec = dict(spec)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        cleaned, problem = clean_value(self.spec, value)
        if problem:
            raise ValidationError(problem)
        return cleaned


def _widget(spec: Mapping[str, Any]) -> forms.Widget:
    kind = spec["type"]
    attrs: dict[str, Any] = {}
    if kind == "textarea":
        return forms.Textarea(attrs={"rows": 4})
    if kind == "checkbox":
        return forms.CheckboxInput()
    if kind == "select":
        choices = [("", _("— Chọn —"))] + [(c["value"], c["label"]) for c in _choices(spec)]
        return forms.Select(choices=choices)
    if kind == "date":
        return forms.DateInput(attrs={"type": "date"})
    if kind == "number":
        for bound in ("min", "max"):
            if _is_number(spec.get(bound)):
                attrs[bound] = spec[bound]
        return forms.NumberInput(attrs={**attrs, "step": "any"})
    if kind == "email":
        return forms.EmailInput(attrs={"autocomplete": "email"})
    if kind == "phone":
        return forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})
    if kind == "citizen_id":
        return forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 15})
    if _is_number(spec.get("max")):
        attrs["maxlength"] = spec["max"]
    return forms.TextInput(attrs=attrs)


def build_form(schema: list[dict[str, Any]]) -> type[forms.Form]:
    """A Django form class for a (stored, valid) schema; its cleaning is `clean_value`."""
    fields: dict[str, forms.Field] = {}
    for spec in schema:
        fields[spec["name"]] = SchemaField(
            spec,
            label=spec["label"],
            required=False,  # `clean_value` answers for required fields, in our wording
            help_text=spec.get("help", ""),
            widget=_widget(spec),
        )
        if spec.get("required"):
            fields[spec["name"]].widget.attrs["aria-required"] = "true"
    return type("ProcedureForm", (forms.Form,), fields)
