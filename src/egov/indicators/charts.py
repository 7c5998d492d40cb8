"""Charts as inline SVG drawn on the server (no JavaScript); each chart has its table too.

The SVG carries `role="img"` and a title; colours are never the only carrier of meaning (the
table next to it gives the figure and its label).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import localize
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

COLOURS = {"good": "#1a7f37", "fair": "#b7791f", "poor": "#c62828", "no_data": "#9e9e9e"}


def bar_chart(
    items: Sequence[tuple[str, Decimal | None, str]], *, title: str, width: int = 640
) -> SafeString:
    """Horizontal bars: (label, value or None, level). Values None are drawn as a hatched gap."""
    row_h, label_w, pad = 22, 220, 4
    height = row_h * len(items) + 2 * pad
    top = max([v for _l, v, _c in items if v is not None] or [Decimal(1)])
    top = top if top > 0 else Decimal(1)
    bar_w = width - label_w - 70
    parts = []
    for i, (label, value, level) in enumerate(items):
        y = pad + i * row_h
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                label_w - 6,
                y + 15,
                label[:38],
            )
        )
        if value is None:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" fill="#555">—</text>', label_w + 4, y + 15
                )
            )
            continue
        w = int(bar_w * max(value, Decimal(0)) / top)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="12">{}</text>',
                label_w,
                y + 3,
                w,
                row_h - 6,
                COLOURS.get(level, "#555"),
                label_w + w + 4,
                y + 15,
                value,
            )
        )
    return format_html(
        '<svg class="chart chart--bar" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet"><title>{}</title>{}</svg>',
        width,
        height,
        title,
        mark_safe("".join(parts)),  # noqa: S308 - parts are escaped
    )


def line_chart(
    points: Sequence[tuple[str, Decimal | None]],
    *,
    title: str,
    width: int = 320,
    height: int = 80,
) -> SafeString:
    """A small trend line; gaps (None) break the line and are marked on the axis."""
    pad = 6
    values = [v for _l, v in points if v is not None]
    low = min(values) if values else Decimal(0)
    high = max(values) if values else Decimal(1)
    span = (high - low) or Decimal(1)
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    segments: list[list[str]] = [[]]
    marks = []
    for i, (label, value) in enumerate(points):
        x = pad + i * step
        if value is None:
            segments.append([])
            marks.append(
                f'<text x="{x:.1f}" y="{height - 2}" font-size="9" text-anchor="middle">–</text>'
            )
            continue
        y = height - pad - float((value - low) / span) * (height - 2 * pad - 10)
        segments[-1].append(f"{x:.1f},{y:.1f}")
        marks.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"><title>{escape(label)}: {value}</title>'
            "</circle>"
        )
    lines = "".join(
        f'<polyline fill="none" stroke="#1f4e79" stroke-width="2" points="{" ".join(s)}">'
        "</polyline>"
        for s in segments
        if len(s) > 1
    )
    return format_html(
        '<svg class="chart chart--line" role="img" viewBox="0 0 {} {}" width="{}" height="{}">'
        "<title>{}</title>{}{}</svg>",
        width,
        height,
        width,
        height,
        title,
        mark_safe(lines),  # noqa: S308 - numbers only
        mark_safe("".join(marks)),  # noqa: S308 - labels escaped above
    )


def trend_table(trend: Sequence[tuple[Any, Any]], *, title: str) -> SafeString:
    """The figures behind a trend chart, (period, `compute.Value`) oldest first, as a folded
    table: what the chart shows, readable without it."""
    missing = _("Chưa có số liệu")
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
        ((p.label, localize(v.value) if v.has_data else missing, v.label) for p, v in trend),
    )
    return format_html(
        '<details><summary>{}</summary><table class="table table--compact"><tbody>{}'
        "</tbody></table></details>",
        title,
        rows,
    )


def value_cell(text: str, value: Any) -> SafeString:
    """A figure with its level in words (never the colour alone) and, when there is no
    figure, the reason."""
    reason = format_html('<br><small class="hint">{}</small>', value.reason) if value.reason else ""
    return format_html(
        '<span class="indicator-value">{}</span> <span class="badge badge--{}">{}</span>{}',
        text,
        value.badge,
        value.label,
        reason,
    )
