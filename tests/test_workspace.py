"""The workspace file: create, reopen, migrate with backup, and refuse what we cannot open."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from scorecard import store
from scorecard.errors import (
    CorruptWorkspace,
    NewerWorkspace,
    NotAWorkspace,
    WorkspaceExists,
    WorkspaceNotFound,
)
from scorecard.models import SQLModel
from scorecard.workspace import Workspace


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_workspace(path: Path) -> Path:
    Workspace.create(path).close()
    return path


def test_create_makes_an_sqlite_file_any_tool_can_read(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "shop")  # suffix added
    assert ws.path == tmp_path / "shop.scorecard"
    info = ws.info()
    assert info.members == 0 and info.schema == store.head_revision()
    assert ws.settings()["category"] == "products"
    ws.close()
    conn = sqlite3.connect(tmp_path / "shop.scorecard")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"member", "financial_snapshot", "import_batch", "rejected_row", "survey_wave",
            "response", "answer", "referral", "engagement", "scoring_config", "score_run",
            "member_score", "mapping_profile", "setting"} <= tables
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert not (tmp_path / "shop.scorecard-wal").exists() or \
        (tmp_path / "shop.scorecard-wal").stat().st_size == 0


def test_foreign_keys_are_enforced(workspace: Workspace) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), workspace.transaction() as conn:
        conn.exec_driver_sql(
            "INSERT INTO financial_snapshot (member_id, as_of) VALUES (12345, '2026-01-01')"
        )


def test_models_match_the_migrated_schema(workspace: Workspace) -> None:
    with workspace.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = make_workspace(tmp_path / "a.scorecard")
    before = digest(path)
    with pytest.raises(WorkspaceExists):
        Workspace.create(path)
    assert digest(path) == before


def test_reopen_keeps_data_and_needs_no_migration(tmp_path: Path) -> None:
    path = make_workspace(tmp_path / "a.scorecard")
    with Workspace.open(path) as ws:
        ws.set_settings({"category": "coffee"})
    with Workspace.open(path) as ws:
        assert ws.settings()["category"] == "coffee"
        assert ws.report.backup_path is None
    assert list(tmp_path.glob("*.backup-*")) == []


def test_older_workspace_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.scorecard"
    engine = store.make_engine(path)
    store.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO member (external_id, email) VALUES ('7', 'a@b.nl')")
    engine.dispose()

    with Workspace.open(path) as ws:
        assert ws.report.migrated_from == "0001"
        backup = ws.report.backup_path
        assert backup is not None and backup.exists() and backup.parent == tmp_path
        assert ws.info().schema == store.head_revision()
        assert ws.info().members == 1
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert old.execute("SELECT email FROM member").fetchone()[0] == "a@b.nl"
    tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master")}
    assert "mapping_profile" not in tables
    old.close()


def test_upgrading_to_0006_keeps_every_score(tmp_path: Path) -> None:
    """member_score is rebuilt WITHOUT ROWID, keyed by (run, member); no row is lost."""
    path = tmp_path / "scored.scorecard"
    engine = store.make_engine(path)
    store.upgrade(engine, "0005")
    with engine.begin() as conn:
        run = conn.exec_driver_sql
        run("INSERT INTO member (id, email) VALUES (1, 'a@b.nl'), (2, 'c@d.nl')")
        run("INSERT INTO score_run (id, config_toml, batches_json, members_scored, created_at) "
            "VALUES (1, '', '[]', 2, '2026-11-01 10:00:00'), (2, '', '[]', 2, '2026-11-02')")
        run("INSERT INTO member_score (run_id, member_id, social, segment, receipt_json) VALUES "
            "(2, 2, 61.5, 'Advocates', '{\"response\":3}'), (1, 1, NULL, 'Not surveyed', NULL),"
            " (1, 2, 59.25, 'Base', NULL)")
    engine.dispose()

    with Workspace.open(path) as ws, ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT run_id, member_id, social, segment, receipt_json FROM member_score").all()
        ddl = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'member_score'").scalar_one()
        indexes = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'member_score' "
            "AND type = 'index'").scalar_one()
    assert [tuple(r) for r in rows] == [
        (1, 1, None, "Not surveyed", None), (1, 2, 59.25, "Base", None),
        (2, 2, 61.5, "Advocates", '{"response":3}')]
    assert ddl.endswith("WITHOUT ROWID") and indexes == 0
    with Workspace.open(path) as ws, ws.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM score_run WHERE id = 1")  # the run's scores go with it
        assert conn.exec_driver_sql("SELECT count(*) FROM member_score").scalar_one() == 1


def test_newer_workspace_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = make_workspace(tmp_path / "new.scorecard")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NewerWorkspace, match="newer version"):
        Workspace.open(path)
    assert digest(path) == before
    assert list(tmp_path.glob("*.backup-*")) == []


@pytest.mark.parametrize(
    "content",
    [b"Customer ID,Email\n1,a@b.nl\n", b"", b"\x89PNG\r\n\x1a\n" + bytes(range(256))],
    ids=["csv", "empty", "png"],
)
def test_non_sqlite_file_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.scorecard"
    path.write_bytes(content)
    with pytest.raises(NotAWorkspace, match="not a Social Scorecard workspace"):
        Workspace.open(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garbage.scorecard"]


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.scorecard"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotAWorkspace, match="not a Social Scorecard workspace"):
        Workspace.open(path)
    assert digest(path) == before


def test_corrupt_workspace_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = make_workspace(tmp_path / "bad.scorecard")
    data = bytearray(path.read_bytes())
    data[100:1500] = b"\xde\xad\xbe\xef" * 350  # page 1 after the header: the schema table
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(CorruptWorkspace, match="damaged"):
        Workspace.open(path)
    assert digest(path) == before
    assert list(tmp_path.glob("*.backup-*")) == []


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceNotFound, match="no such workspace"):
        Workspace.open(tmp_path / "nope.scorecard")


def test_bulk_insert_and_indexes_set_aside(workspace: Workspace) -> None:
    from scorecard import models

    def index_names() -> set[str]:
        with workspace.engine.connect() as conn:
            return set(conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='member' "
                "AND sql IS NOT NULL").scalars())

    before = index_names()
    assert "ix_member_email" in before
    with workspace.transaction() as conn, store.indexes_set_aside(conn, "member"):
        store.bulk_insert(conn, models.Member.__table__, ("external_id", "email", "join_date"),
                          [("1", "a@b.nl", "2024-01-02"), ("2", None, None)])
    assert index_names() == before
    with pytest.raises(RuntimeError), workspace.transaction() as conn, \
            store.indexes_set_aside(conn, "member"):
        raise RuntimeError("boom")  # the rollback brings the dropped indexes back
    assert index_names() == before
    with workspace.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT external_id, email, join_date FROM member").all()
    assert rows == [("1", "a@b.nl", "2024-01-02"), ("2", None, None)]
