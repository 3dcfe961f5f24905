"""Paper survey entry as a typist does it: keyboard only, a sheet at a time, one batch a sitting.

Set ``PAPER_SCREENSHOTS`` to a folder to keep a screenshot of a half-filled sheet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.gui.paper_entry import PaperEntryDialog
from scorecard.batches import list_batches
from scorecard.workspace import Workspace
from survey.members import import_members
from tests import gui_fixtures
from tests import member_files as mf
from tests.gui_fixtures import close_widget

gui_guard = gui_fixtures.gui_guard
main_window = gui_fixtures.main_window
ZOE, LUKASZ = "7012345678901", "7012345678902"
CTRL = Qt.KeyboardModifier.ControlModifier
WAIT = 20_000


@pytest.fixture
def members(workspace: Workspace, tmp_path: Path) -> Workspace:
    import_members(workspace, mf.write_shopify(tmp_path / "customers.csv", mf.PEOPLE))
    return workspace


@pytest.fixture
def dialog(gui_guard, qtbot, members: Workspace) -> Iterator[PaperEntryDialog]:  # type: ignore[no-untyped-def]
    d = PaperEntryDialog(members)
    d.show()
    d.activateWindow()
    qtbot.waitExposed(d)
    yield d
    if d.op is not None:
        d.op.wait(30)
    d._closing = True  # the test decides what is saved; no question on the way out
    close_widget(d)


def focused() -> object:
    return QApplication.focusWidget()


def name_of_focus() -> str:
    return focused().objectName()  # type: ignore[attr-defined]


def type_(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Key by key into whatever has the focus, as a typist (or a scanner) does."""
    for ch in text:
        qtbot.keyClick(focused(), ch)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
          times: int = 1) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        qtbot.keyClick(focused(), key, modifier)


def stored(ws: Workspace, batch: int) -> list[tuple[str | None, list[tuple[str, str, float]]]]:
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT r.id, m.external_id FROM response r LEFT JOIN member m ON m.id = r.member_id "
            "WHERE r.batch_id = ? ORDER BY r.id", (batch,)
        ).all()
        return [
            (member, sorted(conn.exec_driver_sql(
                "SELECT item_id, raw, value FROM answer WHERE response_id = ?", (rid,)
            ).all()))
            for rid, member in rows
        ]  # fmt: skip


def test_two_sheets_typed_keyboard_only_are_saved_as_one_batch(
    qtbot, dialog: PaperEntryDialog, members: Workspace  # type: ignore[no-untyped-def]
) -> None:
    d = dialog
    assert name_of_focus() == "memberNumber"
    type_(qtbot, ZOE)
    press(qtbot, Qt.Key.Key_Return)
    assert "Zoë de Vries" in d.member_box.label.text()
    assert name_of_focus() == "answer:consent"
    # One keystroke per one-digit answer: each moves on by itself.
    type_(qtbot, "y" "765432" "3" "432101234")
    assert name_of_focus() == "answer:c_networks:facebook"
    type_(qtbot, "1" "4" "2" "51-150")
    press(qtbot, Qt.Key.Key_Return)  # a count may have more digits: Enter moves on
    type_(qtbot, "x" "5" "4" "about 200")
    press(qtbot, Qt.Key.Key_Tab)
    assert name_of_focus() == "answer:c_networks:tiktok"
    press(qtbot, Qt.Key.Key_Return, times=4)  # TikTok not used: four Enters skip its row
    press(qtbot, Qt.Key.Key_Down, CTRL, times=10)  # or one Ctrl+Down a row
    assert name_of_focus() == "answer:nps"
    type_(qtbot, "1")
    assert name_of_focus() == "answer:nps"  # "1" could still become "10"
    type_(qtbot, "0" "3")
    assert "27 of 71 answered" in d.counts.text()
    if folder := os.environ.get("PAPER_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        d.grab().save(str(Path(folder) / "paper-entry-full-sheet.png"))
    press(qtbot, Qt.Key.Key_Return, CTRL)  # Next sheet
    assert len(d.sheets) == 1 and d.table.rowCount() == 1
    assert d.table.item(0, 2).text() == "Zoë de Vries"
    assert "0 of 71 answered" in d.counts.text() and "Sheet 2" in d.counts.text()
    assert name_of_focus() == "memberNumber" and d.member_edit.text() == ""

    # A scanner types the QR code's member number (with its symbology prefix) and Enter.
    type_(qtbot, f"]Q1{LUKASZ}")
    press(qtbot, Qt.Key.Key_Return)
    assert d.member_edit.text() == LUKASZ and "Łukasz Nowak" in d.member_box.label.text()
    type_(qtbot, "1" "2")
    press(qtbot, Qt.Key.Key_Down, times=5)
    assert name_of_focus() == "answer:k_years"
    press(qtbot, Qt.Key.Key_Up)
    type_(qtbot, "7")  # typing over a box replaces its answer
    press(qtbot, Qt.Key.Key_S, CTRL)  # Save sitting keeps the sheet on screen too
    qtbot.waitUntil(lambda: d.result is not None, timeout=WAIT)

    result = d.result
    assert result is not None and (result.rows, result.inserted, result.unmatched) == (2, 2, 0)
    assert d.sheets == [] and d.table.rowCount() == 0
    assert f"batch {result.batch}" in d.message.text()
    batch = list_batches(members)[-1]
    assert (batch.id, batch.kind, batch.rows) == (result.batch, "paper", 2)
    zoe, lukasz = stored(members, result.batch)
    assert zoe[0] == ZOE and lukasz[0] == LUKASZ
    assert lukasz[1] == [("consent", "Yes", 1.0), ("k_expertise", "Disagree", 2.0),
                         ("k_maven", "Strongly agree", 7.0)]
    assert zoe[1] == sorted([
        ("consent", "Yes", 1.0), ("k_expertise", "Strongly agree", 7.0),
        ("k_interest", "Agree", 6.0), ("k_brand", "Somewhat agree", 5.0),
        ("k_advice", "Neither agree nor disagree", 4.0),
        ("k_influence", "Somewhat disagree", 3.0), ("k_maven", "Disagree", 2.0),
        ("k_years", "3–5 years", 4.0),
        ("p_read", "Daily", 4.0), ("p_reviews", "Weekly", 3.0), ("p_photos", "Monthly", 2.0),
        ("p_posts", "A few times a year", 1.0), ("p_comment", "Never", 0.0),
        ("p_share", "A few times a year", 1.0), ("p_recommend", "Monthly", 2.0),
        ("p_events", "Weekly", 3.0), ("p_organise", "Daily", 4.0),
        ("c_networks:facebook", "Facebook", 1.0), ("c_facebook_close", "Close", 4.0),
        ("c_facebook_public", "A small circle", 2.0), ("r_facebook", "51-150", 100.0),
        ("c_networks:instagram", "Instagram", 1.0),
        ("c_instagram_close", "Very close-knit", 5.0),
        ("c_instagram_public", "Mostly public", 4.0), ("r_instagram", "about 200", 200.0),
        ("nps", "10", 10.0), ("age_band", "35–44", 40.0),
    ])


def test_a_wrong_answer_is_marked_and_blocks_saving(
    qtbot, dialog: PaperEntryDialog, members: Workspace  # type: ignore[no-untyped-def]
) -> None:
    d = dialog
    type_(qtbot, ZOE)
    press(qtbot, Qt.Key.Key_Return)
    type_(qtbot, "1" "9")  # consent, then 9 on a 1–7 scale
    box = d.form.edits["k_expertise"]
    assert focused() is box and box.text() == "9"
    assert "#c62828" in box.styleSheet()
    message = ("Question 2 (I know a lot about products): '9' is not an answer here; "
               "type 1–7 (1 Strongly disagree … 7 Strongly agree)")
    assert message in d.help_line.text() and "1 to fix" in d.counts.text()
    type_(qtbot, "6")
    assert box.text() == "9"  # a slip does not run on into the next keystrokes
    batches = len(list_batches(members))
    press(qtbot, Qt.Key.Key_S, CTRL)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert d.op is None and len(list_batches(members)) == batches and d.sheets == []
    assert d.message.text() == message and focused() is box
    d.save_button.click()
    assert d.op is None and d.message.text() == message
    press(qtbot, Qt.Key.Key_Backspace)
    type_(qtbot, "6")
    assert box.styleSheet() == "" and name_of_focus() == "answer:k_interest"
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: d.result is not None, timeout=WAIT)
    assert stored(members, d.result.batch) == [  # type: ignore[union-attr]
        (ZOE, [("consent", "Yes", 1.0), ("k_expertise", "Agree", 6.0)])
    ]


def test_sheets_can_be_opened_again_removed_and_closing_asks(
    qtbot, dialog: PaperEntryDialog, members: Workspace  # type: ignore[no-untyped-def]
) -> None:
    d = dialog
    for member, answers in ((ZOE, "15"), (LUKASZ, "12"), ("7012345678999", "17")):
        type_(qtbot, member)
        press(qtbot, Qt.Key.Key_Return)
        if member.endswith("999"):  # not on the member list: a second Enter keeps it
            assert "not on the member list" in d.member_box.label.text()
            assert name_of_focus() == "memberNumber"
            press(qtbot, Qt.Key.Key_Return)
        type_(qtbot, answers)
        press(qtbot, Qt.Key.Key_Return, CTRL)
    assert [d.table.item(r, 2).text() for r in range(3)] == [
        "Zoë de Vries", "Łukasz Nowak", "(not on the member list)"
    ]
    d.table.selectRow(0)
    assert d.edit_sheet()
    assert d.form.edits["k_expertise"].text() == "5" and "Update sheet 1" in d.next_button.text()
    d.form.edits["k_expertise"].setFocus()
    type_(qtbot, "3")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert d.sheets[0].answers == {"consent": "1", "k_expertise": "3"} and len(d.sheets) == 3
    d.table.setFocus()
    d.table.selectRow(1)
    press(qtbot, Qt.Key.Key_Delete)
    assert [s.member_key for s in d.sheets] == [ZOE, "7012345678999"]

    d.close()  # two sheets not saved: it asks, and Cancel keeps them
    box = d.discard_box
    assert box is not None and box.isVisible() and "2 sheets not saved" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert d.isVisible() and len(d.sheets) == 2
    d.save_sitting()
    qtbot.waitUntil(lambda: d.result is not None, timeout=WAIT)
    assert (d.result.rows, d.result.unmatched) == (2, 1)  # type: ignore[union-attr]
    assert [m for m, _ in stored(members, d.result.batch)] == [ZOE, None]  # type: ignore[union-attr]
    type_(qtbot, ZOE)
    d.close()
    d.discard_box.button(QMessageBox.StandardButton.Discard).click()  # type: ignore[union-attr]
    assert not d.isVisible()


def test_file_menu_opens_paper_entry_and_a_save_refreshes_the_window(
    qtbot, main_window, members: Workspace  # type: ignore[no-untyped-def]
) -> None:
    main_window.set_workspace(members)
    action = main_window.paper_action
    file_menu = main_window.menuBar().actions()[0].menu()
    assert action in file_menu.actions() and action.text() == "Enter &paper questionnaires…"
    assert action.isEnabled()
    action.trigger()
    d = main_window.findChild(PaperEntryDialog)
    assert d is not None and d.isVisible()
    d.member_edit.setText(ZOE)
    d.form.edits["k_brand"].setText("7")
    d.save_sitting()
    qtbot.waitUntil(lambda: d.result is not None, timeout=WAIT)
    assert "1 survey responses" in main_window.statusBar().currentMessage()
    d.close()
