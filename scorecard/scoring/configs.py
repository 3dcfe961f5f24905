"""Scoring configs saved in a workspace: import, export, list; the newest is the current one.

Like runs, every function takes a ``Workspace`` and returns plain values or dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from scorecard import models
from scorecard.errors import ScorecardError
from scorecard.scoring.config import ScoringConfig, default_config
from scorecard.scoring.config_toml import from_toml, to_toml
from scorecard.store import as_utc
from scorecard.workspace import Workspace


@dataclass(frozen=True)
class ConfigInfo:
    id: int
    name: str
    created_at: datetime

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "created_at": self.created_at.isoformat()}


def save_config(ws: Workspace, config: ScoringConfig) -> ConfigInfo:
    """Store a config in the workspace; the newest saved config is the one runs use."""
    now = datetime.now(UTC)
    with ws.transaction() as conn:
        result = conn.execute(
            insert(models.ScoringConfig.__table__).values(
                name=config.name, config_toml=to_toml(config), created_at=now
            )
        )
        (config_id,) = result.inserted_primary_key or (None,)
    assert config_id is not None
    return ConfigInfo(int(config_id), config.name, now)


def read_config(path: str | Path) -> ScoringConfig:
    """A TOML config file (merged over the defaults), validated; for ``score --config FILE``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ScorecardError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return from_toml(text, source=str(path))


def import_config(ws: Workspace, path: str | Path, name: str | None = None) -> ConfigInfo:
    """Read a TOML config file, validate it and save it as the workspace's current config."""
    config = read_config(path)
    if name:
        config = config.with_(name=name)
    return save_config(ws, config)


def list_configs(ws: Workspace) -> list[ConfigInfo]:
    t = models.ScoringConfig.__table__
    with ws.engine.connect() as conn:
        rows = conn.execute(select(t.c.id, t.c.name, t.c.created_at).order_by(t.c.id)).all()
    return [ConfigInfo(int(i), n, as_utc(c)) for i, n, c in rows]


def current_config(ws: Workspace, config_id: int | None = None) -> tuple[ScoringConfig, int | None]:
    """The saved config ``config_id``, else the newest saved one, else the defaults."""
    t = models.ScoringConfig.__table__
    stmt = select(t.c.id, t.c.config_toml)
    stmt = stmt.where(t.c.id == config_id) if config_id is not None else stmt.order_by(
        t.c.id.desc()).limit(1)
    with ws.engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        if config_id is not None:
            raise ScorecardError(f"there is no saved scoring config {config_id}")
        return default_config(), None
    return from_toml(row[1], source=f"saved config {row[0]}"), int(row[0])


def export_config(ws: Workspace, out: str | Path | None = None,
                  config_id: int | None = None) -> str:
    """The current (or given) config as TOML; written to ``out`` when given."""
    config, _ = current_config(ws, config_id)
    text = to_toml(config)
    if out is not None:
        Path(out).write_text(text, encoding="utf-8")
    return text
