"""The Reports page: write a report in the background, preview it, print it, save it, export."""

from __future__ import annotations

import csv
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter

from app.gui.reports_page import ReportsPage, split_ids
from scorecard.workspace import Workspace
from tests import gui_fixtures
from tests.gui_fixtures import close_widget

gui_guard = gui_fixtures.gui_guard


def _page(ws: Workspace | None) -> ReportsPage:
    page = ReportsPage()
    page.set_workspace(ws)
    page.show()
    return page


def _choose(combo, data) -> None:  # type: ignore[no-untyped-def]
    combo.setCurrentIndex(combo.findData(data))


def test_split_ids() -> None:
    assert split_ids("1042, 1077\n1090  C-7") == ["1042", "1077", "1090", "C-7"]


def test_states_without_workspace_and_run(gui_guard, workspace: Workspace) -> None:
    page = _page(None)
    assert "Open a workspace" in page.state.text()
    assert not page.generate.isEnabled()
    assert page.preview.currentWidget() is page.hint and "Generate" in page.hint.text()
    page.set_workspace(workspace)
    assert "No score run yet" in page.state.text()
    assert page.generate.isEnabled() and not page.export_button.isEnabled()
    close_widget(page)


def test_questionnaire_generated_previewed_printed_and_saved(
    gui_guard, qtbot, demo_workspace: Workspace, tmp_path: Path
) -> None:
    page = _page(demo_workspace)
    assert page.run.count() == 1 and page.run.currentData() == 1
    _choose(page.kind, "questionnaire")
    _choose(page.paper, "letter")
    assert not page.ids.isVisible()
    _choose(page.who, "ids")
    assert page.ids.isVisible()
    with demo_workspace.engine.connect() as conn:
        numbers = [r[0] for r in conn.exec_driver_sql(
            "SELECT external_id FROM member WHERE external_id IS NOT NULL ORDER BY id LIMIT 2")]
    qtbot.keyClicks(page.ids, ", ".join(numbers))
    request = page.request()
    assert request.members == numbers and request.paper == "letter"
    op = page.generate_report()
    assert op is not None
    with qtbot.waitSignal(op.finished, timeout=60_000):
        pass
    assert page.output is not None and page.output.pages == 4  # two sides a member
    assert page.document.pageCount() == 4
    assert page.preview.currentWidget() is page.view
    assert "paper questionnaire, 4 pages, for 2 member(s)" in page.result.text()
    assert page.print_button.isEnabled() and page.save_button.isEnabled()

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert page.print_report(printer) == 4
    assert len(PdfReader(printed).pages) == 4

    copy = page.save_copy(str(tmp_path / "copy"))
    assert copy == tmp_path / "copy.pdf"
    reader = PdfReader(copy)
    assert len(reader.pages) == 4
    assert abs(float(reader.pages[0].mediabox.width) - 612) < 1  # Letter
    assert numbers[0] in reader.pages[0].extract_text() + reader.pages[1].extract_text()
    close_widget(page)


def test_export_ambassadors_for_mailchimp(
    gui_guard, qtbot, demo_workspace: Workspace, tmp_path: Path
) -> None:
    page = _page(demo_workspace)
    assert page.export_segment.currentData() == "Ambassadors"
    out = tmp_path / "amb.csv"
    op = page.export_segment_csv(str(out))
    assert op is not None
    with qtbot.waitSignal(op.finished, timeout=60_000):
        pass
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0][0] == "Email Address"
    assert len(rows) > 1 and {r[-1] for r in rows[1:]} == {"Ambassadors"}
    assert f"Wrote {len(rows) - 1:,} members" in page.export_result.text()
    close_widget(page)


def test_a_failure_is_shown_in_a_dialog(gui_guard, qtbot, demo_workspace: Workspace) -> None:
    page = _page(demo_workspace)
    _choose(page.kind, "questionnaire")
    _choose(page.who, "ids")
    qtbot.keyClicks(page.ids, "NOBODY-1")
    op = page.generate_report()
    assert op is not None
    with qtbot.waitSignal(op.finished, timeout=60_000):
        pass
    assert op.error_dialog is not None
    assert "none of the member ids" in op.error_dialog.text()
    assert page.result.text() == "Nothing was written."
    op.error_dialog.close()
    close_widget(page)
