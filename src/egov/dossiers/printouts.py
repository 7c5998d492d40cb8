"""The one-stop forms of a dossier as PDF: records in, `egov.printing` forms out.

Each function reads what its form needs (through the selectors) and returns PDF bytes from
`egov.printing.onestop.render_pdf`; views check access first and serve the bytes with
`pdf_response`. The QR code of every form links to public tracking
(``settings.SITE_URL + /tra-cuu/<code>/``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from egov.dossiers import selectors
from egov.dossiers.models import Channel, Dossier, ResultChannel
from egov.dossiers.tracking import public_url
from egov.printing.onestop import (
    AgencyHeader,
    ApologyLetter,
    ControlSheet,
    ControlStep,
    PaperLine,
    ReceiptSlip,
    Refusal,
    SupplementRequest,
    render_pdf,
)
from egov.workflow.selectors import control_sheet

OUTCOME_TEXT = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


def agency_header(agency: Any) -> AgencyHeader:
    parent = getattr(agency, "parent", None)
    return AgencyHeader(
        name=agency.name.upper(),
        parent_name=parent.name.upper() if parent is not None else "",
        place=getattr(settings, "PROVINCE_NAME", "") or "",
        display_name=agency.name,
    )


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(getattr(user, "full_name", "") or user)


def _papers(dossier: Dossier) -> list[PaperLine]:
    return [
        PaperLine(
            name=p.name,
            copies=p.copies or 1,
            original_or_copy="Bản chính" if p.is_original else "Bản sao",
        )
        for p in selectors.dossier_papers(dossier)
    ]


def _time_text(procedure: Any) -> str:
    days = procedure.legal_working_days
    if days < 1:
        return "Trong ngày làm việc"
    number = int(days) if days == int(days) else days
    return f"{number:02d} ngày làm việc" if isinstance(number, int) else f"{number} ngày làm việc"


def receipt_pdf(dossier: Dossier) -> bytes:
    """Mẫu 01. An online dossier not yet received shows its submission and the legal time."""
    received = dossier.received_at or dossier.submitted_at
    due = dossier.due_at or received
    receiver = dossier.received_by
    return render_pdf(
        ReceiptSlip(
            agency=agency_header(dossier.agency),
            dossier_code=dossier.code,
            applicant_name=dossier.applicant_name,
            applicant_address=dossier.applicant_address,
            phone=dossier.applicant_phone,
            email=dossier.applicant_email,
            procedure_name=dossier.procedure.name,
            papers=_papers(dossier),
            received_at=received,
            due_at=max(due, received),
            receiving_officer=_person(receiver.user) if receiver is not None else "",
            tracking_url=public_url(dossier.code),
            processing_time=_time_text(dossier.procedure),
            result_delivery=str(ResultChannel(dossier.result_channel).label)
            if dossier.result_channel
            else "",
            applicant_signs=dossier.channel == Channel.COUNTER,
        )
    )


def supplement_pdf(dossier: Dossier) -> bytes | None:
    """Mẫu 02, for the latest supplement request (None when there is none)."""
    requests = selectors.dossier_supplements(dossier)
    if not requests:
        return None
    last = requests[-1]
    return render_pdf(
        SupplementRequest(
            agency=agency_header(dossier.agency),
            dossier_code=dossier.code,
            applicant_name=dossier.applicant_name,
            applicant_address=dossier.applicant_address,
            procedure_name=dossier.procedure.name,
            missing=[str(i) for i in last.items] or ["(không ghi)"],
            officer=_person(last.requested_by),
            received_at=dossier.received_at,
            note=last.note,
            tracking_url=public_url(dossier.code),
            phone=dossier.applicant_phone,
            issued_at=last.requested_at,
        )
    )


def refusal_pdf(dossier: Dossier) -> bytes | None:
    """Mẫu 03 (None when the dossier was not refused)."""
    refusal = getattr(dossier, "refusal", None)
    if refusal is None:
        return None
    return render_pdf(
        Refusal(
            agency=agency_header(dossier.agency),
            dossier_code=dossier.code,
            applicant_name=dossier.applicant_name,
            applicant_address=dossier.applicant_address,
            procedure_name=dossier.procedure.name,
            reasons=[str(r) for r in refusal.reasons] or ["(không ghi)"],
            officer=_person(refusal.refused_by),
            tracking_url=public_url(dossier.code),
            phone=dossier.applicant_phone,
            issued_at=refusal.refused_at,
        )
    )


def apology_pdf(dossier: Dossier) -> bytes | None:
    """Mẫu 04, for the latest apology letter (None when there is none)."""
    letters = selectors.dossier_apologies(dossier)
    if not letters:
        return None
    last = letters[-1]
    return render_pdf(
        ApologyLetter(
            agency=agency_header(dossier.agency),
            dossier_code=dossier.code,
            applicant_name=dossier.applicant_name,
            procedure_name=dossier.procedure.name,
            received_at=dossier.received_at or dossier.submitted_at,
            original_due_at=last.previous_due_at,
            new_due_at=last.new_due_at,
            reason=last.reason,
            signer_name=_person(last.issued_by),
            honorific="" if dossier.applicant_kind == "business" else "Ông/Bà",
            tracking_url=public_url(dossier.code),
            issued_at=last.issued_at,
        )
    )


def control_steps(dossier: Dossier) -> list[ControlStep]:
    instance = dossier.workflow_instance
    if instance is None:
        return []
    return [
        ControlStep(
            name=row.to_step or row.action_label,
            from_unit=row.from_agency,
            to_unit=row.to_agency,
            handed_over_at=row.acted_at,
            from_person=row.actor,
            to_person=row.to_assignee,
            outcome=OUTCOME_TEXT.get(row.outcome),
            note=row.note,
        )
        for row in control_sheet(instance)
    ]


def control_sheet_pdf(dossier: Dossier, *, now: datetime | None = None) -> bytes:
    """Mẫu 05: one row per hand-over, from the workflow history."""
    due = dossier.due_at or dossier.submitted_at
    return render_pdf(
        ControlSheet(
            agency=agency_header(dossier.agency),
            dossier_code=dossier.code,
            applicant_name=dossier.applicant_name,
            due_at=due,
            steps=control_steps(dossier),
            procedure_name=dossier.procedure.name,
            tracking_url=public_url(dossier.code),
            issued_at=now or timezone.now(),
        )
    )
