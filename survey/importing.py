"""What every import shares: the batch row, duplicate-file detection, rejected rows, progress.

Each import runs in one transaction on one connection: the batch, its rows and its rejects are
written together or not at all, so a crash, an error or a cancel leaves the workspace as it was.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, insert, select, update

from scorecard import models
from scorecard.errors import Cancelled, ScorecardError
from scorecard.store import as_utc, bulk_insert
from scorecard.workspace import Workspace
from survey.readers import Table

REJECT_EXAMPLES = 5
ProgressFn = Callable[[float, str], None]  # (fraction 0..1, message)
CancelFn = Callable[[], bool]  # True when the user asked to stop


class AlreadyImported(ScorecardError):
    """The same file (same bytes) was imported before; ask before importing it again."""

    def __init__(self, path: Path, batch_id: int, when: datetime) -> None:
        super().__init__(
            f"{path.name}: this exact file was already imported as batch {batch_id} on "
            f"{_local(when):%Y-%m-%d %H:%M}; use --again to import it anyway"
        )
        self.batch_id = batch_id


@dataclass
class ImportResult:
    """The summary every import prints (``--json``) and the GUI shows."""

    batch: int
    dialect: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    unmatched: int = 0
    warnings: list[str] = field(default_factory=list)
    # The first rejected rows as (row number, reasons): what a dry run can show before writing.
    reject_examples: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "batch": self.batch,
            "dialect": self.dialect,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "rejected": self.rejected,
            "unmatched": self.unmatched,
            "warnings": list(self.warnings),
        }

    def describe(self) -> str:
        lines = [
            f"Batch {self.batch} ({self.dialect}): {self.rows:,} rows read, "
            f"{self.inserted:,} new, {self.updated:,} updated, {self.rejected:,} rejected"
            + (f", {self.unmatched:,} unmatched" if self.unmatched else "")
        ]
        lines += [f"  warning: {w}" for w in self.warnings]
        if self.rejected:
            lines.append(f"  rejected rows: scorecard rejects WORKSPACE {self.batch} rejects.csv")
        return "\n".join(lines)


@contextmanager
def bulk_work() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk pass makes millions of short-lived tuples.

    They hold no reference cycles, but each collection still walks every live object (the
    sets of ids seen so far included): with it on, a 1M-row import spends seconds in it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def import_transaction(ws: Workspace, *, dry_run: bool = False) -> Iterator[Connection]:
    """The one transaction of an import. A dry run (the wizard's check before importing) does
    all the same work and then rolls it back, so its counts and rejects are exactly what the
    real import would give."""
    with bulk_work(), ws.engine.connect() as conn:
        transaction = conn.begin()
        try:
            yield conn
        except BaseException:
            transaction.rollback()
            raise
        if dry_run:
            transaction.rollback()
        else:
            transaction.commit()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def estimate_rows(path: Path, table: Table) -> int | None:
    """Rows in a CSV, from the size of its first 64 KiB (for the progress bar only)."""
    if table.format.kind != "csv":
        return None
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    lines = head.count(b"\n")
    return max(1, int(path.stat().st_size / (len(head) / lines))) if lines >= 2 else None


def new_file_hash(ws: Workspace, path: Path, kind: str, *, again: bool = False) -> str:
    """The file's hash for its batch; raises AlreadyImported for a repeat unless ``again``."""
    file_hash = file_sha256(path)
    if not again:
        check_not_imported(ws, path, kind, file_hash)
    return file_hash


def check_not_imported(ws: Workspace, path: Path, kind: str, file_hash: str) -> None:
    table = models.ImportBatch.__table__
    with ws.engine.connect() as conn:
        row = conn.execute(
            select(table.c.id, table.c.created_at)
            .where(
                table.c.file_hash == file_hash,
                table.c.kind == kind,
                table.c.status == "committed",
            )
            .order_by(table.c.id.desc())
        ).first()
    if row:
        raise AlreadyImported(path, row[0], row[1])


def start_batch(conn: Connection, kind: str, path: Path, file_hash: str, **values: object) -> int:
    """Insert the batch row inside the import's transaction and return its id."""
    table = models.ImportBatch.__table__
    result = conn.execute(
        insert(table).values(
            kind=kind,
            file_name=path.name,
            file_hash=file_hash,
            file_size=path.stat().st_size,
            created_at=datetime.now(UTC),
            status="committed",
            **values,
        )
    )
    return int(result.inserted_primary_key[0])


def finish_batch(conn: Connection, result: ImportResult, mapping: dict[str, str] | None) -> None:
    table = models.ImportBatch.__table__
    if result.rejected:
        result.reject_examples = [
            (int(n), str(reasons))
            for n, reasons in conn.exec_driver_sql(
                "SELECT row_number, reasons FROM rejected_row WHERE batch_id = ? "
                "ORDER BY row_number LIMIT ?",
                (result.batch, REJECT_EXAMPLES),
            )
        ]
    conn.execute(
        update(table)
        .where(table.c.id == result.batch)
        .values(
            rows=result.rows,
            inserted=result.inserted,
            updated=result.updated,
            rejected=result.rejected,
            unmatched=result.unmatched,
            warnings_json=json.dumps(result.warnings, ensure_ascii=False),
            mapping_json=json.dumps(mapping, ensure_ascii=False) if mapping is not None else None,
        )
    )


def insert_rejects(
    conn: Connection, batch_id: int, rejects: Iterable[tuple[int, list[object], list[str]]]
) -> None:
    """Keep rejected rows as the user gave them: (row number, cells, reasons)."""
    rows = [
        (
            batch_id,
            row_number,
            json.dumps([_cell_text(c) for c in cells], ensure_ascii=False),
            "; ".join(reasons),
        )
        for row_number, cells, reasons in rejects
    ]
    bulk_insert(
        conn, models.RejectedRow.__table__, ("batch_id", "row_number", "raw_json", "reasons"), rows
    )


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


class Ticker:
    """Calls progress at most every ``every`` rows and raises Cancelled when asked to stop."""

    def __init__(
        self, progress: ProgressFn | None, cancel: CancelFn | None, total_hint: int | None
    ) -> None:
        self.progress = progress
        self.cancel = cancel
        self.total_hint = total_hint

    def tick(self, done: int, message: str) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled("Import cancelled; nothing was written")
        if self.progress is not None:
            fraction = min(done / self.total_hint, 0.99) if self.total_hint else 0.0
            self.progress(fraction, message)


def _local(when: datetime) -> datetime:
    """Stored times are UTC; people read local time."""
    return as_utc(when).astimezone()
