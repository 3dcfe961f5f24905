"""Bench the Dashboard at scale: loading, the density image, hover hit-tests, rubber bands.

    QT_QPA_PLATFORM=offscreen python -m bench.gui_dashboard [--members 1000000] [WORKSPACE]

Without WORKSPACE it uses the cached scored workspace of ``bench.scored_workspace`` (built on
first use; 1M takes several minutes). Loading runs in the background in the app, so its time is
reported but has no target; everything a person does on the chart (hover, click, drag, repaint)
has a target of 100 ms. Also times the Network page's summary and one member's detail.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QPointF, QRect
from PySide6.QtWidgets import QApplication

TARGET_MS = 100.0


def _ms(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000.0, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--hovers", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from app.gui.dashboard_data import DashboardData, distributions, figures, quadrant_index
    from app.gui.dashboard_page import DashboardPage
    from app.gui.member_detail import load_detail
    from app.gui.member_list_model import run_orders
    from app.gui.quadrant_view import SEGMENT_RGB, _image
    from bench.scored_workspace import build_scored
    from reports.run_data import data_quality, load_run
    from scorecard.scoring.graph import ego_layout, ego_network, network_summary
    from scorecard.workspace import Workspace

    path = Path(args.workspace) if args.workspace else build_scored(args.members)
    rows: list[tuple[str, float, str]] = []  # step, ms, note

    def note(step: str, ms: float, text: str = "") -> None:
        rows.append((step, ms, text))
        print(f"{step:<42} {ms:>10.1f} ms  {text}", flush=True)

    ms, ws = _ms(lambda: Workspace.open(path))
    note("open workspace", ms)
    ms, run = _ms(lambda: load_run(ws))
    note("load_run (background)", ms, f"{run.n:,} members")
    ms, quality = _ms(lambda: data_quality(ws, run))
    note("data_quality (background)", ms)
    ms, index = _ms(lambda: quadrant_index(run))
    note("grid index: sort into cells (background)", ms, f"{index.n:,} plotted")
    ms, dist = _ms(lambda: distributions(run))
    note("component histograms (background)", ms)
    ms, orders = _ms(lambda: run_orders(run))
    note("list orders over all members (background)", ms)
    ms, figs = _ms(lambda: figures(run))
    note("segment table and key figures (background)", ms)
    data = DashboardData("ready", run.n, run, quality, index, dist, orders, figs)

    ms, _ = _ms(lambda: _image(index.density_rgba(SEGMENT_RGB)))
    note("density image (histogram → QImage)", ms, f"{int((index.counts > 4).sum()):,} dense cells")

    page = DashboardPage()
    page.resize(1040, 700)
    page.show()
    page.workspace = ws
    page._generation += 1
    ms, _ = _ms(lambda: (page._loaded(page._generation, data), app.processEvents()))
    note("show the run (tables, cards, chart data)", ms)
    chart = page.chart
    ms, _ = _ms(lambda: chart.repaint())
    plot = chart.plot_rect()
    sparse = int(index.sparse.sum())
    note("first paint of the chart (points layer)", ms,
         f"{sparse:,} members drawn as points at {plot.width()}×{plot.height()}")
    ms, _ = _ms(lambda: chart.repaint())
    note("repaint of the chart", ms)

    rng = np.random.default_rng(1)
    xs = rng.uniform(plot.left(), plot.right(), args.hovers)
    ys = rng.uniform(plot.top(), plot.bottom(), args.hovers)
    # Where members crowd most: the densest cell's centre.
    cy, cx = np.unravel_index(int(np.argmax(index.counts)), index.counts.shape)
    dense_at = chart.to_pixel(cx + 0.5, cy + 0.5)
    hits = []
    for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
        hits.append(_ms(lambda x=x, y=y: chart.hit(QPointF(x, y)))[0])
    dense_hits = [_ms(lambda: chart.hit(dense_at))[0] for _ in range(50)]
    found = sum(1 for x, y in zip(xs.tolist(), ys.tolist(), strict=True)
                if chart.hit(QPointF(x, y))[0] >= 0)
    note("hover hit-test, median", statistics.median(hits),
         f"{found}/{args.hovers} random spots on a member")
    note("hover hit-test, worst of them", max(hits))
    note("hover hit-test, densest cell, worst", max(dense_hits),
         f"{int(index.counts.max()):,} members in that cell")
    full = [_ms(lambda x=x, y=y: (chart.update_hover(QPointF(x, y)), chart.repaint()))[0]
            for x, y in zip(xs[:60].tolist(), ys[:60].tolist(), strict=True)]
    note("hover + tooltip (name from SQL) + repaint, median", statistics.median(full),
         f"worst {max(full):.1f} ms")

    boxes = {
        "small box (5 × 5 points)": (60, 65, 60, 65),
        "Ambassadors quadrant": (run.financial_threshold, 100, run.social_threshold, 100),
        "whole chart": (0, 100, 0, 100),
    }

    def drag(f0: float, f1: float, s0: float, s1: float) -> None:
        r0, r1 = chart.to_pixel(f0, s1).toPoint(), chart.to_pixel(f1, s0).toPoint()
        chart.select_rect(QRect(r0, r1))
        page.selection_view.viewport().repaint()  # the first page of names, fetched
        chart.repaint()

    ms, _ = _ms(lambda: drag(10, 12, 10, 12))
    note("first drag (one-time table start-up)", ms)
    for name, (f0, f1, s0, s1) in boxes.items():
        times = []
        for k in range(args.repeats):  # shifted a little each time: other members, other names
            d = -k * 0.7 if f1 >= 100 else k * 0.7
            box = (f0 + d, f1 + d, s0, s1)
            times.append(_ms(lambda box=box: drag(*box))[0])
        note(f"rubber band: {name}, median", statistics.median(times),
             f"{page.selection_model.rowCount():,} listed; worst {max(times):.1f} ms")
    times = [_ms(lambda c=c: (page.selection_model.sort(c), chart.repaint(),
                              page.selection_view.viewport().repaint()))[0]
             for c in (3, 2, 4, 3, 2)]
    note("sort the listed members, median", statistics.median(times),
         f"{page.selection_model.rowCount():,} rows; worst {max(times):.1f} ms")
    page.close()

    member = int(run.member_ids[run.top_ambassadors(1)[0]])
    ms, _ = _ms(lambda: load_detail(ws, member))
    note("member detail: history + receipt (background)", ms)
    ms, summary = _ms(lambda: network_summary(ws))
    note("network summary with PageRank (background)", ms,
         f"{summary.nodes:,} nodes, {summary.edges:,} edges")
    centre = (summary.top_by_nv or summary.top_by_pagerank)[0].member_id
    ms, ego = _ms(lambda: ego_network(ws, centre))
    note("ego network, two hops (background)", ms, f"{len(ego.nodes)} members")
    ms, _ = _ms(lambda: ego_layout(ego))
    note("ego spring layout (background)", ms)
    ws.close()

    # The target applies to what a person does on the chart, typically (medians): a shared,
    # busy machine adds spikes to single timings, reported beside them as "worst".
    interactive = [r for r in rows if r[0].startswith(("hover", "rubber", "repaint", "sort"))
                   and "worst" not in r[0] and "densest" not in r[0]]
    worst = max(ms for _s, ms, _t in interactive)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nslowest interaction (median): {worst:.1f} ms (target {TARGET_MS:.0f} ms): "
          + ("OK" if worst <= TARGET_MS else "OVER")
          + f"; machine load average {load:.1f} on {os.cpu_count()} cores")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
