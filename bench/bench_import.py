"""Member-list import: a Shopify customers export through ``scorecard import members``.

The measured step is the whole import as a user runs it (read, detect, map, convert, reject,
stage, match, insert members and snapshots, commit) into a fresh workspace. The baseline is the
cheapest way to get the same file into SQLite: the csv module's rows straight into
``executemany`` on a bare table with one text column per header, in one transaction.
The input is the demo generator's Shopify writer (``survey.demo.write_shopify_customers``), so it
has the real layout: apostrophe-prefixed ids and phones, yes/no flags, notes with newlines.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from bench.runner import benchmark
from scorecard.workspace import Workspace
from survey.demo import write_shopify_customers
from survey.members import import_members

_CACHE = Path(__file__).resolve().parent / "data"


def shopify_file(size: int) -> Path:
    """The Shopify export for ``size`` members, written once and reused across runs."""
    _CACHE.mkdir(exist_ok=True)
    path = _CACHE / f"customers_{size}.csv"
    if not path.exists():
        tmp = path.with_suffix(".partial")
        write_shopify_customers(tmp, size, seed=7)
        tmp.replace(path)
    return path


def raw_csv_executemany(path: Path, workdir: Path) -> int:
    conn = sqlite3.connect(workdir / "raw.db")
    with path.open(newline="", encoding="utf-8") as fh:
        rows = csv.reader(fh)
        header = next(rows)
        cols = ", ".join(f'"c{i}"' for i in range(len(header)))
        conn.execute(f"CREATE TABLE t ({cols})")
        conn.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(header))})", rows)
    conn.commit()
    count = conn.execute("SELECT count(*) FROM t").fetchone()[0]
    conn.close()
    return int(count)


@benchmark(
    "import.members.shopify_csv",
    setup=shopify_file,
    baseline=raw_csv_executemany,
    max_ratio=2.0,
    description="Shopify CSV → members + snapshots vs csv → executemany",
)
def import_shopify(path: Path, workdir: Path) -> int:
    """``import_members`` of a Shopify export into a new workspace."""
    with Workspace.create(workdir / "bench.scorecard") as ws:
        result = import_members(ws, path)
    return result.inserted
