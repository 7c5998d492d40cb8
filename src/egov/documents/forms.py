"""Forms of the documents' pages: they parse input; the services decide and validate rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.documents import selectors
from egov.documents.models import Channel, Direction, DocumentStatus, SigningAuthority

DATE = forms.DateInput(attrs={"type": "date"})


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.user.full_name or obj.user.username
        return f"{name} – {obj.unit.name}" if obj.unit_id else name


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return StaffChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class DraftForm(forms.Form):
    doc_type = forms.ModelChoiceField(label=_("Loại văn bản"), queryset=selectors.document_types())
    subject = forms.CharField(
        label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    urgency = forms.ModelChoiceField(
        label=_("Độ khẩn"), queryset=selectors.urgencies(), required=False
    )
    secrecy = forms.ModelChoiceField(
        label=_("Độ mật"), queryset=selectors.secrecy_levels(), required=False
    )
    channel = forms.ChoiceField(
        label=_("Hình thức"), choices=Channel.choices, initial=Channel.ELECTRONIC
    )
    recipient_agencies = forms.ModelMultipleChoiceField(
        label=_("Nơi nhận trên hệ thống"),
        queryset=selectors.platform_agencies(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    external_recipients = forms.CharField(
        label=_("Nơi nhận ngoài hệ thống"),
        help_text=_(
            "Mỗi dòng: mã định danh | tên cơ quan (ví dụ 000.00.00.G22 | Văn phòng Chính phủ)."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_date = forms.DateField(label=_("Hạn trả lời"), required=False, widget=DATE)
    issued_amount = forms.IntegerField(
        label=_("Số lượng bản"), required=False, min_value=1, max_value=999
    )
    description = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)
    is_public = forms.BooleanField(label=_("Công khai trên cổng thông tin"), required=False)
    main_file = forms.FileField(
        label=_("Tệp văn bản (PDF hoặc DOCX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    attachment = forms.FileField(label=_("Phụ lục kèm theo"), required=False)

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient_agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = selectors.platform_agencies(exclude_id=agency_id)

    def clean_external_recipients(self) -> list[tuple[str, str]]:
        found = []
        for line in (self.cleaned_data.get("external_recipients") or "").splitlines():
            if not line.strip():
                continue
            organ_id, sep, name = line.partition("|")
            if not sep or not organ_id.strip() or not name.strip():
                raise forms.ValidationError(_("Mỗi dòng ghi: mã định danh | tên cơ quan."))
            found.append((organ_id.strip(), name.strip()))
        return found


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignForm(forms.Form):
    competence = forms.ModelChoiceField(
        label=_("Thẩm quyền ký"), queryset=SigningAuthority.objects.all(), required=False
    )
    position = forms.CharField(label=_("Chức vụ người ký"), max_length=100, required=False)


class IncomingPaperForm(forms.Form):
    doc_type = forms.ModelChoiceField(label=_("Loại văn bản"), queryset=selectors.document_types())
    organ_name = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    organ_id = forms.CharField(
        label=_("Mã định danh cơ quan ban hành"), max_length=13, required=False
    )
    code_number = forms.CharField(label=_("Số"), max_length=11, required=False)
    code_notation = forms.CharField(label=_("Ký hiệu"), max_length=30, required=False)
    issued_date = forms.DateField(label=_("Ngày văn bản"), required=False, widget=DATE)
    subject = forms.CharField(
        label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer_full_name = forms.CharField(label=_("Người ký"), max_length=50, required=False)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=100, required=False)
    urgency = forms.ModelChoiceField(
        label=_("Độ khẩn"), queryset=selectors.urgencies(), required=False
    )
    secrecy = forms.ModelChoiceField(
        label=_("Độ mật"), queryset=selectors.secrecy_levels(), required=False
    )
    page_amount = forms.IntegerField(label=_("Số trang"), required=False, min_value=1)
    due_date = forms.DateField(label=_("Hạn trả lời"), required=False, widget=DATE)
    scan = forms.FileField(label=_("Bản quét (PDF)"), required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây không phải văn bản đã vào sổ"), required=False
    )

    def metadata(self) -> dict[str, Any]:
        data = self.cleaned_data
        urgency, secrecy = data.get("urgency"), data.get("secrecy")
        return {
            "type": data["doc_type"],
            "code_number": data.get("code_number") or "",
            "code_notation": data.get("code_notation") or "",
            "issued_date": data.get("issued_date"),
            "subject": data["subject"],
            "signer_full_name": data.get("signer_full_name") or "",
            "signer_position": data.get("signer_position") or "",
            "priority": urgency.edxml_code if urgency else 0,
            "secrecy": secrecy.level if secrecy else 0,
            "page_amount": data.get("page_amount"),
            "due_date": data.get("due_date"),
            "channel": Channel.PAPER,
        }


class SubmitToLeaderForm(forms.Form):
    leader = StaffChoiceField(label=_("Lãnh đạo"), queryset=selectors.staff_of_agency(0))
    note = forms.CharField(label=_("Ghi chú"), required=False)

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = selectors.leaders_of_agency(agency_id)  # type: ignore[attr-defined]


class DirectForm(forms.Form):
    instruction = forms.CharField(
        label=_("Ý kiến chỉ đạo"), widget=forms.Textarea(attrs={"rows": 3})
    )
    main_handler = StaffChoiceField(label=_("Xử lý chính"), queryset=selectors.staff_of_agency(0))
    co_handlers = StaffMultipleChoiceField(
        label=_("Phối hợp"), queryset=selectors.staff_of_agency(0), required=False
    )
    for_information = StaffMultipleChoiceField(
        label=_("Nhận để biết"), queryset=selectors.staff_of_agency(0), required=False
    )
    working_days = forms.IntegerField(
        label=_("Hạn xử lý (số ngày làm việc)"),
        help_text=_("Tính theo lịch làm việc của cơ quan (bỏ qua ngày nghỉ, lễ, Tết)."),
        required=False,
        min_value=1,
        max_value=365,
    )

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("main_handler", "co_handlers", "for_information"):
            self.fields[name].queryset = selectors.staff_of_agency(agency_id)  # type: ignore[attr-defined]


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number_notation or _('(chưa có số)')} – {obj.subject[:80]}"


class ReplyForm(forms.Form):
    outgoing_document = DocumentChoiceField(
        label=_("Văn bản đi trả lời"), queryset=selectors.outgoing_none()
    )

    def __init__(self, *args: Any, user: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outgoing_document"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.reply_candidates(user, agency_id)


class CaseFileForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    notation = forms.CharField(label=_("Số và ký hiệu hồ sơ"), max_length=20)
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=500)
    retention = forms.CharField(label=_("Thời hạn bảo quản"), max_length=30, initial="10 năm")
    description = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class AddToCaseFileForm(forms.Form):
    case_file = forms.ModelChoiceField(label=_("Hồ sơ"), queryset=selectors.case_files(0))

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_file"].queryset = selectors.case_files(agency_id).filter(status="open")  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=200)
    direction = forms.ChoiceField(
        label=_("Chiều"), choices=[("", _("Tất cả")), *list(Direction.choices)], required=False
    )
    doc_type = forms.ModelChoiceField(
        label=_("Loại văn bản"), queryset=selectors.document_types(), required=False
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả")), *list(DocumentStatus.choices)],
        required=False,
    )
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE)
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        choices=[
            ("moi-nhat", _("Mới nhất")),
            ("cu-nhat", _("Cũ nhất")),
            ("so-den", _("Số đến")),
            ("trich-yeu", _("Trích yếu")),
        ],
        required=False,
    )


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm văn bản"), required=False, max_length=200)
    doc_type = forms.ModelChoiceField(
        label=_("Loại văn bản"), queryset=selectors.document_types(), required=False
    )
