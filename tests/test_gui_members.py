"""The members model: sorting, segment filter and search run in SQL over the workspace."""

from __future__ import annotations

import csv
import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import text

from app.gui.members_model import HEADERS, NOT_SCORED, PAGE, MembersModel
from app.gui.members_page import MembersPage
from reports import view_export
from scorecard import store
from scorecard.batches import undo_batch
from scorecard.workspace import Workspace
from survey.demo_shopify import write_shopify_customers
from survey.members import import_members
from tests import gui_fixtures
from tests.gui_fixtures import close_widget
from tests.member_files import PEOPLE, write_shopify

gui_guard = gui_fixtures.gui_guard


@pytest.fixture
def people_ws(tmp_path: Path):
    ws = Workspace.create(tmp_path / "p.scorecard")
    import_members(ws, write_shopify(tmp_path / "shopify.csv", PEOPLE))
    yield ws
    ws.close()


def _column(model: MembersModel, name: str) -> list[object]:
    c = HEADERS.index(name)
    return [model.data(model.index(r, c)) for r in range(model.rowCount())]


def test_rows_and_columns_come_from_the_workspace(gui_guard, people_ws):
    model = MembersModel(people_ws)
    assert model.rowCount() == len(PEOPLE)
    assert _column(model, "ID")[0] == "7012345678901"
    assert _column(model, "Name")[0] == "Zoë de Vries"
    assert _column(model, "Spend")[0] == "1,234.50"
    assert _column(model, "Orders")[0] == "12"
    assert _column(model, "S") == [None] * len(PEOPLE)  # no score run yet: empty, not zero


def test_sort_by_spend_both_ways(gui_guard, people_ws):
    model = MembersModel(people_ws)
    model.sort(HEADERS.index("Spend"), Qt.SortOrder.DescendingOrder)
    spends = [float(s.replace(",", "")) for s in _column(model, "Spend")]
    assert spends == sorted(spends, reverse=True)
    model.sort(HEADERS.index("Name"), Qt.SortOrder.AscendingOrder)
    assert _column(model, "Name")[:2] == ["Zoë de Vries", "Chloé Martin"]  # by last name


def test_search_name_email_and_id(gui_guard, people_ws):
    model = MembersModel(people_ws)
    model.set_filter(search="nowak")
    assert _column(model, "Name") == ["Łukasz Nowak"]
    model.set_filter(search="example.fr")
    assert _column(model, "Email") == ["chloe@example.fr"]
    model.set_filter(search="678903")
    assert _column(model, "Name") == ["伟 张"]
    model.set_filter(search="100%_")  # wildcards are literal
    assert model.rowCount() == 0
    model.set_filter(search="")
    assert model.rowCount() == len(PEOPLE)


def test_segment_filter_uses_the_latest_run(gui_guard, people_ws):
    with people_ws.transaction() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM member ORDER BY id"))]
        for run in (1, 2):
            conn.execute(text(
                "INSERT INTO score_run (id, config_toml, batches_json, members_scored, created_at)"
                " VALUES (:id, '', '[]', 0, :t)"), {"id": run, "t": datetime.now(UTC)})
        for i, member in enumerate(ids[:4]):
            for run, segment in ((1, "Base"), (2, "Ambassadors" if i < 2 else "Advocates")):
                conn.execute(text(
                    "INSERT INTO member_score (run_id, member_id, social, financial, segment) "
                    "VALUES (:r, :m, :s, 50, :g)"), {"r": run, "m": member, "s": 90 - i,
                                                     "g": segment})
    model = MembersModel(people_ws)
    assert model.segments() == ["Advocates", "Ambassadors"]
    model.set_filter(segment="Ambassadors")
    assert model.rowCount() == 2 and _column(model, "S") == ["90", "89"]
    model.set_filter(segment=NOT_SCORED)
    assert model.rowCount() == len(PEOPLE) - 4
    model.set_filter(segment=None, search="example")
    model.sort(HEADERS.index("S"), Qt.SortOrder.AscendingOrder)
    assert _column(model, "S")[:4] == ["87", "88", "89", "90"]  # blanks last


def test_windowed_fetching_and_export_of_the_view(gui_guard, tmp_path: Path):
    source = tmp_path / "c.csv"
    write_shopify_customers(source, 3 * PAGE)
    ws = Workspace.create(tmp_path / "w.scorecard")
    import_members(ws, source)
    model = MembersModel(ws)
    n = model.rowCount()
    assert n > 2 * PAGE
    model.data(model.index(n - 1, 0))
    assert len(model._pages) == 1  # only the page the view asked for
    model.sort(HEADERS.index("Spend"), Qt.SortOrder.DescendingOrder)
    model.set_filter(search="gmail")
    out = tmp_path / "view.csv"
    count = model.export(out)
    with open(out, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == HEADERS and len(rows) == count + 1 == model.rowCount() + 1
    assert all("gmail" in r[2] for r in rows[1:])
    spends = [float(r[4]) for r in rows[1:] if r[4]]
    assert spends == sorted(spends, reverse=True)
    ws.close()


# The order the table must show, by the plainest SQL there is (seconds at 1M, fine at 1,500):
# blanks last, then the keys, then member id, all in the direction asked.
_LATEST = ("(SELECT f.{c} FROM financial_snapshot f WHERE f.member_id = m.id "
           "ORDER BY f.as_of DESC, f.id DESC LIMIT 1)")
ORACLE_KEYS = {
    "ID": ["m.external_id"], "Name": ["m.last_name COLLATE NOCASE", "m.first_name COLLATE NOCASE"],
    "Email": ["m.email"], "City": ["m.city COLLATE NOCASE"],
    "Spend": [_LATEST.format(c="revenue")], "Orders": [_LATEST.format(c="orders")],
    "K": ["ms.knowledge"], "P": ["ms.participation"], "R": ["ms.reach"], "S": ["ms.social"],
    "F": ["ms.financial"], "NV": ["ms.network_value"], "Segment": ["ms.segment"],
}  # fmt: skip


def oracle(ws: Workspace, column: str, desc: bool, search: str = "",
           segment: str | None = None) -> list[int]:
    keys = ORACLE_KEYS[column]
    way = " DESC" if desc else ""
    where, params = ["1"], {}
    if search:
        params["q"] = f"%{search}%"
        where.append("(m.email LIKE :q OR m.first_name LIKE :q OR m.last_name LIKE :q "
                     "OR m.external_id LIKE :q OR m.first_name || ' ' || m.last_name LIKE :q)")
    if segment:
        params["seg"] = segment
        where.append("ms.segment = :seg")
    first = keys[0].replace(" COLLATE NOCASE", "")
    with ws.engine.connect() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT m.id FROM member m LEFT JOIN member_score ms ON ms.member_id = m.id "
            "AND ms.run_id = (SELECT max(id) FROM score_run) WHERE " + " AND ".join(where)
            + f" ORDER BY ({first}) IS NULL, " + ", ".join(k + way for k in keys)
            + f", m.id{way}"), params)]


def _ids(model: MembersModel) -> list[int]:
    return [model.member_id(r) for r in range(model.rowCount())]


@pytest.mark.parametrize("arrays", [True, False], ids=["run-arrays", "older-run"])
def test_every_column_sorts_both_ways_as_sql_would(gui_guard, demo_workspace, arrays):
    if not arrays:  # a run made before the arrays were kept is ordered in SQL
        with demo_workspace.transaction() as conn:
            conn.exec_driver_sql("DELETE FROM score_run_array")
    model = MembersModel(demo_workspace)
    assert model.rowCount() == demo_workspace.info().members > 1400
    for column, name in enumerate(HEADERS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            desc = order == Qt.SortOrder.DescendingOrder
            assert _ids(model) == oracle(demo_workspace, name, desc), (name, order)
    for search, segment in (("an", None), ("", "Base"), ("e", "Advocates")):
        model.set_filter(search=search, segment=segment)
        assert model.rowCount() > 0
        for name in ("Name", "Spend", "S", "Segment", "City"):
            model.sort(HEADERS.index(name), Qt.SortOrder.DescendingOrder)
            assert _ids(model) == oracle(demo_workspace, name, True, search, segment), name


def test_sorting_before_any_scoring_run(gui_guard, people_ws):
    model = MembersModel(people_ws)
    for column, name in enumerate(HEADERS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            desc = order == Qt.SortOrder.DescendingOrder
            assert _ids(model) == oracle(people_ws, name, desc), (name, order)


def test_spend_is_the_latest_snapshot_through_imports_and_undo(gui_guard, people_ws, tmp_path):
    spend = HEADERS.index("Spend")
    richer = [replace(p, spent=p.spent + 2000) if p.last == "Nowak" else p for p in PEOPLE]
    later = import_members(people_ws, write_shopify(tmp_path / "later.csv", richer),
                           as_of=date(2030, 1, 1))
    poorer = [replace(p, spent=1.0) for p in PEOPLE]  # an older export, imported after
    older = import_members(people_ws, write_shopify(tmp_path / "older.csv", poorer),
                           as_of=date(2000, 1, 1))
    model = MembersModel(people_ws)
    model.sort(spend, Qt.SortOrder.DescendingOrder)
    assert _column(model, "Name")[:2] == ["Łukasz Nowak", "Zoë de Vries"]
    assert _column(model, "Spend")[0] == "2,088.00"
    undo_batch(people_ws, older.batch)
    model.refresh()
    assert _column(model, "Spend")[0] == "2,088.00"  # the older snapshot never counted
    undo_batch(people_ws, later.batch)
    model.refresh()
    assert _column(model, "Name")[:2] == ["Zoë de Vries", "伟 张"]
    assert "88.00" in _column(model, "Spend")  # Nowak's first snapshot counts again
    with people_ws.engine.connect() as conn:
        live = conn.exec_driver_sql(
            "SELECT count(*), count(DISTINCT member_id) FROM financial_snapshot "
            "WHERE superseded = 0").one()
    assert tuple(live) == (len(PEOPLE), len(PEOPLE))  # one latest snapshot per member


def test_an_older_workspace_sorts_by_the_latest_spend_after_its_upgrade(gui_guard, tmp_path):
    path = tmp_path / "old.scorecard"
    engine = store.make_engine(path)
    store.upgrade(engine, "0004")  # before the latest snapshots were marked
    with engine.begin() as conn:
        run = conn.exec_driver_sql
        run("INSERT INTO member (id, external_id, last_name) VALUES (1, 'A', 'Ames'), "
            "(2, 'B', 'Berg'), (3, 'C', 'Cole')")
        run("INSERT INTO financial_snapshot (member_id, as_of, revenue, orders) VALUES "
            "(1, '2026-01-01', 500, 5), (1, '2026-06-01', 50, 6), (2, '2026-03-01', 300, 3), "
            "(2, '2025-01-01', 900, 1)")  # Berg's 900 is older than his 300
    engine.dispose()
    with Workspace.open(path) as ws:
        assert ws.report.migrated_from == "0004"
        model = MembersModel(ws)
        model.sort(HEADERS.index("Spend"), Qt.SortOrder.DescendingOrder)
        assert _column(model, "ID") == ["B", "A", "C"]  # Cole has no snapshot: last
        assert _column(model, "Spend") == ["300.00", "50.00", None]
        model.sort(HEADERS.index("Orders"), Qt.SortOrder.AscendingOrder)
        assert _column(model, "ID") == ["B", "A", "C"]
        model.set_workspace(None)


def test_the_page_exports_the_view_to_a_workbook(gui_guard, qtbot, people_ws, tmp_path):
    page = MembersPage()
    page.set_workspace(people_ws)
    page.show()
    page.search.setText("example")
    page._apply_search()
    page.table.sortByColumn(HEADERS.index("Spend"), Qt.SortOrder.DescendingOrder)
    assert page.count.text() == "5 members"
    out = tmp_path / "view.xlsx"
    op = page.export_view(str(out))
    assert op is not None and not page.export_action.isEnabled()
    with qtbot.waitSignal(op.finished, timeout=30_000):
        pass
    rows = [[c.value for c in row] for row in load_workbook(out)["Members"].iter_rows()]
    assert rows[0] == HEADERS
    assert [r[1] for r in rows[1:]] == ["Zoë de Vries", "伟 张", "Łukasz Nowak", "Chloé Martin",
                                        "Nguyễn Thị Lan"]
    assert page.export_message == f"Exported 5 members to {out}"
    assert page.export_action.isEnabled()
    close_widget(page)


def test_cancelling_the_export_writes_nothing(gui_guard, qtbot, people_ws, tmp_path,
                                             monkeypatch):
    gate = threading.Event()  # the first page waits until Cancel has been pressed
    pages = view_export.iter_rows

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        for rows in pages(*args, **kwargs):
            gate.wait(10)
            yield rows

    monkeypatch.setattr(view_export, "iter_rows", held)
    page = MembersPage()
    page.set_workspace(people_ws)
    out = tmp_path / "view.xlsx"
    op = page.export_view(str(out))
    assert op is not None and op.progress_dialog is not None
    op.progress_dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    gate.set()
    with qtbot.waitSignal(op.finished, timeout=30_000):
        pass
    assert not out.exists() and list(tmp_path.glob(".*partial")) == []
    assert page.export_message == "Export cancelled; no file was written"
    close_widget(page)


def test_columns_are_wide_enough_for_their_headers_and_values(gui_guard, demo_workspace):
    page = MembersPage()
    page.resize(1200, 700)
    page.set_workspace(demo_workspace)
    page.show()
    table, metrics = page.table, page.table.fontMetrics()
    segment = HEADERS.index("Segment")
    assert table.columnWidth(segment) > metrics.horizontalAdvance("Not surveyed")
    for column, title in enumerate(HEADERS):
        assert table.columnWidth(column) > metrics.horizontalAdvance(title), title
    shown = table.columnViewportPosition(segment) + table.columnWidth(segment)
    assert shown <= table.viewport().width() + 1  # nothing pushed out of sight at 1200 px
    close_widget(page)
