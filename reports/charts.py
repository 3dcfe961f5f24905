"""Vector charts for the PDFs (reportlab.graphics), drawn from NumPy arrays.

Every chart is a ``Drawing`` (a platypus Flowable), so it prints sharp at any size and costs the
same at a thousand members as at a million: the quadrant is a density image (one shaded cell per
grid square, at most bins² rectangles), never one dot per member; the histograms draw one bar per
bin. Text is set in the embedded faces of :mod:`reports.fonts` (only the report's own words go
into charts; member names never do).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors

from reports.fonts import BOLD, REGULAR
from reports.pdf_base import PALETTE

QUADRANTS = ("Ambassadors", "Advocates", "Affluents", "Base")  # top right, top left, bottom …
# Light to dark blue in steps of similar perceived contrast; the lightest is what a cell of one
# member gets, so no filled cell is ever white.
DENSITY_RAMP = tuple(colors.HexColor(h) for h in ("#DDEAF3", "#A6C9E0", "#5C9AC4", "#2A6A9A",
                                                   "#11334A"))
MEMBERS_COLOR = colors.HexColor("#9AA5B1")
REVENUE_COLOR = PALETTE.accent
PROFIT_COLOR = colors.HexColor("#5E8C4A")
TICK = 8.0  # point size of tick labels
LABEL = 8.5  # point size of axis titles


def short_count(n: float) -> str:
    """12 / 950 / 12.5k / 1.2M: tick labels that stay short at any programme size."""
    n = float(n)
    for div, unit in ((1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            text = f"{n / div:.1f}".rstrip("0").rstrip(".")
            return text + unit
    return f"{n:.0f}" if n == int(n) else f"{n:.1f}"


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least ``maximum`` (1, 2, 2.5 or 5 × a power of ten)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    steps = math.ceil(maximum / step - 1e-9)
    return [i * step for i in range(steps + 1)]


def _mix(a: colors.Color, b: colors.Color, t: float) -> colors.Color:
    return colors.Color(a.red + (b.red - a.red) * t, a.green + (b.green - a.green) * t,
                        a.blue + (b.blue - a.blue) * t)


def _text(x: float, y: float, text: str, size: float = TICK, *, bold: bool = False,
          anchor: str = "start", color: colors.Color = PALETTE.ink) -> String:
    return String(x, y, text, fontName=BOLD if bold else REGULAR, fontSize=size,
                  fillColor=color, textAnchor=anchor)


def _empty(width: float, height: float, message: str) -> Drawing:
    """A framed placeholder that says why there is no chart."""
    d = Drawing(width, height, initialFontName=REGULAR)  # else renderPDF names Helvetica
    d.add(Rect(0, 0, width, height, fillColor=PALETTE.zebra, strokeColor=PALETTE.rule,
               strokeWidth=0.5))
    d.add(_text(width / 2, height / 2 - 4, message, LABEL, anchor="middle", color=PALETTE.muted))
    return d


def density_color(t: float) -> colors.Color:
    """The ramp's colour at ``t`` (0–1)."""
    t = min(max(t, 0.0), 1.0) * (len(DENSITY_RAMP) - 1)
    k = min(int(t), len(DENSITY_RAMP) - 2)
    return _mix(DENSITY_RAMP[k], DENSITY_RAMP[k + 1], t - k)


def shade_levels(density: np.ndarray) -> np.ndarray:
    """0–1 shade per cell: the square root of its share of the fullest cell, so the dense core
    keeps its shape at a million members while a cell of one member still shows (the ramp
    starts at a visible blue); NaN for empty cells, which stay white."""
    top = float(density.max()) if density.size else 0.0
    out = np.full(density.shape, np.nan)
    if top <= 0:
        return out
    filled = density > 0
    out[filled] = np.sqrt(density[filled] / top)
    return out


def quadrant_chart(
    density: np.ndarray,
    *,
    social_threshold: float,
    financial_threshold: float,
    width: float,
    height: float,
    counts: Sequence[int] | None = None,
    empty_message: str = "No members with both scores yet",
) -> Drawing:
    """Financial (x) × Social (y) as a density image with the two thresholds and the quadrants.

    ``density`` is ``RunData.quadrant_density(bins)``: rows are S bins (row 0 lowest), columns F
    bins, both over 0–100. ``counts`` (Ambassadors, Advocates, Affluents, Base) are printed
    under the quadrant names.
    """
    if not density.size or density.sum() == 0:
        return _empty(width, height, empty_message)
    bottom, legend_w, axis_w = 30.0, 100.0, 40.0
    size = min(width - axis_w - legend_w, height - bottom - 14)
    left = axis_w + (width - axis_w - legend_w - size) / 2  # centred in the frame
    d = Drawing(width, height, initialFontName=REGULAR)  # else renderPDF names Helvetica
    plot = Group()
    plot.translate(left, bottom)
    d.add(plot)
    plot.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    rows, cols = density.shape
    cw, ch = size / cols, size / rows
    shades = shade_levels(density)
    for i, j in zip(*np.nonzero(~np.isnan(shades)), strict=True):  # ≤ bins² cells
        fill = density_color(float(shades[i, j]))
        # A hair of overlap, else viewers draw white seams between touching cells.
        plot.add(Rect(j * cw, i * ch, cw + 0.3, ch + 0.3, fillColor=fill, strokeColor=None))
    for v in (0, 25, 50, 75, 100):
        pos = size * v / 100
        plot.add(Line(pos, 0, pos, -3, strokeColor=PALETTE.muted, strokeWidth=0.5))
        plot.add(_text(pos, -11, str(v), anchor="middle", color=PALETTE.muted))
        plot.add(Line(0, pos, -3, pos, strokeColor=PALETTE.muted, strokeWidth=0.5))
        plot.add(_text(-5, pos - 3, str(v), anchor="end", color=PALETTE.muted))
    plot.add(Rect(0, 0, size, size, fillColor=None, strokeColor=PALETTE.rule, strokeWidth=0.6))
    fx, sy = size * financial_threshold / 100, size * social_threshold / 100
    for x0, y0, x1, y1 in ((fx, 0, fx, size), (0, sy, size, sy)):
        # A white line under the dashed one: visible on the darkest cells and on white.
        plot.add(Line(x0, y0, x1, y1, strokeColor=colors.white, strokeWidth=2.4))
        plot.add(Line(x0, y0, x1, y1, strokeColor=PALETTE.ink, strokeWidth=1.0,
                      strokeDashArray=[4, 2]))
    # Threshold values outside the plot, where no cell can hide them.
    plot.add(_text(fx, size + 4, f"F ≥ {financial_threshold:g}", TICK, anchor="middle"))
    plot.add(_text(size + 4, sy - 3, f"S ≥ {social_threshold:g}", TICK))
    corners = ((size - 4, size - 12, "end"), (4, size - 12, "start"),
               (size - 4, 16, "end"), (4, 16, "start"))
    for k, (name, (x, y, anchor)) in enumerate(zip(QUADRANTS, corners, strict=True)):
        _label_box(plot, x, y, name, None if counts is None else f"{counts[k]:,}", anchor)
    plot.add(_text(size / 2, -24, "Financial value F (percentile rank: 75 = top quarter)",
                   LABEL, anchor="middle"))
    y_title = _text(0, 0, "Social score S (0–100)", LABEL, anchor="middle")
    axis = Group(y_title)
    axis.translate(-28, size / 2)
    axis.rotate(90)
    plot.add(axis)
    _density_legend(d, left + size + 46, bottom, size, int(density.max()))
    return d


def _label_box(group: Group, x: float, y: float, name: str, count: str | None,
               anchor: str) -> None:
    """A quadrant's name (and member count) on a white plate so it reads over dark cells."""
    from reports.fonts import font_set

    fonts = font_set()
    w = max(fonts.width(name, LABEL, bold=True), fonts.width(count or "", TICK)) + 6
    h = 22 if count else 12
    x0 = x - w + 3 if anchor == "end" else x - 3
    group.add(Rect(x0, y - (h - 10), w, h, fillColor=colors.white, strokeColor=PALETTE.rule,
                   strokeWidth=0.4, fillOpacity=0.9))
    text_anchor = "end" if anchor == "end" else "start"
    group.add(_text(x, y, name, LABEL, bold=True, anchor=text_anchor))
    if count:
        group.add(_text(x, y - 10, count, TICK, anchor=text_anchor, color=PALETTE.muted))


def _density_legend(d: Drawing, x: float, y: float, height: float, top: int) -> None:
    """The shade scale: members per cell, from 1 to the fullest cell (square-root spaced)."""
    steps = 40
    bar_h = min(height * 0.6, 140.0)
    y0 = y + height - bar_h
    for k in range(steps):
        t = k / (steps - 1)
        d.add(Rect(x, y0 + bar_h * k / steps, 10, bar_h / steps + 0.3,
                   fillColor=density_color(t), strokeColor=None))
    d.add(Rect(x, y0, 10, bar_h, fillColor=None, strokeColor=PALETTE.rule, strokeWidth=0.4))
    marks = sorted({1, top} | ({round(top / 4)} if top >= 12 else set()))
    for m in marks:
        t = math.sqrt(m / top)
        yy = y0 + bar_h * t
        d.add(Line(x + 10, yy, x + 13, yy, strokeColor=PALETTE.muted, strokeWidth=0.5))
        d.add(_text(x + 15, yy - 3, short_count(m), TICK, color=PALETTE.muted))
    d.add(_text(x, y0 - 11, "members", TICK, color=PALETTE.muted))
    d.add(_text(x, y0 - 20, "per cell", TICK, color=PALETTE.muted))


def histogram(
    counts: np.ndarray,
    *,
    width: float,
    height: float,
    title: str,
    color: colors.Color = PALETTE.accent,
    subtitle: str = "",
    marker: float | None = None,
    marker_label: str = "",
    empty_message: str = "None yet",
) -> Drawing:
    """Bars of ``counts`` over equal bins of 0–100, with a y axis in members and an optional
    dashed marker (a threshold)."""
    d = Drawing(width, height, initialFontName=REGULAR)  # else renderPDF names Helvetica
    d.add(_text(0, height - 10, title, 9.0, bold=True))
    if subtitle:
        d.add(_text(0, height - 21, subtitle, TICK, color=PALETTE.muted))
    top_pad = 28 if subtitle else 16
    left, bottom = 30.0, 16.0
    pw, ph = width - left - 4, height - bottom - top_pad
    total = int(np.sum(counts)) if len(counts) else 0
    if total == 0:
        d.add(Rect(left, bottom, pw, ph, fillColor=PALETTE.zebra, strokeColor=PALETTE.rule,
                   strokeWidth=0.4))
        d.add(_text(left + pw / 2, bottom + ph / 2 - 3, empty_message, LABEL, anchor="middle",
                    color=PALETTE.muted))
        return d
    ticks = nice_ticks(float(np.max(counts)), 3)
    ymax = ticks[-1]
    for t in ticks:
        yy = bottom + ph * t / ymax
        d.add(Line(left, yy, left + pw, yy, strokeColor=PALETTE.track, strokeWidth=0.5))
        d.add(_text(left - 3, yy - 3, short_count(t), TICK - 0.5, anchor="end",
                    color=PALETTE.muted))
    bw = pw / len(counts)
    for k, c in enumerate(np.asarray(counts).tolist()):  # one bar per bin, ~20
        if c > 0:
            d.add(Rect(left + k * bw + 0.4, bottom, bw - 0.8, ph * c / ymax, fillColor=color,
                       strokeColor=None))
    d.add(Line(left, bottom, left + pw, bottom, strokeColor=PALETTE.muted, strokeWidth=0.6))
    for v in (0, 25, 50, 75, 100):
        xx = left + pw * v / 100
        d.add(Line(xx, bottom, xx, bottom - 2.5, strokeColor=PALETTE.muted, strokeWidth=0.5))
        d.add(_text(xx, bottom - 10, str(v), TICK - 0.5, anchor="middle", color=PALETTE.muted))
    if marker is not None:
        xx = left + pw * marker / 100
        line = Line(xx, bottom, xx, bottom + ph, strokeColor=PALETTE.ink, strokeWidth=0.9)
        line.strokeDashArray = [3, 2]
        d.add(line)
        if marker_label:
            d.add(_text(xx + 2, bottom + ph - 8, marker_label, TICK - 0.5))
    return d


def share_bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], colors.Color]],
    *,
    width: float,
    bar_height: float = 8.0,
) -> Drawing:
    """Horizontal grouped bars of shares (0–1): one group per label, one bar per series, each
    with its percentage printed at the end; a legend on top."""
    from reports.fonts import font_set

    fonts = font_set()
    label_w = max(fonts.width(lab, LABEL) for lab in labels) + 10
    gap = 7.0
    group_h = bar_height * len(series) + gap
    legend_h = 16.0
    height = legend_h + group_h * len(labels) + 4
    d = Drawing(width, height, initialFontName=REGULAR)  # else renderPDF names Helvetica
    x = label_w
    for name, _values, color in series:
        d.add(Rect(x, height - 9, 8, 8, fillColor=color, strokeColor=None))
        d.add(_text(x + 11, height - 8, name, TICK))
        x += fonts.width(name, TICK) + 26
    pw = width - label_w - 36
    biggest = max((max(v, default=0.0) for _n, v, _c in series), default=0.0)
    scale = 1.0 / biggest if biggest > 0 else 1.0  # the longest bar spans the plot
    for g, lab in enumerate(labels):
        top = height - legend_h - g * group_h
        d.add(_text(label_w - 8, top - group_h / 2 + gap / 2 - 3, lab, LABEL, anchor="end"))
        for s, (_name, values, color) in enumerate(series):
            v = float(values[g])
            y = top - (s + 1) * bar_height
            w = max(pw * v * scale, 0.0)
            d.add(Rect(label_w, y + 0.6, w, bar_height - 1.2, fillColor=color, strokeColor=None))
            d.add(_text(label_w + w + 3, y + 1.2, f"{v * 100:.1f}%", TICK - 1,
                        color=PALETTE.muted))
    d.add(Line(label_w, 2, label_w, height - legend_h, strokeColor=PALETTE.muted,
               strokeWidth=0.5))
    return d
