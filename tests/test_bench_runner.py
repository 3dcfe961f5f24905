"""The benchmark runner works end to end on a tiny size. Structure only: never speed."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from bench import runner
from bench.bench_workspace import COLUMNS, synthetic_members

MAIN_TASK = "workspace.create+insert_members"


def test_runs_a_task_prints_the_table_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.json"
    code = runner.main(
        ["--size", "1000", "--only", MAIN_TASK, "--repeats", "1", "--json", str(out)]
    )
    assert code == 0
    table = capsys.readouterr().out
    lines = table.splitlines()
    header = [cell.strip() for cell in lines[0].split("|")]
    assert header == list(runner.COLUMNS)
    row = next(line for line in lines if line.startswith(MAIN_TASK))
    cells = dict(zip(header, (cell.strip() for cell in row.split("|")), strict=True))
    assert cells["size"] == "1k"
    assert float(cells["ratio"]) > 0
    assert cells["target"] == "≤ 2"
    assert cells["ok?"] in {"yes", "NO"}

    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["size"] == 1000
    assert doc["repeats"] == 1
    assert {"python", "sqlite", "sqlalchemy"} <= doc["environment"].keys()
    (result,) = doc["results"]
    assert result["task"] == MAIN_TASK
    assert result["seconds"] > 0
    assert result["baseline_seconds"] > 0
    assert result["ratio"] == pytest.approx(result["seconds"] / result["baseline_seconds"])
    assert result["ok"] == (result["ratio"] <= result["max_ratio"])
    assert len(result["all_seconds"]) == len(result["all_baseline_seconds"]) == 1
    if result["peak_method"] == "VmHWM":  # Linux: an exact per-step peak
        assert result["peak_mib"] >= result["start_mib"] > 0


def test_tasks_are_discovered_and_selected() -> None:
    tasks = runner.discover()
    assert MAIN_TASK in tasks
    assert tasks[MAIN_TASK].module == "bench.bench_workspace"
    assert tasks[MAIN_TASK].max_ratio == 2.0
    default = runner.select(tasks, None, probes=False)
    assert MAIN_TASK in [t.name for t in default]
    assert not any(t.probe for t in default)
    assert {t.name for t in runner.select(tasks, ["probe.*"], probes=False)} == {
        name for name, t in tasks.items() if t.probe
    }
    assert runner.select(tasks, ["no-such-task"], probes=True) == []


def test_a_name_cannot_be_registered_twice() -> None:
    runner.discover()
    with pytest.raises(ValueError, match="twice"):
        runner.benchmark(MAIN_TASK, setup=list, baseline=lambda *_: None)(lambda *_: None)


def test_no_matching_task_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert runner.main(["--only", "no-such-task"]) == 2
    assert "no task matches" in capsys.readouterr().err


def test_a_failing_step_is_reported_not_raised(tmp_path: Path) -> None:
    ghost = runner.Task(
        name="ghost", setup=list, measured=print, baseline=print, module="bench.runner"
    )
    with pytest.raises(runner.StepFailed, match="ghost"):
        runner.spawn_step(ghost, "measured", 10, tmp_path)


def test_ratio_best_of_repeats_and_target() -> None:
    times = {"baseline": iter([2.0, 1.0, 1.5]), "measured": iter([3.0, 2.5, 4.0])}

    def fake_step(task: runner.Task, role: runner.Role, size: int, workdir: Path):
        return runner.StepResult(next(times[role]), 0.1, 50.0 + size, 40.0, "VmHWM")

    task = runner.Task(name="t", setup=list, measured=print, baseline=print, max_ratio=2.0)
    r = runner.run_task(task, 5, 3, Path("."), step=fake_step)
    assert (r.seconds, r.baseline_seconds, r.ratio, r.ok) == (2.5, 1.0, 2.5, False)
    assert r.peak_mib == 55.0
    assert r.all_seconds == [3.0, 2.5, 4.0]
    table = runner.format_table([r])
    assert "t " in table and "2.50" in table and "NO" in table


@pytest.mark.parametrize(
    ("text", "n"), [("100k", 100_000), ("1m", 1_000_000), ("1M", 1_000_000), ("1000", 1000)]
)
def test_sizes(text: str, n: int) -> None:
    assert runner.parse_size(text) == n
    assert runner.parse_size(runner.format_size(n)) == n


@pytest.mark.parametrize("text", ["", "abc", "0", "1.5", "-3"])
def test_bad_sizes(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        runner.parse_size(text)


def test_synthetic_members_are_deterministic_and_plausible() -> None:
    rows = synthetic_members(500)
    assert rows == synthetic_members(500)
    assert rows != synthetic_members(500, seed=1)
    assert all(len(r) == len(COLUMNS) for r in rows)
    col = {name: [r[i] for r in rows] for i, name in enumerate(COLUMNS)}
    assert len(set(col["external_id"])) == 500
    assert col["join_date"] == sorted(col["join_date"])
    emails = [e for e in col["email"] if e is not None]
    assert 400 < len(emails) < 500
    assert all(e == e.lower() and e.count("@") == 1 for e in emails)
    assert all(p is None or p.startswith("+") for p in col["phone"])
    assert {type(v) for v in col["consent_email"]} == {bool}
