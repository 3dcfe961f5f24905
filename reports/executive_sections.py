"""The executive report's data sections, each a list of flowables built from one :class:`Ctx`.

Every figure comes from the run's arrays (:class:`reports.run_data.RunData`, NumPy over all
members) or its stored summary; only the short lists fetch names (``member_labels``). A section
with nothing to show says so in words ("none yet") instead of printing an empty table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from reports.charts import (
    MEMBERS_COLOR,
    PROFIT_COLOR,
    REVENUE_COLOR,
    histogram,
    share_bars,
)
from reports.fonts import REGULAR, font_set
from reports.pdf_base import PALETTE, data_table, fmt_number, fmt_pct, heading, para, styles
from reports.run_data import DataQuality, MemberLabel, RunData
from scorecard.scoring.segments import ADVOCATES, AFFLUENTS, AMBASSADORS, SEGMENTS

LIST_LENGTH = 25  # members in each short list: one page
QUADRANT_BINS = 50
HIST_BINS = 20
SIGNALS = {
    "referrals": "Members they referred",
    "forwards": "E-mails they forwarded",
    "engagement": "E-mail engagement (opens, clicks, forwards, rating)",
}


@dataclass(frozen=True)
class Ctx:
    """What every section reads: the run, its data quality, the names the lists print."""

    run: RunData
    quality: DataQuality
    labels: dict[int, MemberLabel]
    width: float  # the text frame's width, points
    category: str  # the workspace's category word ("coffee")

    def money(self, value: float | None) -> str:
        if value is None or not np.isfinite(value):
            return "–"
        cur = self.run.currency
        return f"{value:,.0f} {cur}".strip()


def prose(text: str) -> Flowable:
    """A paragraph of the report's own words, with a little space after it."""
    return para(text, _prose_style())


@functools.cache
def _prose_style() -> ParagraphStyle:
    return styles()["body"].clone("prose", spaceAfter=5)


@functools.cache
def _bullet_style() -> ParagraphStyle:
    return styles()["body"].clone("bullet", leftIndent=11, bulletIndent=0, spaceAfter=3,
                                   bulletFontName=REGULAR)


def bullet(text: str) -> Flowable:
    """One item of a bulleted list (plain text: escaped, fallback fonts for any script)."""
    return Paragraph(font_set().markup(text), _bullet_style(), bulletText="•")


def subheading(text: str) -> Flowable:
    """A level-two heading kept out of the contents, so they fit on the cover."""
    return para(text, "h2")


def none_yet(text: str) -> Flowable:
    """The sentence a section prints instead of an empty table or chart."""
    return prose(text)


def note_box(text: str, *, warn: bool = False) -> Table:
    """A tinted box around a sentence that must not be missed."""
    box = Table([[para(text)]], colWidths=["100%"])
    box.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else the table names Helvetica
        ("BACKGROUND", (0, 0), (-1, -1),
         colors.HexColor("#FCEFD9") if warn else PALETTE.accent_soft),
        ("LINEBEFORE", (0, 0), (0, -1), 2.5,
         colors.HexColor("#D08C2E") if warn else PALETTE.accent),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box


def scored_mask(run: RunData) -> np.ndarray:
    return ~np.isnan(run.social) & ~np.isnan(run.financial)


def para_markup(text: str) -> Flowable:
    """A paragraph of our own words with <b> emphasis (no member text goes through here)."""
    return Paragraph(text, _prose_style())


# -- segments ----------------------------------------------------------------------------------


def segments_section(c: Ctx) -> list[Flowable]:
    run = c.run
    rows = run.segment_table()
    head = ["Segment", "Members", "Share", "Revenue", "Revenue share", "Profit share",
            "Mean S", "Mean F"]
    body: list[list[object]] = [head]
    for r in rows:
        body.append([r.name, f"{r.members:,}", fmt_pct(r.member_share), c.money(r.revenue),
                     fmt_pct(r.revenue_share), fmt_pct(r.profit_share),
                     fmt_number(r.mean_social, 1), fmt_number(r.mean_financial, 1)])
    total_rev = sum(r.revenue for r in rows)
    body.append(["All members", f"{run.n:,}", fmt_pct(1.0 if run.n else None),
                 c.money(total_rev), fmt_pct(1.0 if total_rev else None),
                 fmt_pct(1.0 if any(r.profit for r in rows) else None),
                 fmt_number(_mean(run.social), 1), fmt_number(_mean(run.financial), 1)])
    w = c.width
    widths = [w * f for f in (0.17, 0.11, 0.09, 0.17, 0.13, 0.12, 0.105, 0.105)]
    table = data_table(body, numeric=range(1, 8), col_widths=widths)
    table.setStyle(TableStyle([("LINEABOVE", (0, -1), (-1, -1), 0.75, PALETTE.ink),
                               ("BACKGROUND", (0, -1), (-1, -1), colors.white)]))
    chart = share_bars(
        [r.name for r in rows],
        [("Share of members", [r.member_share for r in rows], MEMBERS_COLOR),
         ("Share of revenue", [r.revenue_share for r in rows], REVENUE_COLOR),
         ("Share of profit", [r.profit_share for r in rows], PROFIT_COLOR)],
        width=w)
    intro = prose(
        "Every member falls in one segment. Revenue and profit are from the latest financial "
        f"figures the run used; profit is revenue × gross margin ({fmt_pct(run.margin, 0)}) "
        "minus cost to serve. Mean S and F are among the members who have them.")
    return [KeepTogether([heading("Segments"), intro, Spacer(1, 2), table]), Spacer(1, 10),
            chart]


def _mean(values: np.ndarray) -> float | None:
    ok = ~np.isnan(values)
    return float(values[ok].mean()) if ok.any() else None


# -- distributions -----------------------------------------------------------------------------


def distributions_section(c: Ctx) -> list[Flowable]:
    run = c.run
    comps = (
        ("K · Knowledge", run.knowledge, PALETTE.knowledge, None),
        ("P · Participation", run.participation, PALETTE.participation, None),
        ("R · Reach", run.reach, PALETTE.reach, None),
        ("S · Social score", run.social, PALETTE.accent, run.social_threshold),
        ("F · Financial value", run.financial, colors.HexColor("#6B5B95"),
         run.financial_threshold),
    )
    cell_w = c.width / 3
    drawings: list[Flowable] = []
    stats: list[list[object]] = [["Score", "Members with it", "Mean", "Median", "Middle half"]]
    for title, values, color, marker in comps:
        known = values[~np.isnan(values)]
        sub = "none yet"
        if len(known):
            q1, med, q3 = np.percentile(known, [25, 50, 75])
            sub = f"{len(known):,} members · median {med:.0f}"
            stats.append([title, f"{len(known):,}", f"{known.mean():.1f}", f"{med:.1f}",
                          f"{q1:.0f}–{q3:.0f}"])
        else:
            stats.append([title, "0", None, None, None])
        drawings.append(histogram(
            run.distribution(values, HIST_BINS), width=cell_w - 8, height=128, title=title,
            subtitle=sub, color=color, marker=marker,
            marker_label="" if marker is None else f"threshold {marker:g}",
            empty_message="None yet: no survey answers"))
    grid = Table([drawings[:3], [*drawings[3:], para("")]], colWidths=[cell_w] * 3)
    grid.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    w = c.width
    intro = prose(
        "How the members' scores spread over 0–100, in bars of five points. K, P and R are the "
        "three parts of the social score S; members who did not answer the survey have none of "
        "them (they are left out, never counted as zero). F is a percentile rank, so it spreads "
        "evenly by design.")
    return [
        KeepTogether([heading("Component distributions"), intro, Spacer(1, 6), grid]),
        data_table(stats, numeric=range(1, 5),
                   col_widths=[w * 0.36, w * 0.18, w * 0.14, w * 0.14, w * 0.18]),
    ]


# -- the short lists ---------------------------------------------------------------------------


def _label(c: Ctx, member_id: int) -> MemberLabel | None:
    return c.labels.get(int(member_id))


def top_ambassadors_section(c: Ctx) -> list[Flowable]:
    run = c.run
    rows = run.top_ambassadors(LIST_LENGTH)
    total = run.segment_counts()[SEGMENTS[AMBASSADORS]]
    out: list[Flowable] = [CondPageBreak(200), heading("Top Ambassadors")]
    if not len(rows):
        out.append(none_yet(
            "None yet: no member clears both thresholds "
            f"(S ≥ {run.social_threshold:g} and F ≥ {run.financial_threshold:g}). "
            "More survey answers, or thresholds that suit this programme, will find them."))
        return out
    out.append(prose(
        f"The {len(rows)} Ambassadors with the highest social score, of {total:,}. NV is "
        "observed network value (0–100: what the members they referred are worth); stability "
        "is how often the member stays an Ambassador when weights and thresholds are nudged."))
    body: list[list[object]] = [["#", "Name", "Member no.", "City", "S", "F", "NV", "Stability"]]
    for rank, pos in enumerate(rows.tolist(), 1):  # at most 25 rows
        who = _label(c, run.member_ids[pos])
        body.append([str(rank), who.name if who else f"Member {run.member_ids[pos]}",
                     (who.external_id if who else None) or "–", (who.city if who else None) or "–",
                     _score(run.social[pos]), _score(run.financial[pos]),
                     _score(run.network_value[pos]), _share(run.stability[pos])])
    w = c.width
    widths = [w * f for f in (0.05, 0.26, 0.17, 0.18, 0.07, 0.07, 0.08, 0.12)]
    out += [Spacer(1, 4), data_table(body, numeric=(0, 4, 5, 6, 7), col_widths=widths)]
    return out


def survey_next_section(c: Ctx) -> list[Flowable]:
    run = c.run
    rows = run.not_surveyed_high_value(LIST_LENGTH)
    count = run.not_surveyed_high_value_count()
    out: list[Flowable] = [CondPageBreak(200), heading("Who to survey next")]
    if not len(rows):
        out.append(none_yet(
            "None: every member with F ≥ "
            f"{run.financial_threshold:g} has answered the survey."))
        return out
    out.append(prose(
        f"{count:,} high-value members (F ≥ {run.financial_threshold:g}) have not answered the "
        f"survey, so nobody knows yet whether they are Ambassadors or Affluents. "
        f"The {len(rows)} most valuable come first; ask them next."))
    body: list[list[object]] = [["#", "Name", "Member no.", "City", "F", "Revenue", "Orders"]]
    for rank, pos in enumerate(rows.tolist(), 1):  # at most 25 rows
        who = _label(c, run.member_ids[pos])
        orders = run.orders[pos]
        body.append([str(rank), who.name if who else f"Member {run.member_ids[pos]}",
                     (who.external_id if who else None) or "–", (who.city if who else None) or "–",
                     _score(run.financial[pos]), c.money(run.revenue[pos]),
                     "–" if np.isnan(orders) else f"{orders:,.0f}"])
    w = c.width
    widths = [w * f for f in (0.05, 0.28, 0.17, 0.18, 0.07, 0.15, 0.10)]
    out += [Spacer(1, 4), data_table(body, numeric=(0, 4, 5, 6), col_widths=widths)]
    return out


def _score(v: float) -> str:
    return "–" if np.isnan(v) else f"{v:.0f}"


def _share(v: float) -> str:
    return "–" if np.isnan(v) else f"{v * 100:.0f}%"


# -- age, validity -----------------------------------------------------------------------------


def age_section(c: Ctx) -> list[Flowable]:
    run = c.run
    v = run.validity
    bands = list(v.get("age_bands") or [])  # type: ignore[call-overload]
    out: list[Flowable] = [CondPageBreak(220), heading("Age-band check")]
    out.append(prose(
        "Older members are often less active online. The social score must not push them down "
        "just for that, so the run compares S across age bands (age from the survey's age "
        "question, else the member list). The run warns when members 65 and over average "
        f"{run.config.quality.age_decline_points:g} points or more below members under 45."))
    scored = sum(int(b.get("scored") or 0) for b in bands)
    if not bands or scored == 0:
        out.append(none_yet("None yet: no scored member has a known age."))
        return out
    if v.get("age_warning"):
        out.append(note_box(f"Warning: {v['age_warning']}", warn=True))
    else:
        out.append(note_box("No warning: S does not fall steeply with age in this run."))
    body: list[list[object]] = [["Age band", "Members", "Scored", "Mean S",
                                 *(SEGMENTS[k] for k in (AMBASSADORS, ADVOCATES, AFFLUENTS))]]
    for b in bands:  # eight bands
        shares = b.get("shares") or {}
        body.append([str(b["band"]), f"{int(b['members']):,}", f"{int(b['scored']):,}",
                     fmt_number(b.get("mean_social"), 1),
                     *(fmt_pct(shares.get(SEGMENTS[k])) for k in (AMBASSADORS, ADVOCATES,
                                                                    AFFLUENTS))])
    w = c.width
    out += [Spacer(1, 6), data_table(body, numeric=range(1, 7),
                                     col_widths=[w * 0.13] + [w * 0.11] * 3 + [w * 0.17] * 3),
            Spacer(1, 2), para("Segment shares are among the scored members of each band.",
                               "small")]
    return out


def _strength(rho: float) -> str:
    a = abs(rho)
    word = ("no real" if a < 0.1 else "a weak" if a < 0.3 else "a moderate" if a < 0.5
            else "a strong")
    return word + (" negative" if rho < 0 and a >= 0.1 else "")


def validity_section(c: Ctx) -> list[Flowable]:
    run = c.run
    v = run.validity
    corr = dict(v.get("correlations") or {})  # type: ignore[call-overload]
    out: list[Flowable] = [CondPageBreak(220), heading("Stated versus observed")]
    out.append(prose(
        "The social score rests on what members say about themselves. Research finds far fewer "
        "customers refer than say they will (about two in three intend to, one in three do), so "
        "the run checks S against what members were seen to do. The figures are Spearman "
        "correlations, from −1 to +1: +1 would mean the members with the higher S are exactly "
        "the ones who refer or forward more, 0 that S tells nothing about it. In marketing "
        "data 0.1 is weak, 0.3 useful and 0.5 strong."))
    rows = [(name, corr[name]) for name in SIGNALS if name in corr]
    if not rows:
        out.append(none_yet("None yet: the workspace has no referrals or e-mail engagement to "
                            "compare with, or too few surveyed members have them."))
    else:
        body: list[list[object]] = [["Observed", "Pairs", "S", "K", "P", "R"]]
        for name, r in rows:
            body.append([SIGNALS[name], f"{int(r.get('n') or 0):,}",
                         *(_rho(r.get(k)) for k in ("social", "knowledge", "participation",
                                                     "reach"))])
        w = c.width
        out += [Spacer(1, 4), data_table(body, numeric=range(1, 6),
                                         col_widths=[w * 0.4, w * 0.12] + [w * 0.12] * 4)]
        first = next(((n, r["social"]) for n, r in rows if r.get("social") is not None), None)
        if first is not None:
            out.append(Spacer(1, 5))
            out.append(prose(
                f"Reading: S shows {_strength(float(first[1]))} relation "
                f"(ρ = {float(first[1]):+.2f}) with {SIGNALS[first[0]].lower()}."))
    alpha = v.get("cronbach_alpha_knowledge")
    if alpha is None:
        out.append(prose("Cronbach's alpha of the knowledge statements: not available (too few "
                         "complete answers)."))
    else:
        a = float(alpha)  # type: ignore[arg-type]
        verdict = ("they hang together well" if a >= 0.8 else "acceptable" if a >= 0.7
                   else "too low: the statements may be measuring different things")
        out.append(prose(
            f"Cronbach's alpha of the knowledge statements is {a:.2f}: {verdict}. Alpha (0–1) "
            "says how consistently members answer statements meant to measure the same thing; "
            "0.7 or more is the usual bar."))
    return out


def _rho(value: object) -> str:
    return "n/a" if value is None else f"{float(value):+.2f}"  # type: ignore[arg-type]


# -- data quality ------------------------------------------------------------------------------


def data_quality_section(c: Ctx) -> list[Flowable]:
    q = c.quality
    out: list[Flowable] = [CondPageBreak(220), heading("Data quality")]
    figures = [
        ["Import batches the run used", f"{len(q.batches):,}"],
        ["Rows rejected on import", f"{q.rejected_rows:,}"],
        ["Survey responses that match no member", f"{q.unmatched_responses:,} of "
                                                  f"{q.responses:,}"],
        ["Members without spend figures", f"{q.members_without_finances:,}"],
        ["Straight-liners (same answer down a whole grid)",
         f"{q.straightliners:,}" + (f", {q.straightliners_excluded:,} excluded"
                                    if q.straightliners_excluded else ", kept")],
        ["Implausible reach (capped)", f"{q.implausible_reach:,}"],
    ]
    w = c.width
    out.append(data_table([["Check", "Count"], *figures], numeric=(1,),
                          col_widths=[w * 0.6, w * 0.25]))
    out += [Spacer(1, 8), subheading("Imports")]
    if q.batches:
        body: list[list[object]] = [["#", "Kind", "File", "Imported", "Rows", "New", "Updated",
                                     "Rejected", "Unmatched"]]
        for b in q.batches:  # one row per import batch
            body.append([str(b.batch_id), b.kind, b.file_name, f"{b.created_at:%Y-%m-%d}",
                         f"{b.rows:,}", f"{b.inserted:,}", f"{b.updated:,}", f"{b.rejected:,}",
                         f"{b.unmatched:,}"])
        fixed = (20, 68, 60, 44, 40, 49, 50, 63)  # points: headers and dates fit unbroken
        widths = [*fixed[:2], w - sum(fixed), *fixed[2:]]
        out.append(data_table(body, numeric=(0, 4, 5, 6, 7, 8), col_widths=widths))
    else:
        out.append(none_yet("None yet: no import batch is recorded for this run."))
    out += [Spacer(1, 8), subheading("Warnings")]
    if q.warnings:
        out += [bullet(text) for text in q.warnings]
    else:
        out.append(none_yet("None: nothing in the data needs attention."))
    return out
