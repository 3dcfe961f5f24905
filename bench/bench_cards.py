"""Benchmark: 1,000 member scorecards from a scored workspace (issue 7: < 10 s).

    python -m bench --only '*scorecards*' [--size 1m] [--probes]

The measured step opens the cached scored workspace (``bench.scored_workspace``: realistic
members, 25% surveyed, scored by the real engine) and writes the scorecards of 1,000 members,
one a page, as ``scorecard report --cards OUT.pdf --members …`` does. The members are the
run's 1,000 highest-S members (Ambassadors first): surveyed members carry the full receipt, so
this is the heavy case; a mostly-unsurveyed list is quicker. The probe variant prints the same
members four a page.

The baseline reads what the cards are made from with nothing but ``sqlite3``: those members'
member_score rows and their survey answers. Drawing 1,000 pages costs far more than reading a
few thousand rows, so the ratio has no target; the target is the absolute time.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bench.runner import benchmark
from bench.scored_workspace import build_scored
from reports.scorecards_pdf import write_scorecards
from scorecard.workspace import Workspace

CARDS = 1_000


def _setup(size: int) -> dict[str, Any]:
    path = build_scored(size)  # cached in bench/data; read only here
    conn = sqlite3.connect(path)
    try:
        run_id = int(conn.execute("SELECT max(id) FROM score_run").fetchone()[0])
        ids = [int(r[0]) for r in conn.execute(
            "SELECT member_id FROM member_score WHERE run_id = ? "
            "ORDER BY social IS NULL, social DESC, member_id LIMIT ?", (run_id, CARDS))]
    finally:
        conn.close()
    return {"path": path, "run_id": run_id, "ids": ids}


def read_card_rows(path: Path, run_id: int, ids: list[int]) -> tuple[list[Any], list[Any]]:
    """Baseline: the members' member_score rows and current answers, with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        scores: list[Any] = []
        answers: list[Any] = []
        for lo in range(0, len(ids), 500):
            chunk = ids[lo:lo + 500]
            marks = ", ".join("?" * len(chunk))
            scores += conn.execute(
                "SELECT member_id, knowledge, participation, reach, social, financial, "
                "network_value, segment, stability, receipt_json FROM member_score "
                f"WHERE run_id = ? AND member_id IN ({marks})", (run_id, *chunk)).fetchall()
            answers += conn.execute(
                "SELECT r.member_id, a.item_id, a.value FROM response r "
                "JOIN answer a ON a.response_id = r.id "
                f"WHERE NOT r.superseded AND r.member_id IN ({marks})", chunk).fetchall()
        return scores, answers
    finally:
        conn.close()


def _baseline(inputs: dict[str, Any], workdir: Path) -> None:
    scores, _answers = read_card_rows(inputs["path"], inputs["run_id"], inputs["ids"])
    assert len(scores) == len(inputs["ids"])


def _cards(inputs: dict[str, Any], workdir: Path, per_page: int) -> None:
    with Workspace.open(inputs["path"]) as ws:
        result = write_scorecards(ws, workdir / "cards.pdf", run_id=inputs["run_id"],
                                  member_ids=inputs["ids"], per_page=per_page)
    assert result.members == len(inputs["ids"])


@benchmark("reports.scorecards_1000", setup=_setup, baseline=_baseline, max_ratio=None,
           description="1,000 member scorecards, one a page, highest S first (target < 10 s) "
                       "vs reading their member_score rows and answers with sqlite3")
def scorecards_1000(inputs: dict[str, Any], workdir: Path) -> None:
    _cards(inputs, workdir, per_page=1)


@benchmark("probe.scorecards_1000_4up", setup=_setup, baseline=_baseline, max_ratio=None,
           probe=True, description="the same 1,000 scorecards, four a page")
def scorecards_1000_4up(inputs: dict[str, Any], workdir: Path) -> None:
    _cards(inputs, workdir, per_page=4)
