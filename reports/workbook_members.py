"""The Members sheets: every member of the run, streamed, with S and Segment as live formulas.

Identity comes from ``reports.run_data.iter_member_rows`` (chunks of 50,000 in member-id
order) zipped with the run's arrays, so no more than a chunk of rows exists at a time. Beyond
Excel's 1,048,576 rows a sheet the members continue on "Members (2)", "Members (3)", ….

While streaming, the identity of the few members the list sheets name (Ambassadors, who to
survey next, top referrers) is kept by position, so those sheets need no second pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.workbook import Workbook

from reports.run_data import RunData, iter_member_rows
from reports.workbook_cells import (
    MONEY,
    SCORE,
    ColumnSheet,
    add_column_sheet,
    floats,
    guard_column,
    header_row,
    print_wide,
    set_widths,
)
from reports.workbook_formulas import (
    MEMBER_COLUMNS,
    formula_social,
    segment_formula,
    social_formula,
)
from scorecard.errors import Cancelled, ScorecardError
from scorecard.scoring.segments import assign
from scorecard.workspace import Workspace

ROW_LIMIT = 1_048_576  # Excel's rows per sheet (tests lower it to prove the split)
TITLE = "Members"
_FORMATS = (None, None, None, None, None, SCORE, SCORE, SCORE, SCORE, SCORE, SCORE, None,
            "0%", MONEY)
_WIDTHS = (16, 26, 30, 16, 9, 7, 7, 7, 7, 7, 7, 14, 10, 13)
SCALE_RANGE = ("F", "K")  # K … NV: the 0–100 scores get a colour scale

Identity = tuple[object, object, object, object, object]  # number, name, e-mail, city, country
ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


def part_titles(n: int) -> list[str]:
    """Sheet titles for ``n`` members: "Members", then "Members (2)", … past the row limit."""
    per_sheet = ROW_LIMIT - 1
    parts = max(1, math.ceil(n / per_sheet))
    return [TITLE if i == 0 else f"{TITLE} ({i + 1})" for i in range(parts)]


def add_member_sheets(wb: Workbook, n: int, currency: str) -> list[ColumnSheet]:
    """The Members sheet(s), header written and panes frozen, ready to stream into."""
    sheets = []
    labels = list(MEMBER_COLUMNS)
    labels[-1] = f"Revenue ({currency})" if currency else "Revenue"
    for title in part_titles(n):
        sheet = add_column_sheet(wb, title, _FORMATS)
        set_widths(sheet, _WIDTHS)
        print_wide(sheet)
        sheet.row_dimensions[1].height = 30  # two-line headers (set before the row is written)
        sheet.freeze_panes = "C2"  # header and member number + name stay in view
        sheet.append(header_row(sheet, labels))
        sheets.append(sheet)
    return sheets


def identity_columns(sheet: ColumnSheet, rows: Sequence[tuple[object, ...]]) -> list[list]:
    """Member number, name, e-mail, city, country of a chunk, as cell values safe to write."""
    ids, ext, first, last, email, city, country = list(zip(*rows, strict=True))[:7]
    numbers = [x if x is not None else str(i) for i, x in zip(ids, ext, strict=True)]
    # The name rule of reports.run_data.member_labels: first and last, else e-mail, else id.
    names = [f"{a} {b}" if a and b else (a or b or e or f"Member {i}")
             for i, a, b, e in zip(ids, first, last, email, strict=True)]
    return [guard_column(sheet, list(col))  # type: ignore[arg-type]
            for col in (numbers, names, email, city, country)]


@dataclass
class MembersWritten:
    sheets: list[str]
    members: int
    fixed_social: int  # rows whose S is a fixed cell (excluded from S in the run)
    boundary: int  # rows whose formula segment differs from the run's (two-decimal rounding)
    identity: dict[int, Identity]  # position → identity, for the positions asked for


def write_members(
    ws: Workspace,
    run: RunData,
    sheets: Sequence[ColumnSheet],
    wanted: np.ndarray,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> MembersWritten:
    """Stream every member of ``run`` into ``sheets``; keep the identity of ``wanted`` rows."""
    per_sheet = ROW_LIMIT - 1
    n = run.n
    comps = np.stack([run.knowledge, run.participation, run.reach], axis=1)
    # Where the formula and the run disagree on whether S exists (straight-liners excluded
    # from S), S is written as the run's value instead of a formula.
    mirror = formula_social(comps, run.config)
    fixed = np.isnan(mirror) != np.isnan(run.social)
    # The run stores scores to two decimals but chose segments from the unrounded ones: a
    # member within 0.005 of a threshold may fall on its other side in the sheet. Counted, so
    # the Weights sheet can say so.
    sheet_social = np.where(fixed, run.social, mirror)
    boundary = int((assign(sheet_social, run.financial, run.social_threshold,
                           run.financial_threshold) != run.segment).sum())
    # A member without any component has no S whatever the weights: an empty cell, which the
    # Segment formula reads as "Not surveyed" (and a million fewer formulas to recompute).
    live = ~np.isnan(comps).all(axis=1) & ~fixed
    columns = (run.knowledge, run.participation, run.reach, run.financial,
               run.network_value, run.stability, run.revenue)
    keep: dict[int, Identity] = {}
    lo = 0
    for chunk in iter_member_rows(ws, run.run_id):
        if cancel is not None and cancel():
            raise Cancelled("Workbook cancelled; nothing was written")
        hi = lo + len(chunk)
        if hi > n:
            raise ScorecardError("the workspace changed while the workbook was written")
        ident = identity_columns(sheets[0], chunk)
        k, p, r, f, nv, stab, rev = (floats(a[lo:hi]) for a in columns)
        fixed_s = {j: (None if math.isnan(run.social[lo + j]) else float(run.social[lo + j]))
                   for j in np.flatnonzero(fixed[lo:hi]).tolist()}
        formula = live[lo:hi].tolist()
        start = lo
        while start < hi:  # the chunk may straddle two Members sheets
            part = start // per_sheet
            stop = min(hi, (part + 1) * per_sheet)
            append = sheets[part].append
            offset = start % per_sheet + 2 - (start - lo)  # sheet row of chunk index j: j + offset
            for j in range(start - lo, stop - lo):
                row = j + offset
                social = social_formula(row) if formula[j] else fixed_s.get(j)
                append((ident[0][j], ident[1][j], ident[2][j], ident[3][j], ident[4][j],
                        k[j], p[j], r[j], social, f[j], nv[j], segment_formula(row),
                        stab[j], rev[j]))
            start = stop
        for j in np.flatnonzero(wanted[lo:hi]).tolist():
            keep[lo + j] = (ident[0][j], ident[1][j], ident[2][j], ident[3][j], ident[4][j])
        lo = hi
        if progress is not None:
            progress(0.05 + 0.8 * lo / max(n, 1), f"Members: {lo:,} of {n:,} written …")
    if lo != n:
        raise ScorecardError("the workspace changed while the workbook was written")
    for part, sheet in enumerate(sheets):
        rows = min(per_sheet, max(n - part * per_sheet, 0))
        finish_sheet(sheet, rows, len(MEMBER_COLUMNS))
    return MembersWritten([s.title for s in sheets], n, int(fixed.sum()), boundary, keep)


def finish_sheet(sheet: ColumnSheet, rows: int, width: int,
                 scale: tuple[str, str] | None = SCALE_RANGE) -> None:
    """Autofilter over the header and ``rows`` data rows; colour scale on the score columns."""
    last_col = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[width - 1]
    sheet.auto_filter.ref = f"A1:{last_col}{rows + 1}"
    if scale and rows:
        sheet.conditional_formatting.add(
            f"{scale[0]}2:{scale[1]}{rows + 1}",
            ColorScaleRule(start_type="num", start_value=0, start_color="F7F9FB",
                           mid_type="num", mid_value=50, mid_color="CFE1EB",
                           end_type="num", end_value=100, end_color="5B9BBB"),
        )
