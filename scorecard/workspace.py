"""The workspace facade: the one object the CLI, the GUI and the tests hold.

Like Anki's ``Collection``: it owns the database connection and exposes plain operations that
return plain data. It imports no Qt and knows nothing of files other than its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, func, select, text
from sqlmodel import Session

from scorecard import models, store
from scorecard.errors import WorkspaceExists, WorkspaceNotFound

DEFAULT_SETTINGS: dict[str, str] = {
    "gross_margin": "0.40",  # share of revenue left after cost of goods
    "currency": "EUR",
    "category": "products",  # the word questions use: "How much do you know about {category}?"
    "programme_name": "",
}


@dataclass(frozen=True)
class OpenReport:
    """What happened when the file was opened: was it migrated, and where is the backup."""

    migrated_from: str | None = None
    backup_path: Path | None = None


@dataclass(frozen=True)
class WorkspaceInfo:
    path: Path
    schema: str
    members: int
    financial_snapshots: int
    survey_waves: int
    responses: int
    answers: int
    referrals: int
    engagement_records: int
    batches: int
    rejected_rows: int
    score_runs: int

    def as_dict(self) -> dict[str, object]:
        d = dict(self.__dict__)
        d["path"] = str(self.path)
        return d


class Workspace:
    """An open ``.scorecard`` file."""

    def __init__(self, path: Path, report: OpenReport) -> None:
        self.path = path
        self.report = report
        self.engine = store.make_engine(path)

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, settings: dict[str, str] | None = None) -> Workspace:
        """Make a new, empty workspace file at ``path`` (suffix added when missing)."""
        path = Path(path)
        if path.suffix != store.SUFFIX:
            path = path.with_name(path.name + store.SUFFIX)
        if path.exists():
            raise WorkspaceExists(f"{path}: already exists; open it or choose another name")
        if not path.parent.exists():
            raise WorkspaceNotFound(f"{path.parent}: no such folder")
        ws = cls(path, OpenReport())
        try:
            store.upgrade(ws.engine)
            ws.set_settings({**DEFAULT_SETTINGS, **(settings or {})})
        except BaseException:
            ws.close()
            for leftover in (path, *_sidecars(path)):
                leftover.unlink(missing_ok=True)
            raise
        return ws

    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open an existing workspace, backing it up and migrating it if it is older."""
        path = Path(path)
        state = store.inspect_file(path)
        head = store.head_revision()
        report = OpenReport()
        if state.revision != head:
            backup = store.backup(path, state.revision)
            report = OpenReport(migrated_from=state.revision or "empty", backup_path=backup)
        ws = cls(path, report)
        if report.migrated_from is not None:
            store.upgrade(ws.engine)
            if state.revision is None:
                ws.set_settings(DEFAULT_SETTINGS)
        return ws

    def close(self) -> None:
        """Fold the write-ahead log back into the file, so it is one self-contained file again."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- access ----------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A Core connection in one transaction: commits on success, rolls back on any error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read_cursor(self) -> Iterator[sqlite3.Cursor]:
        """A DB-API cursor in one read transaction (a consistent snapshot), for bulk reads that
        fetch straight into NumPy without SQLAlchemy's per-row work."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")  # opens the read transaction
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            cur = raw.cursor()
            try:
                yield cur
            finally:
                cur.close()

    def session(self) -> Session:
        """An ORM session, for small interactive edits only (bulk work uses ``transaction``)."""
        return Session(self.engine)

    # -- settings --------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(models.Setting.key, models.Setting.value)).all()
        return {**DEFAULT_SETTINGS, **{k: v for k, v in rows}}

    def set_settings(self, values: dict[str, str]) -> None:
        with self.transaction() as conn:
            for key, value in values.items():
                conn.execute(
                    text(
                        "INSERT INTO setting (key, value) VALUES (:k, :v) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
                    ),
                    {"k": key, "v": str(value)},
                )

    # -- summary ---------------------------------------------------------------------------
    def info(self) -> WorkspaceInfo:
        def count(model: type, *where: object) -> int:
            stmt = select(func.count()).select_from(model)
            for clause in where:
                stmt = stmt.where(clause)  # type: ignore[arg-type]
            return int(conn.execute(stmt).scalar_one())

        with self.engine.connect() as conn:
            schema = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
            return WorkspaceInfo(
                path=self.path,
                schema=schema,
                members=count(models.Member),
                financial_snapshots=count(models.FinancialSnapshot),
                survey_waves=count(models.SurveyWave),
                responses=count(models.Response, models.Response.superseded.is_(False)),
                answers=count(models.Answer),
                referrals=count(models.Referral),
                engagement_records=count(models.Engagement),
                batches=count(models.ImportBatch, models.ImportBatch.status == "committed"),
                rejected_rows=count(models.RejectedRow),
                score_runs=count(models.ScoreRun),
            )


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
