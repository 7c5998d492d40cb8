"""Forms of the calendar page: add an exception, clear one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

SCOPE_SHARED = "shared"
SCOPE_AGENCY = "agency"


class ExceptionForm(forms.Form):
    day = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=[("off", _("Ngày nghỉ")), ("working", _("Ngày làm việc (làm bù)"))],
        widget=forms.RadioSelect,
        initial="off",
    )
    reason = forms.CharField(label=_("Lý do"), max_length=300)
    legal_reference = forms.CharField(
        label=_("Căn cứ pháp lý"),
        max_length=300,
        required=False,
        help_text=_("Số, ký hiệu văn bản cho phép nghỉ hoặc làm bù."),
    )
    scope = forms.ChoiceField(
        label=_("Áp dụng cho"),
        choices=[(SCOPE_SHARED, _("Mọi cơ quan")), (SCOPE_AGENCY, _("Riêng cơ quan tôi"))],
        initial=SCOPE_SHARED,
    )


class ClearForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)
    scope = forms.ChoiceField(
        choices=[(SCOPE_SHARED, SCOPE_SHARED), (SCOPE_AGENCY, SCOPE_AGENCY)],
        widget=forms.HiddenInput,
    )
