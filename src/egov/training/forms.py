"""Page forms of training: input shapes only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.organisations.models import Agency, StaffMember
from egov.training.models import ModuleResult, SkillModule

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUTCOMES = (("1", _("Đạt")), ("0", _("Không đạt")))


class StaffChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        unit = f" – {obj.unit.name}" if obj.unit_id else ""
        return f"{obj.user.full_name} ({obj.user.username}){unit}"


class ModuleChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} – {obj.name}"


class ResultForm(forms.Form):
    """One module result. `staff` only on the add form: a correction keeps the person."""

    staff = StaffChoice(label=_("Cán bộ"), queryset=StaffMember.objects.none())
    module = ModuleChoice(label=_("Mô-đun"), queryset=SkillModule.objects.order_by("rank"))
    taken_on = forms.DateField(label=_("Ngày kiểm tra"), widget=DATE)
    passed = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=OUTCOMES,
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    score = forms.DecimalField(label=_("Điểm (0–100)"), required=False)
    certificate_number = forms.CharField(label=_("Số chứng chỉ"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Nơi cấp"), max_length=255, required=False)

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agency is None:
            del self.fields["staff"]
        else:
            self.fields["staff"].queryset = (  # type: ignore[attr-defined]
                StaffMember.objects.filter(agency=agency, is_active=True)
                .select_related("user", "unit")
                .order_by("user__full_name", "pk")
            )

    @staticmethod
    def initial_for(result: ModuleResult) -> dict[str, Any]:
        return {
            "module": result.module_id,
            "taken_on": result.taken_on,
            "passed": "1" if result.passed else "0",
            "score": result.score,
            "certificate_number": result.certificate_number,
            "issuer": result.issuer,
        }


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do ngừng sử dụng"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
