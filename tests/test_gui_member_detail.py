"""Member detail: the receipt, the history across runs, answers raw and parsed, referrals."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt

from app.gui.main_window import MainWindow
from app.gui.member_detail import MemberDetail
from scorecard.scoring.configs import current_config
from scorecard.scoring.explain import explain
from scorecard.scoring.member_history import member_history
from scorecard.scoring.runs import score
from tests import gui_fixtures
from tests.gui_fixtures import close_widget

gui_guard = gui_fixtures.gui_guard
main_window = gui_fixtures.main_window


def _surveyed_referrer(path: Path) -> int:
    """A member who answered the survey and referred someone who is in the member list."""
    with sqlite3.connect(path) as db:
        return int(db.execute(
            "SELECT s.member_id FROM member_score s JOIN referral r ON r.referrer_id = s.member_id "
            "WHERE s.social IS NOT NULL AND r.referred_id IS NOT NULL "
            "ORDER BY s.member_id LIMIT 1").fetchone()[0])


def _texts(table, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_member_detail_shows_the_receipt_and_the_score_history(demo_workspace, gui_guard,
                                                               qtbot):
    ws = demo_workspace
    member = _surveyed_referrer(ws.path)
    config, _config_id = current_config(ws)
    stricter = config.with_(segments=replace(config.segments, social_threshold=70.0))
    second = score(ws, stricter)  # a second run: the history has two lines
    dialog = MemberDetail(ws, member)
    try:
        with qtbot.waitSignal(dialog.loaded, timeout=30_000):
            dialog.show()
        receipt = explain(ws, second.run_id, member)
        history = member_history(ws, member)
        assert dialog.title.text() == history.name
        # The receipt: one row per answered item, its points to S, adding up to S.
        table = dialog.receipt
        assert table.rowCount() == len(receipt.lines) > 0
        assert _texts(table, 5) == [f"{line.points:,.1f}" for line in receipt.lines]
        assert _texts(table, 1) == [line.component for line in receipt.lines]
        raw = {a.item_id: a.raw for a in history.responses[0].answers}
        assert table.item(0, 2).text() == raw[receipt.lines[0].item_id]
        assert f"S = {sum(x.points for x in receipt.lines):.1f}" in dialog.receipt_total.text()
        assert f"{receipt.stability:.0%}" in dialog.stability.text()
        bars = dict((label, value) for label, value, _c, _m in dialog.bars.rows)
        assert bars["Social S"] == receipt.scores["social"]
        # The history: both runs, oldest first, with each run's segment.
        runs = _texts(dialog.history, 0)
        assert runs == ["1", str(second.run_id)]
        assert _texts(dialog.history, 9) == [r.segment for r in history.runs]
        assert dialog.history_chart.labels == ["run 1", f"run {second.run_id}"]
        # Answers as the file had them, and what they were read as.
        answers = history.responses[0].answers
        assert _texts(dialog.answers, 1)[:len(answers)] == [a.raw or "—" for a in answers]
        # Referrals out: the members this member brought in.
        assert _texts(dialog.referrals_out, 0) == [link.name for link in history.referrals_out]
        assert len(history.referrals_out) >= 1
        assert dialog.snapshots.rowCount() == len(history.snapshots) >= 1
        with qtbot.waitSignal(dialog.member_requested, timeout=1000) as opened:
            dialog.referrals_out.cellDoubleClicked.emit(0, 0)
        assert opened.args == [history.referrals_out[0].member_id]
    finally:
        close_widget(dialog)


def test_a_double_click_in_the_members_table_opens_the_member(main_window: MainWindow,
                                                              demo_built, tmp_path, qtbot):
    path = tmp_path / "demo.scorecard"
    shutil.copyfile(demo_built.workspace, path)
    assert main_window.open_path(str(path))
    main_window.show_page("Members")
    page = main_window.members_page
    view = page.table
    index = page.model.index(3, 1)
    rect = view.visualRect(index)
    # A real double-click is a click and then a double-click event (Qt 6 needs both).
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = main_window.member_dialogs[-1]
    assert dialog.member_id == page.model.member_id(3)
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):
        pass
    assert dialog.title.text() == page.model.data(index)  # the Name column
    dialog.close()
    qtbot.waitUntil(lambda: not main_window.member_dialogs, timeout=5000)


def test_a_member_never_scored_says_so(gui_guard, workspace, tmp_path, qtbot):
    from survey.members import import_members
    from tests.member_files import PEOPLE, write_shopify

    import_members(workspace, write_shopify(tmp_path / "s.csv", PEOPLE))
    dialog = MemberDetail(workspace, 1)
    try:
        with qtbot.waitSignal(dialog.loaded, timeout=30_000):
            dialog.show()
        assert dialog.title.text() == "Zoë de Vries"
        assert dialog.tabs.count() == 5
        assert dialog.history.rowCount() == 0
        assert dialog.snapshots.item(0, 1).text() == "1,234.5"
    finally:
        close_widget(dialog)
