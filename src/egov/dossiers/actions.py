"""The officer's action panel: which actions a user may take on a dossier now, and the service
each one calls. The workspace page and the API (`POST /dossiers/{code}/actions`) both go
through `allowed_for` and `perform`, so they offer and refuse the same things.

What is offered comes from the workflow (`available_actions(instance, user)`, the step's roles
in the handling agency) plus the intake decisions on a dossier submitted online (accept,
request a supplement, refuse: one-stop officers of the receiving agency). Whatever is offered,
the service decides again and refuses with its reason (`AppError`), changing nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.errors import AppError, ValidationFailed
from egov.dossiers import selectors, services
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.policy import can_on_dossier
from egov.workflow.models import Action
from egov.workflow.services import available_actions


@dataclass(frozen=True)
class Offered:
    code: str
    label: Any
    form: str  # "note", "forward", "list", "result"


LABELS: dict[str, Any] = {
    "accept": gettext_lazy("Tiếp nhận hồ sơ"),
    "forward": gettext_lazy("Chuyển xử lý"),
    "return": gettext_lazy("Trả lại bước trước"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung"),
    "refuse": gettext_lazy("Từ chối giải quyết"),
    "approve": gettext_lazy("Phê duyệt"),
    "attach_result": gettext_lazy("Đính kèm kết quả"),
    "sign_result": gettext_lazy("Ký kết quả"),
    "return_result": gettext_lazy("Trả kết quả"),
    "suspend": gettext_lazy("Tạm dừng"),
    "resume": gettext_lazy("Tiếp tục"),
}
FORMS = {
    "forward": "forward",
    "request_supplement": "list",
    "refuse": "list",
    "attach_result": "result",
    "return_result": "return",
}
# Actions the applicant takes (never offered to officers here).
APPLICANT_ONLY = {Action.SUBMIT, Action.SUPPLEMENT, Action.WITHDRAW}


def _offer(code: str) -> Offered:
    return Offered(code, LABELS.get(code, code), FORMS.get(code, "note"))


def allowed_for(user: Any, dossier: Dossier) -> list[Offered]:
    """The actions to offer `user` on `dossier` now, in a stable order."""
    codes: list[str] = []
    if dossier.status == DossierStatus.SUBMITTED:
        if can_on_dossier(user, "dossier.intake", dossier):
            codes += ["accept", "request_supplement", "refuse"]
        return [_offer(c) for c in codes]
    instance = dossier.workflow_instance
    if instance is not None and can_on_dossier(user, "dossier.process", dossier):
        for action in available_actions(instance, user):
            if action in APPLICANT_ONLY:
                continue
            codes.append(str(action.value))
        if Action.SIGN_RESULT in codes or Action.APPROVE in codes:
            codes.insert(0, "attach_result")
    if (
        dossier.status == DossierStatus.RESULT_READY
        and "return_result" not in codes
        and can_on_dossier(user, "dossier.return_result", dossier)
    ):
        codes.append("return_result")
    return [_offer(c) for c in dict.fromkeys(codes)]


def _list(data: Mapping[str, Any], field: str = "items") -> list[str]:
    raw = data.get(field)
    if isinstance(raw, list | tuple):
        items = [str(i).strip() for i in raw]
    else:
        items = [line.strip() for line in str(raw or "").splitlines()]
    return [i for i in items if i]


def perform(
    *,
    user: Any,
    dossier: Dossier,
    action: str,
    data: Mapping[str, Any],
    files: Mapping[str, Any] | None = None,
) -> str:
    """Take `action` through its service; returns the message to show. Refusals raise."""
    offered = {o.code for o in allowed_for(user, dossier)}
    if action not in LABELS:
        raise ValidationFailed(
            _("Hành động “%(action)s” không tồn tại.") % {"action": action},
            fields={"action": [_("Hành động không hợp lệ.")]},
        )
    if action not in offered:
        raise AppError(
            "dossier_action_not_allowed",
            _("Không thể “%(action)s” hồ sơ %(code)s lúc này (trạng thái: %(status)s).")
            % {
                "action": LABELS[action],
                "code": dossier.code,
                "status": dossier.get_status_display(),
            },
            status=409,
        )
    note = str(data.get("note") or "")
    if action == "accept":
        services.dossier_accept(actor=user, dossier=dossier, note=note)
    elif action == "request_supplement":
        services.dossier_request_supplement(
            actor=user, dossier=dossier, items=_list(data), note=note
        )
    elif action == "refuse":
        services.dossier_refuse(actor=user, dossier=dossier, reasons=_list(data))
    elif action == "attach_result":
        upload = (files or {}).get("file")
        if upload is None:
            raise ValidationFailed(
                _("Vui lòng chọn tệp kết quả."), fields={"file": [_("Vui lòng chọn tệp.")]}
            )
        services.dossier_attach_result(
            actor=user, dossier=dossier, upload=upload, name=note or dossier.procedure.result_type
        )
    elif action == "sign_result":
        services.dossier_sign_result(actor=user, dossier=dossier, note=note)
    elif action == "return_result":
        channel = str(data.get("channel") or dossier.result_channel or "")
        if not channel:
            channel = "online" if dossier.channel == "online" else "counter"
        services.dossier_return_result(actor=user, dossier=dossier, channel=channel)
    elif action == "suspend":
        services.dossier_suspend(actor=user, dossier=dossier, reason=note)
    elif action == "resume":
        services.dossier_resume(actor=user, dossier=dossier, note=note)
    else:
        assignee = None
        if action == "forward" and data.get("assignee"):
            assignee = selectors.staff_by_public_id(str(data["assignee"]))
            if assignee is None:
                raise ValidationFailed(
                    _("Người nhận không hợp lệ."), fields={"assignee": [_("Không tìm thấy.")]}
                )
        services.dossier_act(
            actor=user, dossier=dossier, action=action, note=note, to_assignee=assignee
        )
    return _("Đã thực hiện “%(action)s” cho hồ sơ %(code)s.") % {
        "action": LABELS[action],
        "code": dossier.code,
    }


def apologise(*, user: Any, dossier: Dossier, data: Mapping[str, Any]) -> None:
    services.dossier_apologise(
        actor=user,
        dossier=dossier,
        new_due_at=data["new_due_date"],
        reason=data["reason"],
    )


def form_rows(dossier: Dossier) -> list[tuple[str, Any]]:
    """The dossier's form data with the procedure's labels, in the schema's order."""
    schema = list(dossier.procedure.form_schema or [])
    data = dossier.form_data or {}
    rows = [(str(spec.get("label", spec["name"])), data.get(spec["name"])) for spec in schema]
    known = {spec["name"] for spec in schema}
    rows += [(name, value) for name, value in data.items() if name not in known]
    return rows
