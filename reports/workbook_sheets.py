"""The small sheets: Summary (key figures, segment table, distributions, charts), Weights, Data
quality and the Chart data behind the quadrant scatter.

All are write-only sheets written top to bottom; :class:`Rows` keeps the row number so charts
and formulas can point at what was written. Text from imports or from the user (programme and
configuration names, file names, warnings) goes through ``safe_text``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reports.run_data import DataQuality, RunData
from reports.workbook_cells import (
    DATE,
    EDITABLE,
    MONEY,
    MUTED,
    SCORE,
    SHARE,
    WHOLE,
    header_row,
    local_time,
    number,
    print_wide,
    safe_text,
    set_widths,
    styled,
)
from reports.workbook_charts import distribution_chart, quadrant_chart, segment_chart
from reports.workbook_formulas import (
    FINANCIAL_THRESHOLD,
    FINANCIAL_THRESHOLD_CELL,
    MIN_COMPONENTS_CELL,
    NEEDED_CELL,
    SEGMENT_COL,
    SOCIAL_THRESHOLD,
    SOCIAL_THRESHOLD_CELL,
    USED_ROW,
    WEIGHT_ROW,
    needed_formula,
    used_weight_formula,
)
from reports.workbook_text import config_rows
from scorecard.scoring.segments import SEGMENTS

SAMPLE = 2_000  # points in the quadrant scatter
BINS = 20


class Rows:
    """Appends rows to a write-only sheet and knows the number of the last one."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.row = 0

    def add(self, *values: object) -> int:
        self.sheet.append(list(values))
        self.row += 1
        return self.row

    def skip(self, to: int | None = None) -> None:
        """One empty row, or empty rows until the next row is ``to``."""
        target = self.row + 1 if to is None else to - 1
        while self.row < target:
            self.add()

    def heading(self, text: str, size: float = 12) -> int:
        return self.add(styled(self.sheet, text, bold=True, size=size))


# -- Summary --------------------------------------------------------------------------------------


def write_summary(sheet: WriteOnlyWorksheet, run: RunData, members_sheets: Sequence[str],
                  notes: Sequence[str], chart_data: WriteOnlyWorksheet,
                  boundary: int = 0) -> None:
    """Key figures, notes (split sheets, shortened lists), segment table, distributions, charts."""
    set_widths(sheet, (40, 14, 12, 15, 12, 15, 12, 9, 9, 16))
    print_wide(sheet)
    w = Rows(sheet)
    w.add(styled(sheet, f"Social Scorecard — {run.programme}", bold=True, size=16))
    when = local_time(run.created_at).strftime("%Y-%m-%d %H:%M")
    w.add(styled(sheet, f"Score run {run.run_id} of {when}, configuration “{run.config.name}”, "
                        f"workspace {run.workspace.name}", colour=MUTED))
    for note in notes:
        w.add(styled(sheet, note, bold=True, colour="9B2C2C"))
    w.skip()
    top = w.heading("Key figures")
    for label, value, fmt, extra in _key_figures(run):
        w.add(label, styled(sheet, value, fmt=fmt),
              None if extra is None else styled(sheet, extra, fmt=SHARE))
    w.skip(to=max(w.row + 2, top + 18))  # the segment chart sits beside the key figures
    sheet.add_chart(segment_chart(sheet, w.row + 3, w.row + 2 + len(SEGMENTS), 2, 10), f"E{top}")

    w.heading("Segments")
    w.add(*header_row(sheet, ("Segment", "Members", "Share", f"Revenue {run.currency}".strip(),
                              "Share", f"Profit {run.currency}".strip(), "Share", "Mean S",
                              "Mean F", "Members now")))
    for seg in run.segment_table():
        w.add(seg.name, styled(sheet, seg.members, fmt=WHOLE),
              styled(sheet, seg.member_share, fmt=SHARE), styled(sheet, seg.revenue, fmt=MONEY),
              styled(sheet, seg.revenue_share, fmt=SHARE), styled(sheet, seg.profit, fmt=MONEY),
              styled(sheet, seg.profit_share, fmt=SHARE),
              styled(sheet, seg.mean_social, fmt=SCORE),
              styled(sheet, seg.mean_financial, fmt=SCORE),
              styled(sheet, _live_count(members_sheets, seg.name), fmt=WHOLE))
    w.add(styled(sheet, "“Members now” counts the Segment formulas of the Members sheet: change "
                        "a weight or threshold on the Weights sheet and it follows.",
                 colour=MUTED))
    if boundary:
        w.add(styled(sheet, f"Unchanged, it differs from the run for {boundary:,} member(s) "
                            "sitting on a threshold at the two decimals the run keeps.",
                     colour=MUTED))
    w.skip()

    dist_top = w.heading("Score distributions (surveyed members)")
    w.add(*header_row(sheet, ("Score band", "K", "P", "R", "S")))
    edges = np.linspace(0, 100, BINS + 1)
    counts = [run.distribution(a, BINS) for a in (run.knowledge, run.participation,
                                                   run.reach, run.social)]
    for b in range(BINS):
        w.add(f"{edges[b]:g}–{edges[b + 1]:g}", *(int(c[b]) for c in counts))
    sheet.add_chart(distribution_chart(sheet, dist_top + 2, w.row, 1), f"G{dist_top}")
    rows, sample, total = write_chart_data(chart_data, run)
    sheet.add_chart(quadrant_chart(chart_data, list(SEGMENTS[:4]), rows, 10, sample, total),
                    f"A{w.row + 3}")


def _key_figures(run: RunData) -> list[tuple[str, object, str, float | None]]:
    n = max(run.n, 1)
    surveyed = int((~np.isnan(run.social)).sum())
    counts = run.segment_counts()
    amb = counts[SEGMENTS[0]]
    table = run.segment_table()
    social = run.social[~np.isnan(run.social)]
    rows: list[tuple[str, object, str, float | None]] = [
        ("Members in the run", run.n, WHOLE, None),
        ("Surveyed (with a social score S)", surveyed, WHOLE, surveyed / n),
        ("Ambassadors (high F and high S)", amb, WHOLE, amb / n),
        ("Not surveyed, high F: who to survey next", run.not_surveyed_high_value_count(), WHOLE,
         None),
        ("Mean S of the surveyed", number(float(social.mean())) if len(social) else None,
         SCORE, None),
        (f"Revenue, all members {run.currency}".strip(), float(np.nansum(run.revenue)), MONEY,
         None),
        (f"Profit, all members {run.currency}".strip(), float(np.nansum(run.profit)), MONEY,
         None),
        ("Ambassadors' share of revenue", table[0].revenue_share, SHARE, None),
        ("Members whose referrals brought value (NV > 0)",
         int((np.nan_to_num(run.network_value) > 0).sum()), WHOLE, None),
        ("Social threshold (high S at or above)", run.social_threshold, SCORE, None),
        ("Financial threshold (high F at or above)", run.financial_threshold, SCORE, None),
    ]
    corr = (run.validity.get("correlations") or {}).get("referrals")  # type: ignore[union-attr]
    if isinstance(corr, dict) and corr.get("social") is not None:
        rows.append(("S against observed referrals (correlation)", float(corr["social"]),
                     "0.00", None))
    return rows


def _live_count(members_sheets: Sequence[str], segment: str) -> str:
    return "=" + "+".join(f'COUNTIF({quote_sheetname(t)}!${SEGMENT_COL}:${SEGMENT_COL},'
                          f'"{segment}")' for t in members_sheets)


def write_chart_data(sheet: WriteOnlyWorksheet, run: RunData) -> tuple[list[int], int, int]:
    """The scatter sample, per segment (F, S column pairs), and the two threshold lines.

    Returns the points per segment, the sample size and how many members could be drawn.
    """
    set_widths(sheet, (11,) * 13)
    scored = np.flatnonzero(~np.isnan(run.social) & ~np.isnan(run.financial))
    rng = np.random.default_rng(run.run_id)  # the same sample each time for one run
    pick = np.sort(rng.choice(scored, size=min(SAMPLE, len(scored)), replace=False))
    per = [pick[run.segment[pick] == code] for code in range(4)]
    header: list[object] = []
    for name in SEGMENTS[:4]:
        header += [f"F ({name})", f"S ({name})"]
    header += [None, "F threshold: x", "y", "S threshold: x", "y"]
    sheet.append(header_row(sheet, [h or "" for h in header]))
    columns = [(run.financial[rows].tolist(), run.social[rows].tolist()) for rows in per]
    lines = ((f"={FINANCIAL_THRESHOLD}", 0, 0, f"={SOCIAL_THRESHOLD}"),
             (f"={FINANCIAL_THRESHOLD}", 100, 100, f"={SOCIAL_THRESHOLD}"))
    for i in range(max([len(p) for p in per] + [2])):
        row: list[object] = []
        for xs, ys in columns:
            row += [xs[i], ys[i]] if i < len(xs) else [None, None]
        row += [None, *(lines[i] if i < 2 else (None,) * 4)]
        sheet.append(row)
    return [len(p) for p in per], len(pick), len(scored)


# -- Weights --------------------------------------------------------------------------------------


def write_weights(sheet: WriteOnlyWorksheet, run: RunData, fixed_social: int,
                  boundary: int = 0) -> None:
    """The live cells the Members formulas read, then the rest of the run's config."""
    set_widths(sheet, (58, 18, 18, 18, 40))
    print_wide(sheet, landscape=False)
    s = run.config.social
    w = Rows(sheet)
    w.add(styled(sheet, f"Weights and thresholds of score run {run.run_id} "
                        f"(configuration “{run.config.name}”)", bold=True, size=14))
    w.add(styled(sheet, "Change a yellow cell: the S and Segment columns of the Members sheet "
                        "and the “Members now” counts on the Summary recompute. Excel and "
                        "LibreOffice recalculate when the file is opened.", colour=MUTED))
    w.skip(to=WEIGHT_ROW - 1)
    w.add(None, *header_row(sheet, ("Knowledge (K)", "Participation (P)", "Reach (R)")))
    _check(w.add("Weight in S", *(_editable(sheet, v) for v in
                                  (s.knowledge, s.participation, s.reach))), WEIGHT_ROW)
    _check(w.add(styled(sheet, "Weight used (a negative weight counts as 0)", colour=MUTED),
                 *(used_weight_formula(c) for c in "BCD")), USED_ROW)
    w.skip(to=MIN_COMPONENTS_CELL[0])
    _check(w.add("Components S needs at least (1–3)", _editable(sheet, s.min_components)),
           MIN_COMPONENTS_CELL[0])
    _check(w.add(styled(sheet, "Components S needs, given the weights", colour=MUTED),
                 needed_formula()), NEEDED_CELL[0])
    w.skip(to=SOCIAL_THRESHOLD_CELL[0])
    _check(w.add("Social threshold: high S at or above",
                 _editable(sheet, run.social_threshold)), SOCIAL_THRESHOLD_CELL[0])
    _check(w.add("Financial threshold: high F at or above (F is a percentile)",
                 _editable(sheet, run.financial_threshold)), FINANCIAL_THRESHOLD_CELL[0])
    if fixed_social:
        w.skip()
        w.add(styled(sheet, f"{fixed_social:,} straight-liner(s) were left out of S in this run; "
                            "their S cells hold the run's (empty) value and do not follow the "
                            "weights.", colour=MUTED))
    if boundary:
        w.skip()
        w.add(styled(sheet, f"{boundary:,} member(s) sit on a threshold at the two decimals the "
                            "run stores: with these settings the sheet places them in the "
                            "neighbouring segment to the run's.", colour=MUTED))
    w.skip()
    w.heading("The rest of this run's configuration")
    w.add(styled(sheet, "For reference: these shape K, P, R and F from the answers and finances, "
                        "which this workbook does not hold, so changing them here recomputes "
                        "nothing.", colour=MUTED))
    for row in config_rows(run.config, run.margin):
        if len(row) == 1:
            w.skip()
            w.heading(str(row[0]), size=11)
        else:
            w.add(*(safe_text(sheet, v) if isinstance(v, str) else v for v in row))


def _editable(sheet: WriteOnlyWorksheet, value: float) -> object:
    return styled(sheet, value, fill=EDITABLE, bold=True)


def _check(row: int, expected: int) -> None:
    if row != expected:  # the formulas point at these rows
        raise AssertionError(f"Weights row {row}, formulas expect {expected}")


# -- Data quality ---------------------------------------------------------------------------------


def write_data_quality(sheet: WriteOnlyWorksheet, run: RunData, dq: DataQuality) -> None:
    """Figures, warnings and the imports behind the run."""
    set_widths(sheet, (46, 12, 40, 10, 10, 10, 10, 10, 17))
    sheet.page_setup.orientation = "landscape"
    w = Rows(sheet)
    w.add(styled(sheet, f"Data quality of score run {run.run_id}", bold=True, size=14))
    w.skip()
    alpha = run.validity.get("cronbach_alpha_knowledge")
    for label, value in (
        ("Survey responses (current)", dq.responses),
        ("Responses that match no member", dq.unmatched_responses),
        ("Rows refused on import", dq.rejected_rows),
        ("Members without spend figures", dq.members_without_finances),
        ("Straight-liners (same answer down a grid)", dq.straightliners),
        ("Straight-liners left out of S", dq.straightliners_excluded),
        ("Implausible reach (capped)", dq.implausible_reach),
    ):
        w.add(label, styled(sheet, value, fmt=WHOLE))
    if isinstance(alpha, int | float):
        w.add("Cronbach's alpha of the knowledge statements", styled(sheet, alpha, fmt="0.00"))
    w.skip()
    w.heading("Warnings")
    for text in dq.warnings or ("None.",):  # one a row; long ones run on into empty cells
        w.add(safe_text(sheet, text))
    w.skip()
    w.heading("Imports behind the run")
    w.add(*header_row(sheet, ("Batch", "Kind", "File", "Rows", "Inserted", "Updated",
                              "Refused", "Unmatched", "Imported")))
    for b in dq.batches:
        w.add(b.batch_id, b.kind, safe_text(sheet, b.file_name), b.rows, b.inserted, b.updated,
              b.rejected, b.unmatched, styled(sheet, local_time(b.created_at), fmt=DATE))
    if any(b.warnings for b in dq.batches):
        w.skip()
        w.heading("What the importers said")
        for b in dq.batches:
            for text in b.warnings:
                w.add(safe_text(sheet, b.file_name), None, safe_text(sheet, text))
