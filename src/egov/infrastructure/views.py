"""Pages under /app/ha-tang/: ratios per agency, an agency's inventory, import, and the forms
adding, editing and retiring one item (computer, server, network link, information system).

Views ask the policy, read through selectors and write through services (the import goes
through `importing.import_inventory`, which calls them)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.core.errors import AppError, NotFound
from egov.core.pages import show_refusal
from egov.infrastructure import forms, selectors, services
from egov.infrastructure.importing import import_inventory, read_workbook
from egov.infrastructure.models import SystemKind
from egov.infrastructure.policy import access_item_for_staff
from egov.organisations.importing import ImportRefused
from egov.organisations.models import Agency
from egov.policy.engine import can

UPLOAD_LIMIT = 5 * 1024 * 1024


@dataclass(frozen=True)
class ItemKind:
    """One kind of inventory item as the pages see it: URL slug, words, form, services."""

    kind: str  # key of policy.ITEM_MODELS
    noun: str  # the keyword argument naming the item in its update/retire services
    label: Any
    form: type[forms.ItemForm]
    fields: tuple[str, ...]
    create: Callable[..., Any]
    update: Callable[..., Any]
    retire: Callable[..., Any]
    anchor: str


ITEM_KINDS: dict[str, ItemKind] = {
    "may-tinh": ItemKind(
        "computer",
        "computer",
        _l("máy tính"),
        forms.ComputerForm,
        ("asset_tag", "kind", "year", "serves", "status"),
        services.computer_create,
        services.computer_update,
        services.computer_retire,
        "may-tinh",
    ),
    "may-chu": ItemKind(
        "server",
        "server",
        _l("máy chủ"),
        forms.ServerForm,
        ("name", "purpose", "year", "status"),
        services.server_create,
        services.server_update,
        services.server_retire,
        "may-chu",
    ),
    "ket-noi": ItemKind(
        "link",
        "link",
        _l("kết nối mạng"),
        forms.LinkForm,
        ("kind", "provider", "bandwidth_mbps", "is_active"),
        services.link_create,
        services.link_update,
        services.link_retire,
        "ket-noi",
    ),
    "he-thong": ItemKind(
        "system",
        "system",
        _l("hệ thống thông tin"),
        forms.SystemForm,
        ("name", "kind", "vendor", "status", "since"),
        services.system_create,
        services.system_update,
        services.system_retire,
        "he-thong",
    ),
}


def _overview(request: HttpRequest, *, errors: list[str], status: int = 200) -> HttpResponse:
    return render(
        request,
        "infrastructure/overview.html",
        {
            "facts": selectors.infrastructure_facts(request.user),
            "kinds": SystemKind.choices,
            "may_record": can(request.user, "infrastructure.record"),
            "own_agency": _own_agency(request),
            "errors": errors,
        },
        status=status,
    )


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "infrastructure.view"):
        raise DjangoPermissionDenied
    return _overview(request, errors=[])


def _visible_agency(request: HttpRequest, public_id: UUID) -> Agency:
    agency = selectors.visible_agencies(request.user).filter(public_id=public_id).first()
    if agency is None:
        raise Http404(_("Không tìm thấy."))
    return agency  # type: ignore[no-any-return]


def _own_agency(request: HttpRequest) -> Agency | None:
    """The user's own agency, for the link to its inventory (it may have no fact row yet)."""
    staff = getattr(request.user, "staff", None)
    if staff is None or not staff.is_active:
        return None
    return staff.agency  # type: ignore[no-any-return]


@staff_required
def agency_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    agency = _visible_agency(request, public_id)
    return render(
        request,
        "infrastructure/agency.html",
        {
            "agency": agency,
            "fact": selectors.agency_fact(agency),
            "inventory": selectors.agency_inventory(agency),
            # One answer per page: every row belongs to this agency.
            "may_create": can(request.user, "infrastructure.item_create", agency),
            "may_update": can(request.user, "infrastructure.item_update", agency),
            "may_retire": can(request.user, "infrastructure.item_retire", agency),
        },
    )


# --- one item at a time ----------------------------------------------------------------------


def _item_kind(slug: str) -> ItemKind:
    spec = ITEM_KINDS.get(slug)
    if spec is None:
        raise Http404(_("Không tìm thấy."))
    return spec


def _item(request: HttpRequest, spec: ItemKind, public_id: UUID, action: str) -> Any:
    try:
        return access_item_for_staff(request.user, spec.kind, public_id, action)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _status_of(item: Any) -> str:
    if hasattr(item, "status"):
        return str(item.status)
    return "in_use" if item.is_active else "retired"


def _back(agency: Agency, spec: ItemKind) -> str:
    url = reverse("workspace:infrastructure:agency", args=[agency.public_id])
    return f"{url}#{spec.anchor}"


def _form_page(
    request: HttpRequest, *, agency: Agency, spec: ItemKind, form: Any, item: Any
) -> HttpResponse:
    title = (
        _("Sửa %(what)s") % {"what": spec.label}
        if item is not None
        else _("Thêm %(what)s") % {"what": spec.label}
    )
    return render(
        request,
        "infrastructure/item_form.html",
        {
            "agency": agency,
            "form": form,
            "item": item,
            "title": title,
            "back": _back(agency, spec),
        },
        status=422 if form.errors else 200,
    )


@staff_required
def item_create(request: HttpRequest, public_id: UUID, kind: str) -> HttpResponse:
    spec = _item_kind(kind)
    agency = _visible_agency(request, public_id)
    if not can(request.user, "infrastructure.item_create", agency):
        raise DjangoPermissionDenied
    form = spec.form(request.POST if request.method == "POST" else None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            item = spec.create(actor=request.user, agency=agency, **form.cleaned_data)
        except AppError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request, _("Đã thêm %(what)s “%(o)s”.") % {"what": spec.label, "o": item}
            )
            return HttpResponseRedirect(_back(agency, spec))
    return _form_page(request, agency=agency, spec=spec, form=form, item=None)


@staff_required
def item_update(request: HttpRequest, kind: str, public_id: UUID) -> HttpResponse:
    spec = _item_kind(kind)
    item = _item(request, spec, public_id, "infrastructure.item_update")
    initial = {name: getattr(item, name) for name in spec.fields if hasattr(item, name)}
    if "serves" in initial:
        initial["serves"] = item.serves_id
    form = spec.form(
        request.POST if request.method == "POST" else None,
        agency=item.agency,
        current_status=_status_of(item),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            spec.update(actor=request.user, **{spec.noun: item}, **form.cleaned_data)
        except AppError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Đã lưu %(what)s.") % {"what": spec.label})
            return HttpResponseRedirect(_back(item.agency, spec))
    return _form_page(request, agency=item.agency, spec=spec, form=form, item=item)


@staff_required
def item_retire(request: HttpRequest, kind: str, public_id: UUID) -> HttpResponse:
    spec = _item_kind(kind)
    item = _item(request, spec, public_id, "infrastructure.item_retire")
    form = forms.RetireForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            spec.retire(actor=request.user, reason=form.cleaned_data["reason"], **{spec.noun: item})
        except AppError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request, _("Đã ngừng sử dụng %(what)s “%(o)s”.") % {"what": spec.label, "o": item}
            )
            return HttpResponseRedirect(_back(item.agency, spec))
    return render(
        request,
        "infrastructure/item_retire.html",
        {
            "agency": item.agency,
            "item": item,
            "label": spec.label,
            "form": form,
            "back": _back(item.agency, spec),
        },
        status=422 if form.errors else 200,
    )


@staff_required
@require_POST
def import_file(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "infrastructure.record"):
        raise DjangoPermissionDenied
    upload = request.FILES.get("file")
    if upload is None or Path(upload.name or "").suffix.lower() != ".xlsx":
        return _overview(request, errors=[_("dòng 0: tệp: chỉ nhận tệp .xlsx")], status=422)
    if upload.size is not None and upload.size > UPLOAD_LIMIT:
        return _overview(request, errors=[_("dòng 0: tệp: tệp lớn hơn 5 MB")], status=422)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    with handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    path = Path(handle.name)
    try:
        result = import_inventory(read_workbook(path), actor=request.user)
    except ImportRefused as refused:
        return _overview(request, errors=[str(e) for e in refused.errors], status=422)
    finally:
        path.unlink(missing_ok=True)
    messages.success(request, _("Đã nhập %(n)d dòng.") % {"n": result.total})
    return HttpResponseRedirect(reverse("workspace:infrastructure:overview"))
