"""Writing edXML: `build_message` (a document) and `build_status` (a status message).

The output is deterministic (same data, same bytes), UTF-8 with an XML declaration, indented,
with the QCVN 102 namespace as the default on ``<edXML>`` and the prefix ``edXML:`` on the
envelope, as implementations based on the SDKs write it. Every message built is validated
against the project's XSD before it is returned: a message we could not accept ourselves is a
bug, raised as `EdxmlError`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile

from lxml import etree

from egov.exchange.edxml.dates import format_date, format_instant
from egov.exchange.edxml.schema import NS, ns, validate
from egov.exchange.edxml.types import (
    Bussiness,
    EdxmlMessage,
    MessageHeader,
    Organization,
    ResponseFor,
    StaffInfo,
    StatusMessage,
)

XLINK = "http://www.w3.org/1999/xlink"
# egov's own optional attributes on manifest references (digest and size of each file).
EGOV_NS = "urn:egov:edxml:1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"


def _el(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, ns(tag))
    if text is not None:
        node.text = text
    return node


def _int(value: int | None) -> str:
    return "" if value is None else str(int(value))


def _organization(parent: etree._Element, tag: str, org: Organization) -> None:
    node = _el(parent, tag)
    _el(node, "OrganId", org.organ_id)
    _el(node, "OrganizationInCharge", org.organization_in_charge)
    _el(node, "OrganName", org.organ_name)
    _el(node, "OrganAdd", org.organ_add)
    _el(node, "Email", org.email)
    _el(node, "Telephone", org.telephone)
    _el(node, "Fax", org.fax)
    _el(node, "Website", org.website)


def _response_for(parent: etree._Element, item: ResponseFor) -> None:
    node = _el(parent, "ResponseFor")
    _el(node, "OrganId", item.organ_id)
    _el(node, "Code", item.code)
    if item.promulgation_date is not None:
        _el(node, "PromulgationDate", format_date(item.promulgation_date))
    _el(node, "DocumentId", item.document_id)


def _staff_info(parent: etree._Element, staff: StaffInfo) -> None:
    node = _el(parent, "StaffInfo")
    _el(node, "Department", staff.department)
    _el(node, "Staff", staff.staff)
    _el(node, "Mobile", staff.mobile)
    _el(node, "Email", staff.email)


def _message_header(parent: etree._Element, h: MessageHeader) -> None:
    node = _el(parent, "MessageHeader")
    _organization(node, "From", h.from_)
    for recipient in h.to:
        _organization(node, "To", recipient)
    code = _el(node, "Code")
    _el(code, "CodeNumber", h.code.number)
    _el(code, "CodeNotation", h.code.notation)
    info = _el(node, "PromulgationInfo")
    _el(info, "Place", h.promulgation_info.place)
    _el(info, "PromulgationDate", format_date(h.promulgation_info.date))
    kind = _el(node, "DocumentType")
    _el(kind, "Type", _int(h.document_type.type))
    _el(kind, "TypeDetail", _int(h.document_type.type_detail))
    _el(kind, "TypeName", h.document_type.type_name)
    _el(node, "Subject", h.subject)
    _el(node, "Content", h.content)
    if h.signer_info is not None:
        signer = _el(node, "SignerInfo")
        _el(signer, "Competence", h.signer_info.competence)
        _el(signer, "Position", h.signer_info.position)
        _el(signer, "FullName", h.signer_info.full_name)
    if h.due_date is not None:
        _el(node, "DueDate", format_date(h.due_date))
    places = _el(node, "ToPlaces")
    for place in h.to_places:
        _el(places, "Place", place)
    other = _el(node, "OtherInfo")
    o = h.other_info
    _el(other, "Priority", str(int(o.priority)))
    _el(other, "SphereOfPromulgation", o.sphere_of_promulgation)
    _el(other, "TyperNotation", o.typer_notation)
    _el(other, "PromulgationAmount", _int(o.promulgation_amount))
    _el(other, "PageAmount", _int(o.page_amount))
    appendixes = _el(other, "Appendixes")
    for name in o.appendixes:
        _el(appendixes, "Appendix", name)
    for item in h.response_for:
        _response_for(node, item)
    if h.steering_type is not None:
        _el(node, "SteeringType", str(int(h.steering_type)))
    _el(node, "DocumentId", h.document_id)


def _bussiness(parent: etree._Element, b: Bussiness) -> None:
    node = _el(parent, "Bussiness")
    _el(node, "BussinessDocType", str(int(b.doc_type)))
    _el(node, "BussinessDocReason", b.reason)
    if b.document_info is not None:
        info = _el(node, "BussinessDocumentInfo")
        _el(info, "DocumentInfo", b.document_info.document_info)
        _el(info, "DocumentReceiver", b.document_info.document_receiver)
        receivers = _el(info, "ReceiverList")
        for receiver in b.document_info.receivers:
            r = _el(receivers, "Receiver")
            _el(r, "ReceiverType", str(int(receiver.receiver_type)))
            _el(r, "OrganId", receiver.organ_id)
    if b.document_id:
        _el(node, "DocumentId", b.document_id)
    if b.staff_info is not None:
        _staff_info(node, b.staff_info)
    if b.paper:
        _el(node, "Paper", b.paper)
    if b.replacements:
        listing = _el(node, "ReplacementInfoList")
        for item in b.replacements:
            r = _el(listing, "ReplacementInfo")
            _el(r, "DocumentId", item.document_id)
            organs = _el(r, "OrganIdList")
            for organ_id in item.organ_ids:
                _el(organs, "OrganId", organ_id)


def zip_file(name: str, data: bytes) -> bytes:
    """One file in a zip archive, deterministic (fixed timestamp), as the VPCP gateway sends."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, data)
    return buffer.getvalue()


def _root(extra: dict[str, str] | None = None) -> tuple[etree._Element, etree._Element]:
    nsmap: dict[str | None, str] = {None: NS, "edXML": NS, "xsi": XSI, "xsd": XSD}
    nsmap.update(extra or {})
    root = etree.Element(ns("edXML"), nsmap=nsmap)
    # lxml prefers the default namespace; naming edXML on the envelope too makes it (and all
    # below it) use the edXML: prefix, without declaring anything twice.
    envelope = etree.SubElement(root, ns("edXMLEnvelope"), nsmap={"edXML": NS})
    return root, envelope


def _serialise(root: etree._Element) -> bytes:
    etree.indent(root, space="  ")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data + b"\n"


def build_message(
    message: EdxmlMessage, *, zip_attachments: bool = False, integrity: bool = True
) -> bytes:
    """The message as edXML bytes.

    ``zip_attachments``: zip each file before base64 (the VPCP gateway's habit; receivers that
    follow it unzip). ``integrity``: add ``egov:sha256`` and ``egov:size`` to each manifest
    reference so an egov receiver checks the file arrived whole.
    """
    root, envelope = _root({"xlink": XLINK, **({"egov": EGOV_NS} if integrity else {})})
    header = _el(envelope, "edXMLHeader")
    _message_header(header, message.header)
    trace = _el(header, "TraceHeaderList")
    for hop in message.trace_headers:
        t = _el(trace, "TraceHeader")
        _el(t, "OrganId", hop.organ_id)
        _el(t, "Timestamp", format_instant(hop.timestamp))
    _bussiness(trace, message.bussiness)

    body = _el(envelope, "edXMLBody")
    manifest = _el(body, "edXMLManifest")
    manifest.set("version", "1.0")
    for att in message.attachments:
        ref = _el(manifest, "Reference")
        ref.set(f"{{{XLINK}}}href", f"cid:{att.content_id}")
        ref.set(f"{{{XLINK}}}type", "simple")
        if integrity:
            ref.set(f"{{{EGOV_NS}}}sha256", hashlib.sha256(att.data).hexdigest())
            ref.set(f"{{{EGOV_NS}}}size", str(len(att.data)))
        _el(ref, "ContentId", f"cid:{att.content_id}")
        _el(ref, "ContentType", att.content_type)
        _el(ref, "Description", att.description)
        _el(ref, "AttachmentName", att.name)

    if message.attachments:
        encoded = _el(root, "AttachmentEncoded")
        for att in message.attachments:
            node = _el(encoded, "Attachment")
            _el(node, "ContentType", att.content_type)
            _el(node, "ContentId", att.content_id)
            _el(node, "Description", att.description)
            payload = zip_file(att.name, att.data) if zip_attachments else att.data
            _el(node, "ContentTransferEncoded", base64.b64encode(payload).decode("ascii"))
            _el(node, "AttachmentName", att.name)
    validate(root, "edxml")
    return _serialise(root)


def build_status(status: StatusMessage) -> bytes:
    """A status message as edXML bytes."""
    root, envelope = _root()
    header = _el(envelope, "edXMLHeader")
    node = _el(header, "Status")
    _response_for(node, status.response_for)
    _organization(node, "From", status.from_)
    _el(node, "StatusCode", status.code)
    _el(node, "Description", status.description)
    _el(node, "Timestamp", format_instant(status.timestamp))
    if status.staff_info is not None:
        _staff_info(node, status.staff_info)
    validate(root, "status")
    return _serialise(root)
