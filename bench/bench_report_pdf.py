"""Benchmark: the executive PDF of a scored workspace (issue 7: 1M members < 10 s).

    python -m bench --only 'reports.executive_pdf' [--size 1m]

The measured step opens the cached scored workspace (``bench.scored_workspace``: realistic
members, 25% surveyed, scored by the real engine) and writes the whole executive report, as
``scorecard report --pdf`` does. The baseline is the raw cost of reading that run's member_score
rows into NumPy with plain ``sqlite3``: the ratio shows what the report costs over just reading
the data. The report reads the run's kept arrays rather than those rows, so the ratio can fall
below 1 and has no target; the target is the absolute time, printed in the table.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from bench.runner import benchmark
from bench.scored_workspace import build_scored
from reports.executive_pdf import write_executive
from scorecard.workspace import Workspace

COLUMNS = ("member_id", "knowledge", "participation", "reach", "social", "financial",
           "network_value", "stability")
FETCH = 50_000


def _setup(size: int) -> dict[str, Any]:
    path = build_scored(size)  # cached in bench/data; built once (minutes at 1M)
    conn = sqlite3.connect(path)
    try:
        run_id = conn.execute("SELECT max(id) FROM score_run").fetchone()[0]
    finally:
        conn.close()
    return {"path": path, "run_id": int(run_id)}


def read_member_scores(path: Path, run_id: int) -> np.ndarray:
    """Baseline: the run's member_score rows as a float matrix, with nothing but sqlite3."""
    conn = sqlite3.connect(path)
    try:
        cur = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM member_score WHERE run_id = ? "
                           "ORDER BY member_id", (run_id,))
        parts = []
        while rows := cur.fetchmany(FETCH):
            parts.append(np.array(rows, dtype=np.float64))
        return np.concatenate(parts) if parts else np.zeros((0, len(COLUMNS)))
    finally:
        conn.close()


def _baseline(inputs: dict[str, Any], workdir: Path) -> None:
    table = read_member_scores(inputs["path"], inputs["run_id"])
    assert len(table) > 0


@benchmark("reports.executive_pdf", setup=_setup, baseline=_baseline, max_ratio=None,
           description="executive PDF of a scored workspace (target at 1M: < 10 s) vs reading "
                       "its member_score rows into NumPy")
def executive_pdf(inputs: dict[str, Any], workdir: Path) -> None:
    with Workspace.open(inputs["path"]) as ws:
        result = write_executive(ws, workdir / "executive.pdf", run_id=inputs["run_id"])
    assert result.pages > 0
