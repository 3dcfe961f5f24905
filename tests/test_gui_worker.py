"""The background-work abstraction: never blocks the GUI, cancels, shows errors."""

from __future__ import annotations

import gc
import time
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QMessageBox

from app.gui.worker import Op
from scorecard.errors import Cancelled, ScorecardError
from scorecard.workspace import Workspace
from survey.demo_shopify import write_shopify_customers
from survey.members import import_members
from tests import gui_fixtures
from tests.gui_fixtures import close_widget

gui_guard = gui_fixtures.gui_guard


class Heartbeat:
    """A 10 ms timer that records the longest gap between its ticks."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def stop(self) -> None:
        self.timer.stop()


def test_event_loop_keeps_beating_during_a_100k_member_import(gui_guard, qtbot, tmp_path: Path):
    source = tmp_path / "customers.csv"
    write_shopify_customers(source, 100_000)
    ws = Workspace.create(tmp_path / "big.scorecard")
    progress: list[float] = []
    op = Op(lambda p, c: import_members(ws, source, progress=p, cancel=c), title="Import")
    op.progressed.connect(lambda f, _m: progress.append(f))
    beat = Heartbeat()
    # The test process has a heap hundreds of tests deep, which the app never has: park it in
    # the permanent generation so a garbage collection on the GUI thread measures the app.
    gc.collect()
    gc.freeze()
    beat.start()
    try:
        with qtbot.waitSignal(op.succeeded, timeout=120_000) as done:
            op.start()
    finally:
        beat.stop()
        gc.unfreeze()
    assert done.args[0].inserted > 90_000
    assert progress, "no progress reported"
    assert beat.longest < 100, f"event loop blocked for {beat.longest} ms"
    assert ws.info().members == done.args[0].inserted
    ws.close()


def test_cancel_stops_the_work_and_leaves_nothing(gui_guard, qtbot, tmp_path: Path):
    source = tmp_path / "customers.csv"
    write_shopify_customers(source, 30_000)
    ws = Workspace.create(tmp_path / "c.scorecard")
    op = Op(lambda p, c: import_members(ws, source, progress=p, cancel=c), title="Import")
    op.progressed.connect(lambda _f, _m: op.cancel())
    with qtbot.waitSignal(op.cancelled, timeout=60_000):
        op.start()
    assert op.error_dialog is None  # a cancel is not an error
    assert ws.info().members == 0 and ws.info().batches == 0
    ws.close()


def test_cancel_flag_is_what_the_work_reads(gui_guard, qtbot):
    def work(progress, cancel):
        for i in range(500):
            if cancel():
                raise Cancelled("stopped")
            progress(i / 500, "step")
            time.sleep(0.005)
        return "finished"

    op = Op(work)
    failures: list[BaseException] = []
    op.failed.connect(failures.append)
    with qtbot.waitSignal(op.finished, timeout=10_000):
        op.start()
        QTimer.singleShot(50, op.cancel)
    assert isinstance(failures[0], Cancelled)


def test_a_scorecard_error_shows_its_message(gui_guard, qtbot):
    def work(_p, _c):
        raise ScorecardError("members.csv: no column holds an email or a customer id")

    op = Op(work, title="Import members.csv")
    with qtbot.waitSignal(op.finished, timeout=5_000):
        op.start()
    box = op.error_dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "members.csv: no column holds an email or a customer id"
    assert box.detailedText() == ""
    close_widget(box)


def test_an_unexpected_error_offers_details_to_copy(gui_guard, qtbot):
    def work(_p, _c):
        return {}["missing"]

    op = Op(work, title="Export")
    with qtbot.waitSignal(op.finished, timeout=5_000):
        op.start()
    box = op.error_dialog
    assert box is not None and "unexpected" in box.text()
    assert "KeyError" in box.detailedText()
    close_widget(box)


def test_result_arrives_on_the_gui_thread(gui_guard, qtbot):
    from PySide6.QtCore import QThread

    seen: list[bool] = []
    op = Op(lambda _p, _c: 42)
    op.succeeded.connect(lambda _r: seen.append(QThread.currentThread() is op.thread()))
    with qtbot.waitSignal(op.succeeded, timeout=5_000) as got:
        op.start()
    assert got.args == [42] and seen == [True]
