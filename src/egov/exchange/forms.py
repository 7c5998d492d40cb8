"""Forms of the exchange's workspace pages. They carry input; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.exchange.models import InboundResult, OutboundStatus


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Tên hệ thống"), max_length=255)
    organ_id = forms.CharField(
        label=_("Mã định danh cơ quan"),
        max_length=13,
        help_text=_(
            "Dạng 000.00.00.H48. Mã cấp 1 (000.00.00.Xnn) đại diện cho mọi cơ quan trực thuộc."
        ),
    )
    url = forms.CharField(
        label=_("Địa chỉ hộp thư đến (edXML)"),
        required=False,
        max_length=500,
        help_text=_("Ví dụ: https://qlvb.quangtri.gov.vn/api/v1/exchange/edxml"),
    )
    token_out = forms.CharField(
        label=_("Mã truy cập của đối tác dành cho ta"),
        required=False,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Mã đối tác cấp để ta gửi văn bản đến họ; được lưu mã hóa."),
    )


class PartnerEditForm(forms.Form):
    name = forms.CharField(label=_("Tên hệ thống"), max_length=255)
    url = forms.CharField(label=_("Địa chỉ hộp thư đến (edXML)"), required=False, max_length=500)
    token_out = forms.CharField(
        label=_("Mã truy cập mới của đối tác dành cho ta"),
        required=False,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Để trống để giữ mã hiện có."),
    )
    clear_token_out = forms.BooleanField(label=_("Xóa mã truy cập hiện có"), required=False)

    def token_out_change(self) -> str | None:
        """None keeps the token, "" clears it, anything else replaces it."""
        if self.cleaned_data.get("token_out"):
            return str(self.cleaned_data["token_out"])
        return "" if self.cleaned_data.get("clear_token_out") else None


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng gửi"),
        required=False,
        choices=[("", _("Tất cả")), *OutboundStatus.choices],
    )


class InboxFilterForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Kết quả"),
        required=False,
        choices=[("", _("Tất cả")), *InboundResult.choices],
    )
