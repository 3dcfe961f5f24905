"""The import wizard driven page by page on files of several dialects.

Screenshots of every page go to ``$WIZARD_SCREENSHOTS`` when it is set (to look at them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QMessageBox, QWidget

from app.gui.import_wizard import ImportWizard
from scorecard.workspace import Workspace
from survey.demo_shopify import write_shopify_customers
from tests import gui_fixtures
from tests.gui_fixtures import close_widget
from tests.member_files import (
    PEOPLE,
    Person,
    write_european,
    write_shopify,
    write_xlsx_with_title,
)
from tests.survey_files import RESPONDENTS, write_google_forms, write_surveymonkey

gui_guard = gui_fixtures.gui_guard
main_window = gui_fixtures.main_window
WAIT = 30_000
EMAILS = sum(1 for p in PEOPLE if p.email.strip())


@pytest.fixture
def wizard(gui_guard, qtbot, workspace: Workspace):  # type: ignore[no-untyped-def]
    made: list[ImportWizard] = []

    def make(path: Path, kind: str | None = None) -> ImportWizard:
        wiz = ImportWizard(workspace, None, kind)
        wiz.show()
        made.append(wiz)
        with qtbot.waitSignal(wiz.previewed, timeout=WAIT):
            wiz.set_path(str(path))
        return wiz

    yield make
    for wiz in made:
        wiz.stop_work()
        close_widget(wiz)


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("WIZARD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def to_check(qtbot, wiz: ImportWizard, shots: str = "") -> object:  # type: ignore[no-untyped-def]
    """File page → preview → mapping → check; returns the dry run's result."""
    if wiz.currentPage() is wiz.file_page:
        if shots:
            shoot(wiz, f"{shots}-1-file")
        wiz.next()
    if wiz.currentPage() is wiz.preview_page:
        if shots:
            shoot(wiz, f"{shots}-2-preview")
        wiz.next()
    assert wiz.currentPage() is wiz.mapping_page
    if shots:
        shoot(wiz, f"{shots}-3-mapping")
    with qtbot.waitSignal(wiz.checked, timeout=WAIT) as got:
        wiz.next()
    if shots:
        shoot(wiz, f"{shots}-4-check")
    return got.args[0]


def to_result(qtbot, wiz: ImportWizard, shots: str = "") -> object:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(wiz.imported, timeout=WAIT) as got:
        wiz.next()
    assert wiz.currentPage() is wiz.result_page
    if shots:
        shoot(wiz, f"{shots}-5-result")
    return got.args[0]


@pytest.mark.parametrize("writer, name", [
    (write_shopify, "shopify.csv"),
    (write_european, "european.csv"),
    (write_xlsx_with_title, "members.xlsx"),
])  # fmt: skip
def test_member_files_go_through_every_page(wizard, qtbot, workspace, tmp_path, writer, name):
    path = writer(tmp_path / name, PEOPLE)
    wiz = wizard(path)
    assert wiz.kind == "members" and wiz.preview is not None
    assert wiz.file_page.kind_combo.currentData() == "members"
    assert "Looks like: Member list" in wiz.file_page.kind_note.text()
    if name == "european.csv":
        assert wiz.preview.delimiter == ";" and wiz.preview.encoding == "cp1252"
    checked = to_check(qtbot, wiz, shots=Path(name).stem)
    assert workspace.info().members == 0 and workspace.info().batches == 0  # a dry run
    result = to_result(qtbot, wiz, shots=Path(name).stem)
    assert result.inserted == checked.inserted == workspace.info().members
    assert workspace.info().members >= EMAILS
    assert "new" in wiz.result_page.summary.text()


def test_preview_table_shows_the_first_rows(wizard, qtbot, tmp_path):
    wiz = wizard(write_xlsx_with_title(tmp_path / "m.xlsx", PEOPLE))
    wiz.next()
    table = wiz.preview_page.table
    assert table.rowCount() == len(PEOPLE)  # the Total row is dropped
    assert table.horizontalHeaderItem(1).text() == "Full name"
    assert table.item(0, 1).text() == "Zoë de Vries"
    assert "title" in wiz.preview_page.notes.text()


def test_changing_a_mapping_takes_effect(wizard, qtbot, workspace, tmp_path):
    wiz = wizard(write_shopify(tmp_path / "s.csv", PEOPLE))
    wiz.next()
    wiz.next()
    page = wiz.mapping_page
    assert page.combos["Total Spent"].target() == "revenue"
    page.choose("Total Spent", "ignore")
    assert page.map_options() == ["Total Spent=ignore"]
    assert page.table.item(list(page.combos).index("Total Spent"), 3).text() == "your choice"
    to_check(qtbot, wiz)
    to_result(qtbot, wiz)
    with workspace.engine.connect() as conn:
        revenue = conn.exec_driver_sql("SELECT count(*) FROM financial_snapshot "
                                       "WHERE revenue IS NOT NULL").scalar_one()
    assert revenue == 0


def test_a_saved_mapping_is_shown(wizard, qtbot, workspace, tmp_path):
    first = wizard(write_shopify(tmp_path / "a.csv", PEOPLE))
    first.next()
    first.next()
    first.mapping_page.choose("Note", "tags")
    to_check(qtbot, first)
    to_result(qtbot, first)
    again = wizard(write_shopify(tmp_path / "b.csv", PEOPLE[:3]))
    assert again.preview is not None and again.preview.profile
    again.next()
    again.next()
    assert again.mapping_page.profile_note.text() == "Using the mapping saved for these headers."
    assert again.mapping_page.combos["Note"].target() == "tags"


@pytest.mark.parametrize("writer, name, dialect", [
    (write_google_forms, "forms.csv", "google-forms"),
    (write_surveymonkey, "monkey.csv", "surveymonkey"),
])  # fmt: skip
def test_survey_files_go_through_every_page(wizard, qtbot, workspace, tmp_path, writer, name,
                                            dialect):
    wiz = wizard(writer(tmp_path / name))
    assert wiz.kind == "survey" and wiz.preview.dialect == dialect
    assert wiz.file_page.dialect.isEnabled()
    wiz.next()
    wiz.next()
    assert wiz.mapping_page.wave.isVisible()
    wiz.mapping_page.wave.setText("Spring test")
    wiz.back()
    wiz.back()
    checked = to_check(qtbot, wiz, shots=Path(name).stem)
    assert workspace.info().responses == 0
    assert checked.inserted == len(RESPONDENTS) + (dialect == "google-forms") - checked.rejected
    to_result(qtbot, wiz, shots=Path(name).stem)
    assert workspace.info().responses == checked.inserted
    with workspace.engine.connect() as conn:
        waves = conn.exec_driver_sql("SELECT name FROM survey_wave").scalars().all()
    assert waves == ["Spring test"]


def test_validation_shows_rejects_before_anything_is_written(wizard, qtbot, workspace, tmp_path):
    path = write_shopify(tmp_path / "s.csv", PEOPLE, extra_rows=[[""] * 20, ["", "Nobody"]])
    wiz = wizard(path)
    checked = to_check(qtbot, wiz, shots="rejects")
    assert checked.rejected >= 1
    assert f"{checked.rejected:,}</b> would be rejected" in wiz.check_page.summary.text()
    assert wiz.check_page.reasons.rowCount() == len(checked.reject_examples) >= 1
    assert "identified" in wiz.check_page.reasons.item(0, 1).text()
    assert workspace.info().members == 0 and workspace.info().batches == 0
    result = to_result(qtbot, wiz, shots="rejects")
    assert wiz.result_page.export_button.isVisible()
    out = tmp_path / "rejects.csv"
    op = wiz.result_page.export_rejects(str(out))
    with qtbot.waitSignal(op.finished, timeout=WAIT):
        pass
    assert out.exists() and "Rejected because" in out.read_text(encoding="utf-8-sig")
    assert result.rejected == checked.rejected


def test_already_imported_asks_and_imports_again(wizard, qtbot, workspace, tmp_path):
    path = write_shopify(tmp_path / "s.csv", PEOPLE)
    first = wizard(path)
    to_check(qtbot, first)
    to_result(qtbot, first)
    second = wizard(path)
    second.next()
    second.next()
    second.next()
    qtbot.waitUntil(lambda: second.check_page.again_box is not None, timeout=WAIT)
    box = second.check_page.again_box
    assert "already imported" in box.text()
    with qtbot.waitSignal(second.checked, timeout=WAIT):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert second.again
    to_result(qtbot, second)
    assert workspace.info().batches == 2


def test_cancel_mid_import_leaves_nothing(wizard, qtbot, workspace, tmp_path):
    path = tmp_path / "big.csv"
    write_shopify_customers(path, 30_000)
    wiz = wizard(path)
    to_check(qtbot, wiz)
    wiz.next()
    op = wiz.result_page.op
    assert op is not None
    op.progressed.connect(lambda _f, _m: wiz.result_page.cancel_button.click())
    with qtbot.waitSignal(op.finished, timeout=60_000):
        pass
    shoot(wiz, "cancelled-5-result")
    assert "cancelled" in wiz.result_page.message.text()
    assert wiz.result_page.isComplete()
    assert workspace.info().members == 0 and workspace.info().batches == 0


def test_an_error_file_shows_the_error_dialog(gui_guard, qtbot, workspace, tmp_path):
    bad = tmp_path / "report.csv"
    bad.write_bytes(b"%PDF-1.4 not a table")
    wiz = ImportWizard(workspace)
    wiz.show()
    failures: list[BaseException] = []
    assert wiz.refresh_preview() is None  # no file yet: nothing to read
    wiz.path = str(bad)
    op = wiz.refresh_preview(detect=True)
    assert op is not None
    op.failed.connect(failures.append)
    with qtbot.waitSignal(op.finished, timeout=WAIT):
        pass
    assert failures and "PDF" in str(failures[0])
    box = op.error_dialog
    assert isinstance(box, QMessageBox) and box.isVisible() and "PDF" in box.text()
    assert not wiz.file_page.isComplete()
    assert "Cannot read this file" in wiz.file_page.status.text()
    shoot(wiz, "error-1-file")
    close_widget(box)
    close_widget(wiz)


def test_a_wrong_kind_fails_at_the_check_with_a_dialog(wizard, qtbot, workspace, tmp_path):
    wiz = wizard(write_google_forms(tmp_path / "forms.csv"))
    with qtbot.waitSignal(wiz.previewed, timeout=WAIT):
        wiz.file_page.set_kind("members")
    wiz.next()
    wiz.next()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.error_box is not None, timeout=WAIT)
    assert "survey export" in wiz.error_box.text()
    assert not wiz.check_page.isComplete()
    close_widget(wiz.error_box)


def test_main_window_import_opens_the_wizard(main_window, qtbot, tmp_path):
    main_window.open_path(str(tmp_path / "w.scorecard"), create=True)
    source = write_shopify(tmp_path / "s.csv", PEOPLE)
    wiz = main_window.import_file(str(source))
    assert isinstance(wiz, ImportWizard)
    qtbot.waitUntil(lambda: wiz.preview is not None, timeout=WAIT)
    to_check(qtbot, wiz)
    to_result(qtbot, wiz)
    assert main_window.members_page.model.rowCount() == main_window.workspace.info().members > 0
    wiz.accept()
    gui_fixtures._flush()
    assert main_window.importer.wizard is None


def write_two_sheets(path: Path) -> Path:
    """A workbook whose first sheet is last year's list and whose second is this year's."""
    book = Workbook()
    old = book.active
    old.title = "2025"
    old.append(["Member no.", "Full name", "E-mail", "Revenue"])
    old.append([101, "Old Timer", "old@example.com", 10])
    new = book.create_sheet("2026 members")
    new.append(["Member no.", "Full name", "E-mail", "Revenue", "Orders"])
    for p in [*PEOPLE[:3], Person("7012345678999", "Fay", "Nieuw", "fay@example.com", 5, 1)]:
        new.append([int(p.id), f"{p.first} {p.last}", p.email.strip() or None, p.spent, p.orders])
    book.create_sheet("Notes").append(["Nothing to import here"])
    book["Notes"].sheet_state = "hidden"
    book.save(path)
    return path


def test_a_workbook_sheet_is_chosen_and_imported(wizard, qtbot, workspace, tmp_path):
    wiz = wizard(write_two_sheets(tmp_path / "lists.xlsx"))
    page = wiz.file_page
    assert page.sheet.isVisible() and page.sheet.isEnabled()
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == [
        "2025", "2026 members", "Notes (hidden)"]
    assert page.sheet_name() == "2025" and wiz.preview.sheet == "2025"
    assert "2 more" in page.status.text()
    shoot(wiz, "sheets-1-file")
    with qtbot.waitSignal(wiz.previewed, timeout=WAIT):
        page.choose_sheet("2026 members")
    assert wiz.preview.sheet == "2026 members" and "Orders" in wiz.preview.header
    wiz.next()
    table = wiz.preview_page.table
    assert table.rowCount() == 4 and table.item(0, 1).text() == "Zoë de Vries"
    assert table.item(3, 1).text() == "Fay Nieuw"
    shoot(wiz, "sheets-2-preview")
    checked = to_check(qtbot, wiz)
    assert checked.inserted == 4
    to_result(qtbot, wiz)
    with workspace.engine.connect() as conn:
        emails = set(conn.exec_driver_sql("SELECT email FROM member").scalars())
        sheet = conn.exec_driver_sql("SELECT file_name FROM import_batch").scalar_one()
    assert emails == {"zoe.devries@example.nl", "lukasz@example.pl", "zhang.wei@example.cn",
                      "fay@example.com"}  # the second sheet's people, not the first's
    assert sheet == "lists.xlsx"


def test_a_csv_file_has_no_sheet_to_choose(wizard, tmp_path):
    wiz = wizard(write_shopify(tmp_path / "s.csv", PEOPLE))
    assert not wiz.file_page.sheet.isVisible() and wiz.file_page.sheet_name() is None


def test_screenshots_include_the_wizard_on_the_sample_file(gui_guard, tmp_path):
    from app.gui.main import SAMPLE_FILE, save_screenshots
    from app.gui.main_window import MainWindow

    write_shopify_customers(tmp_path / SAMPLE_FILE, 50)
    ws = Workspace.create(tmp_path / "demo.scorecard")
    window = MainWindow(ws)
    assert save_screenshots(window, tmp_path / "shots") == 0
    shots = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert shots[-2:] == ["07-import-wizard.png", "08-import-mapping.png"]
    assert all((tmp_path / "shots" / s).stat().st_size > 5000 for s in shots[-2:])
    close_widget(window)  # it closed the workspace too
    with Workspace.open(tmp_path / "demo.scorecard") as again:
        assert again.info().batches == 0  # looking is not importing
