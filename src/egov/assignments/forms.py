"""Page forms: input shapes only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.assignments.models import Priority, Recurrence
from egov.organisations.models import Agency, StaffMember, Unit

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Tên nhiệm vụ"), max_length=500)
    description = forms.CharField(label=_("Nội dung"), widget=forms.Textarea, required=False)
    main_staff = forms.ModelChoiceField(
        label=_("Cán bộ chủ trì"), queryset=StaffMember.objects.none(), required=False
    )
    main_unit = forms.ModelChoiceField(
        label=_("hoặc phòng, ban chủ trì"), queryset=Unit.objects.none(), required=False
    )
    main_agency = forms.ModelChoiceField(
        label=_("hoặc cơ quan chủ trì"), queryset=Agency.objects.none(), required=False
    )
    co_staff = forms.ModelMultipleChoiceField(
        label=_("Cán bộ phối hợp"), queryset=StaffMember.objects.none(), required=False
    )
    working_days = forms.IntegerField(label=_("Thời hạn (ngày làm việc)"), required=False)
    due_at = forms.DateTimeField(label=_("hoặc hạn xử lý"), required=False, widget=DT)
    priority = forms.ChoiceField(label=_("Mức độ"), choices=Priority.choices)
    recurrence = forms.ChoiceField(label=_("Lặp lại"), choices=Recurrence.choices, required=False)
    recurrence_day = forms.IntegerField(label=_("Ngày lặp"), required=False)

    def __init__(self, *args: object, staff: StaffMember, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        members = StaffMember.objects.filter(is_active=True).select_related("user", "agency")
        agencies = Agency.objects.filter(is_active=True)
        self.fields["main_staff"].queryset = members  # type: ignore[attr-defined]
        self.fields["co_staff"].queryset = members  # type: ignore[attr-defined]
        self.fields["main_unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).select_related("agency")
        self.fields["main_agency"].queryset = agencies  # type: ignore[attr-defined]

    def owners(self) -> list[tuple[str, object]]:
        data = self.cleaned_data
        main = data.get("main_staff") or data.get("main_unit") or data.get("main_agency")
        owners: list[tuple[str, object]] = [("main", main)] if main else []
        owners += [("co", s) for s in data.get("co_staff") or [] if s != main]
        return owners


class ConclusionForm(forms.Form):
    title = forms.CharField(label=_("Tên cuộc họp"), max_length=300)
    date = forms.DateField(label=_("Ngày họp"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Nội dung kết luận"), widget=forms.Textarea, required=False)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea)
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    attachment = forms.FileField(label=_("Tệp đính kèm"), required=False)


class ExtensionForm(forms.Form):
    new_due_at = forms.DateTimeField(label=_("Hạn đề nghị"), widget=DT)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea, required=False)


class CompletionForm(forms.Form):
    text = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea)


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea)
    to_own_staff = forms.BooleanField(label=_("Gửi cán bộ trong cơ quan"), required=False)
    to_agencies = forms.ModelMultipleChoiceField(
        label=_("Gửi cơ quan khác"), queryset=Agency.objects.filter(is_active=True), required=False
    )


class WorkEventForm(forms.Form):
    title = forms.CharField(label=_("Nội dung"), max_length=500)
    starts_at = forms.DateTimeField(label=_("Bắt đầu"), widget=DT)
    ends_at = forms.DateTimeField(label=_("Kết thúc"), widget=DT)
    location = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    participants = forms.CharField(label=_("Thành phần"), widget=forms.Textarea, required=False)
    leader = forms.ModelChoiceField(
        label=_("Lãnh đạo chủ trì"), queryset=StaffMember.objects.none(), required=False
    )
    is_public = forms.BooleanField(label=_("Công khai trên cổng"), required=False)

    def __init__(self, *args: object, agency_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["leader"].queryset = StaffMember.objects.filter(  # type: ignore[attr-defined]
            agency_id=agency_id, is_active=True
        ).select_related("user")
