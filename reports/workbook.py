"""The Excel workbook of a score run, for a colleague: every member, the lists, live weights.

Sheets, in order: Summary (key figures, segment table, distributions and three native charts),
Members (every member, split over "Members (2)", … past Excel's 1,048,576 rows), Ambassadors,
Not yet surveyed, Network, Weights, Data quality, Methodology and Chart data (the scatter
sample). On the Members sheet S and Segment are formulas over the row's K, P, R, F and the
Weights sheet (``reports.workbook_formulas``), so changing a weight in Excel moves the segments.

The workbook is written in openpyxl's write-only mode, streaming the members chunk by chunk
(``reports.workbook_members``), so memory stays flat at a million members. openpyxl cannot
store a formula's value; the workbook asks for a full recalculation on load
(``fullCalcOnLoad``), which Excel and LibreOffice honour, so the values show when it opens.

Text from imported files is never written as a formula (``reports.workbook_cells``). The file
appears only when complete: it is written next to the target and renamed, and a cancel or an
error leaves nothing behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from reports.run_data import RunData, data_quality, load_run
from reports.workbook_cells import discard
from reports.workbook_formulas import WEIGHTS
from reports.workbook_lists import (
    AMBASSADORS,
    LIST_LIMIT,
    NOT_SURVEYED,
    ListPlan,
    add_list_sheets,
    plan_lists,
    write_lists,
)
from reports.workbook_members import ROW_LIMIT, add_member_sheets, write_members
from reports.workbook_sheets import write_data_quality, write_summary, write_weights
from reports.workbook_text import write_methodology
from scorecard.errors import Cancelled, ScorecardError
from scorecard.workspace import Workspace

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]

SUMMARY = "Summary"
DATA_QUALITY = "Data quality"
METHODOLOGY = "Methodology"
CHART_DATA = "Chart data"


@dataclass(frozen=True)
class WorkbookResult:
    """What was written."""

    path: Path
    run_id: int
    sheets: tuple[str, ...]
    members: int  # rows on the Members sheet(s): every member of the run
    parts: int  # Members sheets (more than one past Excel's row limit)
    seconds: float
    notes: tuple[str, ...] = ()  # what the Summary warns about (split sheets, shortened lists)


def write_workbook(
    ws: Workspace,
    out_path: str | Path,
    *,
    run_id: int | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> WorkbookResult:
    """Write the workbook of run ``run_id`` (default: the latest) to ``out_path`` (.xlsx)."""
    started = time.perf_counter()
    out = Path(out_path)
    if not out.parent.is_dir():
        raise ScorecardError(f"cannot write {out}: the folder {out.parent} does not exist")
    say = progress or (lambda _fraction, _message: None)
    say(0.0, "Reading the score run …")
    run = load_run(ws, run_id)
    dq = data_quality(ws, run)
    plan = plan_lists(run)

    wb = Workbook(write_only=True)
    wb.calculation.fullCalcOnLoad = True  # formulas have no stored values: compute on open
    wb.properties.creator = "Social Scorecard"
    wb.properties.title = f"{run.programme}: score run {run.run_id}"
    summary = wb.create_sheet(SUMMARY)
    members = add_member_sheets(wb, run.n, run.currency)
    lists = add_list_sheets(wb, run.currency)
    weights = wb.create_sheet(WEIGHTS)
    quality = wb.create_sheet(DATA_QUALITY)
    method = wb.create_sheet(METHODOLOGY)
    chart_data = wb.create_sheet(CHART_DATA)
    part = out.with_name(out.name + ".part")
    try:
        written = write_members(ws, run, members, plan.wanted(run.n), progress=say,
                                cancel=cancel)
        say(0.86, "Lists, weights and summary …")
        write_lists(ws, run, plan, lists, written.identity)
        write_weights(weights, run, written.fixed_social, written.boundary)
        write_data_quality(quality, run, dq)
        write_methodology(method, run)
        notes = _notes(run, written.sheets, plan)
        write_summary(summary, run, written.sheets, notes, chart_data, written.boundary)
        if cancel is not None and cancel():
            raise Cancelled("Workbook cancelled; nothing was written")
        say(0.9, "Saving the workbook …")
        wb.save(part)
        try:
            os.replace(part, out)
        except OSError as exc:
            raise ScorecardError(f"cannot write {out}: {exc.strerror or exc} (is it open in "
                                 "Excel?)") from exc
    except BaseException:
        discard(wb)
        part.unlink(missing_ok=True)
        raise
    say(1.0, f"Workbook written: {out.name}")
    return WorkbookResult(
        path=out,
        run_id=run.run_id,
        sheets=tuple(s.title for s in wb.worksheets),
        members=written.members,
        parts=len(written.sheets),
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )


def _notes(run: RunData, member_sheets: list[str], plan: ListPlan) -> list[str]:
    """What a reader must know before trusting a sheet to be complete."""
    notes = []
    if len(member_sheets) > 1:
        notes.append(
            f"The {run.n:,} members do not fit on one sheet (Excel holds {ROW_LIMIT:,} rows): "
            f"they are split over the sheets {', '.join(member_sheets)}.")
    if plan.ambassadors_total > len(plan.ambassadors):
        notes.append(f"The {AMBASSADORS} sheet lists the first {LIST_LIMIT:,} of "
                     f"{plan.ambassadors_total:,} Ambassadors (highest S first); the Members "
                     "sheet has them all.")
    if plan.not_surveyed_total > len(plan.not_surveyed):
        notes.append(f"The {NOT_SURVEYED} sheet lists the first {LIST_LIMIT:,} of "
                     f"{plan.not_surveyed_total:,} high-F members not yet surveyed (highest F "
                     "first); filter the Members sheet for them all.")
    return notes
