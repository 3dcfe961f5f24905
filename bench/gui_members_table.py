"""Bench the Members table at scale: first paint, sort by every column, scroll, filter. A script:

    QT_QPA_PLATFORM=offscreen python -m bench.gui_members_table [WORKSPACE] [--members N]
                                                              [--imported] [--repeat R]

Without WORKSPACE it works on a private copy of the cached scored workspace of N members
(``bench.scored_workspace``: realistic names, finances and a scoring run; built on first use,
which takes minutes at 1M). ``--imported`` instead builds an unscored workspace by importing
bench/data/customers_<N>.csv through the member importer (written first when missing).
Targets (issue 8): first paint < 1 s and every sort < 2 s at 1M members.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.gui.members_model import HEADERS
from app.gui.members_page import MembersPage
from scorecard.workspace import Workspace

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def build_imported(n: int, folder: Path) -> Path:
    """A workspace of ``n`` members imported from a Shopify export (no scores)."""
    from survey.demo_shopify import write_shopify_customers
    from survey.members import import_members

    source = Path(__file__).parent / "data" / f"customers_{n}.csv"
    if not source.exists():
        source = folder / f"customers_{n}.csv"
        write_shopify_customers(source, n)
    path = folder / "bench.scorecard"
    with Workspace.create(path) as ws:
        import_members(ws, source)
    return path


def timed(label: str, action: Callable[[], object], rows: list[tuple[str, float]],
          repeat: int = 1, before: Callable[[], object] | None = None) -> None:
    best = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()  # untimed
        start = time.perf_counter()
        action()
        QApplication.processEvents()
        best = min(best, time.perf_counter() - start)
    rows.append((label, best))
    print(f"{label:<26}{best:>9.3f}", flush=True)  # as it goes: a 1M run takes minutes


def measure(ws: Workspace, repeat: int) -> list[tuple[str, float]]:
    page = MembersPage()
    page.resize(1200, 700)
    rows: list[tuple[str, float]] = []

    def first_paint() -> None:
        page.set_workspace(ws)
        page.show()
        page.table.viewport().repaint()

    timed("first paint", first_paint, rows)
    model, table = page.model, page.table

    def sort(column: int, order: Qt.SortOrder) -> Callable[[], object]:
        return lambda: (table.sortByColumn(column, order), table.viewport().repaint())

    for column, name in enumerate(HEADERS):
        for order in (ASC, DESC):
            arrow = "↑" if order == ASC else "↓"
            # Cold: the model would otherwise reuse the order it computed in the last repeat.
            timed(f"sort by {name} {arrow}", sort(column, order), rows, repeat,
                  before=getattr(model, "forget_cached_order", None))  # older models: none
    bar = table.verticalScrollBar()
    timed("scroll one page", lambda: (bar.setValue(bar.value() + bar.pageStep()),
                                      table.viewport().repaint()), rows)
    timed("jump to the middle", lambda: (bar.setValue(bar.maximum() // 2),
                                         table.viewport().repaint()), rows)
    timed("search 'gmail'", lambda: (model.set_filter(search="gmail"),
                                     table.viewport().repaint()), rows)
    timed("… sorted by Spend ↓", sort(HEADERS.index("Spend"), DESC), rows)
    timed("… sorted by Name ↑", sort(HEADERS.index("Name"), ASC), rows)
    segments = model.segments()
    if segments:
        biggest = "Not surveyed" if "Not surveyed" in segments else segments[-1]
        timed(f"segment {biggest!r}", lambda: (model.set_filter(search="", segment=biggest),
                                               table.viewport().repaint()), rows)
        timed("… sorted by Spend ↓", sort(HEADERS.index("Spend"), DESC), rows)
        timed("… sorted by S ↓", sort(HEADERS.index("S"), DESC), rows)
    page.close()
    page.deleteLater()
    QApplication.processEvents()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", nargs="?")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--imported", action="store_true",
                        help="import a customers CSV instead of using the scored workspace")
    parser.add_argument("--repeat", type=int, default=1, help="best of R for each sort")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        if args.workspace:
            path = Path(args.workspace)
        elif args.imported:
            path = build_imported(args.members, Path(tmp))
        else:
            from bench.scored_workspace import copy_scored

            path = copy_scored(args.members, Path(tmp))
        started = time.perf_counter()
        ws = Workspace.open(path)
        opened = time.perf_counter() - started
        migrated = ws.report.migrated_from
        print(f"Members table, {ws.info().members:,} members ({path.name}; opened in "
              f"{opened:.1f} s" + (f", migrated from {migrated}" if migrated else "") + ")")
        print(f"{'step':<26}{'seconds':>9}", flush=True)
        measure(ws, args.repeat)
        ws.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
