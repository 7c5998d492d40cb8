"""Pages: the workspace's agencies and staff (/app/co-quan/) and the public directory (/co-quan/).

Views ask the policy, read through selectors and write through services; an `AppError`
becomes a 404/403 page or form errors.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.audit.selectors import history_for
from egov.core.errors import AppError, NotFound, PermissionDenied, ValidationFailed
from egov.core.pages import answers_app_errors, paginate
from egov.organisations import selectors, services
from egov.organisations.models import RoleCode, StaffMember
from egov.policy.engine import can, require

STAFF_PAGE_SIZE = 25
DIRECTORY_PAGE_SIZE = 30


# --- workspace -----------------------------------------------------------------------------


@staff_required
@answers_app_errors
def agency_tree(request: HttpRequest) -> HttpResponse:
    require(request.user, "agency.view")
    nodes = selectors.agency_tree_flat()
    rows = [(node, can(request.user, "agency.view", node.agency)) for node in nodes]
    return render(request, "organisations/tree.html", {"rows": rows})


@staff_required
@answers_app_errors
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = selectors.agency_detail(user=request.user, code=code)
    q = request.GET.get("q", "").strip()
    staff = selectors.staff_of_agency(user=request.user, agency=agency, q=q)
    page, query = paginate(request, staff, STAFF_PAGE_SIZE)
    me = selectors.staff_for_user(user=request.user)
    return render(
        request,
        "organisations/agency_detail.html",
        {
            "agency": agency,
            "units": selectors.agency_units(agency=agency),
            "page": page,
            "query": query,
            "q": q,
            "delegations": selectors.active_delegations(agency=agency),
            "history": history_for(agency),
            "may_delegate": me is not None
            and me.agency_id == agency.pk
            and can(request.user, "delegation.create", me),
        },
    )


@staff_required
@answers_app_errors
def staff_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    staff = selectors.staff_detail(user=request.user, public_id=public_id)
    delegations = list(selectors.delegations_of(staff=staff))
    return render(
        request,
        "organisations/staff_detail.html",
        {
            "staff": staff,
            "delegations": delegations,
            "may_revoke": {
                d.pk
                for d in delegations
                if d.delegator.user_id == request.user.pk and d.revoked_at is None
            },
            "history": history_for(staff),
        },
    )


def _local(value: Any) -> str:
    return value.strftime("%Y-%m-%dT%H:%M") if value else ""


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        position = obj.position.name if obj.position else _("chưa có chức vụ")
        return f"{obj.user} – {position}"


class DelegationForm(forms.Form):
    """Only parses the input: the rules live in `services.delegation_create`."""

    delegate = StaffChoiceField(
        label=gettext_lazy("Người được ủy quyền"), queryset=StaffMember.objects.none()
    )
    role = forms.ChoiceField(label=gettext_lazy("Vai trò ủy quyền"))
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Từ"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Đến"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    reason = forms.CharField(label=gettext_lazy("Lý do, căn cứ"), max_length=300, required=False)

    def __init__(self, *args: Any, delegator: StaffMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        delegate_field = self.fields["delegate"]
        assert isinstance(delegate_field, forms.ModelChoiceField)
        delegate_field.queryset = selectors.delegation_candidates(delegator=delegator)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r.code, RoleCode(r.code).label) for r in delegator.roles.all()]

    def add_service_errors(self, exc: AppError) -> None:
        if not exc.fields:
            self.add_error(None, exc.message)
        for field, messages_ in exc.fields.items():
            for message in messages_:
                self.add_error(field if field in self.fields else None, message)


@staff_required
@answers_app_errors
def delegation_create(request: HttpRequest) -> HttpResponse:
    me = selectors.staff_for_user(user=request.user)
    if me is None:
        raise PermissionDenied()
    require(request.user, "delegation.create", me)
    form = DelegationForm(request.POST or None, delegator=me)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_create(
                actor=request.user,
                delegator=me,
                delegate=form.cleaned_data["delegate"],
                role=form.cleaned_data["role"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Đã lập ủy quyền."))
            return HttpResponseRedirect(
                reverse("workspace:organisations:staff", args=[me.public_id])
            )
    return render(
        request,
        "organisations/delegation_form.html",
        {"form": form, "delegator": me},
        status=422 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
@answers_app_errors
def delegation_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    delegation = selectors.delegation_get(public_id=public_id)
    if not can(request.user, "staff.view", delegation.delegator):
        raise NotFound()
    try:
        services.delegation_revoke(actor=request.user, delegation=delegation)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thu hồi ủy quyền."))
    return HttpResponseRedirect(
        reverse("workspace:organisations:staff", args=[delegation.delegator.public_id])
    )


# --- public portal -------------------------------------------------------------------------


@answers_app_errors
def directory(request: HttpRequest) -> HttpResponse:
    require(request.user, "agency.view_public")
    q = request.GET.get("q", "").strip()
    page, query = paginate(request, selectors.agency_directory(q=q), DIRECTORY_PAGE_SIZE)
    return render(request, "organisations/directory.html", {"page": page, "query": query, "q": q})


@answers_app_errors
def public_agency(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "agency.view_public")
    agency = selectors.agency_get(code=code, include_inactive=False)
    return render(request, "organisations/public_agency.html", {"agency": agency})
