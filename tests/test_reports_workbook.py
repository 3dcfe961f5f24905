"""The Excel workbook: read back with openpyxl and checked against the database."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart, ScatterChart
from openpyxl.workbook.workbook import Workbook as LoadedWorkbook

import reports.workbook_members as members_module
from reports.run_data import load_run, member_labels
from reports.workbook import WorkbookResult, write_workbook
from reports.workbook_formulas import formula_social
from scorecard.errors import Cancelled
from scorecard.scoring.config import QualityConfig, default_config
from scorecard.scoring.runs import score
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace

SHEETS = ["Summary", "Members", "Ambassadors", "Not yet surveyed", "Network", "Weights",
          "Data quality", "Methodology", "Chart data"]
HYPERLINK = '=HYPERLINK("http://evil.example","Click")'
INJECTED = {  # member position → (first name, e-mail, city) as an imported file had them
    0: (HYPERLINK, "=1+1@example.com", "Amsterdam"),
    1: ("@SUM(A1)", "plain@example.com", "-cmd"),
    2: ("+1-2", None, "@city"),
    3: ("-Ambassador\x01", "x@example.com", "Utrecht"),  # a control character, too
}


def _inject(ws: Workspace, ids: list[int]) -> None:
    with ws.transaction() as conn:
        for member_id, (first, email, city) in zip(ids, INJECTED.values(), strict=True):
            conn.exec_driver_sql(
                "UPDATE member SET first_name = ?, last_name = NULL, email = ?, city = ? "
                "WHERE id = ?", (first, email, city, member_id))


@pytest.fixture(scope="module")
def book(demo_built, tmp_path_factory: pytest.TempPathFactory):
    """The demo's workbook, written once, with formula-like names in the member table."""
    folder = tmp_path_factory.mktemp("workbook")
    path = folder / "demo.scorecard"
    shutil.copyfile(demo_built.workspace, path)
    ws = Workspace.open(path)
    run = load_run(ws)
    # The first members by id, plus the second Ambassador so a list sheet meets one too.
    ids = [int(run.member_ids[p]) for p in (0, 1, 2)] + [int(run.member_ids[
        run.top_ambassadors(2)[1]])]
    _inject(ws, ids)
    said: list[tuple[float, str]] = []
    result = write_workbook(ws, folder / "scorecard.xlsx",
                            progress=lambda f, m: said.append((f, m)))
    wb = load_workbook(result.path)
    yield ws, run, result, wb, said, ids
    ws.close()


def test_sheets_rows_and_result(book) -> None:
    ws, run, result, wb, said, _ = book
    assert isinstance(result, WorkbookResult)
    assert wb.sheetnames == SHEETS == list(result.sheets)
    assert result.members == run.n == ws.info().members and result.parts == 1
    members = wb["Members"]
    assert members.max_row == run.n + 1  # header + every member
    assert [c.value for c in members[1]][:12] == ["Member number", "Name", "E-mail", "City",
                                                  "Country", "K", "P", "R", "S", "F", "NV",
                                                  "Segment"]
    assert members.freeze_panes == "C2"
    assert members.auto_filter.ref == f"A1:N{run.n + 1}"
    assert any("F2:K" in str(rng.sqref) for rng in members.conditional_formatting)
    row = int(np.flatnonzero(~np.isnan(run.knowledge))[0]) + 2  # a surveyed member
    assert members[f"F{row}"].number_format == "0.0" == members[f"J{row}"].number_format
    assert members[f"M{row}"].number_format == "0%"
    assert members[f"N{row}"].number_format == "#,##0.00"
    assert wb.calculation.fullCalcOnLoad  # Excel/LibreOffice compute the formulas on open
    fractions = [f for f, _ in said]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_social_and_segment_are_formulas_over_weights(book) -> None:
    _, run, _, wb, _, _ = book
    members = wb["Members"]
    # Every Segment is a formula; S is one wherever the member has a component (without any,
    # no weight can give them an S: the cell stays empty and the Segment reads "Not surveyed").
    has_component = ~np.isnan(np.stack([run.knowledge, run.participation, run.reach])).all(0)
    s_formula = [c.data_type == "f" for c in members["I"][1:]]
    assert s_formula == has_component.tolist()
    assert all(c.data_type == "f" for c in members["L"][1:])
    assert all(c.value is None for c, f in zip(members["I"][1:], s_formula, strict=True)
               if not f)
    surveyed = np.flatnonzero(has_component)
    for row in (int(surveyed[0]) + 2, int(surveyed[-1]) + 2):
        s, seg = members[f"I{row}"], members[f"L{row}"]
        assert f"F{row}:H{row}" in s.value and "Weights!" in s.value
        assert f"I{row}" in seg.value and f"J{row}" in seg.value and "Weights!$B$11" in seg.value
    # The cells the formulas read hold this run's config.
    weights = wb["Weights"]
    social = run.config.social
    assert [weights[c].value for c in ("B5", "C5", "D5")] == [
        social.knowledge, social.participation, social.reach]
    assert weights["B8"].value == social.min_components
    assert weights["B11"].value == run.social_threshold
    assert weights["B12"].value == run.financial_threshold
    # Each row's K, P, R, F are the run's; S follows from them as the engine computes it.
    k = np.array([np.nan if c.value is None else c.value for c in members["F"][1:]], float)
    assert np.allclose(k, run.knowledge, equal_nan=True)
    mirror = formula_social(np.stack([run.knowledge, run.participation, run.reach], 1),
                            run.config)
    assert np.array_equal(np.isnan(mirror), np.isnan(run.social))
    ok = ~np.isnan(run.social)
    # The run stores K, P, R and S to two decimals, so S from the stored K, P, R is within
    # a rounding step of the stored S.
    assert np.allclose(mirror[ok], run.social[ok], atol=0.01)


def test_imported_text_stays_text(book) -> None:
    _, run, result, wb, _, ids = book
    members = wb["Members"]
    expected = {HYPERLINK, "@SUM(A1)", "+1-2", "=1+1@example.com", "-cmd", "@city"}
    seen = set()
    for row in (2, 3, 4):
        for cell in members[row][:5]:
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                assert cell.data_type == "s", cell.coordinate
                assert cell.quotePrefix  # stays text when someone edits it in Excel
                seen.add(cell.value)
    assert seen == expected
    pos = int(run.rows_of([ids[3]])[0])
    assert pos > 2
    assert members.cell(pos + 2, 2).value == "-Ambassador"  # the control character dropped
    amb = wb["Ambassadors"]
    assert amb["C3"].value == "-Ambassador" and amb["C3"].data_type == "s"
    assert amb["C3"].quotePrefix
    # In the file itself: no formula anywhere that came from a name.
    with zipfile.ZipFile(result.path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "HYPERLINK" in xml and "<f>HYPERLINK" not in xml and "<f>SUM" not in xml


def test_lists_match_the_database(book) -> None:
    ws, run, _, wb, _, ids = book
    with ws.engine.connect() as conn:
        amb_count = conn.exec_driver_sql(
            "SELECT count(*) FROM member_score WHERE run_id = ? AND segment = 'Ambassadors'",
            (run.run_id,)).scalar_one()
    amb = wb["Ambassadors"]
    assert amb.max_row - 1 == amb_count == run.segment_counts()["Ambassadors"]
    top = int(run.member_ids[run.top_ambassadors(1)[0]])
    assert top not in ids
    assert amb["C2"].value == member_labels(ws, [top])[top].name
    assert amb["G2"].value == pytest.approx(float(np.nanmax(run.social[run.segment == 0])))

    nxt = wb["Not yet surveyed"]
    f = [r[0] for r in nxt.iter_rows(min_row=2, min_col=7, max_col=7, values_only=True)]
    assert len(f) == run.not_surveyed_high_value_count()
    assert f == sorted(f, reverse=True) and min(f) >= run.financial_threshold

    net = wb["Network"]
    top_ref = net["B2"].value
    with ws.engine.connect() as conn:
        referred = conn.exec_driver_sql(
            "SELECT count(DISTINCT r.referred_id) FROM referral r JOIN member m "
            "ON m.id = r.referrer_id WHERE coalesce(m.external_id, CAST(m.id AS TEXT)) = ?",
            (top_ref,)).scalar_one()
    assert net["H2"].value == referred > 0
    assert net["G2"].value == pytest.approx(float(np.nanmax(run.network_value)))


def test_summary_charts_and_other_sheets(book) -> None:
    _, run, _, wb, _, _ = book
    summary = wb["Summary"]
    kinds = sorted(type(c).__name__ for c in summary._charts)
    assert kinds == sorted(t.__name__ for t in (BarChart, LineChart, ScatterChart))
    values = {r[0]: r[1] for r in summary.iter_rows(values_only=True) if r[0]}
    assert values["Members in the run"] == run.n
    assert values["Ambassadors (high F and high S)"] == run.segment_counts()["Ambassadors"]
    live = [r for r in summary.iter_rows() if r[0].value == "Ambassadors" and r[9].value]
    assert live and live[0][9].value == "=COUNTIF('Members'!$L:$L,\"Ambassadors\")"
    scatter = next(c for c in summary._charts if isinstance(c, ScatterChart))
    assert len(scatter.series) == 6  # four segments and two threshold lines
    data = wb["Chart data"]
    assert data["J2"].value.startswith("=Weights!") and data.max_row - 1 <= 2000

    quality = [r[0] for r in wb["Data quality"].iter_rows(values_only=True) if r[0]]
    assert "Survey responses (current)" in quality
    files = [r[2] for r in wb["Data quality"].iter_rows(values_only=True)]
    assert "customers_export.csv" in files
    method = " ".join(str(r[0]) for r in wb["Methodology"].iter_rows(values_only=True) if r[0])
    assert "S = (wK·K + wP·P + wR·R)" in method and "Ambassadors: S ≥ 60" in method


def test_members_split_past_the_row_limit(demo_workspace: Workspace, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(members_module, "ROW_LIMIT", 1000)  # 999 members a sheet
    run = load_run(demo_workspace)
    result = write_workbook(demo_workspace, tmp_path / "split.xlsx")
    parts = [f"Members ({i})" if i > 1 else "Members" for i in range(1, result.parts + 1)]
    assert result.parts == -(-run.n // 999) == 2
    wb = load_workbook(result.path)
    assert wb.sheetnames[1:1 + len(parts)] == parts
    rows = [wb[p].max_row - 1 for p in parts]
    assert rows == [999, run.n - 999]
    second = wb["Members (2)"]
    assert second["A2"].value == member_labels(demo_workspace, [int(run.member_ids[999])])[
        int(run.member_ids[999])].external_id
    # Formulas point at their own sheet's rows.
    assert second["L2"].value.startswith('=IF(I2=""')
    surveyed = int(np.flatnonzero(~np.isnan(run.knowledge[999:]))[0]) + 2
    assert f"F{surveyed}:H{surveyed}" in second[f"I{surveyed}"].value
    notes = " ".join(str(r[0]) for r in wb["Summary"].iter_rows(max_row=6, values_only=True))
    assert "split over the sheets Members, Members (2)" in notes
    assert result.notes and "Members (2)" in result.notes[0]
    live = [r[9].value for r in wb["Summary"].iter_rows() if r[0].value == "Base"]
    assert "'Members (2)'!$L:$L" in live[0]


def test_cancel_leaves_no_file(demo_workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    folder = tmp_path / "out"
    folder.mkdir()
    temp_before = list(ALL_TEMP_FILES)
    with pytest.raises(Cancelled):
        write_workbook(demo_workspace, folder / "cancelled.xlsx", cancel=lambda: True)
    assert list(folder.iterdir()) == []
    assert temp_before == ALL_TEMP_FILES  # openpyxl's per-sheet temporary files are gone too


def test_excluded_straightliners_keep_a_fixed_social(demo_workspace: Workspace,
                                                     tmp_path: Path) -> None:
    config = default_config()
    config = config.with_(quality=QualityConfig(exclude_straightliners=True))
    summary = score(demo_workspace, config)
    run = load_run(demo_workspace, summary.run_id)
    mirror = formula_social(np.stack([run.knowledge, run.participation, run.reach], 1), config)
    excluded = np.flatnonzero(~np.isnan(mirror) & np.isnan(run.social))
    assert len(excluded) >= 1  # the demo has a straight-liner
    wb = load_workbook(write_workbook(demo_workspace, tmp_path / "x.xlsx").path)
    members = wb["Members"]
    row = int(excluded[0]) + 2
    assert members[f"I{row}"].value is None and members[f"L{row}"].data_type == "f"
    assert any("left out of S" in str(r[0]) for r in wb["Weights"].iter_rows(values_only=True))


def _recalculated_members(xlsx: Path, folder: Path) -> list[list[str]]:
    """The Members sheet as LibreOffice computes it (headless, every sheet to CSV)."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
         "--outdir", str(folder), str(xlsx)],
        check=True, capture_output=True, timeout=240)
    with (folder / f"{xlsx.stem}-Members.csv").open(encoding="utf-8") as fh:
        return list(csv.reader(fh))[1:]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_computes_the_engines_segments(book, demo_workspace: Workspace,
                                                   tmp_path: Path) -> None:
    _, run, result, _, _, _ = book
    rows = _recalculated_members(result.path, tmp_path)
    assert [r[11] for r in rows] == [SEGMENTS[c] for c in run.segment.tolist()]
    # A colleague changes the weights and a threshold: the segments follow, as a new run
    # with those settings would have them.
    wb: LoadedWorkbook = load_workbook(result.path)
    weights = wb["Weights"]
    weights["B5"], weights["C5"], weights["D5"], weights["B11"] = 3, 1, 0, 50
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    rows = _recalculated_members(changed, tmp_path)
    config = run.config.with_(
        social=replace(run.config.social, knowledge=3.0, participation=1.0, reach=0.0),
        segments=replace(run.config.segments, social_threshold=50.0))
    rerun = load_run(demo_workspace, score(demo_workspace, config).run_id)
    assert rerun.member_ids.tolist() == run.member_ids.tolist()
    got = np.array([float(r[8]) if r[8] else np.nan for r in rows])
    assert np.array_equal(np.isnan(got), np.isnan(rerun.social))
    assert np.allclose(got[~np.isnan(got)], rerun.social[~np.isnan(rerun.social)], atol=0.01)
    moved = [SEGMENTS[c] for c in rerun.segment.tolist()]
    assert [r[11] for r in rows] == moved
    assert moved != [SEGMENTS[c] for c in run.segment.tolist()]
