"""The members model: sorting, segment filter and search run in SQL over the workspace."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from app.gui.members_model import HEADERS, NOT_SCORED, PAGE, MembersModel
from scorecard.workspace import Workspace
from survey.demo_shopify import write_shopify_customers
from survey.members import import_members
from tests import gui_fixtures
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
    count = model.export_csv(out)
    with open(out, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == HEADERS and len(rows) == count + 1 == model.rowCount() + 1
    assert all("gmail" in r[2] for r in rows[1:])
    spends = [float(r[4]) for r in rows[1:] if r[4]]
    assert spends == sorted(spends, reverse=True)
    ws.close()


def test_export_never_writes_formulas(gui_guard, people_ws, tmp_path: Path):
    model = MembersModel(people_ws)
    model.export_csv(tmp_path / "x.csv")
    text_out = (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert "=HYPERLINK" not in text_out or "'=HYPERLINK" in text_out
