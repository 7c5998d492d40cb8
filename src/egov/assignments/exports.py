"""The work calendar as iCalendar (RFC 5545, written here) and as a landscape PDF week table."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, date, datetime

from django.utils import timezone

from egov.assignments.models import WorkEvent

PRODID = "-//egov//Lich cong tac//VI"


def ics_escape(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (UTF-8), never inside a character; continuation
    lines start with one space (§3.1)."""
    out: list[str] = []
    current = b""
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b" " + encoded
            limit = 75
        else:
            current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def work_events_ics(events: Iterable[WorkEvent], *, name: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    stamp = _utc(timezone.now())
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.public_id}@egov",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(event.starts_at)}",
            f"DTEND:{_utc(event.ends_at)}",
            f"SUMMARY:{ics_escape(event.title)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{ics_escape(event.location)}")
        description = event.participants
        if event.leader is not None:
            description = f"Chủ trì: {event.leader.user}\n{description}".strip()
        if description:
            lines.append(f"DESCRIPTION:{ics_escape(description)}")
        lines.append("CLASS:" + ("PUBLIC" if event.is_public else "CONFIDENTIAL"))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


def ics_unfold(text: str) -> list[str]:
    """The inverse of folding, for tests and imports."""
    return text.replace("\r\n ", "").split("\r\n")


def work_week_pdf(events: Iterable[WorkEvent], *, agency_name: str, week: date) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from egov.assignments.selectors import week_days
    from egov.printing.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    normal = ParagraphStyle("n", fontName=REGULAR, fontSize=10, leading=12)
    bold = ParagraphStyle("b", fontName=BOLD, fontSize=10, leading=12)
    title = ParagraphStyle("t", fontName=BOLD, fontSize=14, leading=18, alignment=1)
    days = week_days(week)
    names = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
    by_day: dict[date, list[WorkEvent]] = {d: [] for d in days}
    for event in events:
        day = timezone.localtime(event.starts_at).date()
        by_day.setdefault(day, []).append(event)

    def esc(s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    rows: list[list[object]] = [
        [
            Paragraph(h, bold)
            for h in ("Ngày", "Thời gian", "Nội dung", "Chủ trì", "Thành phần", "Địa điểm")
        ]
    ]
    for n, day in enumerate(days):
        for i, event in enumerate(by_day.get(day, [])):
            start = timezone.localtime(event.starts_at)
            finish = timezone.localtime(event.ends_at)
            rows.append(
                [
                    Paragraph(f"{names[n]}<br/>{day:%d/%m}" if i == 0 else "", normal),
                    Paragraph(f"{start:%H:%M}–{finish:%H:%M}", normal),
                    Paragraph(esc(event.title), normal),
                    Paragraph(esc(str(event.leader.user)) if event.leader else "", normal),
                    Paragraph(esc(event.participants).replace("\n", "<br/>"), normal),
                    Paragraph(esc(event.location), normal),
                ]
            )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Lịch công tác {agency_name}",
    )
    end = days[-1]
    table = Table(
        rows, colWidths=[25 * mm, 25 * mm, 90 * mm, 40 * mm, 60 * mm, 33 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    doc.build(
        [
            Paragraph(esc(agency_name), title),
            Paragraph(f"LỊCH CÔNG TÁC TUẦN {week:%d/%m/%Y} – {end:%d/%m/%Y}", title),
            table,
        ]
    )
    return buffer.getvalue()
