"""Inline SVG charts (no scripts, no external assets) for the self-contained reports."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from assistant.evaluation.metrics import percentile

PASS_COLOUR = "#00703c"
FAIL_COLOUR = "#d4351c"
BAR_COLOUR = "#1d70b8"
TRACK_COLOUR = "#f3f2f1"


def pass_rate_chart(title: str, rows: Sequence[tuple[str, int, int]]) -> str:
    """Horizontal bars of pass rate; rows are (label, passed, total)."""
    label_w, bar_w, row_h, top = 220, 360, 28, 8
    height = top * 2 + row_h * max(1, len(rows))
    width = label_w + bar_w + 110
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{escape(_slug(title))}-t">',
        f'<title id="{escape(_slug(title))}-t">{escape(title)}</title>',
    ]
    for i, (label, passed, total) in enumerate(rows):
        y = top + i * row_h
        rate = passed / total if total else 0.0
        colour = PASS_COLOUR if total and passed == total else FAIL_COLOUR
        short = label if len(label) <= 30 else label[:29] + "…"
        parts += [
            f'<g class="bar" data-label="{escape(label)}">',
            f"<title>{escape(label)}: {passed} of {total} passed ({rate:.0%})</title>",
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" font-size="13">'
            f"{escape(short)}</text>",
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 10}" '
            f'fill="{TRACK_COLOUR}"/>',
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w * rate:.1f}" height="{row_h - 10}" '
            f'fill="{colour}"/>',
            f'<text x="{label_w + bar_w + 8}" y="{y + 18}" font-size="13">'
            f"{rate:.0%} ({passed}/{total})</text>",
            "</g>",
        ]
    parts.append("</svg>")
    return "".join(parts)


def latency_histogram(title: str, values_ms: Sequence[float], bins: int = 12) -> str:
    """Histogram of answer latency with p50 and p95 marked."""
    width, height, left, bottom, top = 620, 220, 48, 40, 12
    plot_w, plot_h = width - left - 12, height - bottom - top
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{escape(_slug(title))}-t">',
        f'<title id="{escape(_slug(title))}-t">{escape(title)}</title>',
    ]
    if not values_ms:
        parts.append(
            f'<text x="{left}" y="{height / 2}" font-size="13">No answers timed</text></svg>'
        )
        return "".join(parts)
    low, high = min(values_ms), max(values_ms)
    span = (high - low) or 1.0
    counts = [0] * bins
    for v in values_ms:
        counts[min(bins - 1, int((v - low) / span * bins))] += 1
    peak = max(counts)
    bar_w = plot_w / bins
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        x = left + i * bar_w
        lo, hi = low + span * i / bins, low + span * (i + 1) / bins
        parts.append(
            f'<rect class="bin" x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" '
            f'width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{BAR_COLOUR}">'
            f"<title>{lo:.0f}–{hi:.0f} ms: {count} answer(s)</title></rect>"
        )
    axis_y = top + plot_h
    parts.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}" stroke="#0b0c0c"/>'
    )
    parts.append(f'<text x="{left}" y="{axis_y + 16}" font-size="12">{low:.0f} ms</text>')
    parts.append(
        f'<text x="{left + plot_w}" y="{axis_y + 16}" font-size="12" '
        f'text-anchor="end">{high:.0f} ms</text>'
    )
    parts.append(f'<text x="8" y="{top + 10}" font-size="12">{peak}</text>')
    for name, p in (("p50", 50.0), ("p95", 95.0)):
        value = percentile(values_ms, p)
        if value is None:
            continue
        x = left + plot_w * (value - low) / span
        parts.append(
            f'<line class="marker" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" '
            'stroke="#0b0c0c" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{x + 3:.1f}" y="{axis_y + 32}" font-size="12">{name} {value:.0f} ms</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")
