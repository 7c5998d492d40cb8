"""The filter of the audit log page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EntryFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Hành động"),
        required=False,
        max_length=80,
        help_text=_('Ví dụ "dossier.submit"; kết thúc bằng dấu chấm để lấy cả nhóm: "dossier."'),
    )
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data
