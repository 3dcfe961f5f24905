"""Benchmark: the Excel workbook of a scored workspace against bare openpyxl (issue 7).

    python -m bench --only 'reports.workbook' [--size 1m]

Measured: ``reports.workbook.write_workbook`` on the cached scored workspace
(``bench.scored_workspace``), as ``scorecard report --xlsx`` does: reading the run, streaming
every member, formulas, styles, conditional formats, charts, saving.

Baseline: a bare openpyxl write-only workbook writing the same cells: every sheet and row of
that workbook with the same values (the S and Segment formulas replaced by the run's values,
the few other formulas by a number), without styles, formulas, filters or charts. Those cells
are taken from the project's own workbook, read back once per workspace and cached in
bench/data as a pickle (setup, untimed), and held in memory so the baseline only writes.
Target: measured ≤ 1.3 × baseline at 100k members. The measured step's peak memory includes
those cells, which setup holds for the baseline's sake.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import Workbook, load_workbook

from bench.generate import DEFAULT_OUT, label
from bench.runner import benchmark
from bench.scored_workspace import build_scored
from reports.run_data import load_run
from reports.workbook import write_workbook
from reports.workbook_members import ROW_LIMIT, TITLE
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace

CELLS_VERSION = 2  # bump when the workbook's layout changes
Sheets = list[tuple[str, list[tuple[object, ...]]]]


def _cells_from(xlsx: Path, social: np.ndarray, segment: np.ndarray) -> Sheets:
    """Every sheet's rows as plain values; formulas replaced as the docstring says."""
    names = np.asarray(SEGMENTS, dtype=object)[segment]
    per_sheet = ROW_LIMIT - 1
    wb = load_workbook(xlsx, read_only=True)
    out: Sheets = []
    part = 0
    for sheet in wb.worksheets:
        members = sheet.title == TITLE or sheet.title.startswith(f"{TITLE} (")
        rows: list[tuple[object, ...]] = []
        for r, row in enumerate(sheet.iter_rows()):
            values: list[object] = []
            for c, cell in enumerate(row):
                value = cell.value
                if cell.data_type == "f":
                    pos = part * per_sheet + r - 1
                    if members and c == 8:
                        value = None if np.isnan(social[pos]) else float(social[pos])
                    elif members and c == 11:
                        value = names[pos]
                    else:
                        value = 0
                values.append(value)
            while values and values[-1] is None:
                values.pop()
            rows.append(tuple(values))
        part += members
        out.append((sheet.title, rows))
    wb.close()
    return out


def baseline_cells(path: Path, size: int) -> Sheets:
    """The workbook's cells for the scored workspace at ``path``, cached next to it."""
    conn = sqlite3.connect(path)
    try:  # the run, not the file's mtime: opening a workspace may touch the file
        run_row = conn.execute("SELECT id, created_at, members_scored FROM score_run "
                               "ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    stamp = (CELLS_VERSION, *run_row)
    cache = DEFAULT_OUT / f"workbook_cells_{label(size)}.pickle"
    if cache.exists():
        with cache.open("rb") as fh:
            saved = pickle.load(fh)
        if saved["stamp"] == stamp:
            return saved["cells"]
    with tempfile.TemporaryDirectory(prefix="scorecard-bench-xlsx-") as tmp, \
            Workspace.open(path) as ws:
        run = load_run(ws)
        book = write_workbook(ws, Path(tmp) / "cells.xlsx")
        cells = _cells_from(book.path, run.social, run.segment)
    with cache.open("wb") as fh:
        pickle.dump({"stamp": stamp, "cells": cells}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return cells


def _setup(size: int) -> dict[str, Any]:
    path = build_scored(size)  # cached in bench/data; built once (minutes at 1M)
    return {"path": path, "cells": baseline_cells(path, size), "size": size}


def _baseline(inputs: dict[str, Any], workdir: Path) -> None:
    wb = Workbook(write_only=True)
    for title, rows in inputs["cells"]:
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(row)
    wb.save(workdir / "bare.xlsx")


@benchmark("reports.workbook", setup=_setup, baseline=_baseline, max_ratio=1.3,
           description="Excel workbook of a scored workspace vs bare openpyxl write-only "
                       "writing the same cells")
def workbook(inputs: dict[str, Any], workdir: Path) -> None:
    with Workspace.open(inputs["path"]) as ws:
        book = write_workbook(ws, workdir / "workbook.xlsx")
    assert book.members == inputs["size"]
