"""Yearly files (hồ sơ) of the agency's file list (Decree 30 Art. 28–29, Appendix VI §II.III):
documents belong to files without being copied, numbered inside each file (DocOrdinal)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from egov.audit.services import audit_record
from egov.core.errors import AppError, NotFound, ValidationFailed
from egov.documents.models import CaseFile, CaseFileDocument, CaseFileStatus, Document
from egov.documents.services import _common as c
from egov.organisations.models import Agency
from egov.policy.engine import require


def casefile_create(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    notation: str,
    title: str,
    retention: str,
    description: str = "",
    start_date: date | None = None,
) -> CaseFile:
    require(actor, "casefile.manage", agency)
    errors = c.Errors()
    notation = (notation or "").strip()
    if not notation or len(notation) > 20:
        errors.add("notation", _("Số và ký hiệu hồ sơ là bắt buộc (tối đa 20 ký tự)."))
    if not title or not title.strip() or len(title) > 500:
        errors.add("title", _("Tiêu đề hồ sơ là bắt buộc (tối đa 500 ký tự)."))
    if not retention or len(retention) > 30:
        errors.add("retention", _("Thời hạn bảo quản là bắt buộc."))
    if not 1900 <= int(year) <= 9999:
        errors.add("year", _("Năm không hợp lệ."))
    errors.raise_if_any()
    try:
        with transaction.atomic():
            case_file = CaseFile.objects.create(
                agency=agency,
                year=year,
                notation=notation,
                title=title.strip(),
                retention=retention.strip(),
                description=description,
                start_date=start_date,
                creator=str(actor)[:30],
            )
            audit_record(actor=actor, action="casefile.create", target=case_file)
    except IntegrityError:
        message = _("Hồ sơ %(n)s năm %(y)s đã có.") % {"n": notation, "y": year}
        raise ValidationFailed(message, fields={"notation": [message]}) from None
    return case_file


def casefile_add_document(
    *, actor: Any, case_file: CaseFile, document: Document
) -> CaseFileDocument:
    """Put a document in a file (no copy); it gets the next ordinal in the file."""
    require(actor, "casefile.manage", case_file)
    require(actor, "document.view", document, hide=True)
    if document.agency_id != case_file.agency_id:
        raise NotFound()
    if case_file.status != CaseFileStatus.OPEN:
        raise AppError("documents_casefile_closed", _("Hồ sơ đã đóng."), status=409)
    with transaction.atomic():
        locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        if locked.entries.filter(document=document).exists():
            raise AppError("documents_casefile_has_document", _("Văn bản đã có trong hồ sơ."),
                           status=409)  # fmt: skip
        last = locked.entries.aggregate(m=Max("ordinal"))["m"] or 0
        entry = CaseFileDocument.objects.create(
            case_file=locked, document=document, ordinal=last + 1
        )
        audit_record(
            actor=actor, action="casefile.add_document", target=case_file,
            after={"document": document.pk, "ordinal": entry.ordinal},
        )  # fmt: skip
    return entry


def casefile_close(*, actor: Any, case_file: CaseFile, end_date: date | None = None) -> CaseFile:
    require(actor, "casefile.manage", case_file)
    if case_file.status != CaseFileStatus.OPEN:
        raise AppError("documents_casefile_closed", _("Hồ sơ đã đóng."), status=409)
    with transaction.atomic():
        case_file.status = CaseFileStatus.CLOSED
        case_file.end_date = end_date or c.vn_date(c.now())
        case_file.save(update_fields=["status", "end_date", "updated_at"])
        audit_record(actor=actor, action="casefile.close", target=case_file)
    return case_file
