"""Reading edXML: `parse_message` (a document), `parse_status`, and `parse_any` (either).

Order of checks, each failing with an `EdxmlError` whose reason is Vietnamese:
size → well-formed XML (no DOCTYPE, no entities, no network) → root ``{QCVN_102_2016}edXML``
→ kind (document or status) → the project's XSD → values (real dates) → attachments (every
manifest reference has its attachment and the reverse, base64 decodes, zipped content unzips,
size and SHA-256 match when the manifest gives them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import zipfile
from collections.abc import Callable
from typing import TypeVar

from lxml import etree

from egov.exchange.edxml.build import EGOV_NS
from egov.exchange.edxml.dates import parse_date, parse_instant
from egov.exchange.edxml.errors import EdxmlError
from egov.exchange.edxml.schema import LABELS, NS, ns, validate
from egov.exchange.edxml.types import (
    Attachment,
    Bussiness,
    BussinessDocumentInfo,
    Code,
    DocumentType,
    EdxmlMessage,
    MessageHeader,
    Organization,
    OtherInfo,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusMessage,
    TraceHeader,
    document_id_for,
)

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
T = TypeVar("T")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
    )


def _tree(data: bytes, max_bytes: int) -> etree._Element:
    if not isinstance(data, bytes | bytearray):
        raise TypeError("edXML is parsed from bytes")
    if len(data) > max_bytes:
        raise EdxmlError(
            "too_large",
            f"Gói tin quá lớn ({len(data):,} byte; tối đa {max_bytes:,} byte).".replace(",", "."),
        )
    if not data.strip():
        raise EdxmlError("malformed", "Gói tin rỗng.")
    try:
        root = etree.fromstring(bytes(data), _parser())
    except etree.XMLSyntaxError as exc:
        line = f" (dòng {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise EdxmlError("malformed", f"Gói tin không phải XML hợp lệ{line}: {exc.msg}") from exc
    if root.getroottree().docinfo.doctype:
        raise EdxmlError("malformed", "Gói tin không được chứa khai báo DOCTYPE.")
    if root.tag != ns("edXML"):
        qname = etree.QName(root)
        if qname.localname == "edXML":
            raise EdxmlError(
                "wrong_namespace",
                f"Không gian tên “{qname.namespace or '(không có)'}” không đúng; gói tin edXML "
                f"phải dùng “{NS}” (QCVN 102:2016).",
            )
        raise EdxmlError(
            "wrong_namespace",
            f"Phần tử gốc “{qname.localname}” không phải gói tin edXML (cần “edXML” trong "
            f"không gian tên {NS}).",
        )
    return root


def _is_status(root: etree._Element) -> bool:
    return root.find(f"{ns('edXMLEnvelope')}/{ns('edXMLHeader')}/{ns('Status')}") is not None


def _text(node: etree._Element | None, tag: str) -> str:
    if node is None:
        return ""
    child = node.find(ns(tag))
    return (child.text or "").strip() if child is not None else ""


def _value(convert: Callable[[str], T], text: str, tag: str) -> T:
    try:
        return convert(text)
    except ValueError as exc:
        label = LABELS.get(tag, tag)
        raise EdxmlError("bad_value", f"Giá trị “{text}” của {label} không hợp lệ.") from exc


def _optional_int(text: str) -> int | None:
    return int(text) if text else None


def _organization(node: etree._Element) -> Organization:
    return Organization(
        organ_id=_text(node, "OrganId"),
        organ_name=_text(node, "OrganName"),
        organization_in_charge=_text(node, "OrganizationInCharge"),
        organ_add=_text(node, "OrganAdd"),
        email=_text(node, "Email"),
        telephone=_text(node, "Telephone"),
        fax=_text(node, "Fax"),
        website=_text(node, "Website"),
    )


def _response_for(node: etree._Element) -> ResponseFor:
    date_text = _text(node, "PromulgationDate")
    return ResponseFor(
        organ_id=_text(node, "OrganId"),
        document_id=_text(node, "DocumentId"),
        code=_text(node, "Code"),
        promulgation_date=_value(parse_date, date_text, "PromulgationDate") if date_text else None,
    )


def _staff_info(node: etree._Element | None) -> StaffInfo | None:
    if node is None:
        return None
    return StaffInfo(
        department=_text(node, "Department"),
        staff=_text(node, "Staff"),
        mobile=_text(node, "Mobile"),
        email=_text(node, "Email"),
    )


def _message_header(node: etree._Element) -> MessageHeader:
    code_node = node.find(ns("Code"))
    code = Code(number=_text(code_node, "CodeNumber"), notation=_text(code_node, "CodeNotation"))
    info = node.find(ns("PromulgationInfo"))
    promulgation = PromulgationInfo(
        date=_value(parse_date, _text(info, "PromulgationDate"), "PromulgationDate"),
        place=_text(info, "Place"),
    )
    kind = node.find(ns("DocumentType"))
    document_type = DocumentType(
        type_name=_text(kind, "TypeName"),
        type=_value(_optional_int, _text(kind, "Type"), "Type"),
        type_detail=_value(_optional_int, _text(kind, "TypeDetail"), "TypeDetail"),
    )
    signer_node = node.find(ns("SignerInfo"))
    signer = (
        SignerInfo(
            competence=_text(signer_node, "Competence"),
            position=_text(signer_node, "Position"),
            full_name=_text(signer_node, "FullName"),
        )
        if signer_node is not None
        else None
    )
    due_text = _text(node, "DueDate")
    other_node = node.find(ns("OtherInfo"))
    appendixes = other_node.find(ns("Appendixes")) if other_node is not None else None
    other = OtherInfo(
        priority=_value(_optional_int, _text(other_node, "Priority"), "Priority") or 0,
        sphere_of_promulgation=_text(other_node, "SphereOfPromulgation"),
        typer_notation=_text(other_node, "TyperNotation"),
        promulgation_amount=_value(
            _optional_int, _text(other_node, "PromulgationAmount"), "PromulgationAmount"
        ),
        page_amount=_value(_optional_int, _text(other_node, "PageAmount"), "PageAmount"),
        appendixes=tuple((a.text or "").strip() for a in appendixes.findall(ns("Appendix")))
        if appendixes is not None
        else (),
    )
    places = node.find(ns("ToPlaces"))
    from_ = _organization(node.find(ns("From")))  # type: ignore[arg-type]  # schema: required
    steering = _text(node, "SteeringType")
    document_id = _text(node, "DocumentId") or document_id_for(
        organ_id=from_.organ_id, date=promulgation.date, code=code
    )
    return MessageHeader(
        from_=from_,
        to=tuple(_organization(n) for n in node.findall(ns("To"))),
        code=code,
        promulgation_info=promulgation,
        document_type=document_type,
        subject=_text(node, "Subject"),
        document_id=document_id,
        content=_text(node, "Content"),
        signer_info=signer,
        due_date=_value(parse_date, due_text, "DueDate") if due_text else None,
        to_places=tuple((p.text or "").strip() for p in places.findall(ns("Place")))
        if places is not None
        else (),
        other_info=other,
        response_for=tuple(_response_for(n) for n in node.findall(ns("ResponseFor"))),
        steering_type=int(steering) if steering else None,
    )


def _bussiness(node: etree._Element | None) -> Bussiness:
    if node is None:
        return Bussiness()
    info_node = node.find(ns("BussinessDocumentInfo"))
    info = None
    if info_node is not None:
        receivers = info_node.find(ns("ReceiverList"))
        info = BussinessDocumentInfo(
            document_info=_text(info_node, "DocumentInfo"),
            document_receiver=_text(info_node, "DocumentReceiver"),
            receivers=tuple(
                Receiver(receiver_type=int(_text(r, "ReceiverType")), organ_id=_text(r, "OrganId"))
                for r in receivers.findall(ns("Receiver"))
            )
            if receivers is not None
            else (),
        )
    replacements = node.find(ns("ReplacementInfoList"))
    return Bussiness(
        doc_type=int(_text(node, "BussinessDocType") or 0),
        reason=_text(node, "BussinessDocReason"),
        document_info=info,
        document_id=_text(node, "DocumentId"),
        staff_info=_staff_info(node.find(ns("StaffInfo"))),
        paper=_text(node, "Paper"),
        replacements=tuple(
            ReplacementInfo(
                document_id=_text(r, "DocumentId"),
                organ_ids=tuple(
                    (o.text or "").strip()
                    for o in r.findall(f"{ns('OrganIdList')}/{ns('OrganId')}")
                ),
            )
            for r in replacements.findall(ns("ReplacementInfo"))
        )
        if replacements is not None
        else (),
    )


def _bare_id(content_id: str) -> str:
    content_id = content_id.strip()
    return content_id[4:] if content_id.lower().startswith("cid:") else content_id


def unzip_if_wrapped(name: str, data: bytes, *, max_bytes: int) -> bytes:
    """The file inside, when `data` is a zip wrapping exactly one member named like the
    attachment (the VPCP gateway's habit); else `data` itself.

    A DOCX or XLSX is a zip too, but never of one member named like itself, so office files
    sent plain are left alone.
    """
    if not data.startswith(b"PK\x03\x04"):
        return data
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return data
    if len(members) != 1 or members[0].filename.rsplit("/", 1)[-1] != name.rsplit("/", 1)[-1]:
        return data
    member = members[0]
    if member.file_size > max_bytes:
        raise EdxmlError(
            "bad_attachment", f"Tệp “{name}” sau khi giải nén vượt quá {max_bytes:,} byte."
        )
    try:
        with archive.open(member) as handle:
            content = handle.read(max_bytes + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise EdxmlError("bad_attachment", f"Không giải nén được tệp “{name}”: {exc}.") from exc
    if len(content) > max_bytes:
        raise EdxmlError(
            "bad_attachment", f"Tệp “{name}” sau khi giải nén vượt quá {max_bytes:,} byte."
        )
    return content


def _attachments(root: etree._Element, *, max_attachment_bytes: int) -> tuple[Attachment, ...]:
    manifest = root.find(f"{ns('edXMLEnvelope')}/{ns('edXMLBody')}/{ns('edXMLManifest')}")
    references: dict[str, etree._Element] = {}
    if manifest is not None:
        for ref in manifest.findall(ns("Reference")):
            cid = _bare_id(_text(ref, "ContentId"))
            if cid in references:
                raise EdxmlError("bad_attachment", f"Mã tệp “{cid}” lặp lại trong danh mục.")
            references[cid] = ref
    encoded = root.find(ns("AttachmentEncoded"))
    nodes = encoded.findall(ns("Attachment")) if encoded is not None else []
    found: dict[str, etree._Element] = {}
    for node in nodes:
        cid = _bare_id(_text(node, "ContentId"))
        if cid in found:
            raise EdxmlError("bad_attachment", f"Mã tệp “{cid}” lặp lại trong phần tệp đính kèm.")
        found[cid] = node
    if manifest is not None:
        missing = [cid for cid in references if cid not in found]
        if missing:
            name = _text(references[missing[0]], "AttachmentName") or missing[0]
            raise EdxmlError(
                "bad_attachment",
                f"Danh mục có tệp “{name}” (mã {missing[0]}) nhưng gói tin không kèm tệp này.",
            )
        extra = [cid for cid in found if cid not in references]
        if extra:
            raise EdxmlError(
                "bad_attachment",
                f"Tệp đính kèm mã {extra[0]} không có trong danh mục (edXMLManifest).",
            )
    result = []
    for cid, node in found.items():
        name = _text(node, "AttachmentName")
        raw = "".join((_text(node, "ContentTransferEncoded")).split())
        try:
            payload = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EdxmlError(
                "bad_attachment", f"Nội dung tệp “{name}” không phải mã base64 hợp lệ."
            ) from exc
        if len(payload) > max_attachment_bytes:
            raise EdxmlError(
                "bad_attachment", f"Tệp “{name}” vượt quá {max_attachment_bytes:,} byte."
            )
        data = unzip_if_wrapped(name, payload, max_bytes=max_attachment_bytes)
        if not data:
            raise EdxmlError("bad_attachment", f"Tệp “{name}” không có nội dung.")
        ref = references.get(cid)
        if ref is not None:
            _check_integrity(ref, name, data)
        result.append(
            Attachment(
                content_id=cid,
                name=name,
                data=data,
                content_type=_text(node, "ContentType")
                or (_text(ref, "ContentType") if ref is not None else "")
                or "application/octet-stream",
                description=_text(node, "Description"),
            )
        )
    return tuple(result)


def _check_integrity(ref: etree._Element, name: str, data: bytes) -> None:
    size = ref.get(f"{{{EGOV_NS}}}size")
    if size is not None and size.strip() != str(len(data)):
        raise EdxmlError(
            "digest_mismatch",
            f"Tệp “{name}” có {len(data)} byte, khác với {size} byte ghi trong danh mục: "
            "tệp đã bị thay đổi hoặc truyền thiếu.",
        )
    digest = ref.get(f"{{{EGOV_NS}}}sha256")
    if digest is not None and digest.strip().lower() != hashlib.sha256(data).hexdigest():
        raise EdxmlError(
            "digest_mismatch",
            f"Mã băm SHA-256 của tệp “{name}” không khớp với danh mục: tệp đã bị thay đổi "
            "hoặc truyền sai.",
        )


def _expect_kind(root: etree._Element, *, status: bool) -> None:
    if _is_status(root) and not status:
        raise EdxmlError(
            "wrong_kind", "Đây là gói tin trạng thái (Status), không phải gói tin văn bản."
        )
    if not _is_status(root) and status:
        raise EdxmlError("wrong_kind", "Gói tin không chứa thông tin trạng thái (Status).")


def parse_message(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
) -> EdxmlMessage:
    """A document message from bytes, or `EdxmlError`."""
    root = _tree(data, max_bytes)
    _expect_kind(root, status=False)
    validate(root, "edxml")
    return _message_from(root, max_attachment_bytes=max_attachment_bytes)


def _message_from(root: etree._Element, *, max_attachment_bytes: int) -> EdxmlMessage:
    header = root.find(f"{ns('edXMLEnvelope')}/{ns('edXMLHeader')}")
    assert header is not None  # the schema requires it
    trace = header.find(ns("TraceHeaderList"))
    hops = (
        tuple(
            TraceHeader(
                organ_id=_text(t, "OrganId"),
                timestamp=_value(parse_instant, _text(t, "Timestamp"), "Timestamp"),
            )
            for t in trace.findall(ns("TraceHeader"))
        )
        if trace is not None
        else ()
    )
    return EdxmlMessage(
        header=_message_header(header.find(ns("MessageHeader"))),  # type: ignore[arg-type]
        trace_headers=hops,
        bussiness=_bussiness(trace.find(ns("Bussiness")) if trace is not None else None),
        attachments=_attachments(root, max_attachment_bytes=max_attachment_bytes),
    )


def parse_status(data: bytes, *, max_bytes: int = 1024 * 1024) -> StatusMessage:
    """A status message from bytes, or `EdxmlError`."""
    root = _tree(data, max_bytes)
    _expect_kind(root, status=True)
    validate(root, "status")
    return _status_from(root)


def _status_from(root: etree._Element) -> StatusMessage:
    node = root.find(f"{ns('edXMLEnvelope')}/{ns('edXMLHeader')}/{ns('Status')}")
    assert node is not None
    return StatusMessage(
        response_for=_response_for(node.find(ns("ResponseFor"))),  # type: ignore[arg-type]
        from_=_organization(node.find(ns("From"))),  # type: ignore[arg-type]
        code=_text(node, "StatusCode"),
        timestamp=_value(parse_instant, _text(node, "Timestamp"), "Timestamp"),
        description=_text(node, "Description"),
        staff_info=_staff_info(node.find(ns("StaffInfo"))),
    )


def parse_any(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
) -> EdxmlMessage | StatusMessage:
    """A document or a status message, told apart by ``edXMLHeader/Status``."""
    root = _tree(data, max_bytes)
    if _is_status(root):
        validate(root, "status")
        return _status_from(root)
    validate(root, "edxml")
    return _message_from(root, max_attachment_bytes=max_attachment_bytes)
