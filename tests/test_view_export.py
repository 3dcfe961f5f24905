"""Exporting the Members view (Qt-free): what is shown, in its order, text never a formula."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports import view_export
from reports.member_view import HEADERS, NOT_SCORED, ViewSpec, ordered_ids
from reports.view_export import export_view
from scorecard.errors import Cancelled
from scorecard.workspace import Workspace
from survey.demo_shopify import write_shopify_customers
from survey.members import import_members
from tests.member_files import PEOPLE, Person, write_shopify

SNEAKY = [
    Person("7012345678907", '=HYPERLINK("http://evil.example","x")', "Smit", "eq@example.com",
           10.0, 1, city="@SUM(1,2)"),
    Person("7012345678908", "+Plus", "Jansen", "plus@example.com", 20.0, 2, city="-Minus"),
]


@pytest.fixture
def people_ws(tmp_path: Path):
    ws = Workspace.create(tmp_path / "p.scorecard")
    import_members(ws, write_shopify(tmp_path / "shopify.csv", PEOPLE + SNEAKY))
    yield ws
    ws.close()


def sheet_rows(path: Path, sheet: str = "Members") -> list[tuple[object, ...]]:
    book = load_workbook(path)
    return [tuple(c.value for c in row) for row in book[sheet].iter_rows()]


def test_text_from_files_is_never_a_formula_in_the_workbook(people_ws, tmp_path: Path) -> None:
    out = tmp_path / "members.xlsx"
    assert export_view(people_ws, out) == len(PEOPLE) + 2
    book = load_workbook(out)
    sheet = book["Members"]
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row if c.value}
    name = cells['=HYPERLINK("http://evil.example","x") Smit']
    assert name.data_type == "s" and name.quotePrefix
    assert cells["@SUM(1,2)"].data_type == "s" and cells["-Minus"].data_type == "s"
    assert cells["+Plus Jansen"].data_type == "s"
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the sheet


def test_the_workbook_has_the_columns_numbers_and_a_frozen_header(people_ws,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "members.xlsx"
    spend = HEADERS.index("Spend")
    export_view(people_ws, out, spec=ViewSpec(sort_column=spend, descending=True))
    book = load_workbook(out)
    sheet = book["Members"]
    assert sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADERS
    assert rows[1][:2] == ["7012345678901", "Zoë de Vries"] and rows[1][spend] == 1234.5
    assert sheet.cell(row=2, column=spend + 1).number_format == "#,##0.00"
    spends = [r[spend] for r in rows[1:]]
    assert spends == sorted(spends, reverse=True)
    assert all(isinstance(s, int | float) for s in spends)  # numbers, not text
    assert rows[1][HEADERS.index("Orders")] == 12


def test_export_follows_the_search_and_the_order(tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    write_shopify_customers(source, 1200)
    with Workspace.create(tmp_path / "w.scorecard") as ws:
        import_members(ws, source)
        spec = ViewSpec(search="gmail", sort_column=HEADERS.index("Name"))
        with ws.engine.connect() as conn:
            ids = ordered_ids(conn, spec, None)
        out = tmp_path / "view.xlsx"
        seen: list[float] = []
        count = export_view(ws, out, spec=spec, progress=lambda f, _m: seen.append(f))
        rows = sheet_rows(out)[1:]
        with ws.engine.connect() as conn:
            external = dict(conn.exec_driver_sql("SELECT id, external_id FROM member").all())
    assert count == len(ids) == len(rows) > 200
    assert [r[0] for r in rows] == [external[int(i)] for i in ids]
    assert all("gmail" in r[2] for r in rows)
    assert seen[-1] == 1.0 and len(seen) >= 2  # a page at a time, then done


def test_a_cancelled_export_leaves_no_file(people_ws, tmp_path: Path) -> None:
    out = tmp_path / "members.xlsx"
    with pytest.raises(Cancelled):
        export_view(people_ws, out, cancel=lambda: True)
    assert list(tmp_path.glob("*.xlsx*")) == [] and list(tmp_path.glob(".*")) == []


def test_more_members_than_a_sheet_holds_continue_on_a_second_sheet(
    people_ws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view_export, "SHEET_ROWS", 5)  # header + 4 members a sheet
    out = tmp_path / "members.xlsx"
    export_view(people_ws, out)
    book = load_workbook(out)
    assert book.sheetnames == ["Members", "Members (2)"]
    first, second = sheet_rows(out), sheet_rows(out, "Members (2)")
    assert first[0] == second[0] == tuple(HEADERS)
    assert len(first) - 1 + len(second) - 1 == len(PEOPLE) + 2


def test_csv_export_keeps_formulas_inert(people_ws, tmp_path: Path) -> None:
    out = tmp_path / "members.csv"
    export_view(people_ws, out, spec=ViewSpec(search="example.com"))
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == HEADERS and len(rows) == 3
    names = {r[1] for r in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil.example","x") Smit', "'+Plus Jansen"}
    assert {r[3] for r in rows[1:]} == {"'@SUM(1,2)", "'-Minus"}


def test_a_segment_of_a_scored_run_sorted_by_social_score(demo_workspace, tmp_path) -> None:
    social = HEADERS.index("S")
    spec = ViewSpec(segment="Advocates", sort_column=social, descending=True)
    out = tmp_path / "advocates.xlsx"
    count = export_view(demo_workspace, out, spec=spec)
    rows = sheet_rows(out)[1:]
    with demo_workspace.engine.connect() as conn:
        expected = conn.exec_driver_sql(
            "SELECT count(*) FROM member_score WHERE segment = 'Advocates' "
            "AND run_id = (SELECT max(id) FROM score_run)").scalar_one()
    assert count == len(rows) == expected > 0
    assert {r[HEADERS.index("Segment")] for r in rows} == {"Advocates"}
    scores = [r[social] for r in rows]
    assert scores == sorted(scores, reverse=True)
    empty = tmp_path / "none.xlsx"
    assert export_view(demo_workspace, empty, spec=ViewSpec(segment=NOT_SCORED)) == 0
    assert sheet_rows(empty) == [tuple(HEADERS)]
