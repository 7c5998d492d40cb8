"""Helpers shared by the documents' services (private: no audit row of their own)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.errors import NotFound, ValidationFailed
from egov.core.files import file_open, file_store
from egov.core.models import StoredFile
from egov.core.search import fold
from egov.documents.figures import VN_TZ
from egov.documents.models import (
    Document,
    DocumentFile,
    FileKindChoice,
    SecrecyLevel,
    Urgency,
)
from egov.organisations.models import StaffMember

DOCUMENT_KINDS = frozenset({"pdf", "docx", "doc"})
ATTACHMENT_KINDS = frozenset({"pdf", "docx", "doc", "xlsx", "xls"})


@dataclass(frozen=True)
class FileInput:
    """One file given to a service: an upload (Django `File`, a file object) or a file already
    stored (`StoredFile`), and its role: main text, attachment or draft."""

    upload: File | IO[bytes] | StoredFile
    kind: str = FileKindChoice.MAIN


class Errors:
    """Collects field errors so bad input is refused all at once, before anything is written."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise ValidationFailed(first, fields=self.fields)


def now() -> datetime:
    return timezone.now()


def vn_date(at: datetime) -> date:
    return timezone.localtime(at, VN_TZ).date()


def staff_of(actor: Any) -> StaffMember:
    """The active staff record of the acting user; "not found" otherwise."""
    user_id = getattr(actor, "pk", None)
    staff = (
        StaffMember.objects.select_related("agency", "unit", "position")
        .filter(user_id=user_id, is_active=True)
        .first()
        if user_id is not None
        else None
    )
    if staff is None:
        raise NotFound()
    return staff


def default_urgency() -> Urgency:
    return Urgency.objects.get(edxml_code=0)


def default_secrecy() -> SecrecyLevel:
    return SecrecyLevel.objects.get(level=0)


def urgency_for_priority(code: int | str | None) -> Urgency:
    """edXML Priority → urgency; 4 (hỏa tốc hẹn giờ, gone from Decree 30) reads as hỏa tốc."""
    try:
        value = int(code) if code not in (None, "") else 0
    except (TypeError, ValueError):
        value = 0
    value = min(max(value, 0), 3)
    return Urgency.objects.get(edxml_code=value)


def search_text_for(document: Document) -> str:
    parts = [
        document.number_notation,
        document.code_notation,
        document.subject,
        document.organ_name,
        document.signer_full_name,
        document.signer_position,
        str(document.arrival_number or ""),
        document.description,
        document.content_text,
    ]
    return fold(" ".join(p for p in parts if p))


def trace(document: Document, event: str, *, actor: Any = None, at: datetime, **data: Any) -> None:
    """Append one line to TraceHeaderList (directions, distribution, statuses); caller saves."""
    line: dict[str, Any] = {
        "at": at.isoformat(),
        "event": event,
        "actor": str(actor) if getattr(actor, "pk", None) else "hệ thống",
    }
    line.update({k: v for k, v in data.items() if v not in (None, "")})
    document.trace_header_list = [*document.trace_header_list, line]


def as_file_inputs(files: Iterable[Any] | None) -> list[FileInput]:
    """Bare uploads become main (the first) and attachments (the rest)."""
    result: list[FileInput] = []
    for i, item in enumerate(files or ()):
        if isinstance(item, FileInput):
            result.append(item)
        else:
            kind = FileKindChoice.MAIN if i == 0 else FileKindChoice.ATTACHMENT
            result.append(FileInput(item, kind))
    return result


def check_file_inputs(files: Sequence[FileInput], errors: Errors, field: str = "files") -> None:
    for i, item in enumerate(files):
        if item.kind not in FileKindChoice.values:
            errors.add(f"{field}[{i}].kind", _("Loại tệp không hợp lệ."))


def _store_files(
    document: Document, files: Sequence[FileInput], *, actor: Any, version: int
) -> list[DocumentFile]:
    """Keep the uploads (type sniffing and size limits by core.files) and link them."""
    rows = []
    for i, item in enumerate(files):
        if isinstance(item.upload, StoredFile):
            stored = item.upload
        else:
            allowed = DOCUMENT_KINDS if item.kind == FileKindChoice.MAIN else ATTACHMENT_KINDS
            stored = file_store(
                upload=item.upload, field=f"files[{i}]", allowed=allowed, actor=actor
            )
        rows.append(
            DocumentFile.objects.create(
                document=document,
                stored_file=stored,
                kind=item.kind,
                version=version,
                added_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    if rows:
        # Every way a file arrives (pages, API, exchange, signing) gets its text indexed,
        # once the transaction commits.
        from egov.documents.search import index_later

        index_later(document.pk)
    return rows


def read_bytes(stored: StoredFile) -> bytes:
    handle = file_open(stored)
    try:
        return bytes(handle.read())
    finally:
        handle.close()


def store_bytes(data: bytes, *, name: str, actor: Any) -> StoredFile:
    upload = ContentFile(data, name=name)
    return file_store(upload=upload, field="files", allowed={"pdf"}, actor=actor)


def bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)
