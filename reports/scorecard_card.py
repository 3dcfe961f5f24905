"""One member scorecard drawn on the canvas: identity, F/S/NV, components, quadrant, receipt.

``draw_card`` lays a card out top to bottom in its box: who the member is and their segment
with its stability; F, S and NV as big figures; K, P and R as bars beside the quadrant; and the
receipt, what each answer adds to S. On a full page the receipt is grouped by component with
subtotals; on a compact (4-up) card it lists the largest items and sums up the rest, so its rows
always add up to S. Members without S get a card that says so, with F and revenue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from reports.pdf_base import PALETTE
from reports.scorecard_data import CardContext, CardData
from reports.scorecard_parts import (
    COMPONENT_LETTER,
    COMPONENTS,
    SEGMENT_COLOURS,
    Metrics,
    TextBatch,
    component_colour,
    draw_quadrant,
    money,
    num,
    rule,
    text_width,
    wrap_lines,
)

MIN_LINE = 9.0  # the closest a full page's receipt rows come together (7 pt text)


def draw_card(
    canv: Canvas, x: float, y: float, w: float, h: float, card: CardData, ctx: CardContext,
    m: Metrics,
) -> None:
    """Draw ``card`` in the box (x, y, w, h), y at the bottom."""
    canv.saveState()
    if m.pad:
        canv.setStrokeColor(PALETTE.rule)
        canv.setLineWidth(0.6)
        canv.roundRect(x, y, w, h, 4, stroke=1, fill=0)
        x, y, w, h = x + m.pad, y + m.pad, w - 2 * m.pad, h - 2 * m.pad
    pen = _Pen(canv, TextBatch(canv), card, ctx, m)
    top = pen.identity(x, y + h, w)
    top = pen.figures(x, top, w)
    if card.social is None:
        pen.not_surveyed(x, top, w)
    else:
        top = pen.components(x, top, w)
        pen.receipt(x, y, w, top)
    pen.t.draw()  # all the card's text in one text object, on top of its bars and chip
    canv.restoreState()


@dataclass
class _Pen:
    canv: Canvas
    t: TextBatch
    card: CardData
    ctx: CardContext
    m: Metrics

    # -- identity -------------------------------------------------------------------------------

    def identity(self, x: float, top: float, w: float) -> float:
        """Name and segment chip; member number and e-mail; place, join date, age, stability."""
        canv, t, card, m = self.canv, self.t, self.card, self.m
        chip_size = m.label + 1.5
        chip_w = text_width(card.segment, chip_size, bold=True) + 2.2 * chip_size
        chip_h = chip_size * 2
        canv.setFillColor(SEGMENT_COLOURS.get(card.segment, PALETTE.muted))
        canv.roundRect(x + w - chip_w, top - chip_h, chip_w, chip_h, chip_h / 2, stroke=0,
                       fill=1)
        t.text(x + w - chip_w / 2, top - chip_h / 2 - chip_size * 0.36, card.segment,
               chip_size, colors.white, bold=True, align="centre")
        t.text(x, top - m.name * 0.95, card.name, m.name, PALETTE.ink, bold=True,
               max_w=w - chip_w - 8)
        y = min(top - m.name - m.gap - m.meta * 0.3, top - chip_h - m.meta - 2)
        first = [f"Member number {card.number}" if card.number
                 else f"Member id {card.member_id}"]
        if card.email:
            first.append(card.email)
        t.text(x, y, "  ·  ".join(first), m.meta, PALETTE.ink, max_w=w)
        y -= m.meta + 3.5
        held_w = 0.0
        if card.stability is not None:
            held = f"holds in {card.stability * 100:.0f}% of perturbed runs"
            held_w = t.text(x + w, y, held, m.label, PALETTE.muted, align="right") + 8
        tenure = f"customer for {card.tenure_years:.1f} years" if card.tenure_years else None
        second = [p for p in (
            card.place,
            f"joined {card.joined}" if card.joined else tenure,
            f"age {card.age_band}" if card.age_band else None,
        ) if p]
        t.text(x, y, "  ·  ".join(second) or "no address or join date on file", m.meta,
               PALETTE.muted, max_w=w - held_w)
        bottom = y - m.gap * 0.9
        rule(canv, x, bottom, w)
        return bottom

    # -- F, S, NV -------------------------------------------------------------------------------

    def figures(self, x: float, top: float, w: float) -> float:
        card, ctx, m = self.card, self.ctx, self.m
        col = w / 3
        cur = ctx.currency
        orders = f"{card.orders:,.0f} orders" if card.orders is not None else None
        revenue = money(card.revenue, cur)
        f_sub = [" · ".join(p for p in (revenue if m.compact else f"Revenue {revenue}", orders)
                            if p)]
        thr = f"{ctx.social_threshold:g}"
        if card.social is None:
            s_sub = ["not surveyed" if not card.responded else "answers too incomplete"]
        elif m.compact:
            s_sub = [f"{'≥' if card.social >= ctx.social_threshold else '<'} threshold {thr}"]
        else:
            s_sub = [f"{'at or above' if card.social >= ctx.social_threshold else 'below'} "
                     f"the threshold {thr}"]
        if card.network_value is None:
            nv_sub = ["no referral data"]
        elif card.referrals:
            made = f"{card.referrals} referral{'s' * (card.referrals != 1)}"
            nv_sub = [f"{made} brought {money(card.referral_value, cur)}"
                      if card.referral_value else f"{made}, no spend yet"]
        else:
            nv_sub = ["no referrals recorded"]
        if not m.compact:
            if card.financial is not None:
                f_sub.append(f"{_rank(card.financial)} by {ctx.measure}")
            if card.profit is not None:
                f_sub[0] += f" · profit {money(card.profit, cur)}"
            if card.social is not None:
                s_sub.append(f"K, P and R weighted {_ratio(ctx.weights)}")
            nv_sub.append("observed: the value of members they brought in")
        cols = (
            ("Financial value F", card.financial, f_sub),
            ("Social score S", card.social, s_sub),
            ("Network value NV", card.network_value, nv_sub),
        )
        y_label = top - m.gap - m.label
        y_value = y_label - m.value * 0.95 - 2
        for i, (label, value, subs) in enumerate(cols):
            cx = x + i * col
            self.t.text(cx, y_label, label, m.label, PALETTE.muted)
            self.t.text(cx, y_value, num(value, 1), m.value, PALETTE.ink, bold=True)
            y = y_value - m.label - 4
            for sub in subs:
                self.t.text(cx, y, sub, m.label, PALETTE.muted, max_w=col - 6)
                y -= m.label + 2.5
        bottom = y_value - 4 - (m.label + 2.5) * (2 if not m.compact else 1) - m.gap / 2
        rule(self.canv, x, bottom, w)
        return bottom

    # -- components and quadrant ----------------------------------------------------------------

    def components(self, x: float, top: float, w: float) -> float:
        """K, P and R as bars with the points each adds to S; the quadrant to their right."""
        canv, t, card, m = self.canv, self.t, self.card, self.m
        label_pad = m.label * 2 + 6  # room left of and under the quadrant for its tick labels
        quad_x = x + w - m.quad - 2
        bars_w = quad_x - label_pad - x - 10
        y = top - m.gap - m.body
        t.text(x, y, "Components", m.body + 1, PALETTE.ink, bold=True)
        points = {c: sum(line.points for line in card.lines if line.component == c)
                  for c in COMPONENTS}
        names = {c: c.capitalize() + ("" if m.compact else f" ({COMPONENT_LETTER[c]})")
                 for c in COMPONENTS}
        unit = "" if m.compact else " pts"
        name_w = max(text_width(n, m.body) for n in names.values()) + 6
        track_w = max(bars_w - name_w - text_width(f"100.0  +00.0{unit}", m.body) - 4, 20)
        y -= m.gap + m.bar_h + 2
        for comp, value in zip(COMPONENTS, (card.knowledge, card.participation, card.reach),
                               strict=True):
            t.text(x, y + 1, names[comp], m.body, PALETTE.ink)
            tx = x + name_w
            canv.setFillColor(PALETTE.track)
            canv.rect(tx, y - 1, track_w, m.bar_h, stroke=0, fill=1)
            if value is not None and value > 0:
                canv.setFillColor(component_colour(comp))
                canv.rect(tx, y - 1, track_w * min(value, 100) / 100, m.bar_h, stroke=0, fill=1)
            shown = "missing" if value is None else f"{value:.1f}  +{points[comp]:.1f}{unit}"
            t.text(tx + track_w + 4, y + 1, shown, m.body, PALETTE.ink)
            y -= m.bar_h + (9 if not m.compact else 5)
        if not m.compact:
            t.text(x, y, "Each bar is 0–100; the points are what the component adds to S.",
                   m.label, PALETTE.muted, max_w=bars_w)
            y -= m.label + 2
        quad_y = top - m.gap - m.quad
        draw_quadrant(canv, t, quad_x, quad_y, card, self.ctx, m)
        return min(y, quad_y - label_pad) - m.gap / 2

    # -- the receipt ----------------------------------------------------------------------------

    def receipt(self, x: float, y: float, w: float, top: float) -> None:
        """The receipt: one column with a bar per answer when it fits a full page, else two;
        on a full page with many answers the rows close up (down to ``MIN_LINE``) so every
        answer is listed."""
        t, card, m = self.t, self.card, self.m
        head_y = top - m.gap - m.body
        title = ("Largest contributions to S" if m.compact
                 else f"Receipt: the points each answer adds to S (run {self.ctx.run_id})")
        t.text(x, head_y, title, m.body + 1, PALETTE.ink, bold=True, max_w=w)
        notes = card.notes[:1 if m.compact else 3]
        foot = m.body + 12 + (m.label + 2) * len(notes)  # the total line and the notes
        room = head_y - m.line - 2 - y - foot  # from the first row's baseline to the last's
        whole = _receipt_entries(card, m, 10**6)
        rm = m  # the rows' metrics
        if not m.compact and (len(whole) - 1) * m.line > room:
            needed = math.ceil(len(whole) / 2)
            line = max(min(m.line, room / max(needed - 1, 1)), MIN_LINE)
            rm = replace(m, line=line, body=min(m.body, line * 0.74))
        first = head_y - rm.line - 2
        rows = max(int(room // rm.line) + 1, 1)
        if not m.compact and len(whole) <= rows:
            columns, entries = 1, whole
        else:
            columns, entries = 2, _receipt_entries(card, m, rows * 2)
        used = math.ceil(len(entries) / columns)
        col_gap = 16 if not m.compact else 8
        col_w = (w - col_gap * (columns - 1)) / columns
        scale = max((abs(e.points) for e in entries if not e.header), default=0.0)
        for k, entry in enumerate(entries):
            col, row = divmod(k, used)
            self.receipt_row(x + col * (col_w + col_gap), first - row * rm.line, col_w, entry,
                             scale if columns == 1 else 0.0, rm)
        total_y = first - (used - 1) * rm.line - m.body - 8
        rule(self.canv, x, total_y + m.body + 2, w)
        t.text(x, total_y, f"{len(card.lines)} answers", m.body, PALETTE.muted)
        t.text(x + w, total_y, f"Total: S = {num(card.social, 2)}", m.body + 0.5,
               PALETTE.ink, bold=True, align="right")
        for i, note in enumerate(notes):
            t.text(x, total_y - (i + 1) * (m.label + 2) - 2, f"Note: {note}", m.label,
                   PALETTE.muted, max_w=w)

    def receipt_row(
        self, x: float, y: float, w: float, entry: Entry, scale: float, m: Metrics
    ) -> None:
        """One receipt row; with ``scale`` (the card's largest points), a bar for the points."""
        canv, t = self.canv, self.t
        indent = m.body + 2
        if entry.component is not None and (entry.header or m.compact):
            canv.setFillColor(component_colour(entry.component))
            canv.rect(x, y - 0.2, m.body * 0.7, m.body * 0.7, stroke=0, fill=1)
        points = f"{entry.points:+.1f}"
        if entry.header:
            t.text(x + indent, y, entry.label, m.body, PALETTE.ink, bold=True)
            t.text(x + w, y, points, m.body, PALETTE.ink, bold=True, align="right")
            return
        points_w = max(text_width("+00.0", m.body), text_width(points, m.body)) + 4
        bar_w = w * 0.3 if scale > 0 else 0.0
        answer_w = (w - bar_w) * 0.36 if entry.answer else 0.0
        label_w = w - indent - answer_w - bar_w - points_w - (6 if answer_w or bar_w else 1)
        t.text(x + indent, y, entry.label, m.body, PALETTE.ink, max_w=label_w, shrink=False)
        if answer_w:
            t.text(x + indent + label_w + 6, y, entry.answer, m.body, PALETTE.muted,
                   max_w=answer_w - 4, shrink=False)
        if bar_w and entry.component is not None and entry.points > 0:
            canv.setFillColor(component_colour(entry.component))
            canv.rect(x + w - points_w - 8 - bar_w, y - 0.5,
                      bar_w * min(entry.points / scale, 1.0), m.body * 0.8, stroke=0, fill=1)
        t.text(x + w, y, points, m.body, PALETTE.ink, align="right")

    # -- members without a social score ---------------------------------------------------------

    def not_surveyed(self, x: float, top: float, w: float) -> None:
        """Why there is no S, what F and the money say, and whether to survey them next."""
        t, card, ctx, m = self.t, self.card, self.ctx, self.m
        quad_x = x + w - m.quad - 2
        draw_quadrant(self.canv, t, quad_x, top - m.gap - m.quad, card, ctx, m)
        text_w = quad_x - x - (m.label * 2 + 6) - 12
        cur = ctx.currency
        if card.responded:
            head = "Answered the survey, but not enough for a social score"
            why = ("Fewer than half of the questions of two components were answered (or "
                   "the same answer was given throughout), so there is no S: not zero, "
                   "unknown.")
        else:
            head = "Not surveyed"
            why = (f"{card.name} has not answered the survey, so there is no social score: "
                   "not zero, just unknown. F and network value come from the member list "
                   "and the referrals.")
        parts = [why]
        if card.financial is not None:
            parts.append(
                f"F {card.financial:.1f}: {_rank(card.financial)} of members by "
                f"{ctx.measure}. Revenue {money(card.revenue, cur)}"
                + (f" over {card.orders:,.0f} orders" if card.orders is not None else "")
                + (f"; profit {money(card.profit, cur)}." if card.profit is not None else "."))
            if card.financial >= ctx.financial_threshold:
                parts.append("High financial value: a good member to survey next, to learn "
                             "whether they are an Ambassador.")
        else:
            parts.append("No spend figures on file, so no financial value either.")
        size = m.body + 1
        y = top - m.gap - m.body - 1
        t.text(x, y, head, m.body + 2, SEGMENT_COLOURS["Not surveyed"], bold=True,
               max_w=text_w)
        y -= m.gap + size
        for part in parts:
            for line in wrap_lines(part, size, text_w):
                t.text(x, y, line, size, PALETTE.ink)
                y -= size * 1.3
            y -= 4
        if not m.compact and card.number and not card.responded:
            self.next_step(x, y - m.gap, text_w)

    def next_step(self, x: float, top: float, w: float) -> None:
        """A boxed hint: how to survey this member (their own paper questionnaire)."""
        size = self.m.label + 0.5
        lines = wrap_lines(
            "Next step: hand them their own paper questionnaire, with their member number and "
            "a QR code printed on it, in store or at an event (scorecard report WORKSPACE "
            f"--questionnaire OUT.pdf --members {self.card.number}).", size, w - 16)
        h = len(lines) * size * 1.35 + 12
        self.canv.setFillColor(PALETTE.accent_soft)
        self.canv.roundRect(x, top - h, w, h, 4, stroke=0, fill=1)
        y = top - 6 - size
        for line in lines:
            self.t.text(x + 8, y, line, size, PALETTE.ink)
            y -= size * 1.35


def _rank(f: float) -> str:
    share = max(100.0 - f, 0.0)
    return f"top {max(share, 1):.0f}%" if f >= 50 else f"bottom {max(f, 1):.0f}%"


def _ratio(weights: Sequence[float]) -> str:
    return " : ".join(f"{w:g}" for w in weights)


@dataclass(frozen=True)
class Entry:
    label: str
    answer: str
    points: float
    component: str | None  # None: the "… more answers" row
    header: bool = False  # a component's subtotal


def _receipt_entries(card: CardData, m: Metrics, capacity: int) -> list[Entry]:
    """The rows of the receipt, at most ``capacity``: grouped by component with subtotals on
    a full page, the largest items first on a compact card. What does not fit is summed in a
    last row, so the rows always add up to S."""
    if m.compact:
        ordered = sorted(card.lines, key=lambda row: -row.points)
        rows = [Entry(r.label, "", r.points, r.component) for r in ordered]
    else:
        rows = []
        for comp in COMPONENTS:
            mine = [r for r in card.lines if r.component == comp]
            if mine:
                rows.append(Entry(f"{comp.capitalize()} ({COMPONENT_LETTER[comp]})", "",
                                  sum(r.points for r in mine), comp, header=True))
                rows += [Entry(r.label, r.answer, r.points, comp) for r in mine]
    if len(rows) <= capacity:
        return rows
    kept, cut = rows[:capacity - 1], rows[capacity - 1:]
    hidden = [r for r in cut if not r.header]
    more = Entry(f"… {len(hidden)} more answer{'s' * (len(hidden) != 1)}", "",
                 sum(r.points for r in hidden), None)
    return [*kept, more]
