"""The workflow engine: define processes from data, start instances, act on them.

See docs/subsystems/workflow.md. Every function takes keyword-only arguments and an explicit
`actor` (a user; None for the system), runs in one transaction and writes its audit row inside
it. Bad input raises `ValidationFailed` naming the field; an action the process does not allow
now raises `AppError("workflow_action_not_allowed", status=409)`, an actor who may not take it
`AppError("workflow_actor_not_allowed", status=403)`; nothing is written in either case.

Rules in one place:

* **Who acts.** Staff holding one of the step's `actor_roles` in the step's agency (its fixed
  `actor_agency`, else the instance's current agency), and belonging to `actor_unit` when the
  step names one. The applicant acts through the subject's app, which checks ownership and
  passes `applicant_ok=True` (only `withdraw` and `supplement`). Jobs pass `as_system=True`.
* **Outcome of a step** (Trước hạn / Đúng hạn / Quá hạn), see `step_outcome`.
* **Pauses.** `request_supplement` (→ WAITING) and `suspend` (→ SUSPENDED) stop the clock at
  the step; `supplement` and `resume` restart it and shift the step's due and the overall due
  by the working time the clock stood still (counted with the calendar of the agency holding
  the instance).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.services import audit_record
from egov.calendar.arithmetic import DEFAULT_DAY, WorkingCalendar
from egov.core.errors import AppError, ValidationFailed
from egov.organisations.models import Agency, RoleCode, StaffMember, Unit
from egov.policy.engine import Subject, require, subject_for
from egov.workflow.models import (
    Action,
    HistoryEntry,
    Instance,
    InstanceStatus,
    Outcome,
    Process,
    Step,
    StepKind,
    Transition,
)

# The default working day (7:30–11:30, 13:30–17:00): 7.5 h. Legal time in days is turned into
# hours with it when checking step allotments.
WORKING_DAY = sum(
    (
        timedelta(hours=p.end.hour - p.start.hour, minutes=p.end.minute - p.start.minute)
        for p in DEFAULT_DAY
    ),
    timedelta(0),
)
WORKING_DAY_HOURS = Decimal(WORKING_DAY.total_seconds()) / 3600

# Actions that stop the clock, and the status they put the instance in.
PAUSING: dict[str, str] = {
    Action.REQUEST_SUPPLEMENT: InstanceStatus.WAITING,
    Action.SUSPEND: InstanceStatus.SUSPENDED,
}
# Actions that restart it, and the status they end. Never declared: open whenever paused so.
RESUMING: dict[str, str] = {
    Action.SUPPLEMENT: InstanceStatus.WAITING,
    Action.RESUME: InstanceStatus.SUSPENDED,
}
# Actions that end the instance with another status than "completed"; target must be empty.
SIDE_EXITS: dict[str, str] = {
    Action.REFUSE: InstanceStatus.REFUSED,
    Action.WITHDRAW: InstanceStatus.WITHDRAWN,
}
# Actions still open while the clock is stopped (when declared at the step).
OPEN_WHILE_PAUSED = frozenset(SIDE_EXITS)
# What an applicant may do (the subject's app checks who the applicant is).
APPLICANT_ACTIONS = frozenset({Action.WITHDRAW, Action.SUPPLEMENT})
ENDED = frozenset({InstanceStatus.COMPLETED, InstanceStatus.REFUSED, InstanceStatus.WITHDRAWN})
# Rows that do not finish the step get no outcome (withdrawal is the applicant's, not the step's).
NO_OUTCOME = frozenset({*PAUSING, *RESUMING, Action.WITHDRAW})

STEP_KEYS = frozenset(
    {
        "code",
        "name",
        "order",
        "kind",
        "actor_roles",
        "actor_agency",
        "actor_unit",
        "allotted_hours",
        "is_final",
    }
)
TRANSITION_KEYS = frozenset({"source", "action", "target", "label"})
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _progressing(action: str) -> bool:
    """Forward-going actions: not back, not a pause, not a side exit."""
    return action != Action.RETURN and action not in PAUSING and action not in SIDE_EXITS


def _label(action: str) -> str:
    try:
        return str(Action(action).label)
    except ValueError:
        return action


# --- defining processes ----------------------------------------------------------------------


class _Errors:
    """Collects every problem of a definition, so an import shows them all at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if not self.fields:
            return
        first_field, messages = next(iter(self.fields.items()))
        count = sum(len(m) for m in self.fields.values())
        message = _("Quy trình không hợp lệ: %(field)s: %(reason)s") % {
            "field": first_field,
            "reason": messages[0],
        }
        if count > 1:
            message += " " + _("(và %(n)d lỗi khác)") % {"n": count - 1}
        raise ValidationFailed(message, fields=self.fields)


def _decimal(value: Any, *, places: int = 2) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number != number.quantize(Decimal(1).scaleb(-places)):
        return None
    return number


@dataclass
class _StepData:
    index: int
    code: str
    name: str
    order: int
    kind: str
    actor_roles: list[str]
    actor_agency: Agency | None
    actor_unit: Unit | None
    allotted_hours: Decimal
    is_final: bool


@dataclass
class _TransitionData:
    index: int
    source: str
    action: str
    target: str | None
    label: str


def _parse_step(i: int, raw: Any, errors: _Errors) -> _StepData | None:
    where = f"steps[{i}]"
    if not isinstance(raw, Mapping):
        errors.add(where, _("Mỗi bước phải là một đối tượng (code, name, …)."))
        return None
    for key in sorted(set(raw) - STEP_KEYS):
        errors.add(f"{where}.{key}", _("Trường không được hỗ trợ."))
    code = raw.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code) or len(code) > 60:
        errors.add(
            f"{where}.code",
            _("Mã bước phải gồm chữ thường không dấu, số, '-' hoặc '_' (tối đa 60 ký tự)."),
        )
        code = f"#{i}"
    label = f"{where} ({code})"
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        errors.add(f"{label}.name", _("Tên bước là bắt buộc (tối đa 255 ký tự)."))
        name = ""
    order = raw.get("order", i + 1)
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= 32767:
        errors.add(f"{label}.order", _("Thứ tự phải là số nguyên dương."))
        order = 0
    kind = raw.get("kind", StepKind.PROCESSING)
    if kind not in StepKind.values:
        errors.add(
            f"{label}.kind",
            _("Loại bước không hợp lệ; chọn một trong: %(kinds)s.")
            % {"kinds": ", ".join(StepKind.values)},
        )
        kind = StepKind.PROCESSING
    is_final = raw.get("is_final", False)
    if not isinstance(is_final, bool):
        errors.add(f"{label}.is_final", _("Phải là true hoặc false."))
        is_final = False
    roles = raw.get("actor_roles", [])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        errors.add(f"{label}.actor_roles", _("Vai trò phải là một danh sách mã vai trò."))
        roles = []
    unknown = [r for r in roles if r not in RoleCode.values]
    if unknown:
        errors.add(
            f"{label}.actor_roles",
            _("Vai trò không tồn tại: %(roles)s (có: %(known)s).")
            % {"roles": ", ".join(unknown), "known": ", ".join(RoleCode.values)},
        )
    if len(set(roles)) != len(roles):
        errors.add(f"{label}.actor_roles", _("Vai trò bị lặp."))
    if not roles and not is_final:
        errors.add(
            f"{label}.actor_roles", _("Bước chưa kết thúc phải có ít nhất một vai trò xử lý.")
        )
    agency: Agency | None = None
    agency_code = raw.get("actor_agency")
    if agency_code is not None:
        agency = (
            Agency.objects.filter(code=agency_code, is_active=True).first()
            if isinstance(agency_code, str)
            else None
        )
        if agency is None:
            errors.add(
                f"{label}.actor_agency",
                _("Không có cơ quan đang hoạt động với mã định danh %(code)s.")
                % {"code": agency_code},
            )
    unit: Unit | None = None
    unit_abbr = raw.get("actor_unit")
    if unit_abbr is not None:
        if agency_code is None:
            errors.add(f"{label}.actor_unit", _("Chỉ định đơn vị thì phải chỉ định cơ quan."))
        elif agency is not None:
            unit = (
                Unit.objects.filter(agency=agency, abbreviation=unit_abbr, is_active=True).first()
                if isinstance(unit_abbr, str)
                else None
            )
            if unit is None:
                errors.add(
                    f"{label}.actor_unit",
                    _("Cơ quan %(agency)s không có đơn vị %(unit)s.")
                    % {"agency": agency.abbreviation, "unit": unit_abbr},
                )
    hours = _decimal(raw.get("allotted_hours", 0))
    if hours is None or not Decimal(0) <= hours < Decimal(100000):
        errors.add(
            f"{label}.allotted_hours",
            _("Thời gian xử lý phải là số giờ làm việc từ 0 (tối đa 2 chữ số thập phân)."),
        )
        hours = Decimal(0)
    elif is_final and hours:
        errors.add(
            f"{label}.allotted_hours",
            _("Bước kết thúc không có thời gian xử lý (quy trình dừng khi tới bước này)."),
        )
    return _StepData(i, code, name.strip(), order, kind, roles, agency, unit, hours, is_final)


def _parse_transition(
    i: int, raw: Any, steps: Mapping[str, _StepData], errors: _Errors
) -> _TransitionData | None:
    where = f"transitions[{i}]"
    if not isinstance(raw, Mapping):
        errors.add(where, _("Mỗi chuyển bước phải là một đối tượng (source, action, target)."))
        return None
    for key in sorted(set(raw) - TRANSITION_KEYS):
        errors.add(f"{where}.{key}", _("Trường không được hỗ trợ."))
    source, action, target = raw.get("source"), raw.get("action"), raw.get("target")
    label = raw.get("label", "") or ""
    ok = True
    if source not in steps:
        errors.add(f"{where}.source", _("Không có bước %(code)s.") % {"code": source})
        ok = False
    if action not in Action.values:
        errors.add(
            f"{where}.action",
            _("Hành động không hợp lệ; chọn một trong: %(actions)s.")
            % {"actions": ", ".join(Action.values)},
        )
        ok = False
    if target is not None and target not in steps:
        errors.add(f"{where}.target", _("Không có bước %(code)s.") % {"code": target})
        ok = False
    if not isinstance(label, str) or len(label) > 120:
        errors.add(f"{where}.label", _("Nhãn tối đa 120 ký tự."))
        label = ""
    if not ok:
        return None
    assert isinstance(source, str) and isinstance(action, str)
    src = steps[source]
    tgt = steps[target] if target is not None else None
    where = f"{where} ({source} → {_label(action)})"
    if src.is_final:
        errors.add(f"{where}.source", _("Bước kết thúc không có hành động: quy trình dừng ở đó."))
    elif action in RESUMING:
        errors.add(
            f"{where}.action",
            _("Không khai báo '%(action)s': hành động này tự có khi hồ sơ đang tạm dừng.")
            % {"action": _label(action)},
        )
    elif action in PAUSING:
        if tgt is not None and tgt.code != src.code:
            errors.add(
                f"{where}.target",
                _("'%(action)s' giữ hồ sơ ở bước hiện tại; bỏ trống bước đến.")
                % {"action": _label(action)},
            )
        target = None
    elif action in SIDE_EXITS:
        if tgt is not None:
            errors.add(
                f"{where}.target",
                _("'%(action)s' kết thúc quy trình; bỏ trống bước đến.")
                % {"action": _label(action)},
            )
    elif action == Action.RETURN:
        if tgt is None or tgt.order >= src.order:
            errors.add(f"{where}.target", _("Trả lại phải về một bước có thứ tự nhỏ hơn."))
    elif tgt is not None and tgt.order <= src.order:
        errors.add(
            f"{where}.target",
            _("Chuyển tiếp phải tới bước có thứ tự lớn hơn (hoặc bỏ trống để kết thúc)."),
        )
    return _TransitionData(i, source, action, target, label.strip())


def _check_graph(
    steps: list[_StepData],
    transitions: list[_TransitionData],
    legal_days: Decimal | None,
    errors: _Errors,
) -> None:
    """Reachability, a way to the end from every step, and the allotments of the longest path."""
    by_code = {s.code: s for s in steps}
    forward: dict[str, list[str | None]] = {s.code: [] for s in steps}
    seen: set[tuple[str, str]] = set()
    for t in transitions:
        if (t.source, t.action) in seen:
            errors.add(
                f"transitions[{t.index}]",
                _("Bước %(step)s đã có hành động '%(action)s'.")
                % {"step": t.source, "action": _label(t.action)},
            )
        seen.add((t.source, t.action))
        if _progressing(t.action):
            forward[t.source].append(t.target)
    for s in steps:
        if not s.is_final and not forward[s.code]:
            errors.add(
                f"steps[{s.index}] ({s.code})",
                _(
                    "Bước chưa kết thúc phải có ít nhất một hành động chuyển tiếp (không tính trả "
                    "lại, yêu cầu bổ sung, tạm dừng, từ chối, rút hồ sơ)."
                ),
            )
    if errors.fields:
        return
    first = min(steps, key=lambda s: s.order)
    if first.is_final:
        errors.add(
            f"steps[{first.index}] ({first.code})", _("Bước đầu tiên không thể là bước kết thúc.")
        )
        return
    # Forward transitions go to larger orders, so the forward graph has no cycle: walk it in
    # order, keeping the longest allotment from the first step and the path that gives it.
    best: dict[str, tuple[Decimal, list[str]]] = {first.code: (first.allotted_hours, [first.code])}
    end: tuple[Decimal, list[str]] | None = None
    for s in sorted(steps, key=lambda s: s.order):
        if s.code not in best:
            errors.add(
                f"steps[{s.index}] ({s.code})",
                _("Không có cách nào từ bước đầu tiên tới bước này."),
            )
            continue
        total, path = best[s.code]
        if s.is_final:
            if end is None or total > end[0]:
                end = (total, path)
            continue
        for target in forward[s.code]:
            if target is None:
                if end is None or total > end[0]:
                    end = (total, path)
                continue
            nxt = by_code[target]
            candidate = total + nxt.allotted_hours
            if target not in best or candidate > best[target][0]:
                best[target] = (candidate, [*path, target])
    if end is None:  # pragma: no cover - every step has a forward way out, orders increase
        errors.add("transitions", _("Không có đường từ bước đầu tiên tới khi kết thúc."))
        return
    if legal_days is not None:
        limit = legal_days * WORKING_DAY_HOURS
        total, path = end
        if total > limit:
            errors.add(
                "steps",
                _(
                    "Tổng thời gian các bước trên đường xử lý dài nhất (%(path)s) là %(total)s giờ "
                    "làm việc, vượt thời hạn giải quyết %(days)s ngày làm việc (%(limit)s giờ)."
                )
                % {
                    "path": " → ".join(path),
                    "total": _fmt(total),
                    "days": _fmt(legal_days),
                    "limit": _fmt(limit),
                },
            )


def _fmt(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return text.replace(".", ",")


def process_define(
    *,
    actor: Any,
    code: str,
    name: str,
    legal_working_days: Any,
    steps: Sequence[Mapping[str, Any]],
    transitions: Sequence[Mapping[str, Any]],
    version: int | None = None,
    description: str = "",
) -> Process:
    """Create a new version of process `code` from plain data (see `process_as_data`).

    The new version is the active one; earlier versions are kept (instances keep the version
    they began with) and marked inactive. `actor` is a user asked `workflow.define`, or None for
    the system (imports from the command line).
    """
    if actor is not None:
        require(actor, "workflow.define")
    errors = _Errors()
    if not isinstance(code, str) or not CODE_RE.match(code) or len(code) > 80:
        errors.add("code", _("Mã quy trình phải gồm chữ thường không dấu, số, '-' hoặc '_'."))
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        errors.add("name", _("Tên quy trình là bắt buộc (tối đa 255 ký tự)."))
    if not isinstance(description, str):
        errors.add("description", _("Mô tả phải là văn bản."))
        description = ""
    legal_days: Decimal | None = None
    if legal_working_days is not None:
        legal_days = _decimal(legal_working_days)
        if legal_days is None or not Decimal(0) < legal_days < Decimal(10000):
            errors.add(
                "legal_working_days",
                _("Thời hạn giải quyết phải là số ngày làm việc lớn hơn 0 (hoặc để trống)."),
            )
            legal_days = None
    if version is not None and (
        isinstance(version, bool) or not isinstance(version, int) or version < 1
    ):
        errors.add("version", _("Phiên bản phải là số nguyên dương."))
        version = None
    if not isinstance(steps, Sequence) or isinstance(steps, str) or not steps:
        errors.add("steps", _("Quy trình phải có ít nhất một bước."))
        steps = []
    if not isinstance(transitions, Sequence) or isinstance(transitions, str):
        errors.add("transitions", _("Danh sách chuyển bước không hợp lệ."))
        transitions = []
    parsed = [s for i, raw in enumerate(steps) if (s := _parse_step(i, raw, errors))]
    by_code: dict[str, _StepData] = {}
    orders: dict[int, str] = {}
    for s in parsed:
        if s.code in by_code:
            errors.add(f"steps[{s.index}].code", _("Mã bước %(code)s bị trùng.") % {"code": s.code})
        by_code.setdefault(s.code, s)
        if s.order and s.order in orders:
            errors.add(
                f"steps[{s.index}] ({s.code}).order",
                _("Thứ tự %(order)d trùng với bước %(other)s.")
                % {"order": s.order, "other": orders[s.order]},
            )
        orders.setdefault(s.order, s.code)
    parsed_t = [
        t for i, raw in enumerate(transitions) if (t := _parse_transition(i, raw, by_code, errors))
    ]
    if not errors.fields and parsed:
        _check_graph(parsed, parsed_t, legal_days, errors)
    errors.raise_if_any()

    with transaction.atomic():
        # Lock the earlier versions (none: a concurrent first version fails on the unique key).
        existing = Process.objects.filter(code=code)
        versions = list(existing.select_for_update().values_list("version", flat=True))
        latest = max(versions, default=0)
        if version is None:
            version = latest + 1
        elif version in versions:
            raise ValidationFailed(
                _("Quy trình %(code)s đã có phiên bản %(version)d.")
                % {"code": code, "version": version},
                fields={"version": [_("Phiên bản đã tồn tại.")]},
            )
        try:
            with transaction.atomic():
                process = Process.objects.create(
                    code=code,
                    version=version,
                    name=name.strip(),
                    legal_working_days=legal_days,
                    description=description.strip(),
                    is_active=True,
                )
        except IntegrityError as exc:
            raise AppError(
                "workflow_process_conflict",
                _("Quy trình %(code)s vừa được tạo phiên bản khác; hãy thử lại.") % {"code": code},
                status=409,
            ) from exc
        existing.exclude(pk=process.pk).update(is_active=False)
        rows = {
            s.code: Step.objects.create(
                process=process,
                code=s.code,
                name=s.name,
                order=s.order,
                kind=s.kind,
                actor_roles=s.actor_roles,
                actor_agency=s.actor_agency,
                actor_unit=s.actor_unit,
                allotted_hours=s.allotted_hours,
                is_final=s.is_final,
            )
            for s in parsed
        }
        Transition.objects.bulk_create(
            Transition(
                process=process,
                source=rows[t.source],
                action=t.action,
                target=rows[t.target] if t.target else None,
                label=t.label,
            )
            for t in parsed_t
        )
        audit_record(
            actor=actor,
            action="workflow.define",
            target=process,
            summary=_("Định nghĩa quy trình %(code)s phiên bản %(version)d: %(name)s")
            % {"code": code, "version": version, "name": process.name},
            after=process_as_data(process),
        )
    return process


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def process_as_data(process: Process) -> dict[str, Any]:
    """The process as plain data, the format `process_define` takes (for export and import)."""
    steps = list(process.steps.select_related("actor_agency", "actor_unit").order_by("order"))
    codes = {s.pk: s.code for s in steps}
    transitions = process.transitions.order_by("source__order", "id")
    return {
        "code": process.code,
        "version": process.version,
        "name": process.name,
        "description": process.description,
        "legal_working_days": _number(process.legal_working_days),
        "steps": [
            {
                "code": s.code,
                "name": s.name,
                "order": s.order,
                "kind": s.kind,
                "actor_roles": list(s.actor_roles),
                "actor_agency": s.actor_agency.code if s.actor_agency else None,
                "actor_unit": s.actor_unit.abbreviation if s.actor_unit else None,
                "allotted_hours": _number(s.allotted_hours),
                "is_final": s.is_final,
            }
            for s in steps
        ],
        "transitions": [
            {
                "source": codes[t.source_id],
                "action": t.action,
                "target": codes[t.target_id] if t.target_id else None,
                "label": t.label,
            }
            for t in transitions
        ],
    }


# --- time ------------------------------------------------------------------------------------


def _calendar(agency: Agency) -> WorkingCalendar:
    return WorkingCalendar.for_agency(agency)


def _hours(value: Decimal) -> timedelta:
    return timedelta(seconds=int(value * 3600))


def _step_due(step: Step, agency: Agency, start: datetime) -> datetime | None:
    """Start plus the step's allotment in the agency's working time; None when untimed."""
    if not step.allotted_hours:
        return None
    return _calendar(agency).add_working_hours(start, _hours(Decimal(step.allotted_hours)))


def legal_due(process: Process, agency: Agency, start: datetime) -> datetime | None:
    """The overall due from the legal time: whole days by the Civil Code rule (close of the
    N-th working day after the day of receipt), a fraction of a day in working hours."""
    days = process.legal_working_days
    if not days:
        return None
    days = Decimal(days)
    calendar = _calendar(agency)
    if days == days.to_integral_value():
        return calendar.due_after_working_days(start, int(days))
    return calendar.add_working_hours(start, _hours(days * WORKING_DAY_HOURS))


def step_outcome(*, due_at: datetime | None, acted_at: datetime, tz: tzinfo) -> str:
    """Trước hạn / Đúng hạn / Quá hạn of a step finished at `acted_at`.

    * late (Quá hạn): after the due instant;
    * on time (Đúng hạn): not after the due instant, on the due instant's (local) day;
    * early (Trước hạn): on an earlier day than the due instant's.
    An untimed step (no due) has no outcome ("").
    """
    if due_at is None:
        return ""
    if acted_at > due_at:
        return Outcome.LATE
    if acted_at.astimezone(tz).date() == due_at.astimezone(tz).date():
        return Outcome.ON_TIME
    return Outcome.EARLY


def paused_working_time(instance: Instance, *, at: datetime | None = None) -> timedelta:
    """Working time the clock was stopped: finished pauses, plus the current one up to `at`
    (default now) when the instance is paused. Add it to a due computed from the start."""
    total = instance.paused_working or timedelta(0)
    if instance.paused_at is not None:
        at = at or timezone.now()
        if at > instance.paused_at:
            total += _calendar(instance.agency).working_duration_between(instance.paused_at, at)
    return total


# --- acting ----------------------------------------------------------------------------------


def _not_allowed(action: str, step: Step | None, reason: str) -> AppError:
    if step is None:
        message = _("Không thể %(action)s: %(reason)s") % {
            "action": _label(action).lower(),
            "reason": reason,
        }
    else:
        message = _("Không thể %(action)s ở bước %(step)s: %(reason)s") % {
            "action": _label(action).lower(),
            "step": step.name,
            "reason": reason,
        }
    return AppError(
        "workflow_action_not_allowed",
        message,
        status=409,
        extra={"action": action, "step": step.code if step else None},
    )


def _check_action(
    instance: Instance, action: str, declared: Mapping[str, Transition]
) -> tuple[Transition | None, str]:
    """The declared transition (None for an implicit restart) or a refusal reason."""
    status = instance.status
    if status in ENDED or instance.current_step_id is None:
        return None, _("quy trình đã kết thúc (%(status)s).") % {
            "status": InstanceStatus(status).label
        }
    if action in RESUMING:
        if status == RESUMING[action]:
            return None, ""
        if status == InstanceStatus.ACTIVE:
            return None, _("hồ sơ đang được xử lý, không ở trạng thái %(state)s.") % {
                "state": InstanceStatus(RESUMING[action]).label.lower()
            }
        return None, _("hồ sơ đang ở trạng thái %(state)s.") % {
            "state": InstanceStatus(status).label.lower()
        }
    transition = declared.get(action)
    if transition is None:
        return None, _("bước này không có hành động đó.")
    if status != InstanceStatus.ACTIVE and action not in OPEN_WHILE_PAUSED:
        return None, _("hồ sơ đang ở trạng thái %(state)s.") % {
            "state": InstanceStatus(status).label.lower()
        }
    return transition, ""


def _step_agency_id(instance: Instance, step: Step) -> int:
    return step.actor_agency_id or instance.agency_id


def _staff_refusal(subject: Subject, step: Step, agency_id: int) -> str:
    """Why this staff subject may not act at the step in that agency ("" = may act)."""
    if not subject.is_staff:
        return _("chỉ cán bộ được phân công mới xử lý bước này.")
    wanted = set(step.actor_roles)
    if not subject.roles_in(agency_id) & wanted:
        agency = Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first()
        return _("cần một trong các vai trò %(roles)s tại %(agency)s.") % {
            "roles": ", ".join(str(RoleCode(r).label) for r in step.actor_roles),
            "agency": agency or "",
        }
    if step.actor_unit_id is not None and subject.unit_id != step.actor_unit_id:
        return _("chỉ cán bộ của %(unit)s xử lý bước này.") % {"unit": step.actor_unit}
    return ""


def _actor_refused(action: str, step: Step | None, reason: str) -> AppError:
    return AppError(
        "workflow_actor_not_allowed",
        _("Bạn không được %(action)s ở bước %(step)s: %(reason)s")
        % {"action": _label(action).lower(), "step": step.name if step else "", "reason": reason},
        status=403,
        extra={"action": action, "step": step.code if step else None},
    )


def _authorise(
    *,
    instance: Instance,
    step: Step,
    action: str,
    actor: Any,
    as_system: bool,
    applicant_ok: bool,
) -> int | None:
    """Check who acts; returns the agency the actor acted in (None: system or applicant)."""
    if as_system:
        return None
    if actor is None:
        raise _actor_refused(action, step, _("thiếu người thực hiện."))
    if applicant_ok:
        if action not in APPLICANT_ACTIONS:
            raise _actor_refused(
                action, step, _("người nộp hồ sơ chỉ được rút hoặc bổ sung hồ sơ.")
            )
        return None
    agency_id = _step_agency_id(instance, step)
    reason = _staff_refusal(subject_for(actor), step, agency_id)
    if reason:
        raise _actor_refused(action, step, reason)
    return agency_id


def _check_assignee(assignee: StaffMember, agency: Agency, step: Step, field: str) -> None:
    reason = ""
    if not assignee.is_active or assignee.agency_id != agency.pk:
        reason = _("không phải cán bộ đang công tác tại %(agency)s.") % {"agency": agency.name}
    else:
        reason = _staff_refusal(subject_for(assignee.user), step, agency.pk)
    if reason:
        message = _("Không giao được bước %(step)s cho %(who)s: %(reason)s") % {
            "step": step.name,
            "who": assignee,
            "reason": reason,
        }
        raise ValidationFailed(message, fields={field: [message]})


def _entry_agency(instance: Instance, target: Step, to_agency: Agency | None) -> Agency:
    """Where the instance goes on entering `target`: the step's fixed agency, else the one the
    caller chose, else the agency that held that step last time (a return), else unchanged."""
    if target.actor_agency_id is not None:
        if to_agency is not None and to_agency.pk != target.actor_agency_id:
            message = _("Bước %(step)s do %(agency)s xử lý, không chọn được cơ quan khác.") % {
                "step": target.name,
                "agency": target.actor_agency,
            }
            raise ValidationFailed(message, fields={"to_agency": [message]})
        assert target.actor_agency is not None
        return target.actor_agency
    if to_agency is not None:
        if not to_agency.is_active:
            message = _("Cơ quan %(agency)s không còn hoạt động.") % {"agency": to_agency}
            raise ValidationFailed(message, fields={"to_agency": [message]})
        return to_agency
    last = (
        HistoryEntry.objects.filter(instance=instance, to_step=target, to_agency__isnull=False)
        .select_related("to_agency")
        .order_by("-acted_at", "-id")
        .first()
    )
    if last is not None and last.to_agency is not None:
        return last.to_agency
    return instance.agency


def _previous_assignee(instance: Instance, target: Step, agency: Agency) -> StaffMember | None:
    """The one who last held `target` in that agency, if still there (for a return)."""
    last = (
        HistoryEntry.objects.filter(instance=instance, to_step=target)
        .select_related("to_assignee")
        .order_by("-acted_at", "-id")
        .first()
    )
    who = last.to_assignee if last is not None else None
    if who is not None and who.is_active and who.agency_id == agency.pk:
        return who
    return None


def _close_pause(instance: Instance, at: datetime) -> timedelta:
    """Restart the clock: shift the step's and the overall due by the working time paused."""
    assert instance.paused_at is not None
    calendar = _calendar(instance.agency)
    shift = calendar.working_duration_between(instance.paused_at, at)
    if instance.step_due_at is not None:
        instance.step_due_at = calendar.add_working_time(instance.step_due_at, shift)
    if instance.due_at is not None:
        instance.due_at = calendar.add_working_time(instance.due_at, shift)
    instance.paused_working = (instance.paused_working or timedelta(0)) + shift
    instance.paused_at = None
    return shift


def _parse_action(action: Any) -> str:
    if action not in Action.values:
        message = _("Hành động không hợp lệ: %(action)s.") % {"action": action}
        raise ValidationFailed(message, fields={"action": [message]})
    return str(action)


def _check_at(at: datetime, after: datetime | None) -> None:
    if timezone.is_naive(at):
        message = _("Thời điểm phải có múi giờ.")
        raise ValidationFailed(message, fields={"at": [message]})
    if after is not None and at < after:
        message = _("Thời điểm thực hiện không được trước khi hồ sơ tới bước hiện tại.")
        raise ValidationFailed(message, fields={"at": [message]})


_STATE_FIELDS = (
    "current_step_id",
    "agency_id",
    "assignee_id",
    "status",
    "step_started_at",
    "step_due_at",
    "paused_at",
    "due_at",
    "paused_working",
)


def _state(instance: Instance) -> dict[str, Any]:
    return {f: getattr(instance, f) for f in _STATE_FIELDS}


def instance_start(
    *,
    process: Process,
    subject: models.Model,
    agency: Agency,
    actor: Any,
    at: datetime | None = None,
    assignee: StaffMember | None = None,
    due_at: datetime | None = None,
    action: str = Action.SUBMIT,
    note: str = "",
    audit: bool = True,
) -> Instance:
    """Start `process` for `subject` (any saved model row; one instance per subject).

    The instance enters the first step at `at` (default now) in `agency`, or in the step's
    fixed agency; the step's due is `at` plus its allotment in that agency's working time.
    The overall `due_at` is the caller's (dossiers compute theirs) or else `legal_due`. Who may
    start is the calling app's question (the applicant submitting, an officer at the counter,
    a job): `actor` is recorded (None = the system). `action` labels the first history row.
    `audit=False` when the caller's own audit row, in the same transaction, records the use
    case that starts the process (a dossier's submission): one row per use case.
    """
    action = _parse_action(action)
    at = at or timezone.now()
    _check_at(at, None)
    if subject.pk is None or not isinstance(subject.pk, int):
        message = _("Đối tượng của quy trình phải được lưu trước (khóa số).")
        raise ValidationFailed(message, fields={"subject": [message]})
    if not process.is_active:
        raise AppError(
            "workflow_process_inactive",
            _("Quy trình %(name)s không còn áp dụng.") % {"name": process},
            status=409,
        )
    first = process.steps.select_related("actor_agency").order_by("order").first()
    if first is None:
        message = _("Quy trình chưa có bước nào.")
        raise ValidationFailed(message, fields={"process": [message]})
    subject_type = subject._meta.label_lower
    with transaction.atomic():
        start_agency = first.actor_agency or agency
        if assignee is not None:
            _check_assignee(assignee, start_agency, first, "assignee")
        instance = Instance(
            process=process,
            subject_type=subject_type,
            subject_id=subject.pk,
            agency=start_agency,
            current_step=first,
            assignee=assignee,
            status=InstanceStatus.ACTIVE,
            step_started_at=at,
            step_due_at=_step_due(first, start_agency, at),
            due_at=due_at if due_at is not None else legal_due(process, agency, at),
        )
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError as exc:
            raise AppError(
                "workflow_instance_exists",
                _("Đối tượng này đã có quy trình xử lý."),
                status=409,
            ) from exc
        actor_agency_id = None
        if actor is not None:
            subject_info = subject_for(actor)
            if subject_info.is_staff:
                actor_agency_id = subject_info.agency_id
        HistoryEntry.objects.create(
            instance=instance,
            step=None,
            action=action,
            to_step=first,
            actor=actor,
            actor_agency_id=actor_agency_id,
            to_agency=start_agency,
            to_assignee=assignee,
            acted_at=at,
            note=note,
        )
        if audit:
            audit_record(
                actor=actor,
                action="workflow.start",
                target=instance,
                summary=_("Bắt đầu quy trình %(process)s cho %(subject)s tại bước %(step)s")
                % {
                    "process": process,
                    "subject": f"{subject_type}#{subject.pk}",
                    "step": first.name,
                },
                after=_state(instance),
            )
    return instance


def instance_act(
    *,
    instance: Instance,
    action: str,
    actor: Any,
    note: str = "",
    to_assignee: StaffMember | None = None,
    to_agency: Agency | None = None,
    at: datetime | None = None,
    as_system: bool = False,
    applicant_ok: bool = False,
) -> HistoryEntry:
    """Take `action` on `instance` now (or at `at`); returns the history row written.

    The row is locked (`SELECT … FOR UPDATE`) and compared with the state the caller holds in
    `instance`: if another action came first, this one is refused
    (`workflow_instance_changed`, 409). Then the action must be open at the current step
    (`workflow_action_not_allowed`, 409) and the actor allowed (`workflow_actor_not_allowed`,
    403): staff with the step's roles in its agency; the applicant with `applicant_ok=True`
    (withdraw, supplement; the caller checked ownership); the system with `as_system=True`.
    On success `instance` is updated in place.
    """
    action = _parse_action(action)
    at = at or timezone.now()
    with transaction.atomic():
        # Lock the row alone: with joins, PostgreSQL re-checks the join against the old rows
        # after waiting for a concurrent writer and finds nothing. Relations load after.
        locked = Instance.objects.select_for_update().get(pk=instance.pk)
        if (locked.current_step_id, locked.status) != (instance.current_step_id, instance.status):
            raise AppError(
                "workflow_instance_changed",
                _("Hồ sơ vừa được xử lý bởi người khác; hãy tải lại để xem trạng thái mới."),
                status=409,
            )
        step = locked.current_step
        declared = (
            {t.action: t for t in step.outgoing.select_related("target__actor_agency")}
            if step is not None
            else {}
        )
        transition, reason = _check_action(locked, action, declared)
        if reason:
            raise _not_allowed(action, step, reason)
        assert step is not None
        actor_agency_id = _authorise(
            instance=locked,
            step=step,
            action=action,
            actor=actor,
            as_system=as_system,
            applicant_ok=applicant_ok,
        )
        _check_at(at, locked.paused_at or locked.step_started_at)
        moves = (
            action not in PAUSING
            and action not in RESUMING
            and (transition is not None and transition.target is not None)
        )
        if not moves and (to_agency is not None or to_assignee is not None):
            message = _(
                "'%(action)s' không chuyển hồ sơ đi đâu: không chọn cơ quan, người nhận."
            ) % {"action": _label(action)}
            raise ValidationFailed(message, fields={"to_agency": [message]})

        before = _state(locked)
        entry = HistoryEntry(
            instance=locked,
            step=step,
            action=action,
            actor=actor,
            actor_agency_id=actor_agency_id,
            step_started_at=locked.step_started_at,
            step_due_at=locked.step_due_at,
            acted_at=at,
            note=note,
        )
        if action in PAUSING:
            locked.status = PAUSING[action]
            locked.paused_at = at
            entry.to_step = step
        elif action in RESUMING:
            entry.paused_working = _close_pause(locked, at)
            entry.step_due_at = locked.step_due_at
            locked.status = InstanceStatus.ACTIVE
            entry.to_step = step
        else:
            assert transition is not None
            if locked.paused_at is not None:  # ended while paused (withdrawn, refused)
                entry.paused_working = _close_pause(locked, at)
                entry.step_due_at = locked.step_due_at
            if action not in NO_OUTCOME:
                entry.outcome = step_outcome(
                    due_at=locked.step_due_at,
                    acted_at=at,
                    tz=_calendar(locked.agency).tz,
                )
            target = transition.target
            if target is None or target.is_final:
                locked.status = SIDE_EXITS.get(action, InstanceStatus.COMPLETED)
                locked.current_step = target
                locked.assignee = None
                locked.step_started_at = at if target is not None else None
                locked.step_due_at = None
            else:
                agency = _entry_agency(locked, target, to_agency)
                if to_assignee is not None:
                    _check_assignee(to_assignee, agency, target, "to_assignee")
                    assignee: StaffMember | None = to_assignee
                else:
                    assignee = _previous_assignee(locked, target, agency)
                locked.current_step = target
                locked.agency = agency
                locked.assignee = assignee
                locked.step_started_at = at
                locked.step_due_at = _step_due(target, agency, at)
            entry.to_step = target
        entry.to_agency_id = locked.agency_id
        entry.to_assignee_id = locked.assignee_id
        locked.save()
        entry.save()
        audit_record(
            actor=actor,
            action=f"workflow.{action}",
            target=locked,
            summary=_("%(action)s ở bước %(step)s") % {"action": _label(action), "step": step.name}
            + (f" ({Outcome(entry.outcome).label})" if entry.outcome else ""),
            before=before,
            after=_state(locked),
        )
    for field in (
        "current_step",
        "agency",
        "assignee",
        "status",
        "step_started_at",
        "step_due_at",
        "paused_at",
        "due_at",
        "paused_working",
        "updated_at",
    ):
        setattr(instance, field, getattr(locked, field))
    return entry


def available_actions(instance: Instance, user: Any, *, applicant: bool = False) -> list[Action]:
    """The actions `user` may take on `instance` now, in declaration order of `Action`.

    With `applicant=True` (the caller has checked `user` is the applicant), the applicant's
    actions open now (withdraw when declared at the step, supplement while waiting).
    """
    step = instance.current_step
    if step is None or instance.status in ENDED:
        return []
    declared = {t.action: t for t in step.outgoing.all()}
    open_now = [a for a in Action if not _check_action(instance, a, declared)[1]]
    if applicant:
        return [a for a in open_now if a in APPLICANT_ACTIONS]
    if not open_now or _staff_refusal(subject_for(user), step, _step_agency_id(instance, step)):
        return []
    return open_now
