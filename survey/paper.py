"""Typing returned paper questionnaires back in: members, sheets, and saving a sitting.

The fields and their checks are in ``survey.paper_fields`` (re-exported here). A typed or scanned
member id is looked up with :func:`find_member`; :func:`save_sitting` writes the sheets of one
sitting as ONE import batch of kind ``paper``, in one transaction, with the answer rows
``survey.answers`` defines, so scoring, undo and superseding treat paper like any other survey
import.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Connection, insert

from scorecard import models
from scorecard.batches import refresh_superseded
from scorecard.errors import ScorecardError
from scorecard.store import bulk_insert
from scorecard.workspace import Workspace
from survey import values as V
from survey.importing import ImportResult, finish_batch, import_transaction
from survey.matching import match_column, match_person
from survey.paper_fields import AnswerRow, Checked, Field, check, paper_fields
from survey.response_times import stored
from survey.responses import _superseded, _wave_named, declined_warning, superseded_warning

__all__ = [
    "AnswerRow", "Checked", "Field", "MemberMatch", "Sheet", "answered", "check",
    "clean_member_key", "declined", "default_wave", "find_member", "paper_fields", "read_sheet",
    "save_sitting", "wave_names",
]
KIND = "paper"
MAX_ERRORS = 5

# -- members ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberMatch:
    id: int
    key: str  # what the response is stored under: the member number, else the e-mail
    external_id: str | None
    name: str
    email: str | None
    city: str | None

    def describe(self) -> str:
        parts = [self.name or "(no name)", self.email or "", self.city or ""]
        return " · ".join(p for p in parts if p)


_AIM_PREFIX = re.compile(r"^\][A-Za-z]\d")  # a scanner's symbology identifier, "]Q1" for QR


def clean_member_key(typed: str) -> str | None:
    """A typed or scanned member number without what scanners and spreadsheets add to it."""
    text = "".join(ch for ch in typed if ch.isprintable()).strip()
    return V.clean_text(text)


def find_member(ws: Workspace, typed: str) -> MemberMatch | None:
    """The member a typed or scanned id names: the member number as on the member list (the
    QR code on the form encodes exactly that), in any letter case, or an e-mail address."""
    key = clean_member_key(typed)
    if key is None:
        return None
    with ws.engine.connect() as conn:
        return _lookup(conn, key)


def _lookup(conn: Connection, key: str) -> MemberMatch | None:
    tries = [key, key.upper(), key.lower()]
    if _AIM_PREFIX.match(key):
        tries.append(key[3:])
    cols = "id, external_id, first_name, last_name, email, city"
    run = conn.exec_driver_sql
    tries = list(dict.fromkeys(tries))
    # One statement, one index probe per spelling; the id exactly as typed wins.
    row = run(
        f"SELECT {cols} FROM member WHERE external_id IN ({', '.join('?' * len(tries))}) "
        "ORDER BY external_id <> ? LIMIT 1", (*tries, key)
    ).first()
    if row is None and "@" in key:
        email = V.normalise_email(key)
        sql = f"SELECT {cols} FROM member WHERE email = ? ORDER BY id LIMIT 1"
        row = run(sql, (email,)).first()
    if row is None:
        return None
    mid, ext, first, last, email, city = row
    name = " ".join(p.strip() for p in (first, last) if p and p.strip())
    return MemberMatch(int(mid), ext or email, ext, name, email, city)


# -- sheets and sittings ------------------------------------------------------------------------


@dataclass
class Sheet:
    """One returned form: who (member number or e-mail as found) and the texts typed per field."""

    member_key: str | None
    answers: dict[str, str] = field(default_factory=dict)  # Field.key -> text as typed
    entered_at: datetime | None = None  # when it was typed (the sitting's time when None)


def read_sheet(sheet: Sheet, category: str = "products") -> tuple[list[AnswerRow], list[str]]:
    """The answer rows a sheet gives, and the messages of the fields that cannot be read."""
    rows: list[AnswerRow] = []
    errors: list[str] = []
    for f in paper_fields(category):
        text = sheet.answers.get(f.key, "")
        if not text.strip():
            continue
        got = check(f, text)
        if got.error is not None:
            errors.append(got.error)
        rows.extend(got.rows)
    return rows, errors


def answered(sheet: Sheet) -> int:
    """How many fields of the sheet hold something."""
    return sum(1 for text in sheet.answers.values() if text.strip())


def declined(rows: list[AnswerRow]) -> bool:
    """Consent answered No: the answers are kept without the member, as a survey import does."""
    return any(item == "consent" and value == 0 for item, _, value in rows)


def wave_names(ws: Workspace) -> list[str]:
    """Existing survey waves, newest first."""
    with ws.engine.connect() as conn:
        return list(
            conn.exec_driver_sql("SELECT name FROM survey_wave ORDER BY id DESC").scalars()
        )


def default_wave() -> str:
    """This month's wave, named as a survey import without --wave names it."""
    return f"{date.today():%Y-%m} survey"


def save_sitting(
    ws: Workspace, wave: str, sheets: list[Sheet], *, entered_by: str | None = None
) -> ImportResult:
    """Save a sitting's sheets as one import batch (kind ``paper``) into ``wave``.

    Raises ScorecardError, writing nothing, when a sheet has no answers or an unreadable one.
    """
    if not sheets:
        raise ScorecardError("no sheets to save")
    category = ws.settings().get("category") or "products"
    read = [read_sheet(s, category) for s in sheets]
    problems = [f"sheet {n}: no answers" for n, (rows, _) in enumerate(read, 1) if not rows]
    problems += [f"sheet {n}: {e}" for n, (_, errs) in enumerate(read, 1) for e in errs]
    if problems:
        more = f" (and {len(problems) - MAX_ERRORS} more)" if len(problems) > MAX_ERRORS else ""
        raise ScorecardError("; ".join(problems[:MAX_ERRORS]) + more)
    now = datetime.now(UTC)
    wave = " ".join((wave or "").split()) or default_wave()
    who = " ".join((entered_by or "").split()) or None
    with import_transaction(ws) as conn:
        batch = _start(conn, sheets, wave, who, now)
        result = ImportResult(batch=batch, dialect=KIND, rows=len(sheets))
        wave_id = _wave_named(conn, wave, now.date())
        before = _superseded(conn, wave_id)
        base = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM response").scalar_one()
        keys = _keys(conn, sheets)
        responses, answers = [], []
        for n, (sheet, (rows, _)) in enumerate(zip(sheets, read, strict=True), 1):
            key = None if declined(rows) else keys.get(sheet.member_key or "")
            email = key if key and "@" in key else None
            when = stored(sheet.entered_at or now)
            responses.append((base + n, wave_id, batch, key, email, n, when, 0))
            answers += [(base + n, item, raw, value) for item, raw, value in rows]
        bulk_insert(conn, models.Response.__table__, (
            "id", "wave_id", "batch_id", "respondent_key", "respondent_email", "row_number",
            "submitted_at", "superseded"), responses)  # fmt: skip
        bulk_insert(conn, models.Answer.__table__, ("response_id", "item_id", "raw", "value"),
                    answers)
        mine = f"AND batch_id = {batch}"
        # The same matching as a survey import: member number first, then e-mail.
        match_person(conn, "response", "member_id", "respondent_key", by=("id",), where=mine)
        match_column(conn, "response", "member_id", "respondent_email", "email", mine)
        refresh_superseded(conn, [wave_id])
        result.inserted = len(responses)
        result.unmatched = conn.exec_driver_sql(
            "SELECT count(*) FROM response WHERE batch_id = ? AND member_id IS NULL "
            "AND respondent_key IS NOT NULL", (batch,)
        ).scalar_one()
        result.warnings += _warnings(conn, result, wave_id, wave, before, sheets, read)
        conn.execute(
            models.ImportBatch.__table__.update()
            .where(models.ImportBatch.__table__.c.id == batch)
            .values(wave_id=wave_id)
        )
        finish_batch(conn, result, {"wave": wave, "entered_by": who,
                                    "fields": [f.key for f in paper_fields(category)]})
    return result


def _keys(conn: Connection, sheets: list[Sheet]) -> dict[str, str | None]:
    """Each typed id as the response keeps it: the member's own number (or e-mail) when found,
    else as typed (an unmatched response a later member import may match). One index probe per
    distinct id: a sitting is a stack of forms, not a file of millions."""
    out: dict[str, str | None] = {}
    for typed in {s.member_key for s in sheets if s.member_key}:
        key = clean_member_key(typed)
        found = _lookup(conn, key) if key else None
        out[typed] = found.key if found is not None else key
    return out


def _start(conn: Connection, sheets: list[Sheet], wave: str, who: str | None, now: datetime
           ) -> int:
    """The batch row; its hash is the sitting's content, its name says what it was."""
    content = json.dumps([(s.member_key, sorted(s.answers.items())) for s in sheets],
                         ensure_ascii=False)
    n = len(sheets)
    name = f"Paper questionnaires, {n} sheet{'s' if n != 1 else ''}" + (f", typed by {who}"
                                                                         if who else "")
    table = models.ImportBatch.__table__
    created = conn.execute(insert(table).values(
        kind=KIND, file_name=name, file_hash=hashlib.sha256(content.encode()).hexdigest(),
        file_size=0, dialect=KIND, created_at=now, status="committed",
    ))  # fmt: skip
    return int(created.inserted_primary_key[0])


def _warnings(conn: Connection, result: ImportResult, wave_id: int, wave: str, before: int,
              sheets: list[Sheet], read: list[tuple[list[AnswerRow], list[str]]]) -> list[str]:
    lines = superseded_warning(conn, wave_id, wave, before, "a member")
    if result.unmatched:
        lines.append(
            f"{result.unmatched:,} sheet(s) name a member number the member list does not have; "
            "kept unmatched (a later member import matches them)"
        )
    anonymous = sum(1 for s, (rows, _) in zip(sheets, read, strict=True)
                    if not (s.member_key or "").strip() and not declined(rows))
    if anonymous:
        lines.append(f"{anonymous:,} sheet(s) have no member number; kept without a member")
    return lines + declined_warning(sum(1 for rows, _ in read if declined(rows)))
