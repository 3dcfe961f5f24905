"""A tiny benchmark framework: each task is timed against a raw baseline in the same run.

A task is a name, a ``setup`` that builds its inputs (not timed), the ``measured`` function (the
project's way of doing the work) and a ``baseline`` function doing the same work the cheapest way
possible. Tasks register themselves with :func:`benchmark` in modules named ``bench/bench_*.py``,
which the runner discovers, so a later issue adds a benchmark by adding a module.

Every timed step (one repeat of the measured or of the baseline function) runs in a fresh Python
process: the timing is not disturbed by what earlier steps left in memory, and the peak resident
memory of the step is its own. On Linux the step's peak is exact: the process resets its high-water
mark (``/proc/self/clear_refs``) after ``setup`` and reads ``VmHWM`` after the step, so the figure
is the most the process held *during* the step (its inputs included, as they are resident).
Elsewhere it falls back to ``resource.getrusage().ru_maxrss``, which also covers ``setup``; the
JSON output says which method was used. tracemalloc is not used: it sees only allocations made
through Python's allocator, not SQLite's page cache or NumPy's buffers, and it slows the step down.
"""

from __future__ import annotations

import argparse
import fnmatch
import gc
import importlib
import json
import os
import pkgutil
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Role = Literal["measured", "baseline"]
SetupFn = Callable[[int], Any]
"""Builds a task's inputs for ``size`` (members, rows, …); runs in the child, not timed."""
StepFn = Callable[[Any, Path], object]
"""Does the work on the inputs; gets a fresh, empty folder to write files into."""

DEFAULT_SIZE = "100k"
BIG_SIZE = 1_000_000
_PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Task:
    """One registered benchmark."""

    name: str
    setup: SetupFn
    measured: StepFn
    baseline: StepFn
    max_ratio: float | None = 2.0  # target: measured/baseline at most this; None: no target
    description: str = ""
    probe: bool = False  # an investigation variant, run only with --probes
    module: str = ""  # where the task was registered, so a child process can import it

    @property
    def target(self) -> str:
        return "-" if self.max_ratio is None else f"≤ {self.max_ratio:g}"


_REGISTRY: dict[str, Task] = {}


def benchmark(
    name: str,
    *,
    setup: SetupFn,
    baseline: StepFn,
    max_ratio: float | None = 2.0,
    description: str = "",
    probe: bool = False,
) -> Callable[[StepFn], StepFn]:
    """Register the decorated function as the measured step of a task called ``name``::

        @benchmark("numbers.sum", setup=lambda n: list(range(n)), baseline=lambda xs, _: sum(xs))
        def reduce_sum(xs: list[int], workdir: Path) -> int:
            return functools.reduce(operator.add, xs)

    ``setup(size)`` builds the inputs in the child process, untimed; ``measured(inputs, workdir)``
    and ``baseline(inputs, workdir)`` are timed, each in its own process with an empty folder.
    """

    def register(measured: StepFn) -> StepFn:
        if name in _REGISTRY:
            raise ValueError(f"benchmark {name!r} is registered twice")
        _REGISTRY[name] = Task(
            name=name,
            setup=setup,
            measured=measured,
            baseline=baseline,
            max_ratio=max_ratio,
            description=description or (measured.__doc__ or "").strip().split("\n")[0],
            probe=probe,
            module=measured.__module__,
        )
        return measured

    return register


def discover() -> dict[str, Task]:
    """Import every ``bench/bench_*.py`` module and return the tasks they registered."""
    for info in pkgutil.iter_modules([str(_PACKAGE_DIR)]):
        if info.name.startswith("bench_"):
            importlib.import_module(f"{__package__}.{info.name}")
    return dict(_REGISTRY)


def parse_size(text: str) -> int:
    """``"100k"`` → 100000, ``"1m"`` → 1000000, ``"2500"`` → 2500."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text.replace("_", ""))
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a size like 100k, 1m or 5000")
    value = float(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"{text!r}: a size must be a positive whole number")
    return int(value)


def format_size(n: int) -> str:
    for unit, div in (("m", 1_000_000), ("k", 1_000)):
        if n >= div and n % div == 0:
            return f"{n // div}{unit}"
    return str(n)


# -- one timed step, in a child process ----------------------------------------------------------


@dataclass
class StepResult:
    """What one child process measured."""

    seconds: float  # wall time
    cpu_seconds: float  # this process's CPU time over the step: steadier on a busy machine
    peak_mib: float | None  # the most the process held while the step ran
    start_mib: float | None  # what it held when the step began (inputs, imports)
    peak_method: str  # "VmHWM" (exact, Linux) or "ru_maxrss" (includes setup) or "none"


def _status_kib(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset this process's peak-RSS mark (Linux ≥ 4.0); False when that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return _status_kib("VmHWM") is not None


def _ru_maxrss_mib() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_step(task: Task, role: Role, size: int, workdir: Path) -> StepResult:
    """Set up, then time one call of the task's ``role`` function; meant for a fresh process."""
    inputs = task.setup(size)
    fn = task.measured if role == "measured" else task.baseline
    step_dir = Path(tempfile.mkdtemp(prefix=f"{role}-", dir=workdir))
    try:
        gc.collect()
        exact = _reset_peak()
        rss = _status_kib("VmRSS")
        start, cpu_start = time.perf_counter(), time.process_time()
        fn(inputs, step_dir)
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        if exact:
            hwm = _status_kib("VmHWM")
            peak, method = (hwm / 1024 if hwm is not None else None), "VmHWM"
        else:
            peak = _ru_maxrss_mib()
            method = "ru_maxrss" if peak is not None else "none"
    finally:
        shutil.rmtree(step_dir, ignore_errors=True)
    start_mib = rss / 1024 if rss is not None else None
    return StepResult(seconds, cpu_seconds, peak, start_mib, method)


def _child_main(argv: Sequence[str]) -> int:
    """Entry point of a child process: run one step and write its result as JSON."""
    spec = json.loads(argv[0])
    try:
        importlib.import_module(spec["module"])
        task = _REGISTRY[spec["task"]]
        result = run_step(task, spec["role"], spec["size"], Path(spec["workdir"]))
        payload: dict[str, object] = {"ok": True, "result": asdict(result)}
    except BaseException:
        payload = {"ok": False, "error": traceback.format_exc()}
    Path(spec["out"]).write_text(json.dumps(payload), encoding="utf-8")
    return 0


class StepFailed(RuntimeError):
    pass


def spawn_step(task: Task, role: Role, size: int, workdir: Path) -> StepResult:
    """Run one step in a fresh interpreter and return what it measured."""
    out = workdir / f"result-{role}-{os.getpid()}-{time.monotonic_ns()}.json"
    spec = {
        "module": task.module,
        "task": task.name,
        "role": role,
        "size": size,
        "workdir": str(workdir),
        "out": str(out),
    }
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_PACKAGE_DIR.parent), env.get("PYTHONPATH", "")) if p
    )
    code = "import sys; from bench.runner import _child_main; sys.exit(_child_main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(spec)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        payload = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise StepFailed(
            f"{task.name} ({role}): child process exited with {proc.returncode}: {detail[0]}"
        ) from None
    finally:
        out.unlink(missing_ok=True)
    if not payload["ok"]:
        raise StepFailed(f"{task.name} ({role}) failed:\n{payload['error']}")
    return StepResult(**payload["result"])


# -- a whole task ---------------------------------------------------------------------------------


@dataclass
class TaskResult:
    """A task's outcome at one size: best-of-``repeats`` times, their ratio and peak memory."""

    task: str
    description: str
    size: int
    repeats: int
    seconds: float
    baseline_seconds: float
    ratio: float
    max_ratio: float | None
    ok: bool | None  # None: the task declares no target
    peak_mib: float | None  # measured step, the highest over the repeats
    baseline_peak_mib: float | None
    start_mib: float | None  # measured step: memory held when it began (its inputs)
    baseline_start_mib: float | None
    peak_method: str
    cpu_seconds: float | None = None  # best CPU time of the measured step (not shown in the table)
    baseline_cpu_seconds: float | None = None
    all_seconds: list[float] = field(default_factory=list)
    all_baseline_seconds: list[float] = field(default_factory=list)


def _max_or_none(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def run_task(
    task: Task,
    size: int,
    repeats: int,
    workdir: Path,
    step: Callable[[Task, Role, int, Path], StepResult] = spawn_step,
) -> TaskResult:
    """Time ``repeats`` baseline and measured steps, interleaved so drift hits both alike."""
    measured: list[StepResult] = []
    baseline: list[StepResult] = []
    for _ in range(repeats):
        baseline.append(step(task, "baseline", size, workdir))
        measured.append(step(task, "measured", size, workdir))
    best = min(r.seconds for r in measured)
    best_base = min(r.seconds for r in baseline)
    ratio = best / best_base if best_base > 0 else float("inf")
    return TaskResult(
        task=task.name,
        description=task.description,
        size=size,
        repeats=repeats,
        seconds=best,
        baseline_seconds=best_base,
        ratio=ratio,
        max_ratio=task.max_ratio,
        ok=None if task.max_ratio is None else ratio <= task.max_ratio,
        peak_mib=_max_or_none([r.peak_mib for r in measured]),
        baseline_peak_mib=_max_or_none([r.peak_mib for r in baseline]),
        start_mib=_max_or_none([r.start_mib for r in measured]),
        baseline_start_mib=_max_or_none([r.start_mib for r in baseline]),
        peak_method=measured[0].peak_method,
        cpu_seconds=min(r.cpu_seconds for r in measured),
        baseline_cpu_seconds=min(r.cpu_seconds for r in baseline),
        all_seconds=[r.seconds for r in measured],
        all_baseline_seconds=[r.seconds for r in baseline],
    )


# -- output ---------------------------------------------------------------------------------------

COLUMNS = ("task", "size", "time (s)", "baseline (s)", "ratio", "target", "peak MiB", "ok?")


def _row(r: TaskResult) -> tuple[str, ...]:
    target = "-" if r.max_ratio is None else f"≤ {r.max_ratio:g}"
    ok = "-" if r.ok is None else ("yes" if r.ok else "NO")
    peak = "?" if r.peak_mib is None else f"{r.peak_mib:,.0f}"
    return (
        r.task,
        format_size(r.size),
        f"{r.seconds:.3f}",
        f"{r.baseline_seconds:.3f}",
        f"{r.ratio:.2f}",
        target,
        peak,
        ok,
    )


def format_table(results: Sequence[TaskResult]) -> str:
    """A plain-text table, one line per task; numbers right-aligned."""
    rows = [COLUMNS, *(_row(r) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    left = {0, 5, 7}

    def line(row: Sequence[str]) -> str:
        cells = (
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        return " | ".join(cells).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])


def _load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        return None


def caption(repeats: int, results: Sequence[TaskResult], load: float | None) -> str:
    """The lines under the table: how the numbers were taken, and a warning on a busy machine."""
    best = "one run" if repeats == 1 else f"best of {repeats} runs"
    lines = [
        f"time: wall seconds, {best}, each in a fresh process; "
        "ratio = time / baseline; ok? = ratio within target"
    ]
    if results and all(r.peak_method == "VmHWM" for r in results):
        lines.append("peak MiB: the measured step's peak RSS (VmHWM), its inputs included")
    elif results:
        lines.append("peak MiB: the measured process's ru_maxrss, its setup included")
    cpus = os.cpu_count() or 1
    if load is not None and load > 0.5 * cpus:
        lines.append(
            f"warning: load average {load:.1f} on {cpus} CPUs at the start: times are inflated "
            "and ratios noisy (--json records CPU times too)"
        )
    return "\n".join(lines)


def environment() -> dict[str, object]:
    import numpy
    import sqlalchemy

    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "numpy": numpy.__version__,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": _load_average(),
    }


# -- command line ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Time each benchmark task against a raw baseline run in the same session, "
        "each timed step in a fresh process, and print one table.",
    )
    p.add_argument(
        "--size",
        type=parse_size,
        default=parse_size(DEFAULT_SIZE),
        metavar="N",
        help=f"members/rows per task: 100k, 1m or any count like 5000 (default {DEFAULT_SIZE})",
    )
    p.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only tasks with this name or glob pattern (repeatable)",
    )
    p.add_argument(
        "--repeats",
        type=int,
        metavar="N",
        help="timed repeats of each step, best one kept (default 3, or 1 from 1m up)",
    )
    p.add_argument("--json", type=Path, metavar="OUT", help="also save the results as JSON")
    p.add_argument(
        "--probes",
        action="store_true",
        help="also run the investigation variants (tasks registered with probe=True)",
    )
    p.add_argument("--list", action="store_true", help="list the tasks and exit")
    p.add_argument(
        "--workdir",
        type=Path,
        help="where the steps write their files (default: a temporary folder)",
    )
    p.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    return p


def select(tasks: dict[str, Task], only: Sequence[str] | None, probes: bool) -> list[Task]:
    if only:
        chosen = [t for t in tasks.values() if any(fnmatch.fnmatchcase(t.name, p) for p in only)]
    else:
        chosen = [t for t in tasks.values() if probes or not t.probe]
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    tasks = discover()
    chosen = select(tasks, args.only, args.probes)
    if args.list:
        for t in tasks.values():
            print(f"{t.name:<40} {'probe ' if t.probe else ''}{t.description}")
        return 0
    if not chosen:
        print(f"bench: no task matches {', '.join(args.only or [])}", file=sys.stderr)
        return 2
    repeats = args.repeats or (1 if args.size >= BIG_SIZE else 3)
    if repeats < 1:
        print("bench: --repeats must be at least 1", file=sys.stderr)
        return 2

    workdir_ctx = (
        tempfile.TemporaryDirectory(prefix="scorecard-bench-")
        if args.workdir is None
        else None
    )
    workdir = Path(workdir_ctx.name) if workdir_ctx else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    results: list[TaskResult] = []
    failed = 0
    load_before = _load_average()
    try:
        for task in chosen:
            print(f"… {task.name} at {format_size(args.size)} ({repeats}×)", file=sys.stderr)
            try:
                results.append(run_task(task, args.size, repeats, workdir))
            except StepFailed as exc:
                failed += 1
                print(f"bench: {exc}", file=sys.stderr)
    finally:
        if workdir_ctx:
            workdir_ctx.cleanup()

    print(format_table(results))
    print(caption(repeats, results, load_before))
    if args.json:
        doc = {
            "size": args.size,
            "repeats": repeats,
            "environment": environment(),
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    if failed:
        return 1
    if args.strict and any(r.ok is False for r in results):
        return 1
    return 0
