"""The workspace file on disk: engine, schema version check, backup and migration.

A file is inspected read-only before anything else touches it, so a file we refuse (newer schema,
not SQLite, corrupt, not a workspace) is left byte-for-byte as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event, insert

from scorecard.errors import CorruptWorkspace, NewerWorkspace, NotAWorkspace, WorkspaceNotFound

SUFFIX = ".scorecard"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def as_utc(moment: datetime) -> datetime:
    """A datetime read back from the workspace, where times are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def make_engine(path: Path) -> Engine:
    """An engine with foreign keys on, WAL, and real transactions (DDL included)."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Autocommit at the driver level; SQLAlchemy's "begin" event below issues BEGIN itself,
        # so that schema changes and bulk imports are all-or-nothing.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA busy_timeout = 5000")
        # A ceiling, not an allocation: with the 2 MiB default, inserting a million members
        # thrashes the email index's pages (measured: 2.4x the raw insert; 64 MiB: 2.1x).
        cur.execute("PRAGMA cache_size = -65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN")

    return engine


@dataclass(frozen=True)
class FileState:
    """What a read-only look at a file found."""

    revision: str | None  # None: an empty SQLite database (fresh, never migrated)


QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024


def inspect_file(path: Path) -> FileState:
    """Check that ``path`` is a workspace we can open, without writing to it."""
    if not path.exists():
        raise WorkspaceNotFound(f"{path}: no such workspace file")
    if path.is_dir():
        raise NotAWorkspace(f"{path}: is a folder, not a workspace file")
    with path.open("rb") as fh:
        magic = fh.read(len(_SQLITE_MAGIC))
    if magic != _SQLITE_MAGIC:
        raise NotAWorkspace(f"{path}: not a Social Scorecard workspace (not an SQLite file)")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise CorruptWorkspace(f"{path}: cannot be opened ({exc})") from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            if tables:
                raise NotAWorkspace(
                    f"{path}: an SQLite database, but not a Social Scorecard workspace"
                )
            return FileState(revision=None)
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        # A damaged schema page already failed above. The full page check reads the whole
        # file (4 s at 1M members), so an everyday open skips it for big files; a file about
        # to be backed up and migrated is always checked, so damage is never carried along.
        thorough = (row is None or row[0] != head_revision()
                    or path.stat().st_size <= QUICK_CHECK_MAX_BYTES)
        if thorough and conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
            raise CorruptWorkspace(
                f"{path}: the workspace file is damaged (integrity check failed)"
            )
    except sqlite3.DatabaseError as exc:
        raise CorruptWorkspace(f"{path}: the workspace file is damaged ({exc})") from exc
    finally:
        conn.close()
    revision = row[0] if row else None
    if revision is not None and revision not in known_revisions():
        raise NewerWorkspace(
            f"{path}: made by a newer version of Social Scorecard (schema {revision}); "
            "update the app to open it"
        )
    return FileState(revision=revision)


def backup(path: Path, revision: str | None) -> Path:
    """Copy the workspace next to itself, consistently even with a WAL pending."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{revision or 'empty'}-{stamp}{SUFFIX}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.backup-{revision or 'empty'}-{stamp}-{n}{SUFFIX}")
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def bulk_insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Insert positional rows through the Core-compiled statement, without per-row binding work.

    ``conn.execute(insert(table), dicts)`` spends ~6 µs a row mapping dicts and running bind
    processors — as long as SQLite takes to store the row. Rows passed here must already hold
    stored values (ISO date strings, ints for booleans). Dialects with named parameters
    (PostgreSQL later) fall back to the ordinary Core path.
    """
    if not rows:
        return
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(columns))
    if compiled.positional and list(compiled.positiontup or []) == list(columns):
        conn.exec_driver_sql(str(compiled), list(rows))
    else:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


@contextmanager
def indexes_set_aside(conn: Connection, *tables: str) -> Iterator[None]:
    """Drop the tables' secondary indexes for a bulk load and build them again afterwards.

    Building an index once from sorted keys is far cheaper than a million random inserts into
    it (the email index above all). Runs inside the caller's transaction: on error, the
    rollback brings the indexes back with everything else. Unique-constraint indexes (which
    SQLite creates itself, with no SQL) stay.
    """
    marks = ", ".join("?" * len(tables))
    indexes = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        tuple(tables),
    ).all()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` in one transaction."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
