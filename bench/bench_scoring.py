"""Scoring benchmarks: compute, stability, persisting a run, and (optionally) loading.

    python -m bench.bench_scoring --members 1000000            # ≈250k surveyed
    python -m bench.bench_scoring --members 100000 --with-load  # also time SQL → arrays

Targets (issue 6): score compute < 5 s and stability with 200 draws < 30 s at 1M members;
persisting the run ≤ 2× a raw ``sqlite3`` ``executemany`` of the same rows into a bare table in a
fresh file. "Persisting" is everything ``runs.score`` saves per member (``runs.save_run``): the
member_score rows and the run's compressed arrays. Peak memory is the process's high-water mark
per step (``VmHWM`` reset before each step on Linux, else ``ru_maxrss`` for the whole process).

Inputs are synthetic and vectorised (``synthetic_inputs``): answers on each item's own scale with
realistic gaps (networks used by some, grids skipped, counts log-normal), finances, referrals
and engagement. The module also registers ``scoring.persist`` with ``python -m bench``.
"""

from __future__ import annotations

import argparse
import atexit
import json
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert

from bench.runner import _reset_peak, _status_kib, benchmark
from scorecard import models
from scorecard.scoring.config import ScoringConfig, StabilityConfig, answer_columns, default_config
from scorecard.scoring.engine import EngagementInputs, ScoreInputs, ScoreResult, compute_scores
from scorecard.scoring.financial import FinancialInputs
from scorecard.scoring.loading import load_inputs
from scorecard.scoring.runs import MEMBER_SCORE_COLUMNS, member_score_rows, save_run
from scorecard.scoring.segments import stability
from scorecard.workspace import Workspace

SEED = 20261123
SHARE = 0.25  # surveyed share (DESIGN.md: 1M members, 250k responses)


# -- synthetic inputs -----------------------------------------------------------------------------


def synthetic_answers(rng: np.random.Generator, m: int, columns: Sequence[str]) -> np.ndarray:
    """``m`` respondents' answers (float32, NaN not answered), shaped like real surveys."""
    out = np.full((m, len(columns)), np.nan, dtype=np.float32)
    col = {c: j for j, c in enumerate(columns)}
    trait = rng.normal(0.0, 1.0, m)  # one latent "engagement", so items correlate
    for item in ("k_expertise", "k_interest", "k_brand", "k_advice", "k_influence", "k_maven"):
        out[:, col[item]] = np.clip(np.round(4.3 + 1.3 * trait + rng.normal(0, 1.0, m)), 1, 7)
    out[:, col["k_years"]] = np.array([0.5, 1.5, 4, 8, 15])[rng.integers(0, 5, m)]
    for item in ("p_read", "p_reviews", "p_photos", "p_posts", "p_comment", "p_share",
                 "p_recommend", "p_events", "p_organise"):
        out[:, col[item]] = np.clip(np.round(1.2 + 0.9 * trait + rng.normal(0, 1.0, m)), 0, 4)
    skip_grid = rng.random(m) < 0.12
    for c in columns:
        if not c.startswith("c_networks:"):
            continue
        net = c.split(":", 1)[1]
        used = rng.random(m) < 0.45
        out[:, col[c]] = np.where(used, 1.0, np.nan)
        grid = used & ~skip_grid
        out[:, col[f"c_{net}_close"]] = np.where(grid, rng.integers(1, 6, m), np.nan)
        out[:, col[f"c_{net}_public"]] = np.where(grid, rng.integers(1, 6, m), np.nan)
        contacts = np.round(np.exp(rng.normal(3.8 + 0.4 * trait, 1.0, m)))
        out[:, col[f"r_{net}"]] = np.where(used & (rng.random(m) < 0.93), contacts, np.nan)
    if "age_band" in col:
        out[:, col["age_band"]] = np.array([21, 30, 40, 50, 60, 70, 80])[rng.integers(0, 7, m)]
    out[rng.random(out.shape) < 0.02] = np.nan  # the odd skipped question
    return out


def synthetic_inputs(n: int, share: float = SHARE, seed: int = SEED,
                     config: ScoringConfig | None = None) -> ScoreInputs:
    """``n`` members, ``share`` of them surveyed, as the loader would hand them over."""
    config = config or default_config()
    rng = np.random.default_rng(seed)
    columns = answer_columns(config)
    m = round(share * n)
    rows = np.sort(rng.choice(n, size=m, replace=False))
    has_fin = rng.random(n) < 0.97
    revenue = np.where(has_fin, rng.lognormal(5.5, 1.2, n), np.nan)
    referrers = rng.choice(n, size=n // 20, replace=False)  # 5% refer 1–3 others
    fanout = rng.integers(1, 4, len(referrers))
    src = np.repeat(referrers, fanout)
    dst = rng.integers(0, n, len(src))
    engaged = rng.random(n) < 0.4
    return ScoreInputs(
        member_ids=np.arange(1, n + 1, dtype=np.int64),
        respondent_rows=rows,
        response_ids=np.arange(1, m + 1, dtype=np.int64),
        columns=columns,
        answers=synthetic_answers(rng, m, columns),
        financial=FinancialInputs(
            revenue=revenue,
            orders=np.where(has_fin, rng.integers(1, 40, n), np.nan).astype(np.float64),
            cost_to_serve=np.where(rng.random(n) < 0.8, rng.gamma(2.0, 15.0, n), np.nan),
            tenure_years=rng.uniform(0.1, 7.0, n),
            gross_margin=0.4,
        ),
        referral_src=src,
        referral_dst=dst,
        engagement=EngagementInputs(
            forwards=np.where(engaged, rng.poisson(0.5, n), np.nan).astype(np.float64),
            clicks=np.where(engaged, rng.poisson(3.0, n), np.nan).astype(np.float64),
            opens=np.where(engaged, rng.poisson(12.0, n), np.nan).astype(np.float64),
            rating=np.where(engaged, rng.integers(1, 6, n), np.nan).astype(np.float64),
        ),
        age=np.where(rng.random(n) < 0.6, rng.uniform(18, 85, n), np.nan),
    )


# -- workspace steps ------------------------------------------------------------------------------


def workspace_with_members(path: Path, n: int) -> Workspace:
    """A fresh workspace holding members 1…n (ids only: member_score needs them as parents)."""
    ws = Workspace.create(path)
    with ws.transaction() as conn:
        conn.exec_driver_sql("INSERT INTO member (id) VALUES (?)",
                             [(i,) for i in range(1, n + 1)])
    return ws


def persist_run(ws: Workspace, result: ScoreResult, financial: FinancialInputs) -> int:
    """The project's path: the score_run row, member_score rows and the run's arrays, in one
    transaction (what ``runs.score`` saves)."""
    with ws.transaction() as conn:
        run_id = conn.execute(insert(models.ScoreRun.__table__).values(
            config_toml="", batches_json="[]", members_scored=len(result.member_ids),
            created_at=datetime.now(UTC))).inserted_primary_key[0]
        return save_run(conn, int(run_id), result, financial)


def raw_rows(result: ScoreResult) -> list[tuple[Any, ...]]:
    """The very rows the project's path inserts, prebuilt for the baseline."""
    return member_score_rows(1, result)


def raw_insert(path: Path, rows: list[tuple[Any, ...]]) -> None:
    """Baseline: plain sqlite3, a bare table with the same columns, one executemany."""
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TABLE member_score ({', '.join(MEMBER_SCORE_COLUMNS)})")
    with conn:
        conn.executemany(f"INSERT INTO member_score VALUES ({', '.join('?' * len(rows[0]))})",
                         rows)
    conn.close()


def raw_insert_same_schema(path: Path, rows: list[tuple[Any, ...]]) -> None:
    """Second baseline: plain sqlite3 into a workspace's own member_score (its unique index,
    member index and foreign keys), one executemany: what the schema alone costs."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("BEGIN")
    run_id = conn.execute(
        "INSERT INTO score_run (config_toml, batches_json, members_scored, created_at) "
        "VALUES ('', '[]', 0, '2026-01-01 00:00:00.000000')").lastrowid
    conn.executemany(f"INSERT INTO member_score ({', '.join(MEMBER_SCORE_COLUMNS)}) VALUES "
                     f"({', '.join('?' * len(rows[0]))})", ((run_id, *r[1:]) for r in rows))
    conn.execute("COMMIT")
    conn.close()


def fill_for_loading(ws: Workspace, inputs: ScoreInputs, chunk: int = 20_000) -> None:
    """Snapshots, responses, answers, referrals and engagement rows for ``inputs`` (untimed)."""
    n, now = inputs.n, datetime.now(UTC).isoformat()
    ids = inputs.member_ids
    fin = inputs.financial
    with ws.transaction() as conn:
        run = conn.exec_driver_sql
        run("INSERT INTO import_batch (id, kind, file_name, file_hash, file_size, rows, inserted,"
            " updated, rejected, unmatched, status, created_at) VALUES (1, 'survey', 'b', 'h', 0,"
            " 0, 0, 0, 0, 0, 'committed', ?)", (now,))
        run("INSERT INTO survey_wave (id, name) VALUES (1, 'bench')")
        rev = fin.revenue.astype(object)
        rev[np.isnan(fin.revenue)] = None
        run("INSERT INTO financial_snapshot (member_id, batch_id, as_of, revenue, orders, "
            "cost_to_serve) VALUES (?, 1, '2026-09-15', ?, ?, ?)",
            list(zip(ids.tolist(), rev.tolist(), np.nan_to_num(fin.orders).tolist(),
                     np.nan_to_num(fin.cost_to_serve).tolist(), strict=True)))
        run("INSERT INTO response (id, wave_id, batch_id, member_id, submitted_at, superseded) "
            "VALUES (?, 1, 1, ?, ?, 0)",
            [(int(r), int(ids[p]), now) for r, p in zip(inputs.response_ids,
                                                        inputs.respondent_rows, strict=True)])
        cols = np.array(inputs.columns, dtype=object)
        for lo in range(0, len(inputs.response_ids), chunk):
            block = inputs.answers[lo:lo + chunk]
            r, c = np.nonzero(~np.isnan(block))
            values = block[r, c].astype(np.float64)
            run("INSERT INTO answer (response_id, item_id, raw, value) VALUES (?, ?, ?, ?)",
                list(zip(inputs.response_ids[lo + r].tolist(), cols[c].tolist(),
                         values.astype(str).tolist(), values.tolist(), strict=True)))
        run("INSERT INTO referral (batch_id, referrer_id, referred_id) VALUES (1, ?, ?)",
            list(zip(ids[inputs.referral_src].tolist(), ids[inputs.referral_dst].tolist(),
                     strict=True)))
        eng = inputs.engagement
        assert eng is not None
        known = np.flatnonzero(~np.isnan(eng.clicks))
        run("INSERT INTO engagement (batch_id, member_id, forwards, clicks, opens, rating) "
            "VALUES (1, ?, ?, ?, ?, ?)",
            list(zip(ids[known].tolist(), eng.forwards[known].tolist(),
                     eng.clicks[known].tolist(), eng.opens[known].tolist(),
                     eng.rating[known].tolist(), strict=True)))
    assert n == len(ids)


# -- measuring ------------------------------------------------------------------------------------


def measure(fn: Callable[[], Any]) -> tuple[float, float | None, Any]:
    """Wall seconds, peak MiB during the call (None if unknown), and the call's result."""
    exact = _reset_peak()
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    peak = _status_kib("VmHWM") if exact else None
    return seconds, (peak / 1024 if peak is not None else None), value


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_scoring", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--members", type=int, default=1_000_000)
    p.add_argument("--share", type=float, default=SHARE, help="surveyed share (default 0.25)")
    p.add_argument("--draws", type=int, default=200, help="stability draws (default 200)")
    p.add_argument("--with-load", action="store_true",
                   help="also fill a workspace with answers and time loading it (slow to fill)")
    p.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = p.parse_args(argv)
    config = default_config()
    no_stability = config.with_(stability=replace(config.stability, draws=0))
    with_draws = config.with_(stability=StabilityConfig(draws=args.draws))
    table: list[tuple[str, float, str, float | None]] = []

    t, _, inputs = measure(lambda: synthetic_inputs(args.members, args.share))
    print(f"… {args.members:,} members, {len(inputs.response_ids):,} surveyed "
          f"(generated in {t:.1f} s)", file=sys.stderr)
    t, peak, result = measure(lambda: compute_scores(inputs, no_stability))
    table.append(("score compute (no stability)", t, "< 5 s", peak))
    comps = np.stack([result.knowledge, result.participation, result.reach], axis=1)
    t, peak, _ = measure(lambda: stability(comps, result.financial, result.segment, with_draws))
    table.append((f"stability, {args.draws} draws", t, "< 30 s", peak))
    t, peak, _ = measure(lambda: compute_scores(inputs, with_draws))
    table.append(("score compute incl. stability", t, "-", peak))

    with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as tmp:
        ws = workspace_with_members(Path(tmp) / "bench.scorecard", args.members)
        workspace_with_members(Path(tmp) / "same.scorecard", args.members).close()
        try:
            t_persist, peak, _ = measure(lambda: persist_run(ws, result, inputs.financial))
            table.append(("persist run (member_score)", t_persist, "≤ 2× raw", peak))
            t, peak, _ = measure(lambda: persist_run(ws, result, inputs.financial))
            table.append(("persist a second run", t, "-", peak))
            rows = raw_rows(result)
            t_raw, peak, _ = measure(lambda: raw_insert(Path(tmp) / "raw.sqlite", rows))
            table.append(("raw executemany, bare table", t_raw, "baseline", peak))
            t_same, peak, _ = measure(
                lambda: raw_insert_same_schema(Path(tmp) / "same.scorecard", rows))
            table.append(("raw executemany, same schema", t_same, "-", peak))
            rows.clear()
            if args.with_load:
                t_fill = time.perf_counter()
                fill_for_loading(ws, inputs)
                print(f"… workspace filled in {time.perf_counter() - t_fill:.0f} s",
                      file=sys.stderr)
                t, peak, _ = measure(lambda: load_inputs(ws, config))
                table.append(("load inputs (SQL → arrays)", t, "-", peak))
        finally:
            ws.close()

    # Resetting VmHWM resets ru_maxrss too, so the process peak is the highest step peak.
    peaks = [pk for *_, pk in table if pk is not None]
    peak_all = max([*peaks, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024])
    print(f"{'step':<32} {'seconds':>8}  {'target':<9} {'peak MiB':>9}")
    for name, seconds, target, peak in table:
        print(f"{name:<32} {seconds:>8.2f}  {target:<9} "
              f"{'?' if peak is None else f'{peak:,.0f}':>9}")
    print(f"persist / raw bare table = {t_persist / t_raw:.2f} (target ≤ 2); persist / raw "
          f"same schema = {t_persist / t_same:.2f}; process peak {peak_all:,.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps({
            "members": args.members, "surveyed": len(inputs.response_ids),
            "steps": [{"step": s, "seconds": round(t, 3), "target": g, "peak_mib": pk}
                      for s, t, g, pk in table],
            "persist_ratio": t_persist / t_raw, "persist_ratio_same_schema": t_persist / t_same,
            "process_peak_mib": peak_all,
        }, indent=2) + "\n", encoding="utf-8")
    return 0


# -- registered with the shared runner (python -m bench) -------------------------------------------


def _persist_setup(size: int) -> dict[str, Any]:
    inputs = synthetic_inputs(size)
    config = default_config()
    result = compute_scores(inputs, config.with_(stability=replace(config.stability, draws=0)))
    folder = Path(tempfile.mkdtemp(prefix="scorecard-bench-persist-"))
    atexit.register(shutil.rmtree, folder, True)  # each step runs in its own process
    workspace_with_members(folder / "bench.scorecard", size).close()
    # Opened here, untimed: opening (schema and integrity checks) is not saving a run, and the
    # baseline's fresh connect does neither.
    return {"result": result, "financial": inputs.financial, "rows": raw_rows(result),
            "workspace": Workspace.open(folder / "bench.scorecard")}


def _persist_baseline(inputs: dict[str, Any], workdir: Path) -> None:
    raw_insert(workdir / "raw.sqlite", inputs["rows"])


@benchmark("scoring.persist", setup=_persist_setup, baseline=_persist_baseline, max_ratio=2.0,
           description="save a score run (member_score rows and its arrays) vs raw sqlite3 "
           "executemany of the same rows into a bare table")
def persist_measured(inputs: dict[str, Any], workdir: Path) -> None:
    """Save the run, then close the workspace (its checkpoint puts the run in the file)."""
    with inputs["workspace"] as ws:
        persist_run(ws, inputs["result"], inputs["financial"])


if __name__ == "__main__":
    sys.exit(main())
