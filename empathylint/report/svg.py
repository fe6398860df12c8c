"""Charts drawn as SVG text, straight into the report's HTML (no library, no network): bars per period
and lines of response times. Every bar is a link down to the conversations behind it (``data-ref``)."""

from __future__ import annotations

from html import escape
from typing import Sequence

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 44, 40, 12
COLOURS = ("#3366cc", "#dc7633", "#2e8b57", "#8e44ad", "#c0392b")


def bar_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float], Sequence[str | None]]]
              ) -> str:
    """Grouped bars: ``series`` is ``(name, values, refs)``; a bar with a ref links to its conversations."""
    top = max([v for _, values, _ in series for v in values] + [1])
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = plot_w / max(len(labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    parts = _frame(title, top, plot_h)
    for s, (name, values, refs) in enumerate(series):
        for i, (value, ref) in enumerate(zip(values, refs)):
            h = plot_h * value / top
            x = PAD_LEFT + i * slot + slot * 0.1 + s * bar
            y = PAD_TOP + plot_h - h
            rect = (f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}" '
                    f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(name)} {escape(labels[i])}: '
                    f'{value:g}</title></rect>')
            parts.append(f'<a class="ref" data-ref="{escape(ref)}" href="#ref={escape(ref)}">{rect}</a>'
                         if ref else rect)
    parts += _x_labels(labels, slot)
    parts.append(_legend([name for name, _, _ in series]))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
               unit: str = "h") -> str:
    """Lines over periods (a gap where a value is None)."""
    top = max([v for _, values in series for v in values if v is not None] + [1])
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = plot_w / max(len(labels), 1)
    parts = _frame(title, top, plot_h, unit)
    for s, (name, values) in enumerate(series):
        points = [(PAD_LEFT + (i + 0.5) * slot, PAD_TOP + plot_h - plot_h * v / top) for i, v in enumerate(values)
                  if v is not None]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline fill="none" stroke="{COLOURS[s % len(COLOURS)]}" stroke-width="2" '
                         f'points="{path}"/>')
            for (x, y), v in zip(points, [v for v in values if v is not None]):
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOURS[s % len(COLOURS)]}">'
                             f'<title>{escape(name)}: {v:.2f} {unit}</title></circle>')
    parts += _x_labels(labels, slot)
    parts.append(_legend([name for name, _ in series]))
    parts.append("</svg>")
    return "".join(parts)


def spark(values: Sequence[float], width: int = 90, height: int = 18) -> str:
    """A small bar sparkline (a topic's complaints per period)."""
    top = max(list(values) + [1])
    slot = width / max(len(values), 1)
    bars = "".join(f'<rect x="{i * slot:.1f}" y="{height - height * v / top:.1f}" width="{max(slot - 1, 1):.1f}" '
                   f'height="{height * v / top:.1f}" fill="#3366cc"/>' for i, v in enumerate(values))
    return f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">{bars}</svg>'


def _frame(title: str, top: float, plot_h: float, unit: str = "") -> list[str]:
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
             f'<title>{escape(title)}</title>']
    for fraction in (0, 0.5, 1):
        y = PAD_TOP + plot_h * (1 - fraction)
        parts.append(f'<line x1="{PAD_LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{PAD_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" class="axis">'
                     f'{_tick(top * fraction)}{unit}</text>')
    return parts


def _tick(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _x_labels(labels: Sequence[str], slot: float) -> list[str]:
    every = max(1, len(labels) // 10)
    return [f'<text x="{PAD_LEFT + (i + 0.5) * slot:.1f}" y="{HEIGHT - PAD_BOTTOM + 14}" text-anchor="middle" '
            f'class="axis">{escape(label)}</text>' for i, label in enumerate(labels) if i % every == 0]


def _legend(names: Sequence[str]) -> str:
    items = "".join(f'<rect x="{PAD_LEFT + i * 150}" y="{HEIGHT - 14}" width="10" height="10" '
                    f'fill="{COLOURS[i % len(COLOURS)]}"/><text x="{PAD_LEFT + 14 + i * 150}" y="{HEIGHT - 5}" '
                    f'class="axis">{escape(n)}</text>' for i, n in enumerate(names))
    return f"<g>{items}</g>"
