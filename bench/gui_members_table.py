"""Bench the Members table at scale: first paint, sort, scroll a page. A plain script:

    QT_QPA_PLATFORM=offscreen python bench/gui_members_table.py [WORKSPACE] [--members N]

Without WORKSPACE it builds one in a temporary folder from bench/data/customers_<N>.csv (or
writes that file with survey.demo.write_shopify_customers).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.gui.members_model import HEADERS
from app.gui.members_page import MembersPage
from scorecard.workspace import Workspace


def build(n: int, folder: Path) -> Path:
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


def timed(label: str, action, rows: list[tuple[str, float]]) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    QApplication.processEvents()
    rows.append((label, time.perf_counter() - start))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", nargs="?")
    parser.add_argument("--members", type=int, default=1_000_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.workspace) if args.workspace else build(args.members, Path(tmp))
        ws = Workspace.open(path)
        page = MembersPage()
        page.resize(1200, 700)
        rows: list[tuple[str, float]] = []

        def first_paint() -> None:
            page.set_workspace(ws)
            page.show()
            page.table.viewport().repaint()

        timed("first paint", first_paint, rows)
        model, table = page.model, page.table
        for name, order in (("Spend", Qt.SortOrder.DescendingOrder),
                            ("Name", Qt.SortOrder.AscendingOrder),
                            ("ID", Qt.SortOrder.AscendingOrder)):
            column = HEADERS.index(name)
            timed(f"sort by {name}", lambda c=column, o=order: (
                table.sortByColumn(c, o), table.viewport().repaint()), rows)
        bar = table.verticalScrollBar()
        timed("scroll one page", lambda: (bar.setValue(bar.value() + bar.pageStep()),
                                          table.viewport().repaint()), rows)
        timed("jump to the middle", lambda: (bar.setValue(bar.maximum() // 2),
                                             table.viewport().repaint()), rows)
        timed("search 'gmail'", lambda: (model.set_filter(search="gmail"),
                                         table.viewport().repaint()), rows)
        print(f"Members table, {ws.info().members:,} members")
        print(f"{'step':<22}{'seconds':>9}")
        for label, seconds in rows:
            print(f"{label:<22}{seconds:>9.3f}")
        page.close()
        page.deleteLater()
        app.processEvents()
        ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
