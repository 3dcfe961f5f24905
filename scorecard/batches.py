"""Import batches after the fact: list them, export their rejected rows, undo them."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Select, select

from scorecard import models
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace

# Tables whose rows belong to a batch and go when it is undone (members are handled apart).
_BATCH_ROWS = ("financial_snapshot", "response", "referral", "engagement")
# Member columns an import may change, and undo restores.
MEMBER_COLUMNS = (
    "external_id", "email", "first_name", "last_name", "phone", "birth_year", "age_band",
    "join_date", "city", "country", "postcode", "consent_email", "consent_sms",
    "referral_code", "tags",
)


@dataclass(frozen=True)
class BatchSummary:
    id: int
    kind: str
    file_name: str
    dialect: str | None
    created_at: datetime
    status: str
    rows: int
    inserted: int
    updated: int
    rejected: int
    unmatched: int

    def as_dict(self) -> dict[str, object]:
        d = dict(self.__dict__)
        d["created_at"] = self.created_at.isoformat(sep=" ", timespec="seconds")
        return d


def _summary_select() -> Select:  # type: ignore[type-arg]
    """The columns of a BatchSummary, in its field order."""
    t = models.ImportBatch.__table__
    return select(*(t.c[name] for name in BatchSummary.__dataclass_fields__))


def list_batches(ws: Workspace) -> list[BatchSummary]:
    t = models.ImportBatch.__table__
    with ws.engine.connect() as conn:
        rows = conn.execute(_summary_select().order_by(t.c.id)).all()
    return [BatchSummary(*r) for r in rows]


def _batch(conn: Connection, batch_id: int) -> BatchSummary:
    t = models.ImportBatch.__table__
    row = conn.execute(_summary_select().where(t.c.id == batch_id)).first()
    if row is None:
        raise ScorecardError(f"there is no import batch {batch_id} (see: scorecard batches)")
    return BatchSummary(*row)


def export_rejects(ws: Workspace, batch_id: int, out: str | Path) -> int:
    """Write the batch's rejected rows as the user gave them, plus the reason; return the count.

    The file has the original header, so after fixing the rows it can be imported again.
    """
    out = Path(out)
    with ws.engine.connect() as conn:
        _batch(conn, batch_id)
        mapping = conn.exec_driver_sql(
            "SELECT mapping_json FROM import_batch WHERE id = ?", (batch_id,)
        ).scalar_one()
        header = list(json.loads(mapping).get("headers", [])) if mapping else []
        rows = conn.exec_driver_sql(
            "SELECT row_number, raw_json, reasons FROM rejected_row "
            "WHERE batch_id = ? ORDER BY row_number",
            (batch_id,),
        ).all()
    width = max([len(header)] + [len(json.loads(r[1])) for r in rows])
    header = header + [f"Column {i + 1}" for i in range(len(header), width)]
    # UTF-8 with BOM: Excel then shows accents and non-Latin names correctly.
    with out.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow([*header, "Rejected because", "Row in original file"])
        for row_number, raw, reasons in rows:
            cells = json.loads(raw)
            writer.writerow([*cells, *[""] * (width - len(cells)), reasons, row_number])
    return len(rows)


def refresh_superseded(conn: Connection, wave_ids: Iterable[int] | None = None) -> int:
    """Mark every response but a respondent's latest in a wave as superseded; return changes.

    A respondent is the member, else (unmatched) the id or e-mail the file gave; the latest is
    by ``submitted_at``, then by file order (``id``). Superseded responses are kept, not deleted:
    the scoring reads only ``superseded = 0``. Run after anything that adds responses, changes
    who they belong to (a re-match, an undone member import) or removes some (an undo).
    """
    run = conn.exec_driver_sql
    where = ""
    if wave_ids is not None:
        ids = sorted({int(w) for w in wave_ids})
        if not ids:
            return 0
        where = f"AND wave_id IN ({', '.join(map(str, ids))})"
    changed = run(
        "WITH ranked AS (SELECT id, row_number() OVER ("
        "  PARTITION BY wave_id, coalesce('m' || member_id, 'k' || respondent_key)"
        "  ORDER BY submitted_at DESC, id DESC) > 1 AS later_exists"
        f"  FROM response WHERE (member_id IS NOT NULL OR respondent_key IS NOT NULL) {where})"
        " UPDATE response SET superseded = ranked.later_exists FROM ranked"
        " WHERE ranked.id = response.id AND response.superseded IS NOT ranked.later_exists"
    ).rowcount
    # Anonymous responses (consent declined) are no one's repeat.
    changed += run(
        "UPDATE response SET superseded = 0 WHERE superseded = 1 "
        f"AND member_id IS NULL AND respondent_key IS NULL {where}"
    ).rowcount
    return changed


def refresh_latest_snapshots(conn: Connection, members: str | None = None) -> int:
    """Mark all but each member's latest financial snapshot (by ``as_of``, then ``id``) as
    superseded; return the rows changed. ``members`` is SQL selecting the member ids to look at
    (default: those holding a superseded snapshot, which is whom an undo can leave without a
    latest one). Run after anything that adds snapshots to existing members or removes some.
    """
    scope = members or "SELECT member_id FROM financial_snapshot WHERE superseded = 1"
    return conn.exec_driver_sql(
        "WITH ranked AS (SELECT id, row_number() OVER ("
        "  PARTITION BY member_id ORDER BY as_of DESC, id DESC) > 1 AS older"
        f"  FROM financial_snapshot WHERE member_id IN ({scope}))"
        " UPDATE financial_snapshot SET superseded = ranked.older FROM ranked"
        " WHERE ranked.id = financial_snapshot.id"
        " AND financial_snapshot.superseded IS NOT ranked.older"
    ).rowcount


def undo_batch(ws: Workspace, batch_id: int) -> BatchSummary:
    """Take a batch's data out again, in one transaction; the batch stays listed as undone."""
    with ws.transaction() as conn:
        batch = _batch(conn, batch_id)
        if batch.status != "committed":
            raise ScorecardError(f"batch {batch_id} was already undone")
        run = conn.exec_driver_sql
        if batch.kind == "members":
            later = run(
                "SELECT min(c.batch_id) FROM member_change c "
                "JOIN import_batch b ON b.id = c.batch_id AND b.status = 'committed' "
                "WHERE c.batch_id > :id AND (c.member_id IN "
                "  (SELECT member_id FROM member_change WHERE batch_id = :id) "
                "  OR c.member_id IN (SELECT id FROM member WHERE created_batch_id = :id))",
                {"id": batch_id},
            ).scalar_one()
            if later is not None:
                raise ScorecardError(
                    f"batch {later} was imported later and changed the same members; "
                    f"undo batch {later} first"
                )
            restore = ", ".join(
                f"{c} = json_extract(c.before_json, '$.{c}')" for c in MEMBER_COLUMNS
            )
            run(
                f"UPDATE member SET {restore}, updated_batch_id = NULL "
                "FROM member_change c WHERE c.batch_id = ? AND c.member_id = member.id",
                (batch_id,),
            )
            run("DELETE FROM member_change WHERE batch_id = ?", (batch_id,))
        waves = [
            w for (w,) in run(
                "SELECT DISTINCT wave_id FROM response WHERE batch_id = ?", (batch_id,)
            ).all()
        ]
        for table in _BATCH_ROWS:
            run(f"DELETE FROM {table} WHERE batch_id = ?", (batch_id,))
        if batch.kind == "members":
            refresh_latest_snapshots(conn)  # the snapshots before this batch's count again
            # After the snapshots: members this batch created go, with what hangs on them;
            # survey responses and referrals that pointed at them become unmatched, not lost.
            # member_score has no foreign key to member (0006): their scores go first, looked
            # up by key in each run.
            run("DELETE FROM member_score WHERE run_id IN (SELECT id FROM score_run) "
                "AND member_id IN (SELECT id FROM member WHERE created_batch_id = ?)",
                (batch_id,))
            run("DELETE FROM member WHERE created_batch_id = ?", (batch_id,))
            refresh_superseded(conn)  # responses that lost their member now stand alone
        if waves:
            # Earlier answers this batch had superseded count again; a wave left empty goes.
            refresh_superseded(conn, waves)
            run(
                f"DELETE FROM survey_wave WHERE id IN ({', '.join(map(str, waves))}) "
                "AND NOT EXISTS (SELECT 1 FROM response r WHERE r.wave_id = survey_wave.id)"
            )
        conn.execute(
            models.ImportBatch.__table__.update()
            .where(models.ImportBatch.__table__.c.id == batch_id)
            .values(status="undone", undone_at=datetime.now(UTC))
        )
        return _batch(conn, batch_id)
