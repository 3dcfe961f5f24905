"""The Scoring studio page: sliders move counts as the domain says, save, run, compare, TOML."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from app.gui.studio_page import NO_ANSWERS, NO_MEMBERS, NO_WORKSPACE, StudioPage
from bench.bench_studio import synthetic_studio
from reports.run_data import member_labels
from scorecard.scoring.configs import current_config, list_configs, read_config
from scorecard.scoring.engine import compute_scores
from scorecard.scoring.loading import load_inputs
from scorecard.scoring.runs import list_runs, score
from scorecard.scoring.segments import SEGMENTS
from scorecard.scoring.whatif import WhatIf, set_value
from scorecard.workspace import Workspace
from survey.members import import_members
from tests import gui_fixtures
from tests.gui_fixtures import close_widget
from tests.member_files import PEOPLE, write_shopify

gui_guard = gui_fixtures.gui_guard
main_window = gui_fixtures.main_window


@pytest.fixture
def studio(main_window, demo_built, tmp_path: Path, qtbot) -> StudioPage:  # type: ignore[no-untyped-def]
    """The main window on a copy of the scored demo, showing the studio, first counts in."""
    path = tmp_path / "demo.scorecard"
    shutil.copyfile(demo_built.workspace, path)
    assert main_window.open_path(str(path))
    main_window.nav.setCurrentRow(list(main_window.pages).index("Scoring"))
    page = main_window.scoring_page
    assert page.isVisible()
    qtbot.waitUntil(lambda: page.outcome is not None, timeout=30_000)
    return page


def _column(page: StudioPage, col: int) -> dict[str, int]:
    t = page.whatif_view.counts
    return {t.item(r, 0).text(): int(t.item(r, col).text().replace(",", ""))
            for r in range(t.rowCount())}


def _domain(ws: Workspace, config) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return compute_scores(load_inputs(ws, config), config, receipts=False).segment_counts()


def _move(page: StudioPage, qtbot, path: str, position: int) -> None:  # type: ignore[no-untyped-def]
    """Drag a slider to ``position`` and wait for the counts of that config."""
    page.panel.controls[path].slider.setValue(position)  # type: ignore[union-attr]
    wanted = page.config
    qtbot.waitUntil(lambda: page.outcome is not None and page.outcome.config == wanted
                    and not page._debounce.isActive(), timeout=10_000)


def test_moving_the_k_weight_shows_the_domain_counts(studio: StudioPage, qtbot):
    ws = studio.workspace
    run = list_runs(ws)[-1]
    assert _column(studio, 1) == run.segments  # before: the saved run
    assert _column(studio, 2) == run.segments  # nothing moved yet
    _move(studio, qtbot, "social.knowledge", 35)
    assert studio.config.social.knowledge == 3.5
    assert studio.config == current_config(ws)[0].with_(social=studio.config.social)
    assert _column(studio, 2) == _domain(ws, studio.config) != run.segments
    assert studio.last_latency is not None and studio.last_latency < 2.0
    assert "members move against Run 1" in studio.status.text()


def test_the_moved_members_are_the_ones_the_domain_says_moved(studio: StudioPage, qtbot):
    ws = studio.workspace
    _move(studio, qtbot, "segments.social_threshold", 50)
    config = studio.config
    new = np.asarray(SEGMENTS)[compute_scores(load_inputs(ws, config), config,
                                              receipts=False).segment]
    with ws.engine.connect() as conn:
        old = dict(conn.exec_driver_sql(
            "SELECT member_id, segment FROM member_score WHERE run_id = 1").all())
    ids = studio.whatif.inputs.member_ids.tolist()
    moved = [m for m, s in zip(ids, new, strict=True) if old[m] != s]
    labels = member_labels(ws, moved)
    model = studio.whatif_view.moves_model

    def cell(r: int, c: int) -> str:
        return model.index(r, c).data()

    assert model.rowCount() == min(len(moved), 500) > 0
    first = labels[moved[0]]
    assert (cell(0, 0), cell(0, 1)) == (first.name, first.external_id or "")
    assert (cell(0, 2), cell(0, 3)) == (old[moved[0]], new[ids.index(moved[0])])
    shown_names = {cell(r, 0) for r in range(model.rowCount())}
    assert shown_names <= {labels[m].name for m in moved}
    assert f"{len(moved):,} members change segment" in studio.whatif_view.moves_label.text()
    # Clicking a highlighted cell lists just those members.
    base_row = [studio.whatif_view.transitions.item(r, 0).text()
                for r in range(studio.whatif_view.transitions.rowCount())].index("Base")
    col = 1 + SEGMENTS.index("Advocates")
    count = int(studio.whatif_view.transitions.item(base_row, col).text().replace(",", ""))
    studio.whatif_view.transitions.cellClicked.emit(base_row, col)
    assert model.rowCount() == min(count, 500) > 0
    assert {cell(r, 2) for r in range(model.rowCount())} == {"Base"}
    assert {cell(r, 3) for r in range(model.rowCount())} == {"Advocates"}
    assert "move from Base to Advocates" in studio.whatif_view.moves_label.text()


def test_save_config_then_run_makes_a_run_with_it(studio: StudioPage, qtbot, main_window):
    ws = studio.workspace
    _move(studio, qtbot, "segments.financial_threshold", 70)
    shown = _column(studio, 2)
    studio.name_edit.setText("Top 30 percent")
    info = studio.save_config()
    assert info is not None and list_configs(ws)[-1].name == "Top 30 percent"
    saved, saved_id = current_config(ws)
    assert saved_id == info.id and saved.segments.financial_threshold == 70.0
    assert not studio.dirty and studio.bar.save_button.text() == "Save config"
    op = main_window.score_members()  # the Run button
    with qtbot.waitSignal(op.finished, timeout=60_000):
        pass
    runs = list_runs(ws)
    assert len(runs) == 2 and runs[-1].config_name == "Top 30 percent"
    assert runs[-1].segments == shown  # the run gives what the studio showed
    with ws.engine.connect() as conn:
        config_id, toml = conn.exec_driver_sql(
            "SELECT config_id, config_toml FROM score_run WHERE id = ?", (runs[-1].id,)).one()
    assert config_id == info.id and "financial_threshold = 70.0" in toml
    assert studio.runs_view.table.rowCount() == 2 and studio.runs_view.table.item(0, 2).text() == (
        "Top 30 percent")
    qtbot.waitUntil(lambda: studio.outcome.before.run_id == runs[-1].id, timeout=10_000)
    assert len(studio.outcome.moved) == 0  # now compared with the new run
    assert "2 score runs" in main_window.statusBar().currentMessage()


def test_compare_two_runs(studio: StudioPage, qtbot):
    ws = studio.workspace
    score(ws, set_value(current_config(ws)[0], "segments.social_threshold", 40.0))
    studio.refresh()
    assert studio.runs_view.table.rowCount() == 2
    studio.runs_view.table.selectAll()
    assert studio.runs_view.compare_button.isEnabled()
    op = studio.runs_view.compare()
    with qtbot.waitSignal(op.finished, timeout=30_000):
        pass
    assert studio.runs_view.compare_label.text().startswith("Run 1 → run 2:")
    t = studio.runs_view.transitions
    rows = {t.item(r, 0).text(): r for r in range(t.rowCount())}
    cols = {t.horizontalHeaderItem(c).text(): c for c in range(t.columnCount())}
    assert int(t.item(rows["Base"], cols["Advocates"]).text().replace(",", "")) > 0
    assert studio.runs_view.moves_model.rowCount() > 0


def test_export_then_import_gives_the_same_config(studio: StudioPage, qtbot, tmp_path: Path):
    _move(studio, qtbot, "reach.bands.51–150", 60)
    _move(studio, qtbot, "knowledge.items.k_advice.weight", 25)
    studio.panel.controls["financial.measure"].setCurrentText("revenue")  # type: ignore[union-attr]
    studio.name_edit.setText("Exported")
    exported = studio.config.with_(name="Exported")
    path = studio.export_toml(str(tmp_path / "studio.toml"))
    assert path is not None and read_config(path) == exported
    studio.reset()
    assert studio.config != exported
    imported = studio.import_toml(str(path))
    assert imported == exported and studio.config == exported
    assert studio.panel.controls["reach.bands.51–150"].spin.value() == 60.0  # type: ignore[union-attr]
    assert studio.panel.controls["financial.measure"].currentText() == "revenue"  # type: ignore[union-attr]
    assert studio.name_edit.text() == "Exported" and studio.dirty


def test_a_bad_toml_file_shows_what_is_wrong(studio: StudioPage, tmp_path: Path):
    before = studio.config
    broken = tmp_path / "broken.toml"
    broken.write_text("[segments\nsocial_threshold = ", encoding="utf-8")
    assert studio.import_toml(str(broken)) is None
    box = studio.error_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "broken.toml" in box.text() and "not valid TOML" in box.text()
    close_widget(box)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[segments]\nsocial_threshold = 160\n", encoding="utf-8")
    assert studio.import_toml(str(wrong)) is None
    box = studio.error_box
    assert "wrong.toml" in box.text() and "segments.social_threshold" in box.text()
    close_widget(box)
    assert studio.config is before


def test_states_without_workspace_members_or_answers(gui_guard, qtbot, tmp_path: Path):
    page = StudioPage()
    page.show()
    assert page.message.text() == NO_WORKSPACE and not page.body.isVisible()
    with Workspace.create(tmp_path / "empty.scorecard") as empty:
        page.set_workspace(empty)
        qtbot.waitUntil(lambda: page.message.text() == NO_MEMBERS, timeout=10_000)
        page.set_workspace(None)
    with Workspace.create(tmp_path / "members.scorecard") as ws:
        import_members(ws, write_shopify(tmp_path / "s.csv", PEOPLE))
        page.set_workspace(ws)
        qtbot.waitUntil(lambda: page.outcome is not None, timeout=10_000)
        assert page.banner.isVisible() and page.banner.text() == NO_ANSWERS
        assert "No score runs yet" in page.runs_view.label.text()
        assert page.outcome.counts["Not surveyed"] == page.whatif.n > 0
        page.set_workspace(None)
    close_widget(page)


def test_a_drag_evaluates_once_it_pauses(gui_guard, qtbot):
    whatif, config = synthetic_studio(3_000)
    page = StudioPage()
    page.show()
    page.use_whatif(whatif, config)
    qtbot.waitUntil(lambda: page.outcome is not None, timeout=10_000)
    shown = []
    page.evaluated.connect(shown.append)
    slider = page.panel.controls["social.reach"].slider  # type: ignore[union-attr]
    for position in range(11, 31):  # twenty steps of a drag, faster than the debounce
        slider.setValue(position)
        qtbot.wait(5)
    qtbot.waitUntil(lambda: bool(shown) and shown[-1].config.social.reach == 3.0, timeout=10_000)
    qtbot.wait(300)
    assert len(shown) == 1  # the intermediate positions were never evaluated
    close_widget(page)


def test_heartbeat_while_recomputing_100k(gui_guard, qtbot):
    """A 10 ms GUI timer keeps ticking while 100k members are re-segmented in the background."""
    whatif, config = synthetic_studio(100_000)
    page = StudioPage()
    page.resize(1300, 850)
    page.show()
    page.use_whatif(whatif, config)
    qtbot.waitUntil(lambda: page.outcome is not None, timeout=30_000)
    ticks: list[float] = []
    beat = QTimer()
    beat.setInterval(10)
    beat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    shown = []
    page.evaluated.connect(shown.append)
    beat.start()
    controls = page.panel.controls
    for path, positions in (("social.knowledge", (12, 15, 20, 25, 30)),
                            ("reach.bands.51–150", (80, 60, 40)),
                            ("participation.items.p_share.weight", (20, 40)),
                            ("segments.social_threshold", (55, 50))):
        for position in positions:  # a drag: a step every 40 ms
            controls[path].slider.setValue(position)  # type: ignore[union-attr]
            qtbot.wait(40)
        wanted = page.config  # then a pause: the debounce lets one evaluation through
        qtbot.waitUntil(lambda w=wanted: bool(shown) and shown[-1].config == w, timeout=30_000)
    beat.stop()
    gaps = np.diff(ticks)
    assert len(shown) == 4 and len(ticks) > 50
    assert gaps.max() < 0.1, f"the GUI stalled for {gaps.max() * 1000:.0f} ms"
    fresh = WhatIf(whatif.inputs, wanted, whatif.bands)  # the domain, from scratch
    assert shown[-1].counts == fresh.evaluate(wanted).counts
    close_widget(page)


def test_importing_a_config_with_a_new_band_loads_again(studio: StudioPage, qtbot,
                                                        tmp_path: Path):
    path = tmp_path / "bands.toml"
    path.write_text('name = "Wider bands"\n[reach.bands]\n"1000+" = 2000.0\n', encoding="utf-8")
    config = studio.import_toml(str(path))
    assert config is not None and "reach.bands.1000+" in studio.panel.controls
    qtbot.waitUntil(lambda: studio.outcome is not None and studio.outcome.config == config
                    and studio.whatif.bands.labels[-1] == "1000+", timeout=30_000)
    assert _column(studio, 2) == _domain(studio.workspace, config)
