"""Content-addressed storage: sniffing, allow-lists, limits, one blob per content."""

from __future__ import annotations

import base64
import io
import threading
import zipfile
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from egov.core.errors import ValidationFailed
from egov.core.files import (
    DOCUMENTS,
    file_open,
    file_response,
    file_store,
    files_sweep_orphans,
    sniff,
)
from egov.core.models import StoredFile, storage_key

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Họ và tên"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def files_root(settings, tmp_path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "egov.core.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def _blobs(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _store(name: str, content: bytes, allowed=DOCUMENTS, **kw) -> StoredFile:
    return file_store(
        upload=SimpleUploadedFile(name, content),
        field="attachment",
        allowed=allowed,
        actor=None,
        **kw,
    )


@pytest.mark.django_db
def test_store_keeps_blob_under_its_sha256(files_root):
    stored = _store("Tờ trình.pdf", PDF)
    assert stored.kind == "pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF)
    assert stored.original_name == "Tờ trình.pdf"
    assert stored.storage_key == f"{stored.sha256[:2]}/{stored.sha256[2:4]}/{stored.sha256}"
    assert (files_root / stored.storage_key).read_bytes() == PDF
    with file_open(stored) as handle:
        assert handle.read() == PDF


@pytest.mark.django_db
def test_same_content_twice_is_one_blob_two_rows(files_root):
    first = _store("a.pdf", PDF)
    second = _store("b.pdf", PDF)
    assert first.sha256 == second.sha256
    assert first.pk != second.pk
    assert len(_blobs(files_root)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "allowed", "kind"),
    [
        ("scan.png", PNG, {"png"}, "png"),
        ("anh.JPG", JPEG, {"jpeg"}, "jpeg"),
        ("anh.jpeg", JPEG, {"jpeg", "png"}, "jpeg"),
        ("du-thao.docx", _docx(), {"docx"}, "docx"),
        ("bang.xlsx", _xlsx(), {"xlsx"}, "xlsx"),
        ("danh-sach.csv", "Họ tên,Ngày sinh\nNguyễn Văn A,1990-01-01\n".encode(), {"csv"}, "csv"),
        ("ghi-chu.txt", "\ufeffGhi chú đầu tiên".encode(), {"txt"}, "txt"),
        ("goi-tin.xml", b'<?xml version="1.0" encoding="UTF-8"?><edXML/>', {"xml"}, "xml"),
    ],
)
def test_accepts_each_supported_kind(files_root, name, content, allowed, kind):
    assert _store(name, content, allowed=allowed).kind == kind


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "allowed", "fragment"),
    [
        ("virus.exe", b"MZ\x90\x00", DOCUMENTS, "có định dạng .exe không được chấp nhận"),
        ("khong-duoi", PDF, DOCUMENTS, "không có phần mở rộng"),
        ("anh.png", PNG, DOCUMENTS, "có định dạng .png không được chấp nhận"),
        ("gia-mao.pdf", PNG, DOCUMENTS, "có định dạng PNG không được chấp nhận"),
        ("gia-mao.docx", _xlsx(), {"docx"}, "có định dạng XLSX không được chấp nhận"),
        ("gia-mao.csv", PDF, {"csv"}, "có định dạng PDF không được chấp nhận"),
        (
            "cp1258.csv",
            "Văn bản Đà Nẵng".encode("cp1258", errors="ignore"),
            {"csv"},
            "không phải văn bản mã hoá UTF-8",
        ),
        ("rong.pdf", b"", DOCUMENTS, "không có nội dung"),
    ],
)
def test_refuses_in_vietnamese_naming_the_field(files_root, name, content, allowed, fragment):
    with pytest.raises(ValidationFailed) as refused:
        _store(name, content, allowed=allowed)
    assert fragment in refused.value.message
    assert refused.value.fields == {"attachment": [refused.value.message]}
    assert refused.value.as_problem()["status"] == 422
    assert StoredFile.objects.count() == 0
    assert _blobs(files_root) == []


@pytest.mark.django_db
def test_size_limits_per_call_and_global(files_root, settings):
    big = PDF + b"0" * (2 * 1024 * 1024)
    with pytest.raises(ValidationFailed, match=r"vượt quá dung lượng tối đa 1 MB"):
        _store("lon.pdf", big, max_bytes=1024 * 1024)
    settings.FILES_MAX_BYTES = 512 * 1024
    # The caller cannot widen the platform limit.
    with pytest.raises(ValidationFailed, match=r"vượt quá dung lượng tối đa 0,5 MB"):
        _store("lon.pdf", big, max_bytes=10 * 1024 * 1024)
    # A stream whose size is not known up front is cut off while it is read.
    stream = ContentFile(big, name="lon.pdf")
    stream.size = None  # type: ignore[assignment]
    with pytest.raises(ValidationFailed, match=r"vượt quá dung lượng"):
        file_store(upload=stream, field="attachment", allowed=DOCUMENTS, actor=None)
    assert StoredFile.objects.count() == 0
    assert _blobs(files_root) == []


def test_unknown_kinds_are_a_programming_error():
    with pytest.raises(ValueError):
        file_store(upload=ContentFile(PDF, name="a.pdf"), field="f", allowed={"exe"}, actor=None)


@pytest.mark.django_db
def test_torn_blob_is_written_again(files_root):
    stored = _store("a.pdf", PDF)
    (files_root / stored.storage_key).write_bytes(PDF[:10])  # as if a crash cut the write short
    _store("a-lan-2.pdf", PDF)
    assert (files_root / stored.storage_key).read_bytes() == PDF
    assert len(_blobs(files_root)) == 1


def test_concurrent_writers_of_one_blob_never_expose_a_partial_file(files_root):
    from django.core.files.storage import default_storage

    content = PDF + b"%" * (4 * 1024 * 1024)  # big enough that a plain write is observable
    key = "ab/cd/" + "ab" * 32
    seen_sizes: set[int] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def write() -> None:
        try:
            for _ in range(5):
                default_storage.save(key, ContentFile(content))
        except BaseException as exc:
            errors.append(exc)

    def read() -> None:
        while not stop.is_set():
            try:
                if default_storage.exists(key):
                    seen_sizes.add(default_storage.size(key))
            except BaseException as exc:
                errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write) for _ in range(8)]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    reader.join()
    assert not errors
    assert seen_sizes <= {len(content)}
    assert (files_root / key).read_bytes() == content
    assert [p.name for p in _blobs(files_root)] == [key.rsplit("/", 1)[1]]  # no temp left


@pytest.mark.django_db
def test_a_crashed_write_leaves_a_temporary_file_the_sweep_removes(files_root):
    leftover = files_root / "ab" / "cd" / ".incoming-x1y2"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a blob")
    assert files_sweep_orphans() == 0
    assert files_sweep_orphans(older_than=timedelta(0)) == 1
    assert not leftover.exists()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_leaves_only_an_orphan_blob_which_is_swept(files_root):
    kept = _store("giu-lai.pdf", PDF)
    with pytest.raises(RuntimeError), transaction.atomic():
        _store("anh.png", PNG, allowed={"png"})
        raise RuntimeError("the caller's service failed after storing")
    assert StoredFile.objects.count() == 1
    assert len(_blobs(files_root)) == 2  # blob first, row second: the orphan is a blob

    assert files_sweep_orphans() == 0  # too young: its row may still be committing
    assert files_sweep_orphans(older_than=timedelta(0)) == 1
    assert _blobs(files_root) == [files_root / kept.storage_key]


@pytest.mark.django_db
def test_file_response_downloads_under_original_name(files_root):
    stored = _store("Quyết định.pdf", PDF)
    response = file_response(stored)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    response.close()


def test_sniff_labels():
    assert sniff(PDF) == (frozenset({"pdf"}), "PDF")
    assert sniff(b"a,b\n")[0] == frozenset({"csv", "txt"})
    assert sniff(b"\x00\x01\x02")[0] == frozenset()
    assert storage_key("ab" + "c" * 62).startswith("ab/cc/")
