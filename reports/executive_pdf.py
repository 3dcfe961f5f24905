"""The executive report: one printable PDF that says which members are worth the most, and why.

``write_executive(ws, out_path, run_id=None, paper="a4")`` reads one score run
(:func:`reports.run_data.load_run`: arrays over all members, so a million members cost NumPy
time, not Python loops), and lays out, in order: a cover with the key figures and the table of
contents, the Financial × Social quadrant (a density image with a plain-language reading), the
segment table and chart, the component distributions, the top Ambassadors, who to survey next,
the age-band check, stated versus observed validity, data quality, and the methodology with the
weights, bands and formulas of *this* run's configuration. Pages carry the shared header and
footer with "Page X of Y" (:mod:`reports.pdf_base`); names print in any script
(:mod:`reports.fonts`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from reports import executive_sections as sec
from reports.charts import quadrant_chart
from reports.fonts import REGULAR, font_set
from reports.pdf_base import (
    PALETTE,
    PAPERS,
    ReportDoc,
    data_table,
    fmt_pct,
    heading,
    long_date,
    para,
    styles,
    table_of_contents,
)
from reports.run_data import data_quality, load_run, member_labels
from scorecard.scoring.config import ScoringConfig
from scorecard.scoring.segments import ADVOCATES, AFFLUENTS, AMBASSADORS, BASE, SEGMENTS
from scorecard.workspace import Workspace

TITLE = "Executive report"
MEASURES = {"profit": "profit", "revenue": "revenue", "clv": "customer lifetime value"}
PAPER_NAMES = {"a4": "A4 (210 × 297 mm)", "letter": "US Letter (8.5 × 11 in)"}


@dataclass(frozen=True)
class ExecutiveResult:
    path: Path
    pages: int
    run_id: int


def write_executive(
    ws: Workspace,
    out_path: str | Path,
    *,
    run_id: int | None = None,
    paper: str = "a4",
    progress: Callable[[str], None] | None = None,
) -> ExecutiveResult:
    """Write the executive report of run ``run_id`` (default: the latest) to ``out_path``.

    Raises ScorecardError when the workspace has no such run (or no run at all).
    """
    say = progress or (lambda _message: None)
    paper = paper.lower()
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    say("Reading the score run …")
    run = load_run(ws, run_id)
    quality = data_quality(ws, run)
    listed = np.concatenate([run.top_ambassadors(sec.LIST_LENGTH),
                             run.not_surveyed_high_value(sec.LIST_LENGTH)])
    labels = member_labels(ws, run.member_ids[listed].tolist())
    out = Path(out_path)
    doc = ReportDoc(out, title=TITLE, workspace=ws.path.name, paper=paper)
    ctx = sec.Ctx(run=run, quality=quality, labels=labels, width=doc.width,
                  category=ws.settings().get("category") or "products")
    say("Laying out the report …")
    story: list[Flowable] = [*cover(ctx, ws.path.name, paper, doc.day), PageBreak()]
    for part in (quadrant_section, sec.segments_section, sec.distributions_section,
                 sec.top_ambassadors_section, sec.survey_next_section, sec.age_section,
                 sec.validity_section, sec.data_quality_section, methodology):
        story += part(ctx)
    doc.build(story)
    say(f"Wrote {out} ({doc.page} pages)")
    return ExecutiveResult(path=out, pages=int(doc.page), run_id=run.run_id)


# -- cover and key figures -----------------------------------------------------------------------


def cover(c: sec.Ctx, workspace: str, paper: str, day: dt.date) -> list[Flowable]:
    run = c.run
    st = styles()
    fonts = font_set()
    summary = run.summary
    config_name = str(summary.get("config") or run.config.name)
    scored_at = f"{long_date(run.created_at.date())}, {run.created_at:%H:%M} UTC"
    details = [
        ["Workspace", workspace],
        ["Report date", long_date(day)],
        ["Score run", f"Run {run.run_id} of {scored_at}"],
        ["Configuration", config_name],
        ["Paper", PAPER_NAMES[paper]],
    ]
    rows = [[para(k, "small"), para(v)] for k, v in details]
    facts = Table(rows, colWidths=[32 * mm, c.width - 32 * mm], hAlign="LEFT")
    facts.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    title = Paragraph(fonts.markup(TITLE, bold=True),
                      st["title"].clone("cover_title", fontSize=26, leading=31))
    programme = Paragraph(fonts.markup(run.programme),
                          st["subtitle"].clone("cover_sub", fontSize=15, leading=19,
                                               textColor=PALETTE.accent))
    contents_title = Paragraph(fonts.markup("Contents", bold=True), st["h1"])
    return [
        Spacer(1, 6 * mm), title, Spacer(1, 2), programme, Spacer(1, 5 * mm), facts,
        Spacer(1, 5 * mm), para("Key figures", "h1"), key_figures(c), Spacer(1, 5),
        sec.prose(in_brief(c)), Spacer(1, 4 * mm), contents_title, table_of_contents(),
    ]


def key_figures(c: sec.Ctx) -> Table:
    """Five tiles: members, surveyed, Ambassadors, their revenue share, who to survey next."""
    run = c.run
    counts = run.segment_counts()
    amb = run.segment_table()[AMBASSADORS]
    scored = int((~np.isnan(run.social)).sum())
    surveyed = int(run.summary.get("surveyed") or scored)  # type: ignore[call-overload]
    share = fmt_pct(surveyed / run.n if run.n else None)
    tiles = [
        (f"{run.n:,}", "members"),
        (f"{surveyed:,}", f"surveyed ({share})"
         + (f", {scored:,} with a social score" if scored != surveyed else "")),
        (f"{counts[SEGMENTS[AMBASSADORS]]:,}", "Ambassadors"),
        (fmt_pct(amb.revenue_share) if amb.members else "–", "of revenue from Ambassadors"),
        (f"{run.not_surveyed_high_value_count():,}", "high-value members to survey next"),
    ]
    w = c.width / len(tiles)
    size = 17.0  # one size for all tiles, small enough that "1,000,000" fits on one line
    while size > 9 and max(font_set().width(v, size, bold=True) for v, _ in tiles) > w - 16:
        size -= 0.5
    big = styles()["title"].clone("tile_big", fontSize=size, leading=size + 4,
                                  textColor=PALETTE.accent)
    cells = [[Paragraph(font_set().markup(v, bold=True), big), para(label, "small")]
             for v, label in tiles]
    table = Table([cells], colWidths=[w] * len(tiles), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else the table names Helvetica
        ("BACKGROUND", (0, 0), (-1, -1), PALETTE.accent_soft),
        ("LINEAFTER", (0, 0), (-2, -1), 2, "white"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
    ]))
    return table


def in_brief(c: sec.Ctx) -> str:
    """Two or three sentences for the reader who stops at the cover."""
    run = c.run
    amb = run.segment_table()[AMBASSADORS]
    nxt = run.not_surveyed_high_value_count()
    if not (~np.isnan(run.social)).any():
        first = ("Nobody has a social score yet: import survey answers and score again to find "
                 "the Ambassadors.")
    elif amb.members:
        first = (f"{amb.members:,} Ambassadors ({fmt_pct(amb.member_share)} of members) bring "
                 f"in {fmt_pct(amb.revenue_share)} of revenue and {fmt_pct(amb.profit_share)} "
                 "of profit, and say they carry word of mouth.")
    else:
        first = "No member clears both thresholds yet, so there are no Ambassadors in this run."
    second = (f" {nxt:,} high-value members have not answered the survey: asking them is the "
              "quickest way to find more." if nxt else "")
    return first + second


# -- the quadrant ------------------------------------------------------------------------------


def quadrant_section(c: sec.Ctx) -> list[Flowable]:
    run = c.run
    counts = run.segment_counts()
    table = {row.name: row for row in run.segment_table()}
    scored = int(sec.scored_mask(run).sum())
    quad = [counts[SEGMENTS[k]] for k in (AMBASSADORS, ADVOCATES, AFFLUENTS, BASE)]
    density = run.quadrant_density(sec.QUADRANT_BINS)
    chart = quadrant_chart(
        density,
        social_threshold=run.social_threshold,
        financial_threshold=run.financial_threshold,
        width=c.width, height=min(c.width * 0.72, 370) if density.sum() else 90, counts=quad,
        empty_message="No member has both a social and a financial score yet",
    )
    out: list[Flowable] = [heading("Financial × Social quadrant"), chart, Spacer(1, 6)]
    out.append(sec.prose(
        "Each square is a group of members with similar scores; the darker the square, the more "
        "members in it. Further right means more valuable in money (F ranks members by "
        f"{MEASURES.get(run.config.financial.measure, run.config.financial.measure)}: 75 means "
        "worth more than three members in four). "
        "Higher up means more word of mouth (S, from the survey: knowledge, participation, "
        "reach). The dashed lines are this run's thresholds, "
        f"S ≥ {run.social_threshold:g} and F ≥ {run.financial_threshold:g}."))
    if scored == 0:
        out.append(sec.none_yet("No member has been scored on both axes yet, so the quadrant "
                                "is empty: import survey responses and score again."))
        return out
    amb = table[SEGMENTS[AMBASSADORS]]
    reading = (
        f"Of the {scored:,} members with both scores, {amb.members:,} "
        f"({fmt_pct(amb.members / scored)}) sit top right: the <b>Ambassadors</b>, valuable in "
        f"money and in influence. Together they bring in {fmt_pct(amb.revenue_share)} of all "
        f"revenue and {fmt_pct(amb.profit_share)} of profit."
        if amb.members else
        f"None of the {scored:,} members with both scores is an Ambassador yet: nobody clears "
        "both thresholds.")
    out.append(Spacer(1, 4))
    out.append(sec.para_markup(reading))
    aff, adv = counts[SEGMENTS[AFFLUENTS]], counts[SEGMENTS[ADVOCATES]]
    out.append(sec.prose(
        f"{aff:,} Affluents (bottom right) spend a lot but carry little word of mouth: give "
        f"them reasons to talk. {adv:,} Advocates (top left) talk about you but spend less: "
        f"reward what they do. {counts[SEGMENTS[-1]]:,} members have no social score (no survey "
        "answer, or too few answers) and are not in the chart."))
    return out


# -- methodology -------------------------------------------------------------------------------


def methodology(c: sec.Ctx) -> list[Flowable]:
    """The weights, bands and formulas of this run's configuration, as a reader can check them."""
    run = c.run
    cfg: ScoringConfig = run.config
    w = c.width
    s = cfg.social
    name = str(run.summary.get("config") or cfg.name)
    intro = (
        f"The settings below are those of run {run.run_id} (configuration “{name}”), saved with "
        "the run, so this page always matches the figures in the report. Every weight and "
        "threshold can be changed; the next run records the new ones. Members who did not "
        "answer the survey have no social score; it is never taken as zero.")
    formula = (
        "S = (w<sub>K</sub>·K + w<sub>P</sub>·P + w<sub>R</sub>·R) ÷ (w<sub>K</sub> + "
        "w<sub>P</sub> + w<sub>R</sub>), over the components a member has; at least "
        f"{s.min_components} of the three are needed. A component with fewer than "
        f"{fmt_pct(s.min_answered_share, 0)} of its questions answered is missing.")
    weights = data_table(
        [["Component", "Weight", "What it measures"],
         ["K · Knowledge and involvement", f"{s.knowledge:g}",
          "expertise, interest, brand involvement, being asked for advice"],
         ["P · Participation and connection", f"{s.participation:g}",
          "what members do about the category, and how close-knit and public their networks are"],
         ["R · Reach", f"{s.reach:g}", "how many people they are in touch with"]],
        numeric=(1,), col_widths=[w * 0.33, w * 0.1, w * 0.57])
    out: list[Flowable] = [
        PageBreak(), heading("Methodology"), sec.prose(intro),
        sec.subheading("Social score S"), sec.para_markup(formula), Spacer(1, 3), weights,
    ]
    out += _knowledge(c, cfg) + _participation(c, cfg) + _reach(c, cfg) + _money(c, cfg)
    return out


def _item_text(c: sec.Ctx, item_id: str) -> str:
    from survey.questionnaire import item

    try:
        it = item(item_id)
    except KeyError:
        return item_id  # a custom item: its id is all we know
    return it.row_label(c.category) or it.text(c.category)


def _explained(title: str, text: str, table: Flowable) -> list[Flowable]:
    """A component's method: heading, the formula in words and its table, kept on one page."""
    return [KeepTogether([sec.subheading(title), sec.prose(text), Spacer(1, 3), table])]


def _knowledge(c: sec.Ctx, cfg: ScoringConfig) -> list[Flowable]:
    w = c.width
    body: list[list[object]] = [["Question", "Answers", "Weight"]]
    for spec in cfg.knowledge.items:  # a handful of items
        scale = "log scale" if spec.scale == "log" else "linear"
        body.append([_item_text(c, spec.id), f"{spec.min:g}–{spec.max:g}, {scale}",
                     f"{spec.weight:g}"])
    text = (
        "K = the weighted mean of the answered statements, each scaled to 0–1 over its answer "
        "range, × 100. Wording after Flynn, Goldsmith and Eastman's opinion leadership scale, "
        "Feick and Price's market maven scale and Zaichkowsky's Personal Involvement Inventory.")
    return _explained("K · Knowledge and involvement", text,
                      data_table(body, numeric=(2,), col_widths=[w * 0.62, w * 0.26, w * 0.12]))


def _participation(c: sec.Ctx, cfg: ScoringConfig) -> list[Flowable]:
    p = cfg.participation
    w = c.width
    body: list[list[object]] = [["Activity", "Technographics rung", "Weight"]]
    for spec in p.activities:  # nine activities
        body.append([_item_text(c, spec.id), spec.rung or "–", f"{spec.weight:g}"])
    text = (
        f"P = (a·Activity + c·Connection) ÷ (a + c), with a = {p.activity_weight:g} and "
        f"c = {p.connection_weight:g} (without a connection part, P is the activity part). "
        "Activity is the weighted mean of how often members do each activity (never = 0 … "
        "daily = 1); weights rise up Forrester's Social Technographics ladder from reading to "
        "creating. Connection is the weighted mean, over the networks a member uses, of how "
        f"close-knit (weight {p.closeness_weight:g}, answers {p.closeness_min:g}–"
        f"{p.closeness_max:g}) and how public (weight {p.publicness_weight:g}, answers "
        f"{p.publicness_min:g}–{p.publicness_max:g}) each is.")
    return _explained("P · Participation and connection", text,
                      data_table(body, numeric=(2,), col_widths=[w * 0.55, w * 0.3, w * 0.15]))


def _reach(c: sec.Ctx, cfg: ScoringConfig) -> list[Flowable]:
    r = cfg.reach
    w = c.width
    bands = data_table([["Band answered", "Counted as"],
                        *([label, f"{value:,.0f}"] for label, value in r.bands)],
                       numeric=(1,), col_widths=[w * 0.3, w * 0.2])
    weights = {(n.reach_weight, n.connection_weight) for n in cfg.networks}
    if weights == {(1.0, 1.0)} or not weights:
        nets = "Every network weighs the same (1), online and offline alike."
    else:
        nets = "Network weights (reach / connection): " + "; ".join(
            f"{n.key} {n.reach_weight:g} / {n.connection_weight:g}" for n in cfg.networks) + "."
    text = (
        f"R = min({r.cap:g}, {r.reference_score:g} × ln(1 + contacts) ÷ ln(1 + "
        f"{r.reference:g})), where contacts is the weighted sum of the contacts a member "
        f"reports on each network, each network counted at most {r.implausible_above:,.0f} "
        f"(more is implausible, and flagged). So {r.reference:,.0f} contacts (Dunbar's number) "
        f"score {r.reference_score:g}, and every tenfold more adds the same number of points. "
        + nets)
    return _explained("R · Reach", text, bands)


def _money(c: sec.Ctx, cfg: ScoringConfig) -> list[Flowable]:
    f, nv, seg, st, q = (cfg.financial, cfg.network_value, cfg.segments, cfg.stability,
                         cfg.quality)
    w = c.width
    margin = fmt_pct(c.run.margin, 0)
    measure = {
        "profit": f"profit = revenue × gross margin ({margin}) − cost to serve",
        "revenue": "revenue",
        "clv": (f"customer lifetime value = average order value × orders a year × gross margin "
                f"({margin}) × {f.expected_years:g} years"),
    }.get(f.measure, f.measure)
    potential = (" Potential value (spend placed elsewhere, from the share-of-wallet answer) "
                 f"adds with weight {f.potential_weight:g}." if f.potential_weight > 0 else "")
    f_text = (f"F ranks members by {measure}.{potential} F = (members below + half of the ties) "
              "÷ members with figures × 100, so 75 or more is the top quarter. Members without "
              "spend figures have no F.")
    nv_text = (
        "Observed, and never part of S: the value of the members a member referred, plus those "
        f"they referred in turn, × {nv.decay:g} per step, up to {nv.max_hops} steps (Domingos "
        "and Richardson's network value; Kumar, Petersen and Leone's referral value). NV is its "
        "percentile rank among members whose referrals brought in value, 0 for the others. "
        f"E-mail engagement combines forwards ({nv.forwards_weight:g}), clicks "
        f"({nv.clicks_weight:g}), opens ({nv.opens_weight:g}) and rating "
        f"({nv.rating_weight:g}), each as a percentile rank.")
    grid = data_table([["", f"F below {seg.financial_threshold:g}",
                        f"F ≥ {seg.financial_threshold:g}"],
                       [f"S ≥ {seg.social_threshold:g}", "Advocates", "Ambassadors"],
                       [f"S below {seg.social_threshold:g}", "Base", "Affluents"],
                       ["No survey answer", "Not surveyed", "Not surveyed"]],
                      col_widths=[w * 0.25, w * 0.25, w * 0.25])
    stability = (
        f"Stability: the run redraws the segments {st.draws:,} times with the component weights "
        f"multiplied by a random factor of 1 ± {st.weight_jitter:g} and both thresholds moved "
        f"by up to ±{st.threshold_jitter:g} points; a member's stability is the share of draws "
        "that keep their segment." if st.draws else
        "Stability was not computed in this run (no redraws were asked for).")
    rules = (
        "Straight-liners (the same answer down a whole grid of at least "
        f"{q.straightline_min_items} questions) are "
        + ("excluded from S." if q.exclude_straightliners else "flagged, not excluded.")
        + f" The age check warns at a fall of {q.age_decline_points:g} points. NPS is collected "
        "as a reference and is not part of S.")
    return [
        sec.subheading("F · Financial value"), sec.prose(f_text),
        sec.subheading("NV · Network value"), sec.prose(nv_text),
        KeepTogether([sec.subheading("Segments and stability"), Spacer(1, 2), grid,
                      Spacer(1, 6), sec.prose(stability)]),
        sec.subheading("Data rules"), sec.prose(rules),
    ]
