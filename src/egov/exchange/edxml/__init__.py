"""The edXML library (QCVN 102:2016): message data, builder, parser, XSD validation.

Pure lxml, no Django: the exchange app (services, inbox, outbox) uses it, and so can a script.

    from egov.exchange.edxml import build_message, parse_message, EdxmlError
"""

from egov.exchange.edxml.build import build_message, build_status, zip_file
from egov.exchange.edxml.errors import EdxmlError
from egov.exchange.edxml.parse import parse_any, parse_message, parse_status
from egov.exchange.edxml.schema import NS
from egov.exchange.edxml.types import (
    STATUS_LABELS,
    Attachment,
    Bussiness,
    BussinessDocType,
    BussinessDocumentInfo,
    Code,
    DocumentType,
    EdxmlMessage,
    MessageHeader,
    Organization,
    OtherInfo,
    Priority,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    TraceHeader,
    document_id_for,
)

__all__ = [
    "NS",
    "STATUS_LABELS",
    "Attachment",
    "Bussiness",
    "BussinessDocType",
    "BussinessDocumentInfo",
    "Code",
    "DocumentType",
    "EdxmlError",
    "EdxmlMessage",
    "MessageHeader",
    "Organization",
    "OtherInfo",
    "Priority",
    "PromulgationInfo",
    "Receiver",
    "ReplacementInfo",
    "ResponseFor",
    "SignerInfo",
    "StaffInfo",
    "StatusCode",
    "StatusMessage",
    "TraceHeader",
    "build_message",
    "build_status",
    "document_id_for",
    "parse_any",
    "parse_message",
    "parse_status",
    "zip_file",
]
