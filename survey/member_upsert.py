"""The set-based half of the member import: match staged rows, update, insert, snapshot.

Runs on the staging table ``temp._stage_member`` that ``survey.members`` filled, inside the
import's transaction. Every statement works on all rows at once.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date

from sqlalchemy import Connection

from scorecard.batches import MEMBER_COLUMNS, refresh_latest_snapshots
from scorecard.store import indexes_set_aside
from survey.importing import ImportResult, insert_rejects
from survey.member_rows import STAGED

# Loads at least this big (and a quarter of the members already there) rebuild the indexes
# once instead of updating them row by row.
BIG_LOAD = 50_000

FINANCE_COLUMNS = ("revenue", "orders", "cost_to_serve", "first_order", "last_order", "currency")
# An import overwrites MEMBER_COLUMNS only with non-blank values: an empty cell keeps what we know.

_MATCH_BY_ID = """
UPDATE temp._stage_member SET member_id = m.id
FROM member AS m WHERE m.external_id = _stage_member.external_id
"""
_MATCH_BY_EMAIL = """
UPDATE temp._stage_member SET member_id = m.id
FROM (SELECT email, min(id) AS id FROM member WHERE email IS NOT NULL GROUP BY email) AS m
WHERE _stage_member.member_id IS NULL AND m.email = _stage_member.email
"""


def _match_existing(conn: Connection, batch: int, result: ImportResult) -> None:
    """Point staged rows at the members they update, keep the old values, update them."""
    run = conn.exec_driver_sql
    run("CREATE INDEX temp._stage_member_ext ON _stage_member (external_id)")
    run(_MATCH_BY_ID)
    run(_MATCH_BY_EMAIL)
    # Two file rows that reach the same member by different keys (id in one, email in another):
    # keep the first, reject the later one with its reason.
    dupes = run(
        "SELECT s.row_number, s.sid, f.row_number FROM temp._stage_member s "
        "JOIN (SELECT member_id, min(sid) AS sid, min(row_number) AS row_number "
        "      FROM temp._stage_member WHERE member_id IS NOT NULL GROUP BY member_id "
        "      HAVING count(*) > 1) f ON f.member_id = s.member_id AND s.sid <> f.sid"
    ).all()
    if dupes:
        _reject_staged(conn, batch, dupes)
    before = ", ".join(f"'{c}', m.{c}" for c in MEMBER_COLUMNS)
    run(
        "INSERT INTO member_change (batch_id, member_id, before_json) "
        f"SELECT ?, m.id, json_object({before}) FROM member m "
        "JOIN temp._stage_member s ON s.member_id = m.id",
        (batch,),
    )
    assign = ", ".join(f"{c} = coalesce(s.{c}, member.{c})" for c in MEMBER_COLUMNS)
    result.updated = run(
        f"UPDATE member SET {assign}, updated_batch_id = ? "
        "FROM temp._stage_member s WHERE s.member_id = member.id",
        (batch,),
    ).rowcount


def apply_staged(conn: Connection, batch: int, as_of: date, result: ImportResult) -> None:
    run = conn.exec_driver_sql
    has_members = run("SELECT EXISTS (SELECT 1 FROM member)").scalar_one()
    if has_members:
        _match_existing(conn, batch, result)
    # New members get ids in file order; staged rows still without a member are the new ones.
    base, existing = run("SELECT coalesce(max(id), 0), count(*) FROM member").one()
    new = run("SELECT count(*) FROM temp._stage_member WHERE member_id IS NULL").scalar_one()
    big_load = new >= BIG_LOAD and new * 4 >= existing
    with indexes_set_aside(conn, "member", "financial_snapshot") if big_load else nullcontext():
        cols = ", ".join(MEMBER_COLUMNS)
        result.inserted = run(
            f"INSERT INTO member (id, {cols}, created_batch_id) SELECT ? + sid, {cols}, ? "
            "FROM temp._stage_member WHERE member_id IS NULL ORDER BY sid",
            (base, batch),
        ).rowcount
        fin = ", ".join(FINANCE_COLUMNS)
        has_money = " OR ".join(f"{c} IS NOT NULL" for c in FINANCE_COLUMNS[:3])
        run(
            f"INSERT INTO financial_snapshot (member_id, batch_id, as_of, {fin}) "
            f"SELECT coalesce(member_id, ? + sid), ?, ?, {fin} FROM temp._stage_member "
            f"WHERE {has_money} ORDER BY sid",
            (base, batch, as_of.isoformat()),
        )
    if result.updated:  # members seen before now have an older snapshot too
        refresh_latest_snapshots(conn, "SELECT member_id FROM temp._stage_member "
                                       "WHERE member_id IS NOT NULL")
    result.rejected = run(
        "SELECT count(*) FROM rejected_row WHERE batch_id = ?", (batch,)
    ).scalar_one()
    shared = run(
        "SELECT email FROM member WHERE email IS NOT NULL GROUP BY email HAVING count(*) > 1 "
        "ORDER BY email"
    ).scalars().all()
    if shared:
        examples = ", ".join(shared[:3]) + (" …" if len(shared) > 3 else "")
        result.warnings.append(
            f"{len(shared)} email address(es) belong to two members with different customer "
            f"ids ({examples}); both are kept"
        )


def _reject_staged(conn: Connection, batch: int, dupes: list) -> None:  # type: ignore[type-arg]
    raw = conn.exec_driver_sql  # the original cells are gone; keep the typed values as text
    for row_number, sid, first_row in dupes:
        values = raw(
            f"SELECT {', '.join(STAGED[1:])} FROM temp._stage_member WHERE sid = ?", (sid,)
        ).one()
        insert_rejects(
            conn,
            batch,
            [(row_number, list(values), [f"same member as row {first_row} (id or email)"])],
        )
        raw("DELETE FROM temp._stage_member WHERE sid = ?", (sid,))
