"""The Dashboard: what a loyalty manager sees and does on it, checked against the domain."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip

from app.gui.dashboard_page import DashboardPage
from app.gui.main_window import MainWindow
from app.gui.member_detail import MemberDetail
from app.gui.quadrant_index import QuadrantIndex
from app.gui.quadrant_view import HIT_RADIUS
from reports.run_data import load_run, member_labels
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace
from survey.members import import_members
from tests import gui_fixtures
from tests.gui_fixtures import close_widget
from tests.member_files import PEOPLE, write_shopify

gui_guard = gui_fixtures.gui_guard
main_window = gui_fixtures.main_window


@pytest.fixture
def demo_path(demo_built, tmp_path: Path) -> Path:
    """A private copy of the scored demo, for a window to open."""
    path = tmp_path / "demo.scorecard"
    shutil.copyfile(demo_built.workspace, path)
    return path


def _open(window: MainWindow, path: Path, qtbot) -> DashboardPage:  # type: ignore[no-untyped-def]
    page = window.dashboard_page
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        assert window.open_path(str(path))
    assert page.stack.currentIndex() == 1
    return page


def _mouse(widget, kind: QEvent.Type, at: QPoint, buttons) -> None:  # type: ignore[no-untyped-def]
    button = (Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove
              else Qt.MouseButton.NoButton)
    event = QMouseEvent(kind, QPointF(at), QPointF(widget.mapToGlobal(at)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def _isolated_member(page: DashboardPage) -> int:
    """Index (into the chart's arrays) of a member no other point is near on screen."""
    chart, index = page.chart, page.data.index
    px = np.array([[chart.to_pixel(f, s).x(), chart.to_pixel(f, s).y()]
                   for f, s in zip(index.f, index.s, strict=True)])  # the demo's few hundred
    dist = np.hypot(*(px[:, None, :] - px[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(dist, np.inf)
    lonely = np.flatnonzero(dist.min(axis=1) > 2 * HIT_RADIUS)
    assert len(lonely), "the demo has no member standing alone on the chart"
    return int(lonely[np.argmax(index.s[lonely])])


def test_dashboard_shows_the_segment_counts_of_the_run(main_window, demo_path, qtbot):
    page = _open(main_window, demo_path, qtbot)
    run = load_run(main_window.workspace)
    counts = run.segment_counts()
    shown = {page.segment_table.item(r, 0).text(): int(page.segment_table.item(r, 1).text()
                                                       .replace(",", ""))
             for r in range(page.segment_table.rowCount())}
    assert shown == counts
    assert page.cards["members"].value.text() == f"{run.n:,}"
    assert page.cards["ambassadors"].value.text() == f"{counts['Ambassadors']:,}"
    scored = int((~np.isnan(run.social)).sum())
    assert page.data.index.n == scored  # every member with S and F is on the chart
    assert f"{scored:,} members plotted" in page.chart_note.text()
    s_hist = page.histograms["S"]
    assert int(s_hist.counts.sum()) == scored and s_hist.marker == run.social_threshold
    image = page.grab()
    assert not image.isNull() and image.width() > 600


def test_hover_names_the_member_and_click_opens_them(main_window, demo_path, qtbot):
    page = _open(main_window, demo_path, qtbot)
    run, index, chart = page.data.run, page.data.index, page.chart
    i = _isolated_member(page)
    pos = int(index.rows[i])
    member = int(run.member_ids[pos])
    name = member_labels(main_window.workspace, [member])[member].name
    at = chart.to_pixel(index.f[i], index.s[i]).toPoint() + QPoint(2, -1)  # near, not exact
    _mouse(chart, QEvent.Type.MouseMove, at, Qt.MouseButton.NoButton)
    assert chart.hover == i
    assert name in chart.hover_text
    assert f"S {run.social[pos]:.1f} · F {run.financial[pos]:.1f}" in chart.hover_text
    assert SEGMENTS[int(run.segment[pos])] in chart.hover_text
    QToolTip.hideText()
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=at)
    dialog = main_window.member_dialogs[-1]
    assert isinstance(dialog, MemberDetail) and dialog.member_id == member
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):
        pass
    assert dialog.title.text() == name
    qtbot.wait(400)  # the tooltip's hide timer


def test_rubber_band_lists_exactly_the_members_in_the_box(main_window, demo_path, qtbot):
    page = _open(main_window, demo_path, qtbot)
    chart = page.chart
    start, end = chart.to_pixel(40, 80).toPoint(), chart.to_pixel(90, 45).toPoint()
    _mouse(chart, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    _mouse(chart, QEvent.Type.MouseMove, (start + end) / 2, Qt.MouseButton.LeftButton)
    _mouse(chart, QEvent.Type.MouseMove, end, Qt.MouseButton.LeftButton)
    _mouse(chart, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    assert chart.selection is not None
    f0, f1, s0, s1 = chart.selection
    assert f0 == pytest.approx(40, abs=1) and s1 == pytest.approx(80, abs=1)
    run = load_run(main_window.workspace)
    inside = ((run.financial >= f0) & (run.financial <= f1)
              & (run.social >= s0) & (run.social <= s1))  # NaN is never inside
    expected = set(run.member_ids[inside].tolist())
    model = page.selection_model
    assert 5 < len(expected) < run.n
    assert set(model.member_ids().tolist()) == expected
    assert page.selection_count.text() == f"{len(expected):,} members"
    assert page.tabs.currentIndex() == 1
    top = int(model.member_id(0))  # highest S first, named from the member list
    assert run.social[run.rows_of([top])[0]] == np.nanmax(run.social[inside])
    label = member_labels(main_window.workspace, [top])[top]
    assert model.data(model.index(0, 0)) == label.name
    # Sorting by F (highest first) keeps the same members, F falling down the list.
    page.selection_view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    listed = model.member_ids()
    assert sorted(listed.tolist()) == sorted(expected)
    assert (np.diff(run.financial[np.searchsorted(run.member_ids, listed)]) <= 0).all()
    # Double-clicking a listed member opens them.
    page.selection_view.doubleClicked.emit(model.index(0, 0))
    assert main_window.member_dialogs[-1].member_id == int(listed[0])


def test_warning_links_lead_to_the_rows_behind_them(main_window, demo_path, qtbot):
    page = _open(main_window, demo_path, qtbot)
    ws = main_window.workspace
    run = load_run(ws)
    rejected = next(b for b in main_window.imports_page.batches if b.rejected)
    assert f'href="batch:{rejected.id}"' in page.warnings.text()
    page.warnings.linkActivated.emit(f"batch:{rejected.id}")
    assert main_window.stack.currentWidget() is main_window.imports_page
    assert main_window.imports_page.selected().id == rejected.id
    assert main_window.imports_page.rejects_button.isEnabled()
    # Key figures: the Ambassadors link filters the Members page, survey-next lists members.
    page.cards["ambassadors"].caption.linkActivated.emit("segment:Ambassadors")
    assert main_window.stack.currentWidget() is main_window.members_page
    assert main_window.members_page.model.rowCount() == run.segment_counts()["Ambassadors"]
    page.cards["survey_next"].caption.linkActivated.emit("list:survey-next")
    wanted = set(run.member_ids[run.not_surveyed_high_value(run.n)].tolist())
    assert set(page.selection_model.member_ids().tolist()) == wanted
    assert page.cards["survey_next"].value.text() == f"{len(wanted):,}"


def test_quadrant_index_finds_the_nearest_member_and_its_cell():
    rng = np.random.default_rng(3)
    f, s = rng.uniform(0, 100, 50_000), rng.uniform(0, 100, 50_000)
    index = QuadrantIndex(f, s, np.arange(50_000), np.zeros(50_000, np.int8))
    for fx, sy in ((12.3, 45.6), (99.9, 0.1), (50.0, 50.0)):
        hit = index.nearest(fx, sy, 1.5, 1.5)
        d = np.hypot((f - fx) / 1.5, (s - sy) / 1.5)
        assert hit.index == int(np.argmin(d)) and hit.nearby == int((d <= 1).sum())
    cand = index.candidates(10, 20, 30, 35)
    inside = np.flatnonzero((f >= 10) & (f <= 20) & (s >= 30) & (s <= 35))
    assert set(inside) <= set(cand.tolist())
    assert index.counts.sum() == 50_000
    rgba = index.density_rgba(np.array([[200, 0, 0]] * 5, np.uint8))  # 5 a cell on average
    assert rgba.shape == (100, 100, 4)
    dense = index.counts[::-1] > 4  # image rows run top-down
    assert ((rgba[..., 3] == 255) == dense).all()
    assert (rgba[dense, 1] < 255).all() and (rgba[dense, 0] >= rgba[dense, 1]).all()


def test_states_before_there_is_anything_to_show(gui_guard, qtbot, tmp_path):
    page = DashboardPage()
    page.show()
    assert "Open a workspace" in page.message.text() and page.action.text() == "Open workspace…"
    with qtbot.waitSignal(page.open_requested, timeout=1000):
        page.action.click()
    ws = Workspace.create(tmp_path / "empty.scorecard")
    try:
        with qtbot.waitSignal(page.loaded, timeout=30_000):
            page.set_workspace(ws)
        assert "no members yet" in page.message.text()
        with qtbot.waitSignal(page.import_requested, timeout=1000):
            page.action.click()
        import_members(ws, write_shopify(tmp_path / "s.csv", PEOPLE))
        with qtbot.waitSignal(page.loaded, timeout=30_000):
            page.refresh()
        assert f"{len(PEOPLE)} members, not scored yet" in page.message.text()
        assert page.action.text() == "Score all members"
        with qtbot.waitSignal(page.score_requested, timeout=1000):
            page.action.click()
    finally:
        close_widget(page)
        ws.close()
