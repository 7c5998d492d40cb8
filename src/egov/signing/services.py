"""Signing PDFs: PAdES (B-B, or B-T with a time-stamping service) with pyHanko.

These functions change no database row: they take bytes and return signed bytes. The caller's
service (a dossier's result, an official document) checks who may sign, stores the file and
writes the audit row. See docs/subsystems/signing.md.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko import stamp
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import enumerate_sig_fields

from egov.core.errors import ValidationFailed
from egov.signing import config
from egov.signing.appearance import (
    DEFAULT_BOX,
    Appearance,
    Box,
    attachment_box,
    png_image,
    stamp_font_path,
)
from egov.signing.keys import agency_key_name, key_source, user_key_name

TIME_FORMAT = "%d/%m/%Y %H:%M:%S %z"


def _open(pdf_bytes: bytes) -> IncrementalPdfFileWriter:
    if not pdf_bytes or not pdf_bytes.lstrip()[:5] == b"%PDF-":
        raise ValidationFailed(_("Tệp không phải là PDF."))
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except Exception as exc:
        raise ValidationFailed(_("Không đọc được tệp PDF.")) from exc


def _next_field_name(writer: IncrementalPdfFileWriter) -> str:
    taken = {name for name, _value, _ref in enumerate_sig_fields(writer)}
    n = 1
    while f"ChuKySo{n}" in taken:
        n += 1
    return f"ChuKySo{n}"


def _page_index(writer: IncrementalPdfFileWriter, page: int) -> int:
    count = int(writer.root["/Pages"]["/Count"])
    index = page + count if page < 0 else page
    if not 0 <= index < count:
        raise ValidationFailed(_("Trang đặt chữ ký không có trong tệp."))
    return index


def _page_size(writer: IncrementalPdfFileWriter, index: int) -> tuple[float, float]:
    page = writer.find_page_for_modification(index)[0].get_object()
    x1, y1, x2, y2 = (float(v) for v in page["/MediaBox"])
    return x2 - x1, y2 - y1


def _text_style(text: str, *, font_size: int, border: bool, background: Any = None) -> Any:
    font_path = stamp_font_path()
    box_style = (
        TextBoxStyle(font=GlyphAccumulatorFactory(str(font_path)), font_size=font_size)
        if font_path
        else TextBoxStyle(font_size=font_size)
    )
    return stamp.TextStampStyle(
        stamp_text=text.replace("%", "%%"),
        text_box_style=box_style,
        border_width=1 if border else 0,
        background=background,
        background_opacity=1.0,
    )


def _staff_lines(user: Any) -> tuple[str, str]:
    staff = getattr(user, "staff", None) if hasattr(user, "staff") else None
    position = getattr(getattr(staff, "position", None), "name", "") if staff else ""
    agency = getattr(getattr(staff, "agency", None), "name", "") if staff else ""
    return position, agency


def _sign(
    writer: IncrementalPdfFileWriter,
    *,
    key_name: str,
    reason: str,
    location: str,
    field_name: str | None,
    style: Any,
    page: int,
    box: Box | None,
    visible: bool,
) -> bytes:
    signer = key_source().signer_for(key_name)
    name = field_name or _next_field_name(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    timestamper = None
    if config.tsa_url():
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(config.tsa_url())
    if visible and box:
        x1, y1, x2, y2 = (round(v) for v in box)
        spec = fields.SigFieldSpec(name, on_page=page, box=(x1, y1, x2, y2))
    else:
        spec = fields.SigFieldSpec(name)
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=timestamper,
        stamp_style=style if visible else None,
        new_field_spec=spec,
    )
    output = pdf_signer.sign_pdf(writer)
    return bytes(output.getvalue())  # type: ignore[union-attr]


def sign_pdf(
    *,
    pdf_bytes: bytes,
    signer_user: Any = None,
    agency: Any = None,
    reason: str,
    location: str,
    visible: bool = True,
    field_name: str | None = None,
    appearance: Appearance | None = None,
    at: datetime | None = None,
) -> bytes:
    """Sign with the personal key of `signer_user`, or with `agency`'s key when no user is given.

    Returns the PDF with the signature appended as an incremental update (earlier signatures
    stay valid). The visible stamp is the appearance's image, or a text stamp: for a person
    their name, position, agency and the signing time; for an agency its name and the time.
    For the agency's seal over a signer's signature, pass
    ``Appearance(box=seal_box_over(signer_box), image=seal_png, border=False)``.
    """
    if signer_user is None and agency is None:
        raise ValidationFailed(_("Cần chỉ rõ người ký hoặc cơ quan ký."))
    appearance = appearance or Appearance()
    writer = _open(pdf_bytes)
    page = _page_index(writer, appearance.page)
    when = timezone.localtime(at or timezone.now()).strftime(TIME_FORMAT)
    if signer_user is not None:
        key_name = user_key_name(signer_user)
        position, agency_name = _staff_lines(signer_user)
        lines = [
            _("Ký bởi: %(name)s") % {"name": getattr(signer_user, "full_name", "") or key_name}
        ]
        if position:
            lines.append(_("Chức vụ: %(position)s") % {"position": position})
        if agency_name or agency is not None:
            lines.append(_("Cơ quan: %(agency)s") % {"agency": agency_name or agency.name})
    else:
        key_name = agency_key_name(agency)
        lines = [_("Cơ quan: %(agency)s") % {"agency": agency.name}]
    lines.append(_("Thời gian ký: %(when)s") % {"when": when})
    if appearance.image:
        background = PdfImage(png_image(appearance.image))  # type: ignore[arg-type]
        style: Any = stamp.StaticStampStyle(background=background, border_width=0)
    else:
        style = _text_style(
            "\n".join(lines), font_size=appearance.font_size, border=appearance.border
        )
    return _sign(
        writer,
        key_name=key_name,
        reason=reason,
        location=location,
        field_name=field_name,
        style=style,
        page=page,
        box=appearance.box or DEFAULT_BOX,
        visible=visible,
    )


def sign_attachment(
    *, pdf_bytes: bytes, agency: Any, number_notation: str, at: datetime | None = None
) -> bytes:
    """The clerk's signature on an attachment in a separate file (reference §1.3): the agency
    key, top right of page 1, no image, Times 10 pt black: the number and notation of the
    document it belongs to, then the signing time (Vietnam time, ISO 8601)."""
    writer = _open(pdf_bytes)
    width, height = _page_size(writer, 0)
    moment = timezone.localtime(at or timezone.now()).replace(microsecond=0).isoformat()
    style = _text_style(f"{number_notation}\n{moment}", font_size=10, border=False)
    return _sign(
        writer,
        key_name=agency_key_name(agency),
        reason=_("Ký số tài liệu kèm theo văn bản %(number)s") % {"number": number_notation},
        location=str(getattr(agency, "name", "")),
        field_name=None,
        style=style,
        page=0,
        box=attachment_box(width, height),
        visible=True,
    )
