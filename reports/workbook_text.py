"""Words for the workbook: the run's configuration as labelled rows, and the Methodology sheet."""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reports.run_data import RunData
from reports.workbook_cells import MUTED, print_wide, set_widths, styled
from scorecard.scoring.config import ScoringConfig
from scorecard.scoring.segments import SEGMENTS

Row = tuple[object, ...]


def config_rows(config: ScoringConfig, margin: float) -> Iterator[Row]:
    """(heading,) or (label, value, …) rows describing everything else the run used."""
    s, p, r, f = config.social, config.participation, config.reach, config.financial
    yield ("Social score",)
    yield ("A component is missing below this share of its questions answered",
           s.min_answered_share)
    yield ("Straight-liners left out of S", "yes" if config.quality.exclude_straightliners
           else "no (flagged only)")
    yield ("Knowledge items (K): item, answer range, scale, weight",)
    for it in config.knowledge.items:
        yield (it.id, f"{it.min:g}–{it.max:g}", it.scale, it.weight)
    yield ("Participation activities (P): item, Technographics rung, weight",)
    for it in p.activities:
        yield (it.id, it.rung or "–", it.weight)
    yield ("Participation: activity and connection",)
    yield ("Activity part weight", p.activity_weight)
    yield ("Connection part weight", p.connection_weight)
    yield ("Closeness weight (answers " f"{p.closeness_min:g}–{p.closeness_max:g})",
           p.closeness_weight)
    yield ("Publicness weight (answers " f"{p.publicness_min:g}–{p.publicness_max:g})",
           p.publicness_weight)
    yield ("Networks: key, online, reach weight, connection weight",)
    for net in config.networks:
        yield (net.key, "online" if net.online else "offline", net.reach_weight,
               net.connection_weight)
    yield ("Reach (R)",)
    yield ("Reference reach (contacts that score the reference score)", r.reference)
    yield ("Reference score", r.reference_score)
    yield ("Cap", r.cap)
    yield ("One network's count above this is implausible and capped", r.implausible_above)
    for label, value in r.bands:
        yield (f"Band “{label}” counts as", value)
    yield ("Financial value (F)",)
    yield ("Measure ranked", f.measure)
    yield ("Gross margin used", margin)
    yield ("CLV horizon (years)", f.expected_years)
    yield ("Shortest tenure extrapolated (years)", f.min_tenure_years)
    if f.share_of_wallet_item:
        yield ("Share-of-wallet item (potential value)", f.share_of_wallet_item)
        yield ("Potential value weight", f.potential_weight)
    nv = config.network_value
    yield ("Network value (NV)",)
    yield ("Decay per referral hop", nv.decay)
    yield ("Hops counted", nv.max_hops)
    st = config.stability
    yield ("Stability",)
    yield ("Perturbed draws", st.draws)
    yield ("Weight jitter (± share)", st.weight_jitter)
    yield ("Threshold jitter (± points)", st.threshold_jitter)


def methodology(run: RunData) -> list[tuple[str, str]]:
    """(heading, paragraph) pairs explaining the score of this run."""
    c = run.config
    s, seg = c.social, c.segments
    return [
        ("What this workbook holds",
         f"Score run {run.run_id} of {run.programme}: every member with their scores and "
         "segment (Members), the Ambassadors, the high-value members not yet surveyed, the top "
         "referrers, the run's weights and thresholds, and the data-quality figures. A member "
         "who did not answer the survey has no social score: the cell is empty, never zero."),
        ("K · Knowledge and involvement",
         "The weighted mean of the answered knowledge statements (opinion leadership after "
         "Flynn, Goldsmith and Eastman; market maven after Feick and Price; involvement after "
         "Zaichkowsky) and years in the category, each scaled to 0–1 over its answer range, "
         "× 100. Missing when fewer than "
         f"{s.min_answered_share:.0%} of the statements are answered."),
        ("P · Participation and connection",
         "What members do about the category (reading, reviewing, posting, sharing, "
         "recommending, organising: weights rise up Forrester's Social Technographics ladder "
         "from watching to creating), combined with how close-knit and how public the networks "
         "they use are."),
        ("R · Reach",
         "Contacts per network (a count or a band), weighted, summed, capped per network, and "
         f"log-scaled: {c.reach.reference:,.0f} contacts (Dunbar's number) score "
         f"{c.reach.reference_score:g}; the scale is capped at {c.reach.cap:g}."),
        ("S · Social score",
         f"S = (wK·K + wP·P + wR·R) ÷ (wK + wP + wR) over the components a member has "
         f"(weights now {s.knowledge:g}, {s.participation:g}, {s.reach:g}); at least "
         f"{s.min_components} components are needed. In the Members sheet S is a formula over "
         "the row's K, P and R and the Weights sheet, so changing a weight there recomputes it."),
        ("F · Financial value",
         f"The percentile rank (0–100) of each member's {c.financial.measure} among the members "
         "with spend figures. Profit = revenue × gross margin − cost to serve."),
        ("NV · Network value",
         "Observed, not asked: the percentile rank of the value of the members a member "
         "referred (plus those they referred in turn, halved at each hop); 0 for members whose "
         "referrals brought nothing, empty when the workspace has no referral data. It is shown "
         "beside S and used to check how well S predicts real referrals; it is not part of S."),
        ("Segments",
         f"{SEGMENTS[0]}: S ≥ {seg.social_threshold:g} and F ≥ {seg.financial_threshold:g}. "
         f"{SEGMENTS[1]}: high S only. {SEGMENTS[2]}: high F only. {SEGMENTS[3]}: neither. "
         f"{SEGMENTS[4]}: no S. In the Members sheet the segment is a formula over S, F and the "
         "thresholds on the Weights sheet."),
        ("Stability",
         f"How often a member's segment holds over {c.stability.draws} draws in which the "
         f"component weights are each multiplied by up to ±{c.stability.weight_jitter:.0%} and "
         f"both thresholds moved by up to ±{c.stability.threshold_jitter:g} points. Low "
         "stability means the member sits near a boundary."),
        ("Lists and formulas",
         "The Ambassadors, Not yet surveyed and Network sheets list the run as it was scored; "
         "only the Members sheet (and the “Members now” counts on the Summary) follow the "
         "Weights sheet. The values of the formulas are computed by Excel or LibreOffice when "
         "the file is opened. The run keeps scores to two decimals, so a member within 0.005 "
         "of a threshold can land in the neighbouring segment in the sheet (the Weights sheet "
         "says how many, if any)."),
    ]


def write_methodology(sheet: WriteOnlyWorksheet, run: RunData) -> None:
    """Plain text: a heading and a paragraph per part of the score."""
    set_widths(sheet, (80,))  # fits a portrait page
    print_wide(sheet, landscape=False)
    sheet.append([styled(sheet, "Methodology", bold=True, size=14)])
    sheet.append([styled(sheet, "How the scores in this workbook are computed.", colour=MUTED)])
    row = 2
    for heading, text in methodology(run):
        sheet.append([])
        sheet.append([styled(sheet, heading, bold=True)])
        row += 3
        # Row heights are not fitted to wrapped text on open in every program: set them.
        sheet.row_dimensions[row].height = 15 * -(-len(text) // 85)
        sheet.append([styled(sheet, text, wrap=True)])
