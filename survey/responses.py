"""Survey import: a survey tool's export into a wave of responses and their answers.

Works out the tool's layout (``survey.dialects``) and what each column feeds
(``survey.survey_mapping``), then makes one streaming pass over the file a chunk at a time
(``survey.response_pass``): each distinct answer text is parsed once (``survey.answers``) and
SQL writes the chunk's responses and answers set-based (``survey.response_stage``). All in one
transaction with one batch: an error or a cancel leaves the workspace as it was.

Rows rejected (kept with reasons, see ``scorecard rejects``): a row with no answer at all, and a
row that repeats an earlier row exactly. Everything else is kept: an unknown member is an
unmatched response (re-matched by a later member import), an unreadable answer is kept raw, an
unreadable time leaves the time blank. A member who answered twice in a wave keeps both; the
later counts and the earlier is marked superseded. A respondent who answered "No" to the consent
question (linking answers to their membership) is kept without member, id or e-mail.
"""

from __future__ import annotations

from datetime import date
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection, update

from scorecard import models
from scorecard.batches import refresh_superseded
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace
from survey.dialect_meta import EMAIL, MEMBER_ID
from survey.dialects import read_layout
from survey.importing import (
    CancelFn,
    ImportResult,
    ProgressFn,
    Ticker,
    estimate_rows,
    finish_batch,
    import_transaction,
    new_file_hash,
    start_batch,
)
from survey.item_match import WordingIndex
from survey.response_pass import ResponsePass
from survey.survey_mapping import ColumnPlan, resolve_columns
from survey.survey_profile import save_user_mapping, user_mapping, write_template

CHUNK = 10_000
SAMPLE_ROWS = 2_000
MAX_ITEM_WARNINGS = 8


def import_survey(
    ws: Workspace,
    path: str | Path,
    *,
    wave: str | None = None,
    dialect: str | None = None,
    map_options: list[str] | None = None,
    mapping_file: str | Path | None = None,
    save_mapping: str | Path | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    again: bool = False,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportResult:
    """Import a survey export into a wave. Raises ScorecardError (nothing written) when unusable."""
    path = Path(path)
    layout = read_layout(path, dialect=dialect, encoding=encoding, delimiter=delimiter, sheet=sheet)
    sample = layout.table.peek(SAMPLE_ROWS)
    user, chosen = user_mapping(ws, layout, map_options, mapping_file)
    index = WordingIndex(ws.settings().get("category", "products"))
    plans, mapping_warnings = resolve_columns(layout, index, user, sample)
    if save_mapping is not None:
        write_template(save_mapping, plans, user)
    answers = [p for p in plans if p.target is not None]
    if not any(not p.target.is_raw for p in answers):  # type: ignore[union-attr]
        raise ScorecardError(
            f"{path.name}: no column matches a question of the standard questionnaire "
            f"(detected layout: {layout.dialect}); map the columns with --map "
            '"Header=item_id" or --mapping FILE.toml (write a template with --save-mapping '
            "FILE.toml; item ids: scorecard questionnaire --json)"
        )
    file_hash = new_file_hash(ws, path, "survey", again=again)
    roles = {p.role: p.column.index for p in plans if p.role is not None}
    ticker = Ticker(progress, cancel, estimate_rows(path, layout.table))

    with import_transaction(ws, dry_run=dry_run) as conn:
        batch = start_batch(
            conn, "survey", path, file_hash, dialect=layout.dialect,
            encoding=layout.table.format.encoding, delimiter=layout.table.format.delimiter,
        )  # fmt: skip
        result = ImportResult(batch=batch, dialect=layout.dialect)
        result.warnings += layout.table.warnings + mapping_warnings
        # Without --wave the name comes from the earliest answer, known only at the end.
        wave_id = _wave_named(conn, wave) if wave else _wave_named(conn, f"(import {batch})")
        before = _superseded(conn, wave_id)
        file_pass = ResponsePass(conn, layout, answers, roles, user, sample, batch)
        rows = layout.table.rows()
        while chunk := list(islice(rows, CHUNK)):
            result.rows += len(chunk)
            file_pass.chunk(chunk, wave_id)
            ticker.tick(result.rows, f"Reading row {chunk[-1][0]:,}")
        result.inserted, result.unmatched = file_pass.inserted, file_pass.unmatched
        ticker.tick(result.rows, "Settling the wave and superseded answers")
        notes = file_pass.finish()
        if not wave:
            wave_id, before = _settle_wave(conn, wave_id, batch, file_pass.first_time)
        wave_name = conn.exec_driver_sql(
            "SELECT name FROM survey_wave WHERE id = ?", (wave_id,)
        ).scalar_one()
        refresh_superseded(conn, [wave_id])
        result.warnings += file_pass.time_warning() + notes
        result.warnings += _answer_warnings(file_pass.unread(), answers)
        result.warnings += _summary_warnings(
            conn, wave_id, wave_name, before, file_pass.declined, roles
        )
        result.warnings += _raw_columns_warning(plans)
        result.rejected = conn.exec_driver_sql(
            "SELECT count(*) FROM rejected_row WHERE batch_id = ?", (batch,)
        ).scalar_one()
        conn.execute(
            update(models.ImportBatch.__table__)
            .where(models.ImportBatch.__table__.c.id == batch)
            .values(wave_id=wave_id)
        )
        finish_batch(conn, result, {
            "headers": layout.table.header,
            "dialect": layout.dialect,
            "wave": wave_name,
            "columns": {p.column.display: p.spec for p in plans},
        })  # fmt: skip
        if chosen:
            save_user_mapping(conn, layout, user, path.name)
    if progress is not None:
        progress(1.0, "Done")
    return result


def _wave_named(conn: Connection, name: str, started: date | None = None) -> int:
    """The wave with this name, created when new."""
    name = " ".join(name.split())
    table = models.SurveyWave.__table__
    found = conn.execute(table.select().where(table.c.name == name)).first()
    if found is not None:
        return int(found.id)
    created = conn.execute(table.insert().values(name=name, started=started))
    return int(created.inserted_primary_key[0])


def _settle_wave(
    conn: Connection, provisional: int, batch: int, first_time: str | None
) -> tuple[int, int]:
    """Name the import's wave after the month answers began ("2026-10 survey"); join an
    existing wave of that name. Returns the wave and its superseded count before this import."""
    started = date.fromisoformat(first_time[:10]) if first_time else None
    name = f"{(started or date.today()):%Y-%m} survey"
    table = models.SurveyWave.__table__
    found = conn.execute(table.select().where(table.c.name == name)).first()
    if found is None:
        conn.execute(
            table.update().where(table.c.id == provisional).values(name=name, started=started)
        )
        return provisional, 0
    run = conn.exec_driver_sql
    before = _superseded(conn, int(found.id))
    run("UPDATE response SET wave_id = ? WHERE batch_id = ?", (found.id, batch))
    run("DELETE FROM survey_wave WHERE id = ?", (provisional,))
    return int(found.id), before

def _superseded(conn: Connection, wave_id: int) -> int:
    return conn.exec_driver_sql(
        "SELECT count(*) FROM response WHERE wave_id = ? AND superseded = 1", (wave_id,)
    ).scalar_one()


def _answer_warnings(
    unread: dict[int, tuple[int, list[str]]], answers: list[ColumnPlan]
) -> list[str]:
    """One line per column with answers that could not be read, the largest counts first."""
    bad = sorted(unread.items(), key=lambda kv: -kv[1][0])
    lines = []
    for j, (count, examples) in bad[:MAX_ITEM_WARNINGS]:
        plan = answers[j]
        shown = ", ".join(repr(e) for e in examples)
        lines.append(
            f"{plan.target.item_id} ({_short(plan.column.display)}): {count:,} answer(s) could "  # type: ignore[union-attr]
            f"not be read (e.g. {shown}); kept as text, without a value"
        )
    if len(bad) > MAX_ITEM_WARNINGS:
        rest = sum(c for _, (c, _) in bad[MAX_ITEM_WARNINGS:])
        lines.append(f"… and {rest:,} more in {len(bad) - MAX_ITEM_WARNINGS} other column(s)")
    return lines


def superseded_warning(
    conn: Connection, wave_id: int, wave_name: str, before: int, who: str
) -> list[str]:
    """The line saying how many earlier responses this import superseded (none: no line)."""
    superseded = _superseded(conn, wave_id) - before
    if superseded <= 0:
        return []
    return [
        f"{superseded:,} earlier response(s) in wave {wave_name!r} came from {who} who "
        "answered again; the later answer counts, the earlier is kept marked superseded"
    ]


def declined_warning(declined: int) -> list[str]:
    """The line for respondents who declined to link their answers (none: no line)."""
    if not declined:
        return []
    return [
        f"{declined:,} respondent(s) answered No to linking their answers to their "
        "membership; their answers are kept without a member"
    ]


def _summary_warnings(
    conn: Connection,
    wave_id: int,
    wave_name: str,
    before: int,
    declined: int,
    roles: dict[str, int],
) -> list[str]:
    lines = superseded_warning(conn, wave_id, wave_name, before, "someone")
    lines += declined_warning(declined)
    if MEMBER_ID not in roles and EMAIL not in roles:
        lines.append(
            "No member id or e-mail column: responses cannot be matched to members "
            '(map one with --map "Header=member_id" or "Header=email")'
        )
    return lines


def _raw_columns_warning(plans: list[ColumnPlan]) -> list[str]:
    raw = [p.column.display for p in plans if p.target is not None and p.target.is_raw]
    if not raw:
        return []
    shown = "; ".join(_short(r) for r in raw[:6])
    if len(raw) > 6:
        shown += f"; … ({len(raw)} in all)"
    return [
        f"Columns not matched to a questionnaire item, kept as raw answers: {shown} "
        '(map them with --map "Header=item_id" or --mapping FILE.toml)'
    ]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
