"""Every state change of a dossier (see docs/subsystems/dossiers.md).

Each service takes keyword-only arguments and an explicit `actor`, asks the policy first,
checks its input before writing anything (`ValidationFailed` in Vietnamese naming the field),
runs in one transaction, writes its audit row inside it and enqueues the applicant's
notification for when it commits.

Status machine (`DossierStatus`), driven by the procedure's workflow process:

    submitted ──accept──► processing ──(forward/return/approve/sign_result…)──► result_ready
       │  ▲                  │  ▲   │                                             │
       │  └─supplement──┐    │  │   └─suspend──► suspended ──resume──┘           return_result
       └─request_supp.─► supplement_requested ◄─request_supplement─┘              ▼
                                                                               returned
    refuse (intake or processing) ──► refused;  withdraw (before a decision) ──► withdrawn

The status is derived from the workflow instance after every transition (`_status_of`): the
instance's pause states give supplement_requested/suspended, its end states refused/withdrawn/
returned, and the kind of the current step gives submitted (intake), processing (processing,
approval, signing) or result_ready (result).

Deadlines: see `egov.dossiers.deadlines`. The due is set at acceptance; every pause of the
clock during processing moves `due_at` and `legal_due_at` by the working time the workflow
measured; an apology moves `due_at` only. `finished_on_time` compares the decision (result
ready, or refusal) with `legal_due_at`.

Locks: the dossier row (`SELECT … FOR UPDATE`), then the workflow instance (inside
`instance_act`), then the audit chain head. A code is allocated before any of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO, Any, cast

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.services import audit_record, snapshot
from egov.calendar.arithmetic import WorkingCalendar
from egov.calendar.loader import token_scope
from egov.core.errors import AppError, Conflict, ValidationFailed
from egov.core.files import file_open, file_store
from egov.core.models import StoredFile
from egov.core.search import fold
from egov.dossiers import deadlines, selectors, tracking
from egov.dossiers.codes import allocate_code
from egov.dossiers.fees import fee_summary, fees_due_for
from egov.dossiers.jobs import dossier_notify
from egov.dossiers.models import (
    UNDECIDED_STATUSES,
    ApologyLetter,
    ApplicantKind,
    Channel,
    Dossier,
    DossierPaper,
    DossierResult,
    DossierStatus,
    FeeDue,
    IdempotencyKey,
    Payment,
    PaymentStatus,
    Rating,
    RatingValue,
    Refusal,
    ResultChannel,
    ResultKind,
    SupplementRequest,
    SupplementStage,
)
from egov.dossiers.payments import provider_for
from egov.dossiers.policy import at_handling_agency, can_on_dossier
from egov.indicators.events import dossier_changed
from egov.jobs import enqueue_on_commit
from egov.organisations.models import Agency, AgencyKind, StaffMember
from egov.policy.engine import require, subject_for
from egov.procedures import forms_schema
from egov.procedures.models import ApplicantType, Procedure, ReceivingScope, RequiredPaper
from egov.workflow.models import Action, HistoryEntry, Instance, InstanceStatus, StepKind
from egov.workflow.services import instance_act, instance_start

Upload = File | IO[bytes]
# Papers: (required paper id or None for an extra paper, upload) pairs, or a mapping
# {required paper id or None: upload or list of uploads}.
Papers = Iterable[tuple[int | None, Upload]] | Mapping[int | None, Upload | Sequence[Upload]]

RESULT_KINDS = frozenset({"pdf", "docx", "doc", "odt", "png", "jpeg"})
MAX_ITEM_LENGTH = 1000
MAX_ITEMS = 50
LOCAL_COMMITTEE_KINDS = frozenset(
    {AgencyKind.WARD, AgencyKind.COMMUNE, AgencyKind.SPECIAL_ZONE, AgencyKind.PEOPLES_COMMITTEE}
)
# Dossier fields written into the audit rows.
AUDITED = (
    "status",
    "handling_agency_id",
    "assignee_id",
    "current_step_name",
    "received_at",
    "due_at",
    "legal_due_at",
    "decided_at",
    "finished_on_time",
    "returned_at",
    "closed_at",
)


@dataclass(frozen=True)
class ApplicantInput:
    """Who applies at the counter (the officer types it from the applicant's papers)."""

    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    kind: str = ApplicantKind.CITIZEN
    user: Any = None  # the applicant's account, when they have one


# --- small helpers ---------------------------------------------------------------------------


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _conflict(message: str, *, code: str = "dossier_state_conflict", **kw: Any) -> Conflict:
    """A refusal because of the dossier's state (HTTP 409), with a stable code."""
    return Conflict(code, message, **kw)


def _now(at: datetime | None) -> datetime:
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise _refuse("at", _("Thời điểm phải có múi giờ."))
    return at


def _staff_of(actor: Any) -> StaffMember | None:
    staff_id = subject_for(actor).staff_id
    return StaffMember.objects.filter(pk=staff_id).first() if staff_id else None


def _is_applicant(actor: Any, dossier: Dossier) -> bool:
    subject = subject_for(actor)
    return (
        subject.kind in ("citizen", "business")
        and subject.user_id is not None
        and subject.user_id == dossier.applicant_id
    )


def _notify(dossier: Dossier, event: str) -> None:
    enqueue_on_commit(dossier_notify, dossier.pk, event)
    dossier_changed(dossier_id=dossier.pk, event=event)  # indicators: facts (on commit)
    if event != "submitted":  # a new code was never cached (unknown codes are not)
        tracking.forget_on_commit(dossier.code)  # what public tracking shows may have changed


def _state(dossier: Dossier) -> dict[str, Any]:
    return snapshot(dossier, AUDITED)


def _search_text(dossier: Dossier, procedure: Procedure) -> str:
    return fold(
        " ".join(
            [
                dossier.code,
                dossier.applicant_name,
                dossier.applicant_id_number,
                dossier.applicant_phone,
                procedure.code,
                procedure.name,
            ]
        )
    )


def _lock(dossier: Dossier) -> Dossier:
    """The dossier's row, locked for the transaction, with what services read of it."""
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "agency", "workflow_instance")
        .get(pk=dossier.pk)
    )
    if locked.status != dossier.status:
        raise _conflict(
            _("Hồ sơ %(code)s vừa được xử lý bởi người khác; hãy tải lại để xem trạng thái mới.")
            % {"code": locked.code}
        )
    return locked


def _refresh(target: Dossier, source: Dossier) -> None:
    """Copy the saved state into the caller's object (services update it in place)."""
    for f in target._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    target._state.fields_cache.clear()


def _instance(dossier: Dossier) -> Instance:
    instance = dossier.workflow_instance
    if instance is None:
        raise AppError(
            "dossier_without_workflow",
            _("Hồ sơ %(code)s chưa có quy trình xử lý.") % {"code": dossier.code},
            status=409,
        )
    return instance


def _declared(instance: Instance, action: str) -> bool:
    step = instance.current_step
    return step is not None and step.outgoing.filter(action=action).exists()


def _status_of(instance: Instance, *, returned: bool = False) -> str:
    status = instance.status
    if status == InstanceStatus.WAITING:
        return DossierStatus.SUPPLEMENT_REQUESTED
    if status == InstanceStatus.SUSPENDED:
        return DossierStatus.SUSPENDED
    if status == InstanceStatus.REFUSED:
        return DossierStatus.REFUSED
    if status == InstanceStatus.WITHDRAWN:
        return DossierStatus.WITHDRAWN
    if status == InstanceStatus.COMPLETED:
        return DossierStatus.RETURNED if returned else DossierStatus.RESULT_READY
    kind = instance.current_step.kind if instance.current_step is not None else ""
    if kind == StepKind.INTAKE:
        return DossierStatus.SUBMITTED
    if kind in (StepKind.RESULT, StepKind.DONE):
        return DossierStatus.RESULT_READY
    return DossierStatus.PROCESSING


# The dossier's columns that `_sync` writes (with the row's modification time).
SYNCED = (
    "workflow_instance",
    "status",
    "handling_agency",
    "assignee",
    "current_step_name",
    "tracking_snapshot",
    "updated_at",
)


def _sync(dossier: Dossier, instance: Instance, *, returned: bool = False) -> None:
    """Copy what the queues need from the workflow instance onto the dossier."""
    dossier.workflow_instance = instance
    dossier.status = _status_of(instance, returned=returned)
    dossier.handling_agency_id = instance.agency_id
    dossier.assignee_id = instance.assignee_id
    step = instance.current_step
    dossier.current_step_name = step.name if step is not None else ""
    # Public tracking's first lookup reads the timeline from the dossier's row.
    dossier.tracking_snapshot = selectors.timeline_snapshot(instance)


def _decide(dossier: Dossier, at: datetime) -> None:
    """The decision (result ready, refusal): when, and whether on time by law."""
    if dossier.decided_at is not None:
        return
    dossier.decided_at = at
    if dossier.legal_due_at is not None:
        dossier.finished_on_time = at <= dossier.legal_due_at


def _act(
    dossier: Dossier,
    *,
    action: str,
    actor: Any,
    at: datetime,
    note: str = "",
    to_assignee: StaffMember | None = None,
    to_agency: Agency | None = None,
    as_system: bool = False,
    applicant_ok: bool = False,
) -> HistoryEntry:
    instance = _instance(dossier)
    entry = instance_act(
        instance=instance,
        action=action,
        actor=actor,
        note=note,
        to_assignee=to_assignee,
        to_agency=to_agency,
        at=at,
        as_system=as_system,
        applicant_ok=applicant_ok,
    )
    instance.refresh_from_db()
    tracking.forget_on_commit(dossier.code)  # a new timeline row, maybe a new step or status
    return entry


def _shift_for_pause(dossier: Dossier, entry: HistoryEntry) -> None:
    """A pause of the clock ended: the due and the due by law move by the time paused."""
    paused = entry.paused_working or timedelta(0)
    if dossier.due_at is not None:
        dossier.due_at = deadlines.shift_due(dossier.agency, dossier.due_at, paused)
    if dossier.legal_due_at is not None:
        dossier.legal_due_at = deadlines.shift_due(dossier.agency, dossier.legal_due_at, paused)


def _clean_text_list(values: Any, field: str, *, what: str) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise _refuse(field, _("%(what)s phải là một danh sách.") % {"what": what})
    items = [str(v).strip() for v in values if str(v).strip()]
    if not items:
        raise _refuse(field, _("Cần ghi ít nhất một %(what)s.") % {"what": what.lower()})
    if len(items) > MAX_ITEMS:
        raise _refuse(field, _("Tối đa %(n)d mục.") % {"n": MAX_ITEMS})
    if any(len(i) > MAX_ITEM_LENGTH for i in items):
        raise _refuse(field, _("Mỗi mục tối đa %(n)d ký tự.") % {"n": MAX_ITEM_LENGTH})
    return items


def _clean_reason(reason: Any, field: str = "reason") -> str:
    text = str(reason or "").strip()
    if not text:
        raise _refuse(field, _("Vui lòng ghi lý do."))
    if len(text) > 4000:
        raise _refuse(field, _("Lý do tối đa 4000 ký tự."))
    return text


# --- papers ----------------------------------------------------------------------------------


def _paper_pairs(papers: Papers | None) -> list[tuple[int | None, Upload]]:
    if not papers:
        return []
    if isinstance(papers, Mapping):
        pairs: list[tuple[int | None, Upload]] = []
        for key, value in papers.items():
            uploads: Sequence[Any] = value if isinstance(value, list | tuple) else [value]
            pairs += [(_key(key), u) for u in uploads if u is not None]
        return pairs
    return [
        (_key(key), upload) for key, upload in cast(Iterable[Any], papers) if upload is not None
    ]


def _key(key: Any) -> int | None:
    """A paper key as given (an id, its text, None); bad keys become -1 (refused later)."""
    if key is None or key == "":
        return None
    try:
        return int(key)
    except (TypeError, ValueError):
        return -1


def _paper_field(paper_id: int | None) -> str:
    return f"paper_{paper_id}" if paper_id is not None else "papers"


def _check_papers(
    procedure: Procedure, pairs: list[tuple[int | None, Upload]], *, complete: bool
) -> tuple[dict[int, RequiredPaper], dict[str, list[str]]]:
    """The procedure's papers by id, and errors: unknown papers, missing required ones."""
    known = {p.pk: p for p in procedure.papers.all()}
    errors: dict[str, list[str]] = {}
    given: set[int] = set()
    for key, _upload in pairs:
        if key is None:
            continue
        try:
            paper_id = int(key)
        except (TypeError, ValueError):
            paper_id = -1
        if paper_id not in known:
            errors.setdefault(_paper_field(None), []).append(
                _("Thủ tục không có thành phần hồ sơ số %(id)s.") % {"id": key}
            )
            continue
        given.add(paper_id)
    if complete:
        for paper in known.values():
            if paper.required and paper.pk not in given:
                errors.setdefault(_paper_field(paper.pk), []).append(
                    _("Thiếu giấy tờ bắt buộc: %(name)s.") % {"name": paper.name}
                )
    return known, errors


def _store_papers(
    pairs: list[tuple[int | None, Upload]], known: Mapping[int, RequiredPaper], actor: Any
) -> list[tuple[RequiredPaper | None, StoredFile]]:
    """Each upload through `file_store` (kinds allowed by its paper). Every file is checked
    before the first error is raised, so the applicant sees all refusals at once. Called inside
    the dossier's transaction: the `StoredFile` rows commit (or roll back) with the dossier,
    and a crash leaves at most an orphan blob (content-addressed, referenced by no row)."""
    stored: list[tuple[RequiredPaper | None, StoredFile]] = []
    errors: dict[str, list[str]] = {}
    for key, upload in pairs:
        paper = known.get(int(key)) if key is not None else None
        kinds = paper.allowed_kinds if paper is not None and paper.allowed_kinds else None
        field = _paper_field(paper.pk if paper else None)
        try:
            stored_file = file_store(
                upload=upload,
                field=field,
                allowed=kinds or ("pdf", "jpeg", "png"),
                actor=actor,
            )
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                errors.setdefault(name, []).extend(messages)
            continue
        stored.append((paper, stored_file))
    if errors:
        raise _papers_refused(errors)
    return stored


def _papers_refused(errors: Mapping[str, list[str]]) -> ValidationFailed:
    first = next(iter(errors.values()))[0]
    return ValidationFailed(first, fields=dict(errors))


def _add_papers(
    dossier: Dossier,
    stored: list[tuple[RequiredPaper | None, StoredFile]],
    *,
    actor: Any,
    at: datetime,
    supplement: SupplementRequest | None = None,
) -> list[DossierPaper]:
    rows = [
        DossierPaper(
            dossier=dossier,
            required_paper=paper,
            name=paper.name if paper is not None else stored_file.original_name,
            file=stored_file,
            is_original=bool(paper is not None and paper.form == "original"),
            copies=paper.copies if paper is not None else 1,
            uploaded_at=at,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            supplied_in_supplement=supplement,
        )
        for paper, stored_file in stored
    ]
    return DossierPaper.objects.bulk_create(rows)


# --- intake checks ---------------------------------------------------------------------------


def _implements(procedure: Procedure, agency: Agency) -> bool:
    if procedure.receiving_scope == ReceivingScope.ALL_LOCAL:
        return (
            agency.kind in LOCAL_COMMITTEE_KINDS or procedure.agencies.filter(pk=agency.pk).exists()
        )
    return procedure.agencies.filter(pk=agency.pk).exists()


def _check_procedure(procedure: Procedure, agency: Agency, *, online: bool) -> None:
    if online and not procedure.is_published:
        raise _refuse("procedure", _("Thủ tục này chưa được công khai để nộp hồ sơ."))
    if online and not procedure.service_level.allows_online_submission:
        raise _refuse(
            "procedure",
            _("Thủ tục “%(name)s” không nhận hồ sơ trực tuyến (%(level)s).")
            % {"name": procedure.name, "level": procedure.service_level.name},
        )
    if not agency.is_active or not _implements(procedure, agency):
        raise _refuse(
            "agency",
            _("%(agency)s không tiếp nhận hồ sơ thủ tục “%(name)s”.")
            % {"agency": agency.name, "name": procedure.name},
        )
    if procedure.process_id is None:
        raise _refuse(
            "procedure",
            _("Thủ tục “%(name)s” chưa có quy trình xử lý; chưa thể tiếp nhận hồ sơ.")
            % {"name": procedure.name},
        )


def _check_applicant_type(procedure: Procedure, kind: str) -> None:
    wanted = procedure.applicant_types
    if wanted == ApplicantType.BOTH:
        return
    if (wanted == ApplicantType.CITIZEN and kind != ApplicantKind.CITIZEN) or (
        wanted == ApplicantType.BUSINESS and kind != ApplicantKind.BUSINESS
    ):
        raise _refuse(
            "applicant",
            _("Thủ tục này dành cho: %(who)s.") % {"who": ApplicantType(wanted).label},
        )


def _check_form(procedure: Procedure, form_data: Any) -> tuple[dict[str, Any], dict[str, list]]:
    if form_data is None:
        form_data = {}
    if not isinstance(form_data, Mapping):
        return {}, {"form_data": [_("Nội dung tờ khai không hợp lệ.")]}
    return forms_schema.validate_submission(list(procedure.form_schema or []), form_data)


def _raise_all(errors: Mapping[str, list[str]]) -> None:
    if not errors:
        return
    count = sum(len(m) for m in errors.values())
    messages = next(iter(errors.values()))
    message = _("Hồ sơ chưa hợp lệ: %(reason)s") % {"reason": messages[0]}
    if count > 1:
        message += " " + _("(và %(n)d lỗi khác)") % {"n": count - 1}
    raise ValidationFailed(message, fields=dict(errors))


def _fingerprint(
    procedure: Procedure,
    agency: Agency,
    form_data: Any,
    pairs: list[tuple[int | None, Upload]],
) -> str:
    """What identifies a submission for idempotency: the procedure, the agency, the form and
    the papers' contents."""
    digest = hashlib.sha256()
    files = []
    for key, upload in pairs:
        content = hashlib.sha256()
        upload_file = upload if isinstance(upload, File) else File(upload)
        upload_file.seek(0)
        for chunk in upload_file.chunks():
            content.update(chunk)
        upload_file.seek(0)
        files.append([str(key), content.hexdigest()])
    payload = {
        "procedure": procedure.pk,
        "agency": agency.pk,
        "form": form_data if isinstance(form_data, Mapping) else str(form_data),
        "files": sorted(files),
    }
    digest.update(json.dumps(payload, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _replay(actor: Any, key: str, fingerprint: str) -> Dossier | None:
    existing = IdempotencyKey.objects.select_related("dossier").filter(user=actor, key=key).first()
    if existing is None:
        return None
    if existing.fingerprint != fingerprint:
        raise _conflict(
            _(
                "Khóa chống gửi trùng %(key)s đã dùng cho một hồ sơ khác (%(code)s); dùng khóa mới "
                "cho lần nộp mới."
            )
            % {"key": key, "code": existing.dossier.code},
            extra={"dossier": existing.dossier.code},
        )
    return existing.dossier


# --- intake ----------------------------------------------------------------------------------


def _create(
    *,
    actor: Any,
    procedure: Procedure,
    agency: Agency,
    channel: str,
    applicant: ApplicantInput,
    form_data: dict[str, Any],
    stored: list[tuple[RequiredPaper | None, StoredFile]],
    at: datetime,
) -> Dossier:
    """Allocate the code, write the dossier, its papers and fees, start its workflow."""
    assert procedure.process is not None
    dossier = Dossier(
        code=allocate_code(agency=agency, at=at),
        procedure=procedure,
        agency=agency,
        handling_agency=agency,
        applicant=applicant.user,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        channel=channel,
        form_data=form_data,
        status=DossierStatus.SUBMITTED,
        submitted_at=at,
    )
    dossier.search_text = _search_text(dossier, procedure)
    dossier.save(force_insert=True)
    _add_papers(dossier, stored, actor=actor, at=at)
    fees = fees_due_for(procedure, channel)
    for fee in fees:
        fee.dossier = dossier
    FeeDue.objects.bulk_create(fees)
    instance = instance_start(
        process=procedure.process,
        subject=dossier,
        agency=agency,
        actor=actor,
        at=at,
        action=Action.SUBMIT,
        audit=False,  # the caller's dossier.submit / dossier.receive_at_counter row records it
    )
    # The instance is returned as saved, its first step loaded: no refresh. The dossier and
    # its instance point at each other, so the instance's columns follow in a narrow UPDATE.
    _sync(dossier, instance)
    dossier.save(update_fields=SYNCED)
    return dossier


def dossier_submit_online(
    *,
    actor: Any,
    procedure: Procedure,
    agency: Agency,
    form_data: Mapping[str, Any] | None,
    papers: Papers | None = None,
    idempotency_key: str | None = None,
    applicant_address: str = "",
    at: datetime | None = None,
) -> Dossier:
    """A signed-in citizen or business submits a dossier; it gets its code at once.

    `papers` are (required paper id, upload) pairs (id None for an extra paper) or a mapping
    id → upload(s). Refused with every problem named when the procedure does not take online
    dossiers, the agency does not receive it, a form field is invalid, a required paper is
    missing, or a file's kind or size is not allowed; nothing is saved then. With an
    `idempotency_key`, a retry with the same key and the same content returns the dossier of
    the first call; the same key with other content is refused (`Conflict`).
    """
    require(actor, "dossier.submit", agency)
    at = _now(at)
    pairs = _paper_pairs(papers)
    key = (idempotency_key or "").strip()
    if len(key) > 255:
        raise _refuse("idempotency_key", _("Khóa chống gửi trùng tối đa 255 ký tự."))
    fingerprint = ""
    if key:
        fingerprint = _fingerprint(procedure, agency, form_data, pairs)
        replayed = _replay(actor, key, fingerprint)
        if replayed is not None:
            return replayed

    _check_procedure(procedure, agency, online=True)
    kind = ApplicantKind.BUSINESS if actor.kind == "business" else ApplicantKind.CITIZEN
    _check_applicant_type(procedure, kind)
    cleaned, errors = _check_form(procedure, form_data)
    known, paper_errors = _check_papers(procedure, pairs, complete=True)
    for name, messages in paper_errors.items():
        errors.setdefault(name, []).extend(messages)
    _raise_all(errors)
    applicant = ApplicantInput(
        name=actor.full_name or actor.get_username(),
        id_number=(actor.tax_code if kind == ApplicantKind.BUSINESS else actor.citizen_id) or "",
        phone=actor.phone or "",
        email=actor.email or "",
        address=str(applicant_address or "").strip()[:500],
        kind=kind,
        user=actor,
    )
    try:
        with token_scope(), transaction.atomic():
            # The papers' rows commit with the dossier (one commit, no dossier without its
            # papers, no paper rows without a dossier); each blob is written just before its
            # row, before the code counter is locked.
            stored = _store_papers(pairs, known, actor)
            dossier = _create(
                actor=actor,
                procedure=procedure,
                agency=agency,
                channel=Channel.ONLINE,
                applicant=applicant,
                form_data=cleaned,
                stored=stored,
                at=at,
            )
            if key:
                IdempotencyKey.objects.create(
                    user=actor, key=key, fingerprint=fingerprint, dossier=dossier
                )
            audit_record(
                actor=actor,
                action="dossier.submit",
                target=dossier,
                summary=_("Nộp trực tuyến hồ sơ %(code)s – %(procedure)s")
                % {"code": dossier.code, "procedure": procedure.name},
                after={
                    **_state(dossier),
                    "workflow_instance_id": dossier.workflow_instance_id,
                    "papers": len(stored),
                    "channel": Channel.ONLINE,
                },
            )
            _notify(dossier, "submitted")
    except IntegrityError:
        if key:  # a concurrent retry with the same key won the race
            replayed = _replay(actor, key, fingerprint)
            if replayed is not None:
                return replayed
        raise
    return dossier


def _check_applicant_input(applicant: ApplicantInput) -> ApplicantInput:
    errors: dict[str, list[str]] = {}
    name = (applicant.name or "").strip()
    if not name:
        errors["applicant_name"] = [_("Vui lòng nhập họ tên người nộp hoặc tên tổ chức.")]
    elif len(name) > 255:
        errors["applicant_name"] = [_("Tối đa 255 ký tự.")]
    if applicant.kind not in ApplicantKind.values:
        errors["applicant_kind"] = [_("Loại người nộp không hợp lệ.")]
    id_number = "".join((applicant.id_number or "").split())
    if len(id_number) > 20:
        errors["applicant_id_number"] = [_("Số định danh hoặc mã số thuế tối đa 20 ký tự.")]
    phone = "".join((applicant.phone or "").split())
    if phone:
        _value, problem = forms_schema.clean_value(
            {"name": "applicant_phone", "type": "phone", "label": _("Số điện thoại")}, phone
        )
        if problem:
            errors["applicant_phone"] = [problem]
    email = (applicant.email or "").strip()
    if email:
        _value, problem = forms_schema.clean_value(
            {"name": "applicant_email", "type": "email", "label": _("Thư điện tử")}, email
        )
        if problem:
            errors["applicant_email"] = [problem]
    address = (applicant.address or "").strip()
    if len(address) > 500:
        errors["applicant_address"] = [_("Địa chỉ tối đa 500 ký tự.")]
    _raise_all(errors)
    return ApplicantInput(
        name=name,
        id_number=id_number,
        phone=phone,
        email=email,
        address=address,
        kind=applicant.kind,
        user=applicant.user,
    )


def dossier_receive_at_counter(
    *,
    actor: Any,
    procedure: Procedure,
    applicant: ApplicantInput,
    form_data: Mapping[str, Any] | None,
    papers: Papers | None = None,
    agency: Agency | None = None,
    accept: bool = True,
    at: datetime | None = None,
) -> Dossier:
    """A one-stop officer enters a dossier for the applicant at the counter (papers scanned).

    `agency` defaults to the officer's. With `accept` (the usual case) the dossier is received
    at once (receipt, due date) and every required paper must be there; without it, it waits
    at intake like an online dossier (for a supplement request or a refusal).
    """
    subject = subject_for(actor)
    if agency is None:
        agency = Agency.objects.filter(pk=subject.agency_id).first() if subject.agency_id else None
        if agency is None:
            raise _refuse("agency", _("Chọn cơ quan tiếp nhận."))
    require(actor, "dossier.intake", agency)
    at = _now(at)
    _check_procedure(procedure, agency, online=False)
    applicant = _check_applicant_input(applicant)
    _check_applicant_type(procedure, applicant.kind)
    pairs = _paper_pairs(papers)
    cleaned, errors = _check_form(procedure, form_data)
    known, paper_errors = _check_papers(procedure, pairs, complete=accept)
    for name, messages in paper_errors.items():
        errors.setdefault(name, []).extend(messages)
    _raise_all(errors)
    with token_scope(), transaction.atomic():
        stored = _store_papers(pairs, known, actor)  # rows inside: see dossier_submit_online
        dossier = _create(
            actor=actor,
            procedure=procedure,
            agency=agency,
            channel=Channel.COUNTER,
            applicant=applicant,
            form_data=cleaned,
            stored=stored,
            at=at,
        )
        audit_record(
            actor=actor,
            action="dossier.receive_at_counter",
            target=dossier,
            summary=_("Nhập hồ sơ %(code)s tại bộ phận một cửa – %(procedure)s")
            % {"code": dossier.code, "procedure": procedure.name},
            after={
                **_state(dossier),
                "workflow_instance_id": dossier.workflow_instance_id,
                "papers": len(stored),
                "channel": Channel.COUNTER,
            },
        )
        if accept:
            _accept(actor=actor, dossier=dossier, at=at, note="")
        else:
            _notify(dossier, "submitted")
    return dossier


def _accept(*, actor: Any, dossier: Dossier, at: datetime, note: str) -> None:
    before = _state(dossier)
    instance = _instance(dossier)
    action = Action.ACCEPT if _declared(instance, Action.ACCEPT) else Action.FORWARD
    _act(dossier, action=action, actor=actor, at=at, note=note)
    due = deadlines.due_at_receipt(dossier.procedure, dossier.agency, at)
    dossier.received_at = at
    dossier.received_by = _staff_of(actor)
    dossier.due_at = dossier.original_due_at = dossier.legal_due_at = due
    _sync(dossier, instance)
    dossier.save()
    audit_record(
        actor=actor,
        action="dossier.accept",
        target=dossier,
        summary=_("Tiếp nhận hồ sơ %(code)s, hẹn trả kết quả %(due)s")
        % {"code": dossier.code, "due": timezone.localtime(due).strftime("%H:%M %d/%m/%Y")},
        before=before,
        after=_state(dossier),
    )
    _notify(dossier, "received")


def dossier_accept(
    *, actor: Any, dossier: Dossier, note: str = "", at: datetime | None = None
) -> Dossier:
    """The one-stop officer finds the dossier complete and receives it: receipt time, due date
    (working calendar, procedure's cut-off hour), workflow forward to processing."""
    require(actor, "dossier.intake", dossier)
    at = _now(at)
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status != DossierStatus.SUBMITTED:
            raise _conflict(
                _("Chỉ tiếp nhận được hồ sơ đang chờ tiếp nhận (hồ sơ đang: %(status)s).")
                % {"status": DossierStatus(locked.status).label}
            )
        _accept(actor=actor, dossier=locked, at=at, note=note)
    _refresh(dossier, locked)
    return dossier


def dossier_request_supplement(
    *,
    actor: Any,
    dossier: Dossier,
    items: Sequence[str],
    note: str = "",
    at: datetime | None = None,
) -> SupplementRequest:
    """Ask the applicant for the complete list of missing papers and corrections (Mẫu 02).

    At intake (dossier waiting for receipt): one-stop officer, **once** — a second request at
    intake is refused (Decree 61/2018: guidance "một lần, đầy đủ"). During processing: staff
    of the handling agency with the step's role; the clock stops until the supplement.
    """
    at = _now(at)
    stage = (
        SupplementStage.INTAKE
        if dossier.status == DossierStatus.SUBMITTED
        else SupplementStage.PROCESSING
    )
    if stage == SupplementStage.INTAKE:
        require(actor, "dossier.intake", dossier)
    else:
        require(actor, "dossier.process", at_handling_agency(dossier))
    cleaned = _clean_text_list(items, "items", what=_("Nội dung cần bổ sung"))
    note = str(note or "").strip()
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status not in (DossierStatus.SUBMITTED, DossierStatus.PROCESSING):
            raise _conflict(
                _("Không yêu cầu bổ sung được hồ sơ đang ở trạng thái %(status)s.")
                % {"status": DossierStatus(locked.status).label}
            )
        if (
            stage == SupplementStage.INTAKE
            and SupplementRequest.objects.filter(
                dossier=locked, stage=SupplementStage.INTAKE
            ).exists()
        ):
            raise _conflict(
                _(
                    "Hồ sơ %(code)s đã được yêu cầu bổ sung khi tiếp nhận. Theo quy định, việc "
                    "hướng dẫn bổ sung chỉ thực hiện một lần, đầy đủ: hãy tiếp nhận hoặc từ chối "
                    "hồ sơ."
                )
                % {"code": locked.code}
            )
        before = _state(locked)
        _act(
            locked,
            action=Action.REQUEST_SUPPLEMENT,
            actor=actor,
            at=at,
            note="\n".join([*cleaned, note]).strip(),
        )
        request = SupplementRequest.objects.create(
            dossier=locked,
            stage=stage,
            requested_by=actor,
            requested_at=at,
            items=cleaned,
            note=note,
        )
        _sync(locked, _instance(locked))
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.request_supplement",
            target=locked,
            summary=_("Yêu cầu bổ sung hồ sơ %(code)s (%(stage)s): %(items)s")
            % {
                "code": locked.code,
                "stage": SupplementStage(stage).label.lower(),
                "items": "; ".join(cleaned),
            },
            before=before,
            after={**_state(locked), "items": cleaned},
        )
        _notify(locked, "supplement_requested")
    _refresh(dossier, locked)
    return request


def dossier_supplement(
    *,
    actor: Any,
    dossier: Dossier,
    papers: Papers | None = None,
    form_data: Mapping[str, Any] | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Dossier:
    """The applicant (online) or a one-stop officer (papers handed in at the counter) supplies
    what was asked: new papers and/or corrected form fields. The clock restarts; during
    processing the due moves by the working time the dossier waited."""
    applicant = _is_applicant(actor, dossier)
    require(actor, "dossier.supplement", dossier)
    at = _now(at)
    pairs = _paper_pairs(papers)
    if not pairs and not form_data:
        raise _refuse("papers", _("Cần nộp ít nhất một giấy tờ hoặc sửa nội dung tờ khai."))
    procedure = dossier.procedure
    cleaned: dict[str, Any] | None = None
    errors: dict[str, list[str]] = {}
    if form_data:
        if not isinstance(form_data, Mapping):
            raise _refuse("form_data", _("Nội dung tờ khai không hợp lệ."))
        merged = {**(dossier.form_data or {}), **form_data}
        cleaned, errors = _check_form(procedure, merged)
    known, paper_errors = _check_papers(procedure, pairs, complete=False)
    for name, messages in paper_errors.items():
        errors.setdefault(name, []).extend(messages)
    _raise_all(errors)
    with transaction.atomic():
        stored = _store_papers(pairs, known, actor)  # before the row lock; rows commit with it
        locked = _lock(dossier)
        request = SupplementRequest.objects.filter(
            dossier=locked, fulfilled_at__isnull=True
        ).first()
        if locked.status != DossierStatus.SUPPLEMENT_REQUESTED or request is None:
            raise _conflict(
                _("Hồ sơ %(code)s không có yêu cầu bổ sung đang chờ.") % {"code": locked.code}
            )
        before = _state(locked)
        entry = _act(
            locked,
            action=Action.SUPPLEMENT,
            actor=actor,
            at=at,
            note=str(note or "").strip(),
            applicant_ok=applicant,
            as_system=not applicant,  # the officer records the applicant's act at the counter
        )
        if request.stage == SupplementStage.PROCESSING:
            _shift_for_pause(locked, entry)
        _add_papers(locked, stored, actor=actor, at=at, supplement=request)
        if cleaned is not None:
            locked.form_data = cleaned
        request.fulfilled_at = at
        request.fulfilled_by = actor
        request.paused_working = entry.paused_working
        request.save(update_fields=["fulfilled_at", "fulfilled_by", "paused_working", "updated_at"])
        _sync(locked, _instance(locked))
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.supplement",
            target=locked,
            summary=_("Bổ sung hồ sơ %(code)s: %(n)d giấy tờ%(form)s")
            % {
                "code": locked.code,
                "n": len(stored),
                "form": _(", sửa tờ khai") if cleaned is not None else "",
            },
            before=before,
            after={**_state(locked), "paused_working": str(entry.paused_working or "")},
        )
        _notify(locked, "supplemented")
    _refresh(dossier, locked)
    return dossier


def dossier_refuse(
    *, actor: Any, dossier: Dossier, reasons: Sequence[str], at: datetime | None = None
) -> Refusal:
    """Refuse the dossier with reasons (Mẫu 03): at intake by a one-stop officer, during
    processing by the handling agency's staff where the step allows it. Closes the dossier."""
    at = _now(at)
    at_intake = dossier.received_at is None
    if at_intake:
        require(actor, "dossier.intake", dossier)
    else:
        require(actor, "dossier.process", at_handling_agency(dossier))
    cleaned = _clean_text_list(reasons, "reasons", what=_("Lý do từ chối"))
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status not in UNDECIDED_STATUSES:
            raise _conflict(
                _("Không từ chối được hồ sơ đang ở trạng thái %(status)s.")
                % {"status": DossierStatus(locked.status).label}
            )
        before = _state(locked)
        _act(locked, action=Action.REFUSE, actor=actor, at=at, note="\n".join(cleaned))
        refusal = Refusal.objects.create(
            dossier=locked,
            stage=SupplementStage.INTAKE if at_intake else SupplementStage.PROCESSING,
            refused_by=actor,
            refused_at=at,
            reasons=cleaned,
        )
        SupplementRequest.objects.filter(dossier=locked, fulfilled_at__isnull=True).update(
            fulfilled_at=at, fulfilled_by=actor
        )
        _sync(locked, _instance(locked))
        if not at_intake:
            _decide(locked, at)
        locked.closed_at = at
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.refuse",
            target=locked,
            summary=_("Từ chối hồ sơ %(code)s: %(reasons)s")
            % {"code": locked.code, "reasons": "; ".join(cleaned)},
            before=before,
            after={**_state(locked), "reasons": cleaned},
        )
        _notify(locked, "refused")
    _refresh(dossier, locked)
    return refusal


# --- processing ------------------------------------------------------------------------------

GENERIC_ACTIONS = frozenset(
    {Action.ACCEPT, Action.FORWARD, Action.RETURN, Action.APPROVE, Action.SIGN_RESULT}
)


def dossier_act(
    *,
    actor: Any,
    dossier: Dossier,
    action: str,
    note: str = "",
    to_assignee: StaffMember | None = None,
    to_agency: Agency | None = None,
    at: datetime | None = None,
) -> Dossier:
    """Move the dossier along its workflow: forward, return, approve, sign_result (and
    accept/forward at intake, which is `dossier_accept`). The workflow refuses an action the
    current step does not have or an actor without the step's role; nothing changes then.

    Actions with their own inputs have their own services: request_supplement, supplement,
    refuse, suspend, resume, return_result, withdraw.
    """
    if action in (Action.SUSPEND,):
        return dossier_suspend(actor=actor, dossier=dossier, reason=note, at=at)
    if action in (Action.RESUME,):
        return dossier_resume(actor=actor, dossier=dossier, note=note, at=at)
    if action not in GENERIC_ACTIONS:
        message = _("Hành động “%(action)s” có chức năng riêng (cần thêm thông tin).") % {
            "action": action
        }
        raise _refuse("action", message)
    if dossier.status == DossierStatus.SUBMITTED and action in (Action.ACCEPT, Action.FORWARD):
        if to_assignee is not None or to_agency is not None:
            raise _refuse("to_assignee", _("Khi tiếp nhận, hồ sơ đi theo phân công mặc định."))
        return dossier_accept(actor=actor, dossier=dossier, note=note, at=at)
    if action == Action.SIGN_RESULT:
        dossier_sign_result(actor=actor, dossier=dossier, note=note, at=at)
        return dossier
    require(actor, "dossier.process", at_handling_agency(dossier))
    at = _now(at)
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status != DossierStatus.PROCESSING:
            raise _conflict(
                _("Hồ sơ đang ở trạng thái %(status)s, không xử lý tiếp được.")
                % {"status": DossierStatus(locked.status).label}
            )
        before = _state(locked)
        entry = _act(
            locked,
            action=action,
            actor=actor,
            at=at,
            note=str(note or "").strip(),
            to_assignee=to_assignee,
            to_agency=to_agency,
        )
        _after_move(locked, at)
        audit_record(
            actor=actor,
            action=f"dossier.{action}",
            target=locked,
            summary=_("%(action)s hồ sơ %(code)s: %(from)s → %(to)s")
            % {
                "action": Action(action).label,
                "code": locked.code,
                "from": entry.step.name if entry.step else "",
                "to": locked.current_step_name or DossierStatus(locked.status).label,
            },
            before=before,
            after=_state(locked),
        )
    _refresh(dossier, locked)
    return dossier


def _after_move(dossier: Dossier, at: datetime) -> None:
    """After a forward-going transition: sync, and the decision when a result step is reached."""
    _sync(dossier, _instance(dossier))
    if dossier.status == DossierStatus.RESULT_READY:
        _decide(dossier, at)
        _notify(dossier, "result_ready")
    else:  # indicators: the step just finished counts for its unit and person (on commit)
        dossier_changed(dossier_id=dossier.pk, event="moved")
    dossier.save()


def dossier_attach_result(
    *,
    actor: Any,
    dossier: Dossier,
    upload: Upload,
    name: str = "",
    generated: bool = False,
) -> DossierResult:
    """Attach the result (uploaded, or generated by the system and passed as a file)."""
    require(actor, "dossier.process", at_handling_agency(dossier))
    if dossier.status not in (DossierStatus.PROCESSING, DossierStatus.RESULT_READY):
        raise _conflict(
            _("Chỉ đính kèm kết quả khi hồ sơ đang giải quyết (hồ sơ đang: %(status)s).")
            % {"status": DossierStatus(dossier.status).label}
        )
    title = str(name or "").strip() or dossier.procedure.result_type[:500]
    stored = file_store(upload=upload, field="result", allowed=RESULT_KINDS, actor=actor)
    with transaction.atomic():
        locked = _lock(dossier)
        result = DossierResult.objects.create(
            dossier=locked,
            name=title[:500],
            kind=ResultKind.GENERATED if generated else ResultKind.UPLOADED,
            file=stored,
            attached_by=actor,
        )
        audit_record(
            actor=actor,
            action="dossier.attach_result",
            target=locked,
            summary=_("Đính kèm kết quả “%(name)s” (%(file)s) cho hồ sơ %(code)s")
            % {"name": result.name, "file": stored.original_name, "code": locked.code},
            after={"result_id": result.pk, "file_sha256": stored.sha256},
        )
    return result


def _sign_file(
    result: DossierResult, actor: Any, dossier: Dossier, at: datetime
) -> StoredFile | None:
    """The signing hook: a PAdES-signed copy of a PDF result with the signer's personal key
    (`egov.signing.services.sign_pdf`). None — the signing step recorded without a digital
    signature — when the result is not a PDF, the signing app is absent, or the signer has no
    key in the configured key source. A PDF the signer cannot sign refuses the signing."""
    if result.file.kind != "pdf":
        return None
    try:
        from egov.signing.keys import key_source, user_key_name
        from egov.signing.services import sign_pdf
    except ImportError:  # pragma: no cover - the signing app is part of the platform
        return None
    if not key_source().has_key(user_key_name(actor)):
        return None
    with file_open(result.file) as handle:
        content = handle.read()
    signed = sign_pdf(
        pdf_bytes=content,
        signer_user=actor,
        reason=_("Ký kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code},
        location=dossier.handling_agency.name if dossier.handling_agency else dossier.agency.name,
        at=at,
    )
    stem = result.file.original_name.rsplit(".", 1)[0]
    return file_store(
        upload=ContentFile(signed, name=f"{stem}-da-ky.pdf"),
        field="result_signed",
        allowed={"pdf"},
        actor=actor,
    )


def dossier_sign_result(
    *,
    actor: Any,
    dossier: Dossier,
    result: DossierResult | None = None,
    note: str = "",
    at: datetime | None = None,
) -> DossierResult:
    """Sign the result (the latest unsigned one by default) and, when the current step has
    `sign_result`, move the workflow on (the workflow checks the signer's role)."""
    require(actor, "dossier.process", at_handling_agency(dossier))
    at = _now(at)
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status != DossierStatus.PROCESSING:
            raise _conflict(
                _("Chỉ ký kết quả khi hồ sơ đang giải quyết (hồ sơ đang: %(status)s).")
                % {"status": DossierStatus(locked.status).label}
            )
        target = (
            result
            if result is not None and result.dossier_id == locked.pk
            else DossierResult.objects.filter(dossier=locked, signed=False)
            .select_related("file")
            .order_by("-created_at", "-id")
            .first()
        )
        if target is None or target.signed:
            raise _refuse("result", _("Chưa có kết quả chưa ký để ký."))
        before = _state(locked)
        instance = _instance(locked)
        if _declared(instance, Action.SIGN_RESULT):
            _act(locked, action=Action.SIGN_RESULT, actor=actor, at=at, note=note)
        else:
            # No signing transition here: only who may act at this step may sign.
            from egov.workflow.services import available_actions

            if not available_actions(instance, actor):
                raise AppError(
                    "workflow_actor_not_allowed",
                    _("Bạn không được ký kết quả ở bước %(step)s.")
                    % {"step": locked.current_step_name},
                    status=403,
                )
        target.signed = True
        target.signed_by = actor
        target.signed_at = at
        target.signed_file = _sign_file(target, actor, locked, at)
        target.save(update_fields=["signed", "signed_by", "signed_at", "signed_file", "updated_at"])
        _after_move(locked, at)
        audit_record(
            actor=actor,
            action="dossier.sign_result",
            target=locked,
            summary=_("Ký kết quả “%(name)s” của hồ sơ %(code)s%(how)s")
            % {
                "name": target.name,
                "code": locked.code,
                "how": _(" (chữ ký số)") if target.signed_file_id else "",
            },
            before=before,
            after={**_state(locked), "result_id": target.pk},
        )
        dossier_changed(dossier_id=locked.pk, event="signed")  # indicators: facts (on commit)
    _refresh(dossier, locked)
    return target


def dossier_return_result(
    *, actor: Any, dossier: Dossier, channel: str, at: datetime | None = None
) -> Dossier:
    """Hand the result over (online download, at the counter, by post) and close the dossier.
    Needs a result and the fees paid."""
    require(actor, "dossier.return_result", dossier)
    at = _now(at)
    if channel not in ResultChannel.values:
        raise _refuse("channel", _("Hình thức trả kết quả không hợp lệ."))
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status != DossierStatus.RESULT_READY:
            raise _conflict(
                _("Hồ sơ chưa có kết quả để trả (hồ sơ đang: %(status)s).")
                % {"status": DossierStatus(locked.status).label}
            )
        if not DossierResult.objects.filter(dossier=locked).exists():
            raise _refuse("result", _("Chưa đính kèm kết quả giải quyết."))
        fees = fee_summary(locked)
        if not fees.is_paid:
            raise _refuse(
                "fees",
                _("Hồ sơ còn %(amount)s đồng phí, lệ phí chưa nộp.")
                % {"amount": f"{fees.outstanding:,}".replace(",", ".")},
            )
        before = _state(locked)
        instance = _instance(locked)
        if instance.status not in (InstanceStatus.COMPLETED,):
            _act(locked, action=Action.RETURN_RESULT, actor=actor, at=at)
        _sync(locked, _instance(locked), returned=True)
        locked.status = DossierStatus.RETURNED
        _decide(locked, at)
        locked.returned_at = at
        locked.result_channel = channel
        locked.closed_at = at
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.return_result",
            target=locked,
            summary=_("Trả kết quả hồ sơ %(code)s (%(channel)s)")
            % {"code": locked.code, "channel": ResultChannel(channel).label},
            before=before,
            after=_state(locked),
        )
        _notify(locked, "returned")
    _refresh(dossier, locked)
    return dossier


def dossier_withdraw(
    *, actor: Any, dossier: Dossier, reason: str, at: datetime | None = None
) -> Dossier:
    """The applicant withdraws the dossier, only before a decision (and where the workflow's
    current step allows it)."""
    require(actor, "dossier.withdraw", dossier, hide=True)
    at = _now(at)
    reason = _clean_reason(reason)
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status not in UNDECIDED_STATUSES:
            raise _conflict(
                _("Không rút được hồ sơ đã có kết quả hoặc đã kết thúc (%(status)s).")
                % {"status": DossierStatus(locked.status).label}
            )
        before = _state(locked)
        _act(locked, action=Action.WITHDRAW, actor=actor, at=at, note=reason, applicant_ok=True)
        SupplementRequest.objects.filter(dossier=locked, fulfilled_at__isnull=True).update(
            fulfilled_at=at, fulfilled_by=actor
        )
        _sync(locked, _instance(locked))
        locked.status_note = reason
        locked.closed_at = at
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.withdraw",
            target=locked,
            summary=_("Người nộp rút hồ sơ %(code)s: %(reason)s")
            % {"code": locked.code, "reason": reason},
            before=before,
            after=_state(locked),
        )
        _notify(locked, "withdrawn")
    _refresh(dossier, locked)
    return dossier


def dossier_suspend(
    *, actor: Any, dossier: Dossier, reason: str, at: datetime | None = None
) -> Dossier:
    """Stop processing for a while (the clock stops), where the step allows it."""
    require(actor, "dossier.process", at_handling_agency(dossier))
    at = _now(at)
    reason = _clean_reason(reason)
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status != DossierStatus.PROCESSING:
            raise _conflict(
                _("Chỉ tạm dừng được hồ sơ đang giải quyết (hồ sơ đang: %(status)s).")
                % {"status": DossierStatus(locked.status).label}
            )
        before = _state(locked)
        _act(locked, action=Action.SUSPEND, actor=actor, at=at, note=reason)
        _sync(locked, _instance(locked))
        locked.status_note = reason
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.suspend",
            target=locked,
            summary=_("Tạm dừng hồ sơ %(code)s: %(reason)s")
            % {"code": locked.code, "reason": reason},
            before=before,
            after=_state(locked),
        )
        _notify(locked, "suspended")
    _refresh(dossier, locked)
    return dossier


def dossier_resume(
    *, actor: Any, dossier: Dossier, note: str = "", at: datetime | None = None
) -> Dossier:
    """Restart a suspended dossier; the due moves by the working time it stood still."""
    require(actor, "dossier.process", at_handling_agency(dossier))
    at = _now(at)
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status != DossierStatus.SUSPENDED:
            raise _conflict(
                _("Hồ sơ không ở trạng thái tạm dừng (hồ sơ đang: %(status)s).")
                % {"status": DossierStatus(locked.status).label}
            )
        before = _state(locked)
        entry = _act(locked, action=Action.RESUME, actor=actor, at=at, note=str(note or ""))
        _shift_for_pause(locked, entry)
        _sync(locked, _instance(locked))
        locked.status_note = ""
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.resume",
            target=locked,
            summary=_("Tiếp tục giải quyết hồ sơ %(code)s") % {"code": locked.code},
            before=before,
            after={**_state(locked), "paused_working": str(entry.paused_working or "")},
        )
        _notify(locked, "resumed")
    _refresh(dossier, locked)
    return dossier


# --- apology ---------------------------------------------------------------------------------


def dossier_needs_apology(dossier: Dossier, now: datetime | None = None) -> bool:
    """Whether the pages should prompt for an apology letter (see `deadlines.needs_apology`)."""
    return deadlines.needs_apology(dossier, now or timezone.now())


def _as_due(agency: Agency, value: datetime | date) -> datetime:
    """A new appointment: an instant, or a date meaning the close of that working day."""
    calendar = WorkingCalendar.for_agency(agency)
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            raise _refuse("new_due_at", _("Thời điểm phải có múi giờ."))
        return value
    if not calendar.is_working_day(value):
        raise _refuse(
            "new_due_at",
            _("Ngày %(day)s không phải ngày làm việc.") % {"day": value.strftime("%d/%m/%Y")},
        )
    return calendar.close_of(value)


def dossier_apologise(
    *,
    actor: Any,
    dossier: Dossier,
    reason: str,
    new_due_at: datetime | date,
    at: datetime | None = None,
) -> ApologyLetter:
    """Record the apology letter with a new appointment (Mẫu 04) and move the due to it.

    Decree 61/2018 (Art. 19) and 118/2025: the letter goes out no later than one working day
    before the due; the new appointment is later than the due it replaces. A letter issued
    after that is still recorded (the applicant is owed it), marked `in_time=False`. The due
    by law (`legal_due_at`) does not move: the dossier still counts as late.
    """
    if not can_on_dossier(actor, "dossier.apologise", dossier):
        require(actor, "dossier.apologise", dossier)
    at = _now(at)
    reason = _clean_reason(reason)
    new_due = _as_due(dossier.agency, new_due_at)
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status not in UNDECIDED_STATUSES or locked.due_at is None:
            raise _conflict(
                _(
                    "Chỉ lập phiếu xin lỗi cho hồ sơ đã tiếp nhận, chưa có kết quả (hồ sơ đang: "
                    "%(status)s)."
                )
                % {"status": DossierStatus(locked.status).label}
            )
        previous = locked.due_at
        if new_due <= previous:
            raise _refuse(
                "new_due_at",
                _("Ngày hẹn mới phải sau ngày hẹn hiện tại (%(due)s).")
                % {"due": timezone.localtime(previous).strftime("%H:%M %d/%m/%Y")},
            )
        if new_due <= at:
            raise _refuse("new_due_at", _("Ngày hẹn mới phải ở tương lai."))
        before = _state(locked)
        letter = ApologyLetter.objects.create(
            dossier=locked,
            issued_by=actor,
            issued_at=at,
            reason=reason,
            previous_due_at=previous,
            new_due_at=new_due,
            in_time=at <= deadlines.apology_deadline(locked.agency, previous),
        )
        locked.due_at = new_due
        locked.save()
        audit_record(
            actor=actor,
            action="dossier.apologise",
            target=locked,
            summary=_("Phiếu xin lỗi hồ sơ %(code)s, hẹn lại %(due)s: %(reason)s")
            % {
                "code": locked.code,
                "due": timezone.localtime(new_due).strftime("%H:%M %d/%m/%Y"),
                "reason": reason,
            },
            before=before,
            after={**_state(locked), "in_time": letter.in_time},
        )
        _notify(locked, "apology")
    _refresh(dossier, locked)
    return letter


# --- rating ----------------------------------------------------------------------------------


def dossier_rate(
    *, actor: Any, dossier: Dossier, value: str, comment: str = "", at: datetime | None = None
) -> Rating:
    """The applicant rates the service once, after the result was returned."""
    require(actor, "dossier.rate", dossier, hide=True)
    at = _now(at)
    if value not in RatingValue.values:
        raise _refuse("value", _("Chọn một mức độ hài lòng."))
    comment = str(comment or "").strip()
    if len(comment) > 2000:
        raise _refuse("comment", _("Ý kiến tối đa 2000 ký tự."))
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status != DossierStatus.RETURNED:
            raise _conflict(_("Chỉ đánh giá được sau khi đã nhận kết quả."))
        if Rating.objects.filter(dossier=locked).exists():
            raise _conflict(_("Hồ sơ này đã được đánh giá."))
        rating = Rating.objects.create(
            dossier=locked, value=value, comment=comment, rated_at=at, rated_by=actor
        )
        audit_record(
            actor=actor,
            action="dossier.rate",
            target=locked,
            summary=_("Đánh giá hồ sơ %(code)s: %(value)s")
            % {"code": locked.code, "value": RatingValue(value).label},
            after={"value": value, "comment": comment},
        )
        dossier_changed(dossier_id=locked.pk, event="rated")  # indicators: facts (on commit)
    return rating


# --- fees ------------------------------------------------------------------------------------


def payment_record(
    *,
    actor: Any,
    dossier: Dossier,
    provider: str,
    reference: str,
    amount: int,
    note: str = "",
) -> Payment:
    """Record a payment: the applicant's bank-transfer reference (pending until an officer
    confirms), or a one-stop officer's cash at the counter (confirmed at once)."""
    require(
        actor, "payment.record", dossier, hide=subject_for(actor).kind in ("citizen", "business")
    )
    chosen = provider_for(provider)
    applicant = _is_applicant(actor, dossier)
    if applicant and not chosen.applicant_may_record:
        raise _refuse(
            "provider", _("Hình thức %(name)s do cán bộ một cửa ghi nhận.") % {"name": chosen.name}
        )
    reference = str(reference or "").strip()
    if not reference or len(reference) > 100:
        raise _refuse("reference", _("Vui lòng nhập mã giao dịch (tối đa 100 ký tự)."))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _refuse("amount", _("Số tiền phải là số nguyên dương (đồng)."))
    with transaction.atomic():
        locked = _lock(dossier)
        if locked.status in (DossierStatus.REFUSED, DossierStatus.WITHDRAWN):
            raise _conflict(_("Hồ sơ đã kết thúc, không nộp phí được."))
        fees = fee_summary(locked)
        if amount > fees.unclaimed:
            raise _refuse(
                "amount",
                _("Số tiền vượt quá số còn phải nộp (%(left)s đồng).")
                % {"left": f"{fees.unclaimed:,}".replace(",", ".")},
            )
        confirmed = chosen.confirmed_on_record and not applicant
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    dossier=locked,
                    provider=chosen.code,
                    reference=reference,
                    amount=amount,
                    status=PaymentStatus.CONFIRMED if confirmed else PaymentStatus.PENDING,
                    recorded_by=actor,
                    confirmed_by=actor if confirmed else None,
                    confirmed_at=timezone.now() if confirmed else None,
                    note=str(note or "").strip()[:500],
                )
        except IntegrityError as exc:
            raise _conflict(
                _("Mã giao dịch %(ref)s đã được ghi nhận trước đó.") % {"ref": reference}
            ) from exc
        audit_record(
            actor=actor,
            action="payment.record",
            target=locked,
            summary=_("Ghi nhận %(amount)s đồng (%(provider)s, mã %(ref)s) cho hồ sơ %(code)s")
            % {
                "amount": f"{amount:,}".replace(",", "."),
                "provider": chosen.name,
                "ref": reference,
                "code": locked.code,
            },
            after={"payment_id": payment.pk, "status": payment.status, "amount": amount},
        )
        if confirmed:
            _notify(locked, "payment_confirmed")
    return payment


def payment_confirm(
    *, actor: Any, payment: Payment, accept: bool = True, note: str = ""
) -> Payment:
    """A one-stop officer confirms (or rejects, with a note) a pending payment."""
    dossier = payment.dossier
    require(actor, "payment.confirm", dossier)
    note = str(note or "").strip()
    if not accept and not note:
        raise _refuse("note", _("Ghi lý do không xác nhận khoản thanh toán."))
    with transaction.atomic():
        locked_dossier = _lock(dossier)
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != PaymentStatus.PENDING:
            raise _conflict(
                _("Khoản thanh toán đã được xử lý (%(status)s).")
                % {"status": PaymentStatus(locked.status).label}
            )
        if accept:
            chosen = provider_for(locked.provider)
            if not chosen.confirm(locked, {"confirmed_by_officer": True}):
                raise _conflict(_("Nhà cung cấp thanh toán chưa xác nhận giao dịch."))
        locked.status = PaymentStatus.CONFIRMED if accept else PaymentStatus.REJECTED
        locked.confirmed_by = actor
        locked.confirmed_at = timezone.now()
        if note:
            locked.note = note[:500]
        locked.save()
        audit_record(
            actor=actor,
            action="payment.confirm" if accept else "payment.reject",
            target=locked_dossier,
            summary=_("%(what)s khoản %(amount)s đồng (mã %(ref)s) của hồ sơ %(code)s")
            % {
                "what": _("Xác nhận") if accept else _("Không xác nhận"),
                "amount": f"{locked.amount:,}".replace(",", "."),
                "ref": locked.reference,
                "code": locked_dossier.code,
            },
            after={"payment_id": locked.pk, "status": locked.status},
        )
        if accept:
            _notify(locked_dossier, "payment_confirmed")
    for f in ("status", "confirmed_by_id", "confirmed_at", "note", "updated_at"):
        setattr(payment, f, getattr(locked, f))
    return payment
