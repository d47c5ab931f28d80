"""A few SVG building blocks for the page's drawings, written as text.

The page redraws while the model runs, so a drawing must cost milliseconds, not the half second a
matplotlib PNG takes: the views write SVG (lines, dots, text) and the browser draws it. Every mark
carries a `data-` attribute naming what it shows, so tests can read a drawing back.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

FONT = "font-family:Roboto,Arial,sans-serif"


def attrs(**values: object) -> str:
    """SVG attributes from keywords (`data_series` -> `data-series`, `class_` -> `class`)."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(f'{name}="{escape(str(value), quote=True)}"')
    return " ".join(parts)


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 11,
    anchor: str = "start",
    colour: str = "#222",
    weight: str = "normal",
    **extra: object,
) -> str:
    look = attrs(
        x=f"{x:.1f}",
        y=f"{y:.1f}",
        fill=colour,
        text_anchor=anchor,
        font_size=size,
        font_weight=weight,
        **extra,
    )
    return f'<text {look} style="{FONT}">{escape(content)}</text>'


def line(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    colour: str,
    width: float = 1.0,
    dash: str | None = None,
    **extra: object,
) -> str:
    ends = attrs(x1=f"{x1:.1f}", y1=f"{y1:.1f}", x2=f"{x2:.1f}", y2=f"{y2:.1f}")
    return f"<line {ends} {attrs(stroke=colour, stroke_width=width, stroke_dasharray=dash, **extra)}/>"


def polyline(
    points: Sequence[tuple[float, float]],
    colour: str,
    width: float = 2.0,
    dash: str | None = None,
    **extra: object,
) -> str:
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    look = attrs(
        fill="none", stroke=colour, stroke_width=width, stroke_dasharray=dash, stroke_linejoin="round"
    )
    return f"<polyline {attrs(points=coords)} {look} {attrs(**extra)}/>"


def circle(
    x: float, y: float, r: float, fill: str, ring: str = "#FFFFFF", ring_width: float = 0.8, **extra: object
) -> str:
    where = attrs(cx=f"{x:.1f}", cy=f"{y:.1f}", r=f"{r:.1f}")
    return f"<circle {where} {attrs(fill=fill, stroke=ring, stroke_width=ring_width, **extra)}/>"


def square(
    x: float,
    y: float,
    half: float,
    fill: str,
    ring: str = "#FFFFFF",
    ring_width: float = 0.8,
    **extra: object,
) -> str:
    where = attrs(x=f"{x - half:.1f}", y=f"{y - half:.1f}", width=f"{2 * half:.1f}", height=f"{2 * half:.1f}")
    return f"<rect {where} {attrs(fill=fill, stroke=ring, stroke_width=ring_width, **extra)}/>"


def rect(x: float, y: float, w: float, h: float, fill: str, **extra: object) -> str:
    where = attrs(x=f"{x:.1f}", y=f"{y:.1f}", width=f"{w:.1f}", height=f"{h:.1f}")
    return f"<rect {where} {attrs(fill=fill, **extra)}/>"


def document(width: float, height: float, body: Sequence[str], **extra: object) -> str:
    """A whole SVG drawing that scales to the width of its card."""
    head = attrs(viewBox=f"0 0 {width:.0f} {height:.0f}", width="100%", **extra)
    return f'<svg xmlns="http://www.w3.org/2000/svg" {head}>' + "".join(body) + "</svg>"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top` (steps of 1, 2 or 5 times a power of ten)."""
    top = max(top, 1e-9)
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [k * step for k in range(n + 1)]


def axes(
    x0: float,
    y0: float,
    width: float,
    height: float,
    x_max: float,
    y_ticks: list[float],
    x_ticks: list[float],
    label: Callable[[float], str],
    *,
    grid: str,
    show_x_labels: bool,
) -> list[str]:
    """Grid lines and tick labels of one panel whose plot area is (x0, y0, width, height)."""
    y_max = y_ticks[-1] if y_ticks else 1.0
    out = []
    for v in y_ticks:
        y = y0 + height - height * v / y_max
        out.append(line(x0, y, x0 + width, y, grid))
        out.append(text(x0 - 5, y + 4, label(v), size=10, anchor="end", colour="#444"))
    for v in x_ticks:
        x = x0 + width * v / max(x_max, 1)
        out.append(line(x, y0, x, y0 + height, grid))
        if show_x_labels:
            out.append(text(x, y0 + height + 13, label(v), size=10, anchor="middle", colour="#444"))
    out.append(line(x0, y0 + height, x0 + width, y0 + height, "#888"))
    return out
