"""Loading the project's XSDs (``egov/exchange/schema/``); their errors said in Vietnamese."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

from egov.exchange.edxml.errors import EdxmlError

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"

# What each element is called in the messages (Vietnamese, as a clerk knows them).
LABELS: dict[str, str] = {
    "From": "đơn vị gửi (From)",
    "To": "đơn vị nhận (To)",
    "OrganId": "mã định danh (OrganId)",
    "Code": "số, ký hiệu (Code)",
    "CodeNumber": "số văn bản (CodeNumber)",
    "PromulgationInfo": "thông tin ban hành (PromulgationInfo)",
    "PromulgationDate": "ngày ban hành (PromulgationDate)",
    "DocumentType": "loại văn bản (DocumentType)",
    "TypeName": "tên loại văn bản (TypeName)",
    "Subject": "trích yếu (Subject)",
    "DueDate": "hạn xử lý (DueDate)",
    "Priority": "độ khẩn (Priority)",
    "DocumentId": "mã định danh văn bản (DocumentId)",
    "BussinessDocType": "loại nghiệp vụ (BussinessDocType)",
    "Timestamp": "thời điểm (Timestamp)",
    "StatusCode": "mã trạng thái (StatusCode)",
    "ContentId": "mã tệp (ContentId)",
    "AttachmentName": "tên tệp (AttachmentName)",
    "ContentTransferEncoded": "nội dung tệp (ContentTransferEncoded)",
    "MessageHeader": "phần thông tin văn bản (MessageHeader)",
    "edXMLHeader": "phần đầu gói tin (edXMLHeader)",
    "Status": "thông tin trạng thái (Status)",
    "ResponseFor": "văn bản được phản hồi (ResponseFor)",
}


@cache
def schema(name: str) -> etree.XMLSchema:
    """``"edxml"`` or ``"status"``; the included files resolve from the schema directory."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / f"{name}.xsd"), parser))


def validate(tree: etree._Element, name: str) -> None:
    """Raise `EdxmlError("schema_invalid", …)` with the first problem, in Vietnamese."""
    xsd = schema(name)
    if xsd.validate(tree):
        return
    errors = list(xsd.error_log)
    first = errors[0]
    reason = explain(first.message, first.line)
    if len(errors) > 1:
        reason += f" (và {len(errors) - 1} lỗi khác)"
    raise EdxmlError("schema_invalid", "Gói tin không đúng cấu trúc edXML: " + reason)


_ELEMENT = re.compile(r"Element '(?:\{[^}]*\})?([^']+)'")
_EXPECTED = re.compile(r"Expected is(?: one of)? \( ([^)]*) \)")
_VALUE = re.compile(r"The value '([^']*)'")


def _label(name: str) -> str:
    return LABELS.get(name, name)


def _names(listing: str) -> str:
    names = [re.sub(r"\{[^}]*\}", "", n).strip() for n in listing.split(",")]
    return ", ".join(_label(n) for n in names if n and n != "##other")


def explain(message: str, line: int | None = None) -> str:
    """One libxml2 schema message, said in Vietnamese (the original is kept when unknown)."""
    where = f"dòng {line}: " if line else ""
    element_match = _ELEMENT.search(message)
    element = _label(element_match.group(1)) if element_match else "?"
    expected = _EXPECTED.search(message)
    value = _VALUE.search(message)
    if "Missing child element" in message and expected:
        return f"{where}{element} thiếu {_names(expected.group(1))}."
    if "This element is not expected" in message:
        if expected:
            return f"{where}{element} không đúng chỗ; cần {_names(expected.group(1))}."
        return f"{where}{element} không được phép ở vị trí này."
    if "[facet 'pattern']" in message or "[facet 'enumeration']" in message:
        shown = value.group(1) if value else ""
        return f"{where}giá trị “{shown}” của {element} không đúng định dạng."
    if "[facet 'minLength']" in message or "is not a valid value of the atomic type" in message:
        shown = value.group(1) if value else ""
        if not shown.strip():
            return f"{where}{element} không được để trống."
        return f"{where}giá trị “{shown}” của {element} không hợp lệ."
    if "No matching global declaration" in message:
        return f"{where}phần tử gốc {element} không phải gói tin edXML."
    return f"{where}{message}"


def ns(tag: str) -> str:
    return f"{{{NS}}}{tag}"
