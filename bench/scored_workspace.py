"""A scored workspace of ``n`` members for the report and GUI benchmarks, cached in bench/data.

    python -m bench.scored_workspace --members 1000000   # build (or reuse) scored_1m.scorecard

Members are the realistic synthetic rows of ``bench_workspace`` (names in many scripts, cities,
e-mails), with the synthetic finances, survey answers (25% surveyed), referrals and engagement
of ``bench_scoring``, scored once by the real engine. Building 1M takes a few minutes; the file
is reused while it exists and has the current schema (``--force`` rebuilds it anyway).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.bench_scoring import fill_for_loading, synthetic_inputs
from bench.bench_workspace import COLUMNS, MEMBER, _iso_dates, chunks, synthetic_members
from bench.generate import DEFAULT_OUT, label
from scorecard import store
from scorecard.scoring.runs import score
from scorecard.workspace import Workspace


def scored_path(n: int, out: Path = DEFAULT_OUT) -> Path:
    return out / f"scored_{label(n)}.scorecard"


def build_scored(n: int, out: Path = DEFAULT_OUT, force: bool = False) -> Path:
    """The cached scored workspace of ``n`` members (built when missing, forced, or made with
    an older schema: opening that would migrate a copy in every timed step)."""
    path = scored_path(n, out)
    if path.exists() and not force and store.inspect_file(path).revision == store.head_revision():
        return path
    out.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".building.scorecard")
    tmp.unlink(missing_ok=True)
    ws = Workspace.create(tmp, {"programme_name": f"Benchmark programme ({label(n)})",
                                "currency": "EUR"})
    try:
        rows = synthetic_members(n)
        with ws.transaction() as conn, store.indexes_set_aside(conn, "member"):
            for chunk in chunks(rows):
                store.bulk_insert(conn, MEMBER, COLUMNS, list(_iso_dates(chunk)))
        del rows
        fill_for_loading(ws, synthetic_inputs(n))
        score(ws)
    finally:
        ws.close()
    for side in ("-wal", "-shm"):
        Path(str(tmp) + side).unlink(missing_ok=True)
    shutil.move(tmp, path)
    return path


def copy_scored(n: int, workdir: Path) -> Path:
    """A private copy of the cached workspace in ``workdir`` (for steps that write to it)."""
    target = workdir / f"scored_{label(n)}.scorecard"
    shutil.copyfile(build_scored(n), target)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path = build_scored(args.members, force=args.force)
    print(f"{path} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
