"""Paper survey entry on a big programme: saving a sitting, and looking up scanned member ids.

    python -m bench --only 'paper.*' [--size 1m]

``paper.save_sitting``: 50 typed sheets (half from members who answered before, whose earlier
response the sheet supersedes) saved into the workspace's one large wave (25% of the members
answered in it) with ``survey.paper.save_sitting`` — one batch, matching, and the superseded
flags of the whole wave refreshed as a survey import does. Baseline: the same responses and
answer rows inserted with raw ``sqlite3`` into the same file, nothing else. No ratio target: the
refresh of a 250k-response wave is the cost; what matters is that a sitting saves in seconds.

``paper.find_member``: 500 scanned or typed ids (a fifth typed in lower case, a tenth unknown)
resolved with ``survey.paper.find_member`` vs one raw indexed ``SELECT`` each. No ratio target:
each look-up opens a pooled connection and its read transaction (about 0.5 ms, several times the
bare ``SELECT``); one scan is one look-up, so what matters is that it stays far below what a
typist notices (tens of milliseconds).
"""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from bench.runner import benchmark
from bench.scored_workspace import build_scored
from scorecard.workspace import Workspace
from survey.paper import Sheet, find_member, read_sheet, save_sitting

SHEETS = 50
LOOKUPS = 500
ANSWERS = {
    "consent": "1", "k_expertise": "6", "k_interest": "5", "k_brand": "4", "k_advice": "6",
    "k_influence": "3", "k_maven": "5", "k_years": "3", "p_read": "3", "p_reviews": "2",
    "p_photos": "1", "p_share": "2", "p_recommend": "3", "c_networks:facebook": "1",
    "c_facebook_close": "4", "c_facebook_public": "2", "r_facebook": "51-150",
    "c_networks:whatsapp": "1", "c_whatsapp_close": "5", "c_whatsapp_public": "1",
    "r_whatsapp": "40", "nps": "9", "age_band": "4",
}


def _copy(size: int) -> Path:
    """A private copy of the cached workspace, removed when the step's process ends."""
    folder = Path(tempfile.mkdtemp(prefix="bench-paper-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = folder / "paper.scorecard"
    shutil.copyfile(build_scored(size), target)
    return target


def _sitting_setup(size: int) -> dict[str, Any]:
    path = _copy(size)
    con = sqlite3.connect(path)
    surveyed = con.execute(
        "SELECT m.id, m.external_id FROM member m JOIN response r ON r.member_id = m.id "
        "ORDER BY m.id LIMIT ?", (SHEETS // 2,)
    ).fetchall()
    fresh = con.execute(
        "SELECT id, external_id FROM member m WHERE NOT EXISTS "
        "(SELECT 1 FROM response r WHERE r.member_id = m.id) ORDER BY id LIMIT ?",
        (SHEETS - len(surveyed),),
    ).fetchall()
    wave = con.execute("SELECT name FROM survey_wave ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    people = surveyed + fresh
    sheets = [Sheet(ext, dict(ANSWERS)) for _, ext in people]
    return {"path": path, "wave": wave, "sheets": sheets, "member_ids": [m for m, _ in people],
            "ws": Workspace.open(path)}


def _sitting_baseline(inputs: dict[str, Any], _workdir: Path) -> int:
    """The same responses and answer rows, straight in with sqlite3 (no matching, no refresh)."""
    inputs["ws"].close()
    rows, _ = read_sheet(inputs["sheets"][0])
    con = sqlite3.connect(inputs["path"])
    with con:
        con.execute("INSERT INTO import_batch (kind, file_name, file_hash, file_size, rows, "
                    "inserted, updated, rejected, unmatched, status, created_at) VALUES "
                    "('paper', 'bench', '', 0, 0, 0, 0, 0, 0, 'committed', '2026-11-23')")
        batch = con.execute("SELECT max(id) FROM import_batch").fetchone()[0]
        base = con.execute("SELECT coalesce(max(id), 0) FROM response").fetchone()[0]
        con.executemany(
            "INSERT INTO response (id, wave_id, batch_id, member_id, superseded) "
            "VALUES (?, 1, ?, ?, 0)",
            [(base + n, batch, m) for n, m in enumerate(inputs["member_ids"], 1)],
        )
        con.executemany(
            "INSERT INTO answer (response_id, item_id, raw, value) VALUES (?, ?, ?, ?)",
            [(base + n, *row) for n in range(1, len(inputs["member_ids"]) + 1) for row in rows],
        )
    con.close()
    return len(inputs["member_ids"])


@benchmark("paper.save_sitting", setup=_sitting_setup, baseline=_sitting_baseline,
           max_ratio=None,
           description=f"save a sitting of {SHEETS} typed sheets into the big wave vs raw "
                       "sqlite3 inserts of the same rows")
def _save(inputs: dict[str, Any], _workdir: Path) -> int:
    result = save_sitting(inputs["ws"], inputs["wave"], inputs["sheets"])
    inputs["ws"].close()
    assert result.inserted == SHEETS and result.unmatched == 0, result
    return result.inserted


def _lookup_setup(size: int) -> dict[str, Any]:
    path = build_scored(size)  # read only: the cached file itself
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    step = max(1, size // LOOKUPS)
    ids = [r[0] for r in con.execute(
        "SELECT external_id FROM member WHERE id % ? = 0 LIMIT ?", (step, LOOKUPS)
    )]  # fmt: skip
    con.close()
    typed = [
        f"unknown-{i}" if i % 10 == 9 else (ext.lower() if i % 5 == 4 else f"{ext}\r")
        for i, ext in enumerate(ids)
    ]
    return {"path": path, "typed": typed, "ids": ids, "ws": Workspace.open(path)}


def _lookup_baseline(inputs: dict[str, Any], _workdir: Path) -> int:
    """One indexed SELECT per id as the member list has it."""
    inputs["ws"].close()
    con = sqlite3.connect(f"{inputs['path'].resolve().as_uri()}?mode=ro", uri=True)
    found = 0
    for ext in inputs["ids"]:
        found += con.execute(
            "SELECT id, external_id, first_name, last_name, email, city FROM member "
            "WHERE external_id = ?", (ext,)
        ).fetchone() is not None
    con.close()
    return found


@benchmark("paper.find_member", setup=_lookup_setup, baseline=_lookup_baseline, max_ratio=None,
           description=f"{LOOKUPS} typed or scanned member ids (some in lower case, some "
                       "unknown) vs one raw SELECT each")
def _find(inputs: dict[str, Any], _workdir: Path) -> int:
    found = sum(find_member(inputs["ws"], t) is not None for t in inputs["typed"])
    inputs["ws"].close()
    return found
