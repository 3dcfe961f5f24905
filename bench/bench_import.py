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
from itertools import islice
from operator import itemgetter
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


# The Shopify headers the importer maps, and the member / snapshot columns they fill.
_SCHEMA_FLOOR_MEMBER = {
    "Customer ID": "external_id", "Email": "email", "First Name": "first_name",
    "Last Name": "last_name", "Phone": "phone", "Default Address City": "city",
    "Default Address Country Code": "country", "Default Address Zip": "postcode",
    "Accepts Email Marketing": "consent_email", "Accepts SMS Marketing": "consent_sms",
    "Tags": "tags",
}
_SCHEMA_FLOOR_MONEY = {"Total Spent": "revenue", "Total Orders": "orders"}


def raw_into_workspace_schema(path: Path, workdir: Path) -> int:
    """What the workspace's schema alone costs: the same file's mapped cells as they are (no
    typing, no checks, no matching; a repeated customer id is skipped), executemany'd by plain
    sqlite3 into a new workspace's member and financial_snapshot tables, secondary indexes
    dropped and rebuilt as the importer does for a big load."""
    target = workdir / "floor.scorecard"
    Workspace.create(target).close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO import_batch (id, kind, file_name, file_hash, file_size, rows, "
                 "inserted, updated, rejected, unmatched, status, created_at) VALUES "
                 "(1, 'members', 'f', 'h', 0, 0, 0, 0, 0, 0, 'committed', '2026-11-23')")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('member', 'financial_snapshot')").fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    with path.open(newline="", encoding="utf-8") as fh:
        rows = csv.reader(fh)
        header = next(rows)
        member_cols = [header.index(h) for h in _SCHEMA_FLOOR_MEMBER]
        money_cols = [header.index(h) for h in _SCHEMA_FLOOR_MONEY]
        fields = ", ".join(_SCHEMA_FLOOR_MEMBER.values())
        member_sql = (f"INSERT OR IGNORE INTO member (id, {fields}, created_batch_id) "
                      f"VALUES (?, {', '.join('?' * len(member_cols))}, 1)")
        money_sql = ("INSERT INTO financial_snapshot (member_id, batch_id, as_of, revenue, orders)"
                     " VALUES (?, 1, '2026-11-23', ?, ?)")
        last = len(header)  # each row gets its member id appended
        pick_member, pick_money = itemgetter(last, *member_cols), itemgetter(last, *money_cols)
        count = 0
        while chunk := list(islice(rows, 50_000)):
            for i, cells in enumerate(chunk, count + 1):
                del cells[last:]  # a ragged row: cut or pad it to the header's width first
                cells.extend([""] * (last - len(cells)))
                cells.append(i)
            conn.executemany(member_sql, map(pick_member, chunk))
            conn.executemany(money_sql, map(pick_money, chunk))
            count += len(chunk)
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.close()
    return count


@benchmark(
    "probe.import.schema_floor",
    setup=shopify_file,
    baseline=raw_csv_executemany,
    max_ratio=None,
    probe=True,
    description="the floor under import.members.shopify_csv: the same cells, untyped, straight "
    "into the workspace's member and snapshot tables, vs csv → executemany",
)
def schema_floor(path: Path, workdir: Path) -> int:
    return raw_into_workspace_schema(path, workdir)
