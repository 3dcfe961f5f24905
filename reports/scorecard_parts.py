"""Drawing primitives shared by the member scorecards: sizes, colours, text, the quadrant.

Cards are drawn with canvas calls, not platypus flowables, so a thousand cards cost a thousand
small drawings rather than a thousand layouts. Text goes through :class:`TextBatch` (one PDF
text object a card, the per-character font choice and the fitting cached per string). The
quadrant's background (everyone's density, the thresholds, the axes) is the same on every card:
it is drawn once per document as a PDF form XObject, and each card adds only its own dot. Two
sets of metrics: ``FULL`` for one card a page, ``COMPACT`` for four.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import BOLD, REGULAR, font_set, prepare
from reports.pdf_base import PALETTE
from reports.scorecard_data import CardContext, CardData

SEGMENT_COLOURS = {
    "Ambassadors": colors.HexColor("#1F6F8B"),
    "Advocates": colors.HexColor("#7B5AA6"),
    "Affluents": colors.HexColor("#A4493D"),
    "Base": colors.HexColor("#5F6B7A"),
    "Not surveyed": colors.HexColor("#8C96A3"),
}
DENSITY_INK = colors.HexColor("#9DBFD1")  # darkest density cell: light enough for the dot
COMPONENTS = ("knowledge", "participation", "reach")
COMPONENT_LETTER = {"knowledge": "K", "participation": "P", "reach": "R"}
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹"}


def component_colour(component: str) -> colors.Color:
    return getattr(PALETTE, component, PALETTE.accent)  # type: ignore[no-any-return]


def num(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}"


def money(value: float | None, currency: str) -> str:
    """€1,234 / 1,234 CHF / – for unknown; whole units (a card is no ledger)."""
    if value is None:
        return "–"
    sign = "−" if value < 0 else ""
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    if symbol:
        return f"{sign}{symbol}{abs(value):,.0f}"
    return f"{sign}{abs(value):,.0f}" + (f" {currency}" if currency else "")


@dataclass(frozen=True)
class Metrics:
    compact: bool
    pad: float  # inside the card's border (0: no border)
    name: float  # point sizes …
    meta: float
    label: float
    value: float
    body: float
    line: float  # receipt leading
    bar_h: float
    quad: float  # quadrant side
    gap: float  # the vertical spacing unit


FULL = Metrics(False, 0, 20, 9.5, 8, 28, 8.5, 11.6, 11, 170, 8)
COMPACT = Metrics(True, 8, 12, 6.8, 6.3, 16, 6.5, 7.9, 6, 72, 4.5)


# -- text -----------------------------------------------------------------------------------------


class TextBatch:
    """Many one-line strings in one PDF text object, drawn on top when ``draw`` is called.

    Strings are collected and emitted grouped by colour (in the order added within a colour,
    so the runs of a name in two scripts stay together), so each costs a relative move and its
    glyphs, and the colour is set a handful of times a card rather than per string. A card
    prints some 150 strings: this, and caching the per-character font choice and the fitting
    per string, is most of what keeps a thousand cards quick.
    """

    def __init__(self, canv: Canvas) -> None:
        self.canv = canv
        self.runs: list[tuple[int, str, float, float, float, str, colors.Color]] = []

    def text(
        self, x: float, y: float, text: str, size: float, color: colors.Color, *,
        bold: bool = False, align: str = "left", max_w: float | None = None,
        shrink: bool = True,
    ) -> float:
        """Add one line at (x, y); with ``max_w``, shrunk a little (if ``shrink``) and then cut
        to fit. Returns the width set."""
        if not text:
            return 0.0
        if max_w is not None:
            low = max(size - 1.5, 5.5) if shrink else size
            text, size = _fit(text, round(max_w, 2), size, low, bold)
        total = _width(text, size, bold)
        if align == "right":
            x -= total
        elif align == "centre":
            x -= total / 2
        runs = _runs(text, bold)
        for font, run in runs:
            self.runs.append((id(color), font, size, x, y, run, color))
            if len(runs) > 1:  # a name in two scripts: the next run starts where this ends
                x += _width(run, size, bold)
        return total

    def draw(self) -> None:
        obj = self.canv.beginText(0, 0)
        x0 = y0 = 0.0
        current: tuple[str, float] | None = None
        colour_id = None
        for key, font, size, x, y, run, color in sorted(self.runs, key=_colour):
            obj.moveCursor(x - x0, y0 - y)  # reportlab's dy points down the page
            x0, y0 = x, y
            if key != colour_id:
                obj.setFillColor(color)
                colour_id = key
            if (font, size) != current:
                obj.setFont(font, size, leading=0)  # so T* below returns to the line start
                current = (font, size)
            # textLine, not textOut: no width to measure, as every run is placed by its own move
            obj.textLine(run)
        self.canv.drawText(obj)
        self.runs.clear()


def _colour(run: tuple[int, str, float, float, float, str, colors.Color]) -> int:
    return run[0]


def draw_text(
    canv: Canvas, x: float, y: float, text: str, size: float, color: colors.Color, *,
    bold: bool = False, align: str = "left",
) -> float:
    """One line of text straight onto the canvas (see ``TextBatch.text``)."""
    batch = TextBatch(canv)
    width = batch.text(x, y, text, size, color, bold=bold, align=align)
    batch.draw()
    return width


def text_width(text: str, size: float, bold: bool = False) -> float:
    return _width(text, size, bold)


def wrap_lines(text: str, size: float, max_w: float) -> list[str]:
    """``text`` broken at spaces into lines of at most ``max_w`` (widths add up word by word;
    a word longer than a line is cut to fit)."""
    space = _width(" ", size, False)
    lines: list[list[str]] = [[]]
    used = 0.0
    for word in text.split():
        w = _width(word, size, False)
        if lines[-1] and used + space + w > max_w:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + w
        lines[-1].append(word)
    return [_fit(" ".join(words), round(max_w, 2), size, size, False)[0]
            for words in lines if words]


@functools.lru_cache(maxsize=16_384)
def _runs(text: str, bold: bool) -> tuple[tuple[str, str], ...]:
    if text.isascii() and text.isprintable() and _ascii_in_primary(bold):  # most strings
        return ((BOLD if bold else REGULAR, text),)
    return tuple(font_set().runs(prepare(text), bold))


@functools.cache
def _ascii_in_primary(bold: bool) -> bool:
    primary = BOLD if bold else REGULAR
    return all(font_set().font_for(chr(c), bold) == primary for c in range(32, 127))


@functools.lru_cache(maxsize=16_384)
def _width(text: str, size: float, bold: bool) -> float:
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in _runs(text, bold))


@functools.lru_cache(maxsize=16_384)
def _fit(text: str, max_w: float, size: float, low: float, bold: bool) -> tuple[str, float]:
    """As ``FontSet.fit`` (shrink in half points down to ``low``, then cut with an ellipsis),
    on the cached widths, the cut found by bisection."""
    while size > low and _width(text, size, bold) > max_w:
        size = max(low, size - 0.5)
    if _width(text, size, bold) <= max_w:
        return text, size
    keep, over = 0, len(text)  # the longest prefix that fits with "…" is in [keep, over)
    while over - keep > 1:
        mid = (keep + over) // 2
        if _width(text[:mid].rstrip() + "…", size, bold) <= max_w:
            keep = mid
        else:
            over = mid
    return text[:keep].rstrip() + "…", size


def rule(canv: Canvas, x: float, y: float, w: float) -> None:
    canv.setStrokeColor(PALETTE.rule)
    canv.setLineWidth(0.5)
    canv.line(x, y, x + w, y)


# -- the quadrant ---------------------------------------------------------------------------------


def draw_quadrant(
    canv: Canvas, t: TextBatch, x: float, y: float, card: CardData, ctx: CardContext,
    m: Metrics,
) -> None:
    """The F × S plane with everyone's density and the thresholds (a shared form), and this
    member: a dot, or for a member without S a line at their F."""
    side = m.quad
    name = _quadrant_form(canv, ctx, m)
    canv.saveState()
    canv.translate(x, y)
    canv.doForm(name)
    colour = SEGMENT_COLOURS.get(card.segment, PALETTE.ink)
    f = card.financial
    if f is not None and card.social is not None:
        canv.setFillColor(colour)
        canv.setStrokeColor(colors.white)
        canv.setLineWidth(1.2)
        canv.circle(side * f / 100, side * card.social / 100, 3.2 if m.compact else 4.5,
                    stroke=1, fill=1)
    elif f is not None:
        canv.setStrokeColor(colour)
        canv.setLineWidth(1.6)
        fx = side * f / 100
        canv.line(fx, 0, fx, side)
        label_w = text_width("S unknown", m.label) + 4
        lx = fx + 2 if f < 60 else fx - 2 - label_w
        canv.setFillColor(colors.white)  # a white ground so the label reads over the density
        canv.rect(lx, side * 0.42 - 2, label_w, m.label + 2, stroke=0, fill=1)
        t.text(x + lx + 2, y + side * 0.42, "S unknown", m.label, colour)
    canv.restoreState()


def _quadrant_form(canv: Canvas, ctx: CardContext, m: Metrics) -> str:
    """Define (once per document and size) the quadrant's background as a form XObject."""
    side = m.quad
    name = f"scorecardQuadrant{'C' if m.compact else 'F'}"
    if name in ctx.forms:
        return name
    ctx.forms.add(name)
    pad = m.label * 2 + 6
    canv.beginForm(name, -pad, -pad, side + pad, side + 4)
    if ctx.density is not None and ctx.density.max() > 0:
        bins = ctx.density.shape[0]
        cell = side / bins
        weight = np.log1p(ctx.density) / math.log1p(float(ctx.density.max()))
        for i, j in zip(*np.nonzero(ctx.density), strict=True):  # ≤ bins² cells
            shade = 0.15 + 0.85 * float(weight[i, j])
            canv.setFillColor(_mix(colors.white, DENSITY_INK, shade))
            canv.rect(i * cell, j * cell, cell + 0.3, cell + 0.3, stroke=0, fill=1)
    canv.setStrokeColor(PALETTE.rule)
    canv.setLineWidth(0.6)
    canv.rect(0, 0, side, side, stroke=1, fill=0)
    xf, ys = side * ctx.financial_threshold / 100, side * ctx.social_threshold / 100
    canv.setStrokeColor(PALETTE.muted)
    canv.setDash(2.5, 2)
    canv.line(xf, 0, xf, side)
    canv.line(0, ys, side, ys)
    canv.setDash()
    tick = m.label - 0.5
    for value, at in ((0, 0), (ctx.financial_threshold, xf), (100, side)):
        draw_text(canv, at, -tick - 2, f"{value:g}", tick, PALETTE.muted, align="centre")
    for value, at in ((0, 0), (ctx.social_threshold, ys), (100, side)):
        draw_text(canv, -3, at - tick * 0.35, f"{value:g}", tick, PALETTE.muted, align="right")
    draw_text(canv, side / 2, -2 * tick - 4, "Financial value F", tick, PALETTE.muted,
              align="centre")
    canv.saveState()
    canv.translate(-pad + tick * 0.8, side / 2)
    canv.rotate(90)
    draw_text(canv, 0, 0, "Social score S", tick, PALETTE.muted, align="centre")
    canv.restoreState()
    if not m.compact:
        corner = m.label - 1
        for label, cx, cy, align in (
            ("Advocates", 3, side - corner - 2, "left"),
            ("Ambassadors", side - 3, side - corner - 2, "right"),
            ("Base", 3, 3, "left"),
            ("Affluents", side - 3, 3, "right"),
        ):
            draw_text(canv, cx, cy, label, corner, SEGMENT_COLOURS[label], align=align)
    canv.endForm()
    return name


def _mix(a: colors.Color, b: colors.Color, t: float) -> colors.Color:
    return colors.Color(a.red + (b.red - a.red) * t, a.green + (b.green - a.green) * t,
                        a.blue + (b.blue - a.blue) * t)
