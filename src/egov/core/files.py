"""Content-addressed file storage: every accepted upload goes through `file_store`.

- The storage key is the SHA-256 of the content (``ab/cd/<sha256>``): the same bytes uploaded
  twice are one blob and two `StoredFile` rows (each keeps its own name, field and uploader).
- Types are sniffed from the content (`filetype`, plus a UTF-8 check for CSV, text and XML),
  the declared extension must agree with them, and the caller names the kinds it accepts.
- Size is limited by ``settings.FILES_MAX_BYTES`` and, tighter, by the caller's ``max_bytes``.
- Bytes go through Django's ``default_storage``: the filesystem under ``FILES_ROOT`` by
  default, S3-compatible object storage with ``STORAGE=s3``.
- The blob is written before the row. A crash or a rolled-back transaction can leave a blob
  without a row (swept by `files_sweep_orphans`), never a row without its blob.

`file_store` writes no audit row of its own: it runs inside the caller's service, whose audit
row names the files it attached (see docs/subsystems/files.md).
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.errors import ValidationFailed
from egov.core.models import StoredFile, storage_key

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


KINDS: dict[str, FileKind] = {
    k.code: k
    for k in (
        FileKind("pdf", "PDF", (".pdf",), "application/pdf"),
        FileKind("doc", "DOC", (".doc",), "application/msword"),
        FileKind(
            "docx",
            "DOCX",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileKind("xls", "XLS", (".xls",), "application/vnd.ms-excel"),
        FileKind(
            "xlsx",
            "XLSX",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        FileKind("odt", "ODT", (".odt",), "application/vnd.oasis.opendocument.text"),
        FileKind("ods", "ODS", (".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
        FileKind("png", "PNG", (".png",), "image/png"),
        FileKind("jpeg", "JPEG", (".jpg", ".jpeg"), "image/jpeg"),
        FileKind("xml", "XML", (".xml",), "application/xml"),
        FileKind("csv", "CSV", (".csv",), "text/csv"),
        FileKind("txt", "TXT", (".txt",), "text/plain"),
    )
}
KIND_BY_EXTENSION = {ext: kind.code for kind in KINDS.values() for ext in kind.extensions}

# Common sets for callers: `allowed=DOCUMENTS | IMAGES`.
DOCUMENTS = frozenset({"pdf", "doc", "docx", "odt"})
SPREADSHEETS = frozenset({"xls", "xlsx", "ods", "csv"})
IMAGES = frozenset({"png", "jpeg"})

# What `filetype` reports, mapped to our kinds. Legacy Office files are one container format
# (OLE2) whose sub-type filetype guesses from a few bytes, so a .doc or .xls is accepted as
# either.
_SNIFFED: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "doc": frozenset({"doc", "xls"}),
    "xls": frozenset({"doc", "xls"}),
    "ppt": frozenset({"doc", "xls"}),
    "docx": frozenset({"docx"}),
    "xlsx": frozenset({"xlsx"}),
    "odt": frozenset({"odt"}),
    "ods": frozenset({"ods"}),
    "png": frozenset({"png"}),
    "jpg": frozenset({"jpeg"}),
}


def sniff(head: bytes) -> tuple[frozenset[str], str]:
    """The kinds the first bytes of a file can be, and a label for messages.

    Binary formats come from `filetype`; anything else that decodes as UTF-8 (without NUL
    bytes) is text: XML when it starts with ``<``, else CSV or plain text (indistinguishable).
    """
    guess = filetype.guess(head)
    if guess is not None:
        return _SNIFFED.get(guess.extension, frozenset()), guess.extension.upper()
    if b"\x00" in head:
        return frozenset(), _("không xác định")
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return frozenset(), _("không xác định")
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        return frozenset({"xml"}), "XML"
    return frozenset({"csv", "txt"}), _("văn bản")


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):.3g}".replace(".", ",")


def _refuse(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _as_file(upload: File | IO[bytes]) -> File:
    return upload if isinstance(upload, File) else File(upload, name=getattr(upload, "name", ""))


def _digest(upload: File, *, name: str, field: str, limit: int) -> tuple[str, int, bytes]:
    """SHA-256, size and the first bytes, read once; refuses as soon as the limit is passed."""
    sha = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise _too_large(field, name, limit)
        sha.update(chunk)
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
    return sha.hexdigest(), size, head


def _too_large(field: str, name: str, limit: int) -> ValidationFailed:
    return _refuse(
        field,
        _("Tệp “%(name)s” vượt quá dung lượng tối đa %(mb)s MB.")
        % {"name": name, "mb": _megabytes(limit)},
    )


def _write_blob(key: str, upload: File, size: int) -> None:
    """Put the bytes at `key` unless an intact copy is already there.

    The storage writes whole blobs only (`AtomicFileSystemStorage`, or an S3 put), and
    rewriting a key writes the same bytes; so concurrent uploads of one content need no lock.
    """
    if default_storage.exists(key) and default_storage.size(key) == size:
        return
    upload.seek(0)
    default_storage.save(key, upload)


def file_store(
    *,
    upload: File | IO[bytes],
    field: str,
    allowed: Iterable[str],
    max_bytes: int | None = None,
    actor: Any,
) -> StoredFile:
    """Check and keep one upload; refuse with `ValidationFailed` on ``field`` otherwise.

    ``allowed`` names kinds from `KINDS` (e.g. ``{"pdf", "docx"}`` or ``DOCUMENTS``);
    ``max_bytes`` can only tighten ``settings.FILES_MAX_BYTES``. ``actor`` is the uploading
    user, or None for the system.
    """
    allowed_kinds = frozenset(allowed)
    unknown = allowed_kinds - KINDS.keys()
    if unknown or not allowed_kinds:
        raise ValueError(f"unknown or empty file kinds: {sorted(unknown)}")
    limit = (
        settings.FILES_MAX_BYTES if max_bytes is None else min(max_bytes, settings.FILES_MAX_BYTES)
    )
    upload = _as_file(upload)
    name = os.path.basename(upload.name or "")[:255] or _("(không tên)")
    allowed_labels = ", ".join(sorted(KINDS[k].label for k in allowed_kinds))

    extension = os.path.splitext(name)[1].lower()
    declared = KIND_BY_EXTENSION.get(extension)
    if declared is None or declared not in allowed_kinds:
        raise _refuse(
            field,
            _(
                "Tệp “%(name)s” có định dạng %(format)s không được chấp nhận. "
                "Định dạng cho phép: %(allowed)s."
            )
            % {
                "name": name,
                "format": extension or _("(không có phần mở rộng)"),
                "allowed": allowed_labels,
            },
        )
    if upload.size is not None and upload.size > limit:
        raise _too_large(field, name, limit)

    digest, size, head = _digest(upload, name=name, field=field, limit=limit)
    if size == 0:
        raise _refuse(field, _("Tệp “%(name)s” không có nội dung.") % {"name": name})
    candidates, sniffed_label = sniff(head)
    if declared not in candidates:
        if declared in {"csv", "txt", "xml"} and not candidates:
            message = _("Tệp “%(name)s” không phải văn bản mã hoá UTF-8.") % {"name": name}
        else:
            message = _(
                "Tệp “%(name)s” có định dạng %(format)s không được chấp nhận: nội dung không khớp "
                "với phần mở rộng %(extension)s. Định dạng cho phép: %(allowed)s."
            ) % {
                "name": name,
                "format": sniffed_label,
                "extension": extension,
                "allowed": allowed_labels,
            }
        raise _refuse(field, message)

    _write_blob(storage_key(digest), upload, size)
    return StoredFile.objects.create(
        sha256=digest,
        size=size,
        kind=declared,
        content_type=KINDS[declared].content_type,
        original_name=name,
        field=field[:100],
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )


def file_open(stored_file: StoredFile) -> File:
    """The stored bytes, opened for reading (the caller closes it, or uses ``with``)."""
    return default_storage.open(stored_file.storage_key, "rb")


def file_response(stored_file: StoredFile, *, as_attachment: bool = True) -> FileResponse:
    """A download of the file under its original name. Check access before calling."""
    return FileResponse(
        file_open(stored_file),
        as_attachment=as_attachment,
        filename=stored_file.original_name,
        content_type=stored_file.content_type,
    )


def files_sweep_orphans(*, older_than: timedelta = timedelta(hours=24)) -> int:
    """Delete blobs no `StoredFile` row points to and older than ``older_than``; return how many.

    The age margin protects blobs whose row is still in an open transaction.
    """
    cutoff = timezone.now() - older_than
    removed = 0
    try:
        top_dirs, _files = default_storage.listdir("")
    except FileNotFoundError:  # nothing stored yet
        return 0
    for top in top_dirs:
        sub_dirs, _files = default_storage.listdir(top)
        for sub in sub_dirs:
            _none, names = default_storage.listdir(f"{top}/{sub}")
            candidates = [n for n in names if len(n) == 64 and n.startswith(top + sub)]
            for leftover in (n for n in names if n.startswith(".incoming-")):
                # a write cut short by a crash before its atomic rename
                path = f"{top}/{sub}/{leftover}"
                if default_storage.get_modified_time(path) <= cutoff:
                    default_storage.delete(path)
                    removed += 1
            referenced = set(
                StoredFile.objects.filter(sha256__in=candidates).values_list("sha256", flat=True)
            )
            for digest in candidates:
                if digest in referenced:
                    continue
                key = storage_key(digest)
                if default_storage.get_modified_time(key) <= cutoff:
                    default_storage.delete(key)
                    removed += 1
    return removed
