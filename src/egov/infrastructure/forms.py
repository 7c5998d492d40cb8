"""Page forms of the IT inventory: input shapes only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.infrastructure.models import (
    AssetStatus,
    ComputerKind,
    LinkKind,
    SystemKind,
    SystemStatus,
)
from egov.organisations.models import Agency, StaffMember

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _statuses(choices: type[models.TextChoices], retired: str, current: str | None) -> list[Any]:
    """Status choices of a form: “retired” only when the item already is (the retire page is
    the way out of use, with its reason)."""
    return [(v, label) for v, label in choices.choices if v != retired or current == retired]


class StaffChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name} ({obj.user.username})"


class ItemForm(forms.Form):
    """Base: `agency` (for choices that depend on it) and the item's current status."""

    def __init__(
        self, *args: Any, agency: Agency, current_status: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.current_status = current_status


class ComputerForm(ItemForm):
    asset_tag = forms.CharField(label=_("Mã tài sản"), max_length=60)
    kind = forms.ChoiceField(label=_("Loại máy"), choices=ComputerKind.choices)
    year = forms.IntegerField(label=_("Năm trang bị"), required=False)
    serves = StaffChoice(
        label=_("Người sử dụng"), queryset=StaffMember.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Tình trạng"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["serves"].queryset = (  # type: ignore[attr-defined]
            StaffMember.objects.filter(agency=self.agency, is_active=True)
            .select_related("user")
            .order_by("user__full_name", "pk")
        )
        self.fields["status"].choices = _statuses(  # type: ignore[attr-defined]
            AssetStatus, AssetStatus.RETIRED, self.current_status
        )


class ServerForm(ItemForm):
    name = forms.CharField(label=_("Tên máy chủ"), max_length=100)
    purpose = forms.CharField(label=_("Chức năng"), max_length=255, required=False)
    year = forms.IntegerField(label=_("Năm trang bị"), required=False)
    status = forms.ChoiceField(label=_("Tình trạng"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _statuses(  # type: ignore[attr-defined]
            AssetStatus, AssetStatus.RETIRED, self.current_status
        )


class LinkForm(ItemForm):
    kind = forms.ChoiceField(label=_("Loại kết nối"), choices=LinkKind.choices)
    provider = forms.CharField(label=_("Nhà cung cấp"), max_length=120, required=False)
    bandwidth_mbps = forms.IntegerField(label=_("Băng thông (Mbps)"))
    is_active = forms.BooleanField(label=_("Đang sử dụng"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.current_status is None:  # a new link is in use; retiring is its own page
            del self.fields["is_active"]


class SystemForm(ItemForm):
    name = forms.CharField(label=_("Tên hệ thống"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại hệ thống"), choices=SystemKind.choices)
    vendor = forms.CharField(label=_("Đơn vị cung cấp"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Tình trạng"))
    since = forms.DateField(label=_("Sử dụng từ"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _statuses(  # type: ignore[attr-defined]
            SystemStatus, SystemStatus.RETIRED, self.current_status
        )


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do ngừng sử dụng"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
