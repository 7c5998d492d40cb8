"""Pages: the public catalogue (/thu-tuc/) and its administration in the workspace
(/app/thu-tuc/). Views ask the policy, read through selectors and write through services."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.core.errors import NotFound, ValidationFailed
from egov.core.files import file_response
from egov.core.pages import answers_app_errors, paginate
from egov.policy.engine import require
from egov.procedures import catalogue, selectors, services
from egov.procedures.models import ApplicantType, GovernmentLevel, Procedure, ReceivingScope

PAGE_SIZE = 20
MANAGE_PAGE_SIZE = 50
ONLINE_SUBMISSION_URL = "/dich-vu-cong/nop/{code}/"  # the dossiers' intake page


# --- portal ----------------------------------------------------------------------------------


@answers_app_errors
def catalogue_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "procedure.view_public")
    params = {
        "q": request.GET.get("q", "").strip()[:200],
        "field": request.GET.get("linh-vuc", "").strip(),
        "agency": request.GET.get("co-quan", "").strip(),
        "level": request.GET.get("muc-do", "").strip(),
    }
    rows = selectors.catalogue_search(
        q=params["q"], field=params["field"], agency=params["agency"], level=params["level"]
    )
    page, query = paginate(request, rows, PAGE_SIZE)
    return render(
        request,
        "procedures/catalogue.html",
        {"page": page, "query": query, "options": selectors.filter_options(), **params},
    )


@answers_app_errors
def procedure_page(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "procedure.view_public")
    procedure = selectors.procedure_detail(code=code)
    return render(
        request,
        "procedures/procedure.html",
        {
            "procedure": procedure,
            "submit_url": ONLINE_SUBMISSION_URL.format(code=procedure.code),
        },
    )


@answers_app_errors
def template_download(request: HttpRequest, code: str, paper_id: int) -> HttpResponseBase:
    require(request.user, "procedure.view_public")
    paper = selectors.paper_template(code=code, paper_id=paper_id)
    assert paper.template is not None
    return file_response(paper.template)


# --- workspace -----------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh mục (JSON hoặc XLSX)"),
        help_text=gettext_lazy(
            "Thủ tục đã có được cập nhật theo mã; tệp có lỗi thì không nhập gì."
        ),
    )


@staff_required
@answers_app_errors
def manage_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "procedure.manage")
    q = request.GET.get("q", "").strip()[:200]
    rows = selectors.catalogue_search(q=q, published_only=False)
    page, query = paginate(request, rows, MANAGE_PAGE_SIZE)
    return render(
        request,
        "procedures/manage_list.html",
        {"page": page, "query": query, "q": q, "import_form": ImportForm()},
    )


@staff_required
@require_POST
@answers_app_errors
def manage_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "procedure.manage")
    form = ImportForm(request.POST, request.FILES)
    errors: list[catalogue.RowError] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = catalogue.read_file(upload.name or "", upload.read())
        try:
            report = services.catalogue_import(
                actor=request.user, rows=parsed.rows, fields=parsed.fields, errors=parsed.errors
            )
        except services.CatalogueImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(
                request,
                _("Đã nhập %(t)d thủ tục: %(c)d mới, %(u)d cập nhật, %(s)d giữ nguyên.")
                % {
                    "t": report.total,
                    "c": len(report.created),
                    "u": len(report.updated),
                    "s": len(report.unchanged),
                },
            )
            return HttpResponseRedirect(reverse("workspace:procedures:list"))
    rows = selectors.catalogue_search(published_only=False)
    page, query = paginate(request, rows, MANAGE_PAGE_SIZE)
    return render(
        request,
        "procedures/manage_list.html",
        {"page": page, "query": query, "q": "", "import_form": form, "import_errors": errors},
        status=422,
    )


@staff_required
@answers_app_errors
def manage_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "procedure.manage")
    fmt = request.GET.get("dinh-dang", "json")
    rows = selectors.procedures_for_export()
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        response = HttpResponse(
            catalogue.write_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"thu-tuc-{stamp}.xlsx"
    else:
        response = HttpResponse(catalogue.write_json(rows), content_type="application/json")
        name = f"thu-tuc-{stamp}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ProcedureForm(forms.Form):
    """Parses the edit page; the rules live in the services (`procedure_input_errors`)."""

    code = forms.CharField(label=gettext_lazy("Mã thủ tục"), max_length=20)
    name = forms.CharField(label=gettext_lazy("Tên thủ tục"), max_length=500)
    field = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"))
    level = forms.ChoiceField(label=gettext_lazy("Cấp thực hiện"), choices=GovernmentLevel.choices)
    receiving_scope = forms.ChoiceField(
        label=gettext_lazy("Nơi tiếp nhận"), choices=ReceivingScope.choices
    )
    agencies = forms.MultipleChoiceField(
        label=gettext_lazy("Cơ quan thực hiện"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    legal_working_days = forms.CharField(
        label=gettext_lazy("Thời hạn giải quyết (ngày làm việc)"),
        help_text=gettext_lazy("Dưới 1 (ví dụ 0.5) là giải quyết trong ngày."),
    )
    time_note = forms.CharField(
        label=gettext_lazy("Ghi chú thời hạn"), max_length=500, required=False
    )
    cutoff_time = forms.TimeField(
        label=gettext_lazy("Giờ tiếp nhận cuối ngày"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("Để trống nếu theo giờ của cơ quan."),
    )
    applicant_types = forms.ChoiceField(
        label=gettext_lazy("Đối tượng thực hiện"), choices=ApplicantType.choices
    )
    result_type = forms.CharField(label=gettext_lazy("Kết quả thực hiện"), max_length=500)
    service_level = forms.ChoiceField(label=gettext_lazy("Mức độ dịch vụ công trực tuyến"))
    legal_basis = forms.CharField(
        label=gettext_lazy("Căn cứ pháp lý"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=gettext_lazy("Trình tự thực hiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    conditions = forms.CharField(
        label=gettext_lazy("Yêu cầu, điều kiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    papers = forms.CharField(
        label=gettext_lazy("Thành phần hồ sơ (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=gettext_lazy("Danh sách giấy tờ theo định dạng trong docs/catalogue-format.md."),
    )
    fees = forms.CharField(
        label=gettext_lazy("Phí, lệ phí (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    form_schema = forms.CharField(
        label=gettext_lazy("Biểu mẫu trực tuyến (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    is_published = forms.BooleanField(label=gettext_lazy("Công khai trên cổng"), required=False)

    JSON_FIELDS = ("papers", "fees", "form_schema")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields, levels = selectors.fields_and_levels()
        self.fields["field"].choices = [(f.code, f.name) for f in fields]  # type: ignore[attr-defined]
        self.fields["service_level"].choices = [(lv.code, lv.name) for lv in levels]  # type: ignore[attr-defined]
        self.fields["agencies"].choices = [  # type: ignore[attr-defined]
            (a.code, f"{a.name} ({a.code})") for a in selectors.agency_choices()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.JSON_FIELDS:
            text = (data.get(name) or "").strip()
            try:
                data[name] = json.loads(text) if text else []
            except json.JSONDecodeError as exc:
                self.add_error(name, _("JSON không hợp lệ: %(e)s") % {"e": exc})
        return data

    @classmethod
    def initial_for(cls, procedure: Procedure) -> dict[str, Any]:
        item = catalogue.procedure_as_data(procedure)
        initial = {k: item[k] for k in item if k not in ("process", *cls.JSON_FIELDS)}
        initial["cutoff_time"] = procedure.cutoff_time
        for name in cls.JSON_FIELDS:
            initial[name] = json.dumps(item[name], ensure_ascii=False, indent=2)
        return initial


def _save(request: HttpRequest, form: ProcedureForm, procedure: Procedure | None) -> bool:
    """Turn the form into a service call; put every refusal back on the form."""
    data = dict(form.cleaned_data)
    cutoff = data.get("cutoff_time")
    data["cutoff_time"] = cutoff.strftime("%H:%M") if cutoff else None
    row = catalogue.input_from_data(data, _("biểu mẫu"))
    problems: dict[str, list[str]] = {}
    for error in row.errors:
        problems.setdefault(error.field, []).append(error.reason)
    if not problems and row.data is not None:
        try:
            if procedure is None:
                services.procedure_create(actor=request.user, data=row.data)
            else:
                services.procedure_update(actor=request.user, procedure=procedure, data=row.data)
            return True
        except ValidationFailed as exc:
            problems = dict(exc.fields) or {"-": [exc.message]}
    for name, reasons in problems.items():
        target = name.split("[")[0].split(".")[0]
        field_name = target if target in form.fields else None
        for reason in reasons:
            label = "" if field_name == name else f"{name}: "
            form.add_error(field_name, f"{label}{reason}")
    return False


@staff_required
@answers_app_errors
def manage_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "procedure.manage")
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save(request, form, None):
        messages.success(request, _("Đã thêm thủ tục."))
        return HttpResponseRedirect(
            reverse("workspace:procedures:edit", args=[form.cleaned_data["code"]])
        )
    return render(request, "procedures/manage_edit.html", {"form": form, "procedure": None})


@staff_required
@answers_app_errors
def manage_edit(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "procedure.manage")
    procedure = selectors.procedure_detail(code=code, published_only=False)
    if request.method == "POST":
        form = ProcedureForm(request.POST)
        if form.is_valid() and _save(request, form, procedure):
            messages.success(request, _("Đã lưu thủ tục."))
            return HttpResponseRedirect(
                reverse("workspace:procedures:edit", args=[form.cleaned_data["code"]])
            )
    else:
        form = ProcedureForm(initial=ProcedureForm.initial_for(procedure))
    return render(request, "procedures/manage_edit.html", {"form": form, "procedure": procedure})


@staff_required
@require_POST
@answers_app_errors
def manage_publish(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "procedure.manage")
    procedure = selectors.procedure_detail(code=code, published_only=False)
    publish = request.POST.get("cong-khai") == "1"
    services.procedure_publish(actor=request.user, procedure=procedure, published=publish)
    messages.success(request, _("Đã công khai thủ tục.") if publish else _("Đã ngừng công khai."))
    return HttpResponseRedirect(reverse("workspace:procedures:edit", args=[code]))


@staff_required
@require_POST
@answers_app_errors
def manage_template(request: HttpRequest, code: str, paper_id: int) -> HttpResponse:
    require(request.user, "procedure.manage")
    procedure = selectors.procedure_detail(code=code, published_only=False)
    paper = next((p for p in procedure.papers.all() if p.pk == paper_id), None)
    if paper is None:
        raise NotFound()
    upload = request.FILES.get("mau")
    try:
        services.paper_template_set(actor=request.user, paper=paper, upload=upload)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cập nhật mẫu đơn, tờ khai."))
    return HttpResponseRedirect(reverse("workspace:procedures:edit", args=[code]))
