"""Scoring studio benchmarks: how long a what-if takes after one control moves.

    python -m bench.bench_studio --members 100000      # target: each change < 300 ms
    python -m bench.bench_studio --members 1000000 --gui

Inputs are synthetic (``bench_scoring.synthetic_inputs``) with half the reach counts answered as
a band label (``with_band_answers``), as the importer stores them, so a band value change has
cells to re-fill. Each change is evaluated by ``WhatIf.evaluate`` (only what the change touches)
and compared with scoring from scratch (``compute_scores`` without stability), the cost a studio
without caching would pay on every move. ``--gui`` also times the page end to end: from a slider
move to the counts shown, including the 150 ms debounce.

Registered with ``python -m bench``: ``studio.weight`` and ``studio.band`` (one evaluation vs one
scoring from scratch).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from bench.bench_scoring import SEED, synthetic_inputs
from bench.runner import benchmark
from scorecard.scoring.config import ScoringConfig, default_config
from scorecard.scoring.engine import ScoreInputs, compute_scores
from scorecard.scoring.whatif import BandCells, WhatIf, set_value

BAND_EDGES = (0.5, 5.5, 15.5, 50.5, 150.5, 500.5)  # the default bands' upper edges
# (label, path, two values): each change alternates between them so every evaluation is real.
CHANGES: tuple[tuple[str, str, tuple[object, object]], ...] = (
    ("threshold (S ≥)", "segments.social_threshold", (55.0, 60.0)),
    ("K weight", "social.knowledge", (2.0, 1.0)),
    ("knowledge item weight", "knowledge.items.k_advice.weight", (2.0, 1.0)),
    ("activity weight", "participation.items.p_share.weight", (2.0, 5.0)),
    ("reach cap", "reach.cap", (90.0, 100.0)),
    ("band value (51–150)", "reach.bands.51–150", (60.0, 100.0)),
    ("financial measure", "financial.measure", ("revenue", "profit")),
)


def with_band_answers(inputs: ScoreInputs, config: ScoringConfig, share: float = 0.5,
                      seed: int = SEED) -> tuple[ScoreInputs, BandCells]:
    """``share`` of the reach counts answered as a band instead: the band's stated value."""
    rng = np.random.default_rng(seed + 1)
    labels = tuple(label for label, _ in config.reach.bands)
    values = np.array([v for _, v in config.reach.bands], dtype=np.float32)
    reach_cols = np.array([j for j, c in enumerate(inputs.columns) if c.startswith("r_")])
    sub = inputs.answers[:, reach_cols]
    row, col = np.nonzero(~np.isnan(sub) & (rng.random(sub.shape) < share))
    index = np.searchsorted(BAND_EDGES, sub[row, col]).astype(np.int16)
    answers = inputs.answers.copy()
    answers[row, reach_cols[col]] = values[index]
    cells = row.astype(np.int64) * len(inputs.columns) + reach_cols[col]
    return replace(inputs, answers=answers), BandCells(cells, index, labels)


def synthetic_studio(n: int) -> tuple[WhatIf, ScoringConfig]:
    """A loaded studio of ``n`` synthetic members (25% surveyed) and its starting config."""
    config = default_config()
    inputs, bands = with_band_answers(synthetic_inputs(n, config=config), config)
    return WhatIf(inputs, config, bands), config


def _no_stability(config: ScoringConfig) -> ScoringConfig:
    return config.with_(stability=replace(config.stability, draws=0))


# -- registered with the shared runner (python -m bench) -------------------------------------------


def _setup(path: str, value: object) -> Callable[[int], dict[str, Any]]:
    def setup(size: int) -> dict[str, Any]:
        whatif, config = synthetic_studio(size)
        return {"whatif": whatif, "config": set_value(config, path, value)}
    return setup


def _from_scratch(inputs: dict[str, Any], _workdir: Path) -> None:
    whatif = inputs["whatif"]
    compute_scores(whatif.inputs, _no_stability(inputs["config"]), receipts=False)


@benchmark("studio.weight", setup=_setup("social.knowledge", 2.0), baseline=_from_scratch,
           max_ratio=0.5, description="studio what-if after a K weight change vs scoring "
           "from scratch (target < 300 ms at 100k)")
def weight_measured(inputs: dict[str, Any], _workdir: Path) -> None:
    inputs["whatif"].evaluate(inputs["config"])


@benchmark("studio.band", setup=_setup("reach.bands.51–150", 60.0), baseline=_from_scratch,
           max_ratio=0.5, description="studio what-if after a reach band value change vs "
           "scoring from scratch (target < 300 ms at 100k)")
def band_measured(inputs: dict[str, Any], _workdir: Path) -> None:
    inputs["whatif"].evaluate(inputs["config"])


# -- the full table -------------------------------------------------------------------------------


def time_changes(whatif: WhatIf, config: ScoringConfig, repeats: int) -> list[tuple[str, float]]:
    """Median seconds of one evaluation per kind of change."""
    out = []
    for label, path, values in CHANGES:
        times = []
        for i in range(repeats * 2):
            changed = set_value(config, path, values[i % 2])
            times.append(whatif.evaluate(changed).seconds)
        whatif.evaluate(config)  # back to the start for the next kind
        out.append((label, statistics.median(times)))
    return out


def time_gui(whatif: WhatIf, config: ScoringConfig, moves: int = 5) -> tuple[float, float]:
    """Median and worst seconds from a K slider move to its counts shown on the page."""
    from PySide6.QtWidgets import QApplication

    from app.gui.studio_page import StudioPage

    app = QApplication.instance() or QApplication([])
    page = StudioPage()
    page.resize(1300, 850)
    page.show()
    page.use_whatif(whatif, config)
    _wait(app, lambda: page.outcome is not None)
    slider = page.panel.controls["social.knowledge"].slider  # type: ignore[union-attr]
    latencies = []
    for i in range(moves):
        shown = page.outcome
        slider.setValue(20 if i % 2 == 0 else 10)
        _wait(app, lambda s=shown: page.outcome is not s and page.last_latency is not None)
        latencies.append(page.last_latency or 0.0)
    page.close()
    page.deleteLater()
    return statistics.median(latencies), max(latencies)


def _wait(app: Any, done: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the studio did not answer")
        app.processEvents()
        time.sleep(0.002)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_studio", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--members", type=int, default=100_000)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--gui", action="store_true", help="also time the page, slider to counts")
    p.add_argument("--load", action="store_true",
                   help="also time loading the studio from the cached scored workspace")
    args = p.parse_args(argv)
    if args.load:
        from bench.scored_workspace import build_scored
        from scorecard.scoring.configs import current_config
        from scorecard.scoring.whatif import load_whatif
        from scorecard.workspace import Workspace

        with Workspace.open(build_scored(args.members)) as ws:
            t0 = time.perf_counter()
            loaded = load_whatif(ws, current_config(ws)[0])
            print(f"load the studio from the workspace: {time.perf_counter() - t0:.1f} s "
                  f"({loaded.n:,} members)")
            del loaded
    started = time.perf_counter()
    whatif, config = synthetic_studio(args.members)
    print(f"… {args.members:,} members, {whatif.surveyed:,} surveyed, "
          f"{len(whatif.bands.cells) if whatif.bands else 0:,} band answers "
          f"(set up in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    rows = time_changes(whatif, config, args.repeats)
    t0 = time.perf_counter()
    compute_scores(whatif.inputs, _no_stability(config), receipts=False)
    scratch = time.perf_counter() - t0
    print(f"{'change':<24} {'what-if ms':>10}")
    for label, seconds in rows:
        print(f"{label:<24} {seconds * 1000:>10.1f}")
    print(f"{'(scoring from scratch)':<24} {scratch * 1000:>10.1f}")
    if args.gui:
        median, worst = time_gui(whatif, config)
        print(f"page: slider → counts shown, median {median * 1000:.0f} ms, worst "
              f"{worst * 1000:.0f} ms (150 ms of it the debounce)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
