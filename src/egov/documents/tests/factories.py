"""Test worlds for the documents' tests: two agencies on the platform with their staff."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile

from egov.documents.models import (
    Channel,
    Direction,
    Document,
    DocumentGrant,
    DocumentStatus,
    DocumentType,
    SecrecyLevel,
    Source,
    Urgency,
)
from egov.documents.services import (
    document_sign,
    draft_approve,
    draft_create,
    draft_submit,
)
from egov.organisations.models import Agency, AgencyKind, RoleCode, StaffMember, Unit
from egov.organisations.testing import make_agency, make_staff, make_unit

_n = itertools.count(1)


def pdf_bytes(text: str = "Van ban") -> bytes:
    """A tiny valid one-page PDF."""
    stream = f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def pdf_upload(name: str = "van-ban.pdf", text: str = "Van ban") -> ContentFile:
    return ContentFile(pdf_bytes(text), name=name)


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def urgency(code: str = "thuong") -> Urgency:
    return Urgency.objects.get(code=code)


def secrecy(code: str = "thuong") -> SecrecyLevel:
    return SecrecyLevel.objects.get(code=code)


@dataclass
class Side:
    agency: Agency
    unit: Unit
    specialist: StaffMember
    unit_head: StaffMember
    clerk: StaffMember
    leader: StaffMember
    other_specialist: StaffMember


def make_side(*, abbreviation: str, unit_abbreviation: str = "VP") -> Side:
    n = next(_n)
    agency = make_agency(
        abbreviation=abbreviation,
        name=f"Ủy ban nhân dân thử {n}",
        kind=AgencyKind.PEOPLES_COMMITTEE,
    )
    unit = make_unit(agency=agency, abbreviation=unit_abbreviation, name="Văn phòng")
    other_unit = make_unit(agency=agency, abbreviation=f"KT{n}", name="Phòng Kinh tế")
    return Side(
        agency=agency,
        unit=unit,
        specialist=make_staff(agency=agency, unit=unit, roles=[RoleCode.SPECIALIST]),
        unit_head=make_staff(agency=agency, unit=unit, roles=[RoleCode.UNIT_HEAD]),
        clerk=make_staff(agency=agency, unit=unit, roles=[RoleCode.CLERK]),
        leader=make_staff(agency=agency, roles=[RoleCode.AGENCY_LEADER], full_name="Lê Văn Lãnh"),
        other_specialist=make_staff(agency=agency, unit=other_unit, roles=[RoleCode.SPECIALIST]),
    )


@dataclass
class World:
    a: Side
    b: Side


def make_world() -> World:
    return World(a=make_side(abbreviation="UBND"), b=make_side(abbreviation="STP"))


def approved_draft(side: Side, **kwargs: Any) -> Document:
    """A draft through the whole review chain (paper by default: signing needs no key)."""
    kwargs.setdefault("doc_type", doc_type("quyet-dinh"))
    kwargs.setdefault("subject", "Về việc thử nghiệm văn bản")
    kwargs.setdefault("channel", Channel.PAPER)
    document = draft_create(actor=side.specialist.user, agency=side.agency, **kwargs)
    draft_submit(actor=side.specialist.user, document=document)
    draft_approve(actor=side.unit_head.user, document=document)
    draft_approve(actor=side.clerk.user, document=document)
    draft_approve(actor=side.leader.user, document=document)
    document.refresh_from_db()
    return document


def signed_document(side: Side, **kwargs: Any) -> Document:
    document = approved_draft(side, **kwargs)
    return document_sign(actor=side.leader.user, document=document)


def bare_signed(side: Side, *, type_code: str = "quyet-dinh", secret: bool = False) -> Document:
    """A signed paper document written directly (for the numbering tests' volume)."""
    document = Document.objects.create(
        agency=side.agency,
        direction=Direction.OUTGOING,
        channel=Channel.PAPER,
        source=Source.DRAFTED,
        status=DocumentStatus.SIGNED,
        organ_id=side.agency.code,
        organ_name=side.agency.name,
        type=doc_type(type_code),
        subject="Văn bản thử",
        priority=urgency(),
        secrecy=secrecy("mat" if secret else "thuong"),
        unit=side.unit,
        drafter=side.specialist,
        signer=side.leader,
    )
    if secret:  # the clerk who will issue it is named on it
        DocumentGrant.objects.create(document=document, staff=side.clerk)
    return document
