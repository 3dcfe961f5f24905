"""The main window: workspaces, recent files, counts, pages, settings, errors."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from app.gui.main_window import MainWindow, recent_files
from app.gui.settings_dialog import SettingsDialog
from scorecard.workspace import Workspace
from survey.members import import_members
from tests import gui_fixtures
from tests.gui_fixtures import close_widget
from tests.member_files import PEOPLE, write_shopify

gui_guard = gui_fixtures.gui_guard
main_window = gui_fixtures.main_window


def test_new_open_close_and_recent(main_window: MainWindow, tmp_path: Path):
    path = tmp_path / "shop.scorecard"
    assert main_window.open_path(str(path), create=True)
    assert main_window.windowTitle() == "shop.scorecard — Social Scorecard"
    assert "0 members" in main_window.statusBar().currentMessage()
    main_window.close_workspace()
    assert main_window.workspace is None and main_window.windowTitle() == "Social Scorecard"
    assert recent_files() == [str(path)]
    assert [a.text() for a in main_window.recent_menu.actions()] == [str(path)]
    main_window.recent_menu.actions()[0].trigger()
    assert main_window.workspace is not None and main_window.workspace.path == path


def test_counts_and_members_page_show_the_workspace(main_window: MainWindow, tmp_path: Path):
    path = tmp_path / "m.scorecard"
    with Workspace.create(path) as ws:
        import_members(ws, write_shopify(tmp_path / "s.csv", PEOPLE))
    assert main_window.open_path(str(path))
    assert f"{len(PEOPLE)} members" in main_window.statusBar().currentMessage()
    assert main_window.members_page.model.rowCount() == len(PEOPLE)
    assert main_window.imports_page.table.rowCount() == 1
    main_window.find_member()
    assert main_window.stack.currentWidget() is main_window.members_page


def test_a_bad_file_says_why(main_window: MainWindow, tmp_path: Path):
    bad = tmp_path / "notes.scorecard"
    bad.write_text("just some text, not a database")
    assert not main_window.open_path(str(bad))
    box = main_window.error_box
    assert isinstance(box, QMessageBox) and box.isVisible() and "notes.scorecard" in box.text()
    assert main_window.workspace is None
    close_widget(box)


def test_settings_dialog_saves_margin_currency_category(main_window: MainWindow, tmp_path: Path):
    main_window.open_path(str(tmp_path / "s.scorecard"), create=True)
    dialog = main_window.edit_settings()
    assert isinstance(dialog, SettingsDialog)
    dialog.margin.setValue(35.0)
    dialog.currency.setCurrentText("gbp")
    dialog.category.setText("coffee")
    dialog.accept()
    settings = main_window.workspace.settings()
    assert (settings["gross_margin"], settings["currency"], settings["category"]) == (
        "0.35", "GBP", "coffee")


def test_shortcuts_are_set(main_window: MainWindow):
    shortcuts = {a.text(): a.shortcut().toString() for m in main_window.menuBar().actions()
                 for a in m.menu().actions()}
    assert shortcuts["&New workspace…"] == "Ctrl+N"
    assert shortcuts["&Open workspace…"] == "Ctrl+O"
    assert shortcuts["&Import…"] == "Ctrl+I"
    assert shortcuts["&Find member…"] == "Ctrl+F"
    assert shortcuts["&Quit"] == "Ctrl+Q"


def test_import_runs_in_the_background_and_refreshes(main_window: MainWindow, qtbot,
                                                     tmp_path: Path):
    main_window.open_path(str(tmp_path / "i.scorecard"), create=True)
    source = write_shopify(tmp_path / "s.csv", PEOPLE)
    with qtbot.waitSignal(main_window.importer.imported, timeout=30_000):
        main_window.importer.start(main_window.workspace, str(source), "members")
    assert main_window.members_page.model.rowCount() == len(PEOPLE)
    box = main_window.importer.result_box
    assert box is not None and "rejected" in box.text()
    close_widget(box)
    page = main_window.imports_page
    page.table.selectRow(0)
    op = page.undo_selected(confirm=False)
    with qtbot.waitSignal(op.finished, timeout=30_000):
        pass
    assert main_window.members_page.model.rowCount() == 0


def test_scoring_page_scores_in_the_background(main_window, qtbot, tmp_path):
    from app.demo import build_demo

    demo = build_demo(tmp_path / "demo", n_members=400)
    assert main_window.open_path(str(demo.workspace))
    page = main_window.scoring_page
    assert page.runs_view.table.rowCount() == 1  # the demo's own run
    op = main_window.score_members()
    with qtbot.waitSignal(op.finished, timeout=60_000):
        pass
    assert page.status.text().startswith("Score run 2") and page.runs_view.table.rowCount() == 2
    assert main_window.workspace.info().score_runs == 2
