"""The command line as a user runs it: output, --json, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from scorecard import __version__


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_and_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "shop.scorecard"
    code, out, _ = run(capsys, "new", str(ws), "--category", "coffee", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["workspace"] == str(ws)
    code, out, _ = run(capsys, "info", str(ws))
    assert code == 0
    assert "Members" in out and "coffee" in out
    code, out, _ = run(capsys, "info", str(ws), "--json")
    info = json.loads(out)
    assert info["members"] == 0 and info["settings"]["category"] == "coffee"


def test_user_errors_are_one_line_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "info", str(tmp_path / "missing.scorecard"))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no such workspace" in err and "Traceback" not in err
    junk = tmp_path / "junk.scorecard"
    junk.write_text("hello")
    code, _, err = run(capsys, "info", str(junk))
    assert code == 1 and "not a Social Scorecard workspace" in err
    (tmp_path / "exists.scorecard").write_bytes(b"")
    code, _, err = run(capsys, "new", str(tmp_path / "exists.scorecard"))
    assert code == 1 and "already exists" in err


def test_version_and_help_via_python_m_app() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == f"scorecard {__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "app", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("new", "info", "demo", "gui", "import", "batches", "rejects", "undo"):
        assert command in done.stdout


def test_gui_screenshots_every_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "shop.scorecard"
    run(capsys, "new", str(ws))
    code, _, _ = run(capsys, "gui", str(ws), "--screenshot", str(tmp_path / "shots"))
    assert code == 0
    shots = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert shots[0] == "01-dashboard.png" and len(shots) == 6
    assert all((tmp_path / "shots" / s).stat().st_size > 2000 for s in shots)


def test_report_writes_the_paper_questionnaire(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    ws = tmp_path / "shop.scorecard"
    run(capsys, "new", str(ws), "--category", "tea")
    out = tmp_path / "paper.pdf"
    code, stdout, _ = run(capsys, "report", str(ws), "--questionnaire", str(out), "--json",
                          "--paper", "letter")
    assert code == 0 and json.loads(stdout)["outputs"][0]["pages"] == 2
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "tea" in text
    code, _, err = run(capsys, "report", str(ws), "--questionnaire", str(out), "--members", "X1")
    assert code == 1 and "X1" in err and "Traceback" not in err


def test_demo_then_score_runs_compare_export_and_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    code, out, _ = run(capsys, "demo", str(tmp_path / "demo"), "--members", "600", "--json")
    assert code == 0
    demo = json.loads(out)
    ws = demo["workspace"]
    first = demo["score"]
    assert first["members_scored"] == demo["members"]
    cfg = tmp_path / "weights.toml"
    assert run(capsys, "config", "export", ws, str(cfg))[0] == 0
    text = cfg.read_text(encoding="utf-8")
    assert "60" in text  # the social threshold is in the exported config
    cfg.write_text(text.replace("social_threshold = 60", "social_threshold = 40"), "utf-8")
    assert run(capsys, "config", "import", ws, str(cfg), "--name", "lenient")[0] == 0
    code, out, _ = run(capsys, "score", ws, "--json")
    second = json.loads(out)
    assert code == 0 and second["run_id"] != first["run_id"]
    high_s = ("Ambassadors", "Advocates")
    assert sum(second["segments"][k] for k in high_s) > sum(first["segments"][k] for k in high_s)
    code, out, _ = run(capsys, "runs", ws, "--json")
    assert [r["id"] for r in json.loads(out)] == [first["run_id"], second["run_id"]]
    code, out, _ = run(capsys, "compare", ws, str(first["run_id"]), str(second["run_id"]))
    assert code == 0 and out.strip()
    export = tmp_path / "scores.csv"
    assert run(capsys, "export", ws, str(export))[0] == 0
    with export.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["member_id", "email", "knowledge", "participation", "reach", "social",
                       "financial", "network_value", "segment"]
    assert len(rows) == demo["members"] + 1


def test_report_writes_every_output_in_one_call(
    demo_built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from openpyxl import load_workbook
    from pypdf import PdfReader

    ws = tmp_path / "demo.scorecard"
    shutil.copyfile(demo_built.workspace, ws)
    out = {k: tmp_path / name for k, name in (("pdf", "r.pdf"), ("xlsx", "r.xlsx"),
                                               ("cards", "c.pdf"), ("questionnaire", "q.pdf"))}
    code, stdout, _ = run(capsys, "report", str(ws), "--pdf", str(out["pdf"]), "--xlsx",
                          str(out["xlsx"]), "--cards", str(out["cards"]), "--segment",
                          "Advocates", "--questionnaire", str(out["questionnaire"]),
                          "--paper", "letter", "--json")
    assert code == 0
    kinds = [o["kind"] for o in json.loads(stdout)["outputs"]]
    assert kinds == ["executive", "cards", "workbook", "questionnaire"]
    advocates = demo_built.score.segments["Advocates"]
    assert len(PdfReader(out["cards"]).pages) == advocates
    assert "Executive report" in PdfReader(out["pdf"]).pages[0].extract_text()
    assert "Members" in load_workbook(out["xlsx"], read_only=True).sheetnames
    code, _, err = run(capsys, "report", str(ws))
    assert code == 1 and "nothing to write" in err
