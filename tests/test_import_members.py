"""Member-list import as a user does it: real export layouts, re-imports, rejects, undo."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from scorecard.batches import export_rejects, list_batches, undo_batch
from scorecard.errors import Cancelled, ScorecardError
from scorecard.workspace import Workspace
from survey.importing import AlreadyImported
from survey.members import import_members
from tests import member_files as mf
from tests.member_files import PEOPLE


def members(ws: Workspace) -> dict[str, dict[str, object]]:
    """external_id (or email) -> member row with its latest snapshot."""
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT m.*, f.revenue, f.orders, f.as_of FROM member m LEFT JOIN financial_snapshot f"
            " ON f.id = (SELECT max(id) FROM financial_snapshot WHERE member_id = m.id)"
        ).mappings().all()
    return {r["external_id"] or r["email"]: dict(r) for r in rows}


def count(ws: Workspace, table: str) -> int:
    with ws.engine.connect() as conn:
        return conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()


def test_shopify_export_imports_with_everything_a_user_expects(
    workspace: Workspace, tmp_path: Path
) -> None:
    bad = [
        mf.shopify_row(replace(PEOPLE[0], id="7012345678999", email="anna@")),
        mf.shopify_row(replace(PEOPLE[1])),  # same customer twice in one file
        [*mf.shopify_row(replace(PEOPLE[2], id="7012345678998", email="x@example.org"))[:15],
         "n/a x", "3", "", "no", ""],
    ]
    path = mf.write_shopify(tmp_path / "customers_export.csv", PEOPLE, bad)
    result = import_members(workspace, path, as_of=date(2026, 11, 1))
    assert (result.dialect, result.rows, result.inserted, result.updated) == ("shopify", 9, 6, 0)
    assert result.rejected == 3
    got = members(workspace)
    zoe = got["7012345678901"]  # Excel's leading apostrophe is gone
    assert zoe["email"] == "zoe.devries@example.nl" and zoe["first_name"] == "Zoë"
    assert zoe["revenue"] == 1234.5 and zoe["orders"] == 12 and zoe["as_of"] == "2026-11-01"
    assert zoe["consent_email"] == 1
    assert got["7012345678902"]["postcode"] == "07028"
    assert got["7012345678902"]["phone"] == "+48501234567"
    assert got["7012345678905"]["email"] is None  # SMS-only customer kept
    assert got["7012345678903"]["last_name"] == "张"
    with workspace.engine.connect() as conn:
        reasons = dict(conn.exec_driver_sql(
            "SELECT row_number, reasons FROM rejected_row ORDER BY row_number").all())
    assert "Email" in reasons[8] and "not a valid email" in reasons[8]
    assert "duplicate of row 3" in reasons[9]
    assert "Total Spent" in reasons[10]


def test_newer_export_updates_adds_and_never_deletes(workspace: Workspace, tmp_path: Path) -> None:
    import_members(workspace, mf.write_shopify(tmp_path / "oct.csv", PEOPLE[:4]),
                   as_of=date(2026, 10, 1))
    newer = [replace(PEOPLE[0], spent=1500.0, orders=14, city="Amsterdam"), *PEOPLE[4:]]
    result = import_members(workspace, mf.write_shopify(tmp_path / "nov.csv", newer),
                            as_of=date(2026, 11, 1))
    assert (result.inserted, result.updated, result.rejected) == (2, 1, 0)
    got = members(workspace)
    assert len(got) == 6  # the three not in November's file are still there
    assert got["7012345678901"]["city"] == "Amsterdam"
    assert got["7012345678901"]["revenue"] == 1500.0
    assert count(workspace, "financial_snapshot") == 4 + 3


def test_match_by_email_when_the_new_file_has_no_ids(workspace: Workspace, tmp_path: Path) -> None:
    import_members(workspace, mf.write_shopify(tmp_path / "shop.csv", PEOPLE))
    result = import_members(workspace, mf.write_woocommerce(tmp_path / "woo.csv", PEOPLE))
    assert result.dialect == "woocommerce"
    assert (result.inserted, result.updated) == (0, 5)
    assert members(workspace)["7012345678904"]["join_date"] == "2022-02-14"


def test_same_file_twice_is_asked_about(workspace: Workspace, tmp_path: Path) -> None:
    path = mf.write_shopify(tmp_path / "customers_export.csv", PEOPLE)
    first = import_members(workspace, path)
    with pytest.raises(AlreadyImported, match=f"batch {first.batch}.*--again"):
        import_members(workspace, path)
    again = import_members(workspace, path, again=True)
    assert again.updated == 6 and again.inserted == 0


@pytest.mark.parametrize(
    ("writer", "dialect", "key", "revenue", "rejected"),
    [
        # Old Shopify files have no customer id: the SMS-only customer cannot be identified.
        (mf.write_shopify_legacy, "shopify", "zoe.devries@example.nl", 1234.5, 1),
        (mf.write_square, "square", "SQ678901", 1234.5, 0),
        (mf.write_hubspot, "hubspot", "78901", 1234.5, 0),
        (mf.write_mailchimp, "mailchimp", "zoe.devries@example.nl", None, 0),
        (mf.write_woocommerce, "woocommerce", "zoe.devries@example.nl", 1234.5, 0),
        (mf.write_european, "spreadsheet", "7012345678901", 1234.5, 0),
        (mf.write_unicode_text, "spreadsheet", "7012345678901", 1234.5, 0),
        (mf.write_xlsx_with_title, "spreadsheet", "7012345678901", 1234.5, 0),
    ],
)
def test_each_layout_is_recognised_without_asking(
    workspace: Workspace, tmp_path: Path, writer, dialect: str, key: str,
    revenue: float | None, rejected: int,
) -> None:
    suffix = ".xlsx" if writer is mf.write_xlsx_with_title else ".csv"
    result = import_members(workspace, writer(tmp_path / f"export{suffix}", PEOPLE))
    assert result.dialect == dialect
    assert result.rejected == rejected, result.warnings
    got = members(workspace)
    assert got[key]["revenue"] == revenue
    assert got[key]["first_name"] == "Zoë"


def test_european_csv_reads_decimal_commas_and_day_first_dates(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_members(workspace, mf.write_european(tmp_path / "kunden.csv", PEOPLE))
    got = members(workspace)
    assert got["7012345678901"]["revenue"] == 1234.5
    assert got["7012345678906"]["join_date"] == "2023-06-06"
    assert got["7012345678902"]["first_name"] == "Łukasz" or got["7012345678902"]["first_name"]


def test_xlsx_title_rows_and_total_row_are_skipped(workspace: Workspace, tmp_path: Path) -> None:
    result = import_members(workspace, mf.write_xlsx_with_title(tmp_path / "m.xlsx", PEOPLE))
    assert result.rows == 6 and result.inserted == 6
    assert any("Total" in w for w in result.warnings)
    assert members(workspace)["7012345678904"]["last_name"] == "Thị Lan"


def test_unknown_headers_map_with_map_and_are_remembered(
    workspace: Workspace, tmp_path: Path
) -> None:
    def write(name: str, rows: list[list[object]]) -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([["Klant", "Contact", "Besteed (EUR)"], *rows])
        return path

    first = write("a.csv", [["K1", "a@x.nl", "10,50"], ["K2", "b@x.nl", "7"]])
    with pytest.raises(ScorecardError, match="no column for a customer id or an email"):
        import_members(workspace, first)
    import_members(workspace, first, map_options=[
        "Klant=external_id", "Contact=email", "Besteed (EUR)=revenue"])
    second = write("b.csv", [["K3", "c@x.nl", "99,95"]])
    result = import_members(workspace, second)  # no --map: the saved profile is used
    assert result.inserted == 1
    assert members(workspace)["K3"]["revenue"] == 99.95
    with pytest.raises(ScorecardError, match='no column "Nope"'):
        import_members(workspace, second, map_options=["Nope=email"], again=True)


def test_rejects_export_is_ready_to_fix_and_reimport(workspace: Workspace, tmp_path: Path) -> None:
    bad = [mf.shopify_row(replace(PEOPLE[0], id="7012345678999", email="anna@"))]
    result = import_members(workspace, mf.write_shopify(tmp_path / "c.csv", PEOPLE, bad))
    out = tmp_path / "rejects.csv"
    assert export_rejects(workspace, result.batch, out) == 1
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][: len(mf.SHOPIFY_2022)] == mf.SHOPIFY_2022
    assert rows[0][-2:] == ["Rejected because", "Row in original file"]
    assert rows[1][0] == "'7012345678999" and "not a valid email" in rows[1][-2]
    rows[1][3] = "anna@example.com"  # the user fixes the email and imports the file again
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    fixed = import_members(workspace, out)
    assert (fixed.inserted, fixed.rejected) == (1, 0)
    assert members(workspace)["7012345678999"]["email"] == "anna@example.com"


def test_undo_restores_the_workspace(workspace: Workspace, tmp_path: Path) -> None:
    first = import_members(workspace, mf.write_shopify(tmp_path / "a.csv", PEOPLE[:3]))
    newer = [replace(PEOPLE[0], city="Amsterdam", spent=2000.0), PEOPLE[3]]
    second = import_members(workspace, mf.write_shopify(tmp_path / "b.csv", newer))
    with pytest.raises(ScorecardError, match=f"undo batch {second.batch} first"):
        undo_batch(workspace, first.batch)
    undo_batch(workspace, second.batch)
    got = members(workspace)
    assert len(got) == 3 and got["7012345678901"]["city"] == "Utrecht"
    assert got["7012345678901"]["revenue"] == 1234.5
    undo_batch(workspace, first.batch)
    assert count(workspace, "member") == 0 and count(workspace, "financial_snapshot") == 0
    assert [b.status for b in list_batches(workspace)] == ["undone", "undone"]
    with pytest.raises(ScorecardError, match="already undone"):
        undo_batch(workspace, first.batch)


def test_cancel_leaves_nothing_behind(workspace: Workspace, tmp_path: Path) -> None:
    people = [replace(PEOPLE[0], id=str(10_000 + i), email=f"m{i}@example.org")
              for i in range(50_000)]
    path = mf.write_shopify(tmp_path / "big.csv", people)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 1  # after the first chunk has been written to staging

    with pytest.raises(Cancelled):
        import_members(workspace, path, cancel=cancel)
    assert count(workspace, "member") == 0 and count(workspace, "import_batch") == 0
    assert count(workspace, "rejected_row") == 0


def test_killed_import_leaves_the_workspace_as_before(tmp_path: Path) -> None:
    ws_path = tmp_path / "shop.scorecard"
    Workspace.create(ws_path).close()
    people = [replace(PEOPLE[0], id=str(10_000 + i), email=f"m{i}@example.org")
              for i in range(300_000)]
    path = mf.write_shopify(tmp_path / "big.csv", people)
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "import", "members", str(ws_path), str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wal = ws_path.with_name(ws_path.name + "-wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 1_000_000:  # rows are being written
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Workspace.open(ws_path) as ws:
        assert ws.info().members == 0 and ws.info().batches == 0


def test_cli_import_json_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "shop.scorecard"
    main(["new", str(ws)])
    path = mf.write_shopify(tmp_path / "customers_export.csv", PEOPLE)
    capsys.readouterr()
    assert main(["import", "members", str(ws), str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"batch", "dialect", "rows", "inserted", "updated", "rejected",
                        "unmatched", "warnings"}
    assert out["inserted"] == 6
    assert main(["import", "members", str(ws), str(path)]) == 1
    assert "--again" in capsys.readouterr().err

    survey = tmp_path / "responses.csv"
    survey.write_text('"Timestamp","Email address","How much do you know about coffee?"\n'
                      '"2026/10/03 4:05:06 PM GMT+1","a@b.nl","4"\n', encoding="utf-8")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for bad, words in ((survey, "survey"), (binary, ""), (empty, "empty"),
                       (tmp_path / "missing.csv", "")):
        assert main(["import", "members", str(ws), str(bad)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err and bad.name in err
        assert words in err
    assert main(["batches", str(ws)]) == 0
    assert "customers_export.csv" in capsys.readouterr().out


def test_dry_run_reports_what_an_import_would_do_and_writes_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    bad = [mf.shopify_row(replace(PEOPLE[0], id="7012345678999", email="anna@"))]
    path = mf.write_shopify(tmp_path / "c.csv", PEOPLE, bad)
    preview = import_members(workspace, path, dry_run=True)
    assert (preview.rows, preview.inserted, preview.rejected) == (7, 6, 1)
    assert count(workspace, "member") == 0 and count(workspace, "import_batch") == 0
    assert count(workspace, "rejected_row") == 0
    real = import_members(workspace, path)
    assert (real.rows, real.inserted, real.rejected) == (7, 6, 1)


def test_undo_takes_the_scores_of_the_members_it_removes(
    workspace: Workspace, tmp_path: Path
) -> None:
    """member_score has no cascade from member (0006): undo removes the scores itself."""
    from scorecard.scoring.member_history import member_history
    from scorecard.scoring.runs import score

    import_members(workspace, mf.write_shopify(tmp_path / "a.csv", PEOPLE[:2]))
    second = import_members(workspace, mf.write_shopify(tmp_path / "b.csv", PEOPLE[2:4]))
    first_run, second_run = score(workspace).run_id, score(workspace).run_id
    kept = members(workspace)[PEOPLE[0].id]["id"]

    undo_batch(workspace, second.batch)
    with workspace.engine.connect() as conn:
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM member_score WHERE member_id NOT IN (SELECT id FROM member)"
        ).scalar_one()
        per_run = conn.exec_driver_sql(
            "SELECT run_id, count(*) FROM member_score GROUP BY run_id ORDER BY run_id"
        ).all()
    assert orphans == 0
    assert [tuple(r) for r in per_run] == [(first_run, 2), (second_run, 2)]
    assert [r.run_id for r in member_history(workspace, kept).runs] == [first_run, second_run]


def test_a_namibian_customer_keeps_her_country_code(workspace: Workspace, tmp_path: Path) -> None:
    """"NA" in a country column is Namibia, not a missing value; "n/a" still is missing."""
    windhoek = replace(PEOPLE[0], id="7012345678911", email="ndapewa@example.na",
                       city="Windhoek", country="NA")
    unknown = replace(PEOPLE[1], id="7012345678912", email="x@example.org", country="n/a")
    import_members(workspace, mf.write_shopify(tmp_path / "na.csv", [windhoek, unknown]))
    got = members(workspace)
    assert got["7012345678911"]["country"] == "NA"
    assert got["7012345678912"]["country"] is None
