"""Page forms of the one-stop shop: they collect input; the rules live in services.

The online submission page is three forms shown together (see `SubmissionForms`):

* the receiving agency, among the procedure's implementing agencies;
* the procedure's own form, built from its data (`procedures.forms_schema.build_form`), whose
  rules are `forms_schema.clean_value` — the same ones the intake service applies;
* one file input per required paper, its ``accept`` attribute from the paper's allowed kinds.

**Uploads across the review step and failed submits.** A browser never re-fills a file input,
so each accepted upload is kept in a short-lived *stash* (`UploadStash`): bytes in the default
file storage under ``staging/dossiers/<yyyymmdd>/<random token>``, and the token in the
applicant's own session (a token from another session is never honoured). When the page is
shown again (an error elsewhere, or "Sửa" from the review page) a kept paper shows its name and
may be replaced; nothing is written to the database until the final "Nộp hồ sơ", which hands
the kept files to the intake service (`file_store` checks them again: kind, size, content).
Stashes are removed after submission, when the draft is abandoned for another procedure, and
in any case are only ever read from the same session; a folder of a past day can be deleted
wholesale (`UploadStash.sweep`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.files import KIND_BY_EXTENSION, KINDS
from egov.procedures.forms_schema import build_form

FIELD_PREFIX = "f"  # the procedure's fields are named f-<name> in the page
STASH_ROOT = "staging/dossiers"
SESSION_KEY = "dossier_draft"


def paper_field_name(paper_id: int) -> str:
    return f"paper_{paper_id}"


def accept_attribute(kinds: Iterable[str]) -> str:
    """``.pdf,application/pdf,.png,image/png`` for the kinds a paper accepts."""
    parts: list[str] = []
    for code in kinds:
        kind = KINDS.get(code)
        if kind is None:
            continue
        parts += [*kind.extensions, kind.content_type]
    return ",".join(dict.fromkeys(parts))


def kinds_label(kinds: Iterable[str]) -> str:
    return ", ".join(KINDS[k].label for k in kinds if k in KINDS)


# --- the three forms -----------------------------------------------------------------------------


class AgencyForm(forms.Form):
    """The receiving agency, chosen by its identifier code among `agencies`."""

    agency = forms.ChoiceField(
        label=gettext_lazy("Cơ quan tiếp nhận hồ sơ"),
        help_text=gettext_lazy("Cơ quan có thẩm quyền giải quyết mà bạn muốn nộp hồ sơ."),
    )

    def __init__(self, *args: Any, agencies: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— Chọn cơ quan —"))] + [(a.code, a.name) for a in agencies]
        field.error_messages["required"] = _("Vui lòng chọn cơ quan tiếp nhận hồ sơ.")
        field.error_messages["invalid_choice"] = _("Cơ quan này không tiếp nhận hồ sơ của thủ tục.")
        if len(agencies) == 1 and not self.is_bound:
            self.initial.setdefault("agency", agencies[0].code)


class PaperInput(forms.ClearableFileInput):
    """A file input that never offers "clear" (a kept paper is replaced by choosing another)."""

    clear_checkbox_label = ""
    template_name = "django/forms/widgets/file.html"


class PaperField(forms.FileField):
    """A required paper: the kinds it accepts and a first size check (the service checks again)."""

    def __init__(self, *, paper: Any, kept: bool = False, **kwargs: Any) -> None:
        self.paper = paper
        self.kinds = list(paper.allowed_kinds or ["pdf", "jpeg", "png"])
        kwargs.setdefault("required", bool(paper.required) and not kept)
        super().__init__(
            label=paper.name,
            widget=PaperInput(attrs={"accept": accept_attribute(self.kinds)}),
            help_text=_("%(copies)s bản (%(form)s). Định dạng: %(kinds)s; tối đa %(mb)s MB.")
            % {
                "copies": paper.copies,
                "form": paper.get_form_display(),
                "kinds": kinds_label(self.kinds),
                "mb": settings.FILES_MAX_BYTES // (1024 * 1024),
            },
            **kwargs,
        )
        self.error_messages["required"] = _("Vui lòng chọn tệp “%(name)s”.") % {"name": paper.name}

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not isinstance(upload, UploadedFile):
            return upload
        name = os.path.basename(upload.name or "")
        declared = KIND_BY_EXTENSION.get(os.path.splitext(name)[1].lower())
        if declared not in self.kinds:
            raise forms.ValidationError(
                _("Tệp “%(name)s” không đúng định dạng. Định dạng cho phép: %(allowed)s.")
                % {"name": name, "allowed": kinds_label(self.kinds)}
            )
        if upload.size is not None and upload.size > settings.FILES_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp “%(name)s” vượt quá dung lượng cho phép (%(mb)s MB).")
                % {"name": name, "mb": settings.FILES_MAX_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Tệp “%(name)s” không có nội dung.") % {"name": name})
        return upload


def papers_form_class(papers: Sequence[Any], kept: Mapping[str, Any]) -> type[forms.Form]:
    """A form with one `PaperField` per required paper; a paper already kept is optional."""
    fields = {
        paper_field_name(p.pk): PaperField(paper=p, kept=paper_field_name(p.pk) in kept)
        for p in papers
    }
    return type("PapersForm", (forms.Form,), fields)


@dataclass
class SubmissionForms:
    """The agency, the procedure's fields and the papers, bound or unbound together."""

    agency: AgencyForm
    fields: forms.Form
    papers: forms.Form

    @classmethod
    def build(
        cls,
        *,
        procedure: Any,
        agencies: Sequence[Any],
        papers: Sequence[Any],
        kept: Mapping[str, Any],
        data: Any = None,
        files: Any = None,
        initial: Mapping[str, Any] | None = None,
    ) -> SubmissionForms:
        initial = dict(initial or {})
        schema_form = build_form(list(procedure.form_schema or []))
        return cls(
            agency=AgencyForm(
                data, agencies=agencies, initial={"agency": initial.get("agency_code", "")}
            ),
            fields=schema_form(data, prefix=FIELD_PREFIX, initial=initial.get("fields") or {}),
            papers=papers_form_class(papers, kept)(data, files),
        )

    def is_valid(self) -> bool:
        results = [f.is_valid() for f in (self.agency, self.fields, self.papers)]
        return all(results)

    @property
    def errors(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for the error summary, in page order."""
        result: list[tuple[str, str, str]] = []
        for form in (self.agency, self.fields, self.papers):
            for name, messages in form.errors.items():
                if name == "__all__":
                    result += [("", "", str(m)) for m in messages]
                    continue
                bound = form[name]
                for message in messages:
                    result.append((bound.auto_id or "", str(bound.label), str(message)))
        return result

    def add_service_errors(self, fields: Mapping[str, list[str]]) -> None:
        """Field errors from a service refusal, put next to the field they name."""
        for name, messages in fields.items():
            target = self._form_for(name)
            for message in messages:
                target[0].add_error(target[1], message)

    def _form_for(self, name: str) -> tuple[forms.Form, str | None]:
        key = name.split(".")[-1]
        if key in ("agency", "agency_code", "receiving_agency"):
            return self.agency, "agency"
        for candidate in (key, key.removeprefix("data."), key.removeprefix("fields.")):
            if candidate in self.fields.fields:
                return self.fields, candidate
        for paper_name in self.papers.fields:
            paper = self.papers.fields[paper_name]
            paper_id = str(getattr(getattr(paper, "paper", None), "pk", ""))
            if key in (paper_name, f"papers[{paper_id}]", f"paper[{paper_id}]", paper_id):
                return self.papers, paper_name
        return self.agency, None


# --- officer pages -------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """Filters of the officer queues (GET); empty means no filter."""

    q = forms.CharField(
        label=gettext_lazy("Mã hồ sơ hoặc người nộp"), required=False, max_length=100
    )
    procedure = forms.CharField(label=gettext_lazy("Mã thủ tục"), required=False, max_length=20)
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), required=False)
    received_from = forms.DateField(
        label=gettext_lazy("Tiếp nhận từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = forms.ChoiceField(label=gettext_lazy("Sắp xếp"), required=False)

    def __init__(
        self,
        *args: Any,
        statuses: Sequence[tuple[str, Any]] = (),
        sorts: Sequence[tuple[str, Any]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        sort_field = self.fields["sort"]
        assert isinstance(status_field, forms.ChoiceField)
        assert isinstance(sort_field, forms.ChoiceField)
        status_field.choices = [("", _("Tất cả")), *list(statuses)]
        sort_field.choices = list(sorts)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ForwardForm(NoteForm):
    assignee = forms.ChoiceField(label=gettext_lazy("Người nhận xử lý"), required=False)

    def __init__(self, *args: Any, assignees: Sequence[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— Theo phân công mặc định —")), *list(assignees)]


class ListForm(forms.Form):
    """A list typed one item per line (missing papers, reasons for a refusal)."""

    items = forms.CharField(
        label=gettext_lazy("Nội dung (mỗi dòng một mục)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines()]
        items = [line for line in lines if line]
        if not items:
            raise forms.ValidationError(_("Vui lòng ghi ít nhất một mục."))
        return items


class ApologyForm(forms.Form):
    new_due_date = forms.DateField(
        label=gettext_lazy("Ngày hẹn trả kết quả mới"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do chậm trả kết quả"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ResultForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp kết quả"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(["pdf"])}),
        help_text=gettext_lazy("Tệp PDF của kết quả giải quyết."),
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False)


class PaymentConfirmForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False)


class RatingForm(forms.Form):
    LEVELS = (
        ("satisfied", gettext_lazy("Hài lòng")),
        ("acceptable", gettext_lazy("Chấp nhận được")),
        ("not_satisfied", gettext_lazy("Không hài lòng")),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Mức độ hài lòng"), choices=LEVELS, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("Góp ý"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã hồ sơ"),
        max_length=40,
        help_text=gettext_lazy("In trên giấy tiếp nhận hồ sơ, ví dụ 000.00.05.H15-250701-0001."),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class PhoneFactorForm(forms.Form):
    phone_last4 = forms.RegexField(
        label=gettext_lazy("4 số cuối điện thoại của người nộp"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": gettext_lazy("Nhập đúng 4 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


# --- the upload stash ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptFile:
    """A paper kept between requests: where its bytes are and the name the user gave it."""

    key: str
    name: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "size": self.size}


class UploadStash:
    """Uploads kept for one session's draft (see the module docstring)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def draft(self) -> dict[str, Any]:
        value = self.session.get(SESSION_KEY)
        return dict(value) if isinstance(value, dict) else {}

    def kept(self, procedure_code: str) -> dict[str, KeptFile]:
        draft = self.draft()
        if draft.get("procedure") != procedure_code:
            return {}
        return {
            name: KeptFile(**value)
            for name, value in (draft.get("papers") or {}).items()
            if isinstance(value, dict) and str(value.get("key", "")).startswith(STASH_ROOT + "/")
        }

    def keep(self, upload: UploadedFile) -> KeptFile:
        day = timezone.localdate().strftime("%Y%m%d")
        name = os.path.basename(upload.name or "tep")[:200]
        key = f"{STASH_ROOT}/{day}/{secrets.token_urlsafe(24)}"
        upload.seek(0)
        stored = default_storage.save(key, upload)
        return KeptFile(key=stored, name=name, size=upload.size or 0)

    def save_draft(
        self,
        *,
        procedure_code: str,
        agency_code: str,
        fields: Mapping[str, Any],
        papers: Mapping[str, KeptFile],
        ready: bool,
    ) -> None:
        previous = self.draft()
        if previous.get("procedure") not in (None, procedure_code):
            self.discard()
        self.session[SESSION_KEY] = {
            "procedure": procedure_code,
            "agency_code": agency_code,
            "fields": dict(fields),
            "papers": {name: kept.as_dict() for name, kept in papers.items()},
            "ready": ready,
        }

    def open(self, kept: KeptFile) -> File:
        handle = default_storage.open(kept.key, "rb")
        return File(handle, name=kept.name)

    def discard(self, *, keep_keys: Iterable[str] = ()) -> None:
        draft = self.draft()
        keep = set(keep_keys)
        for value in (draft.get("papers") or {}).values():
            key = value.get("key", "") if isinstance(value, dict) else ""
            if key.startswith(STASH_ROOT + "/") and key not in keep:
                default_storage.delete(key)
        self.session.pop(SESSION_KEY, None)

    @staticmethod
    def sweep(*, before: date | None = None) -> int:
        """Delete stashes of days before `before` (default: yesterday); how many files."""
        before = before or timezone.localdate() - timedelta(days=1)
        try:
            days, _files = default_storage.listdir(STASH_ROOT)
        except FileNotFoundError:
            return 0
        removed = 0
        for day in days:
            if not day.isdigit() or day >= before.strftime("%Y%m%d"):
                continue
            _dirs, names = default_storage.listdir(f"{STASH_ROOT}/{day}")
            for name in names:
                default_storage.delete(f"{STASH_ROOT}/{day}/{name}")
                removed += 1
        return removed


class ApplicantForm(forms.Form):
    """Who the one-stop officer receives the dossier from (counter intake)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Người nộp là"),
        choices=(
            ("citizen", gettext_lazy("Công dân")),
            ("business", gettext_lazy("Tổ chức, doanh nghiệp")),
        ),
        initial="citizen",
    )
    name = forms.CharField(label=gettext_lazy("Họ tên người nộp / tên tổ chức"), max_length=255)
    id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân / mã số thuế"), max_length=20, required=False
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(label=gettext_lazy("Thư điện tử"), required=False)
    address = forms.CharField(label=gettext_lazy("Địa chỉ"), max_length=500, required=False)


def upload_stash_sweep() -> int:
    """Periodic job target (egov.jobs.schedule): drop upload stashes older than yesterday."""
    return UploadStash.sweep()
