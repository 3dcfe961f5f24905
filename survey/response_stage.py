"""The set-based half of the survey import: staged rows into responses and answers.

The file pass (``survey.response_pass``) bulk-inserts each response of a chunk as one wide row
of raw cell texts into ``temp._stage_resp``, and each *distinct* cell text of each column,
parsed once, into ``temp._stage_lookup`` (one row per answer it gives: a multi-select cell
gives one per option, a blank none). SQL does the rest: match members, insert the responses,
and per column one ``INSERT … SELECT`` joining staged cells to their parsed answers — the ten
million answer rows of a large survey never become Python objects.

A response's id is the import's offset plus its staging id (``sid``), so answers need no join
to find their response.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from survey.answers import AnswerRow
from survey.matching import match_person

_FIXED = ("sid", "row_number", "submitted_at", "member_key", "email")
WRITE_BLOCK = 500  # responses whose answers are written together (see write_answers)


class ResponseStage:
    """The temporary tables of one survey import, on the import's connection."""

    def __init__(self, conn: Connection, answer_columns: int) -> None:
        self.conn = conn
        self.width = answer_columns
        run = conn.exec_driver_sql
        self.drop()
        cells = "".join(f", c{j} TEXT" for j in range(answer_columns))
        run(
            "CREATE TEMP TABLE _stage_resp (sid INTEGER PRIMARY KEY, row_number INTEGER, "
            "submitted_at TEXT, member_key TEXT, email TEXT, member_id INTEGER, "
            f"declined INTEGER NOT NULL DEFAULT 0{cells})"
        )
        run(
            "CREATE TEMP TABLE _stage_lookup (col INTEGER NOT NULL, cell TEXT NOT NULL, "
            "item_id TEXT NOT NULL, raw TEXT, value REAL, bad INTEGER NOT NULL)"
        )
        run("CREATE INDEX temp._stage_lookup_cell ON _stage_lookup (col, cell)")
        # CROSS JOIN keeps SQLite scanning the staged rows and probing the lookup's index.
        self._answer_sql = [
            "INSERT INTO answer (response_id, item_id, raw, value) "
            "SELECT ? + s.sid, l.item_id, l.raw, l.value FROM temp._stage_resp AS s "
            f"CROSS JOIN temp._stage_lookup AS l ON l.col = {j} AND l.cell = s.c{j} "
            "WHERE s.sid BETWEEN ? AND ?"
            for j in range(answer_columns)
        ]
        names = (*_FIXED, *(f"c{j}" for j in range(answer_columns)))
        self._insert = (
            f"INSERT INTO temp._stage_resp ({', '.join(names)}) "
            f"VALUES ({', '.join('?' * len(names))})"
        )

    def add_rows(self, rows: Sequence[tuple[object, ...]]) -> None:
        """(sid, row_number, submitted_at, member_key, email, *cells) tuples."""
        if rows:
            self.conn.exec_driver_sql(self._insert, list(rows))

    def add_lookups(self, col: int, parsed: dict[str, list[AnswerRow]]) -> None:
        rows = [
            (col, cell, item_id, raw, value, int(bad))
            for cell, answers in parsed.items()
            for item_id, raw, value, bad in answers
        ]
        if rows:
            self.conn.exec_driver_sql(
                "INSERT INTO temp._stage_lookup VALUES (?, ?, ?, ?, ?, ?)", rows
            )

    def replace_lookups(self, col: int, parsed: dict[str, list[AnswerRow]]) -> None:
        self.conn.exec_driver_sql(
            "DELETE FROM temp._stage_lookup WHERE col = ? AND cell = ?",
            [(col, cell) for cell in parsed],
        )
        self.add_lookups(col, parsed)

    def match_members(self) -> None:
        """By member id first (a pre-filled field beats a typed e-mail), then by e-mail."""
        match_person(self.conn, "temp._stage_resp", "member_id", "member_key", by=("id",))
        match_person(self.conn, "temp._stage_resp", "member_id", "email", by=("email",))

    def decline(self, consent_col: int) -> int:
        """Respondents who said no to linking their answers to their membership."""
        return self.conn.exec_driver_sql(
            f"UPDATE temp._stage_resp SET declined = 1 WHERE c{consent_col} IN "
            "(SELECT cell FROM temp._stage_lookup WHERE col = ? AND value = 0)",
            (consent_col,),
        ).rowcount

    def unmatched(self) -> int:
        """Staged responses that name someone (id or e-mail) the member list does not have."""
        return self.conn.exec_driver_sql(
            "SELECT count(*) FROM temp._stage_resp WHERE member_id IS NULL AND NOT declined "
            "AND (member_key IS NOT NULL OR email IS NOT NULL)"
        ).scalar_one()

    def write_responses(self, base: int, wave_id: int, batch_id: int) -> int:
        """Insert the staged responses (id = base + sid); return how many."""
        return self.conn.exec_driver_sql(
            "INSERT INTO response (id, wave_id, batch_id, member_id, respondent_key, "
            "respondent_email, row_number, submitted_at, superseded) "
            "SELECT ? + sid, ?, ?, CASE WHEN declined THEN NULL ELSE member_id END, "
            "CASE WHEN declined THEN NULL ELSE coalesce(member_key, email) END, "
            "CASE WHEN declined THEN NULL ELSE email END, row_number, submitted_at, 0 "
            "FROM temp._stage_resp ORDER BY sid",
            (base, wave_id, batch_id),
        ).rowcount

    def write_answers(self, base: int, first_sid: int, last_sid: int) -> int:
        """Per block of staged rows, one INSERT … SELECT per column joining each staged cell
        to its parsed answers.

        Blocks of a few hundred responses keep each block's answers together, so the index
        on ``answer.response_id`` grows at its end instead of being split all over: about a
        quarter faster than whole chunks column by column. The statements go straight to the
        driver's cursor (same connection and transaction): there are thousands of them.
        """
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        total = 0
        try:
            for lo in range(first_sid, last_sid + 1, WRITE_BLOCK):
                hi = min(last_sid, lo + WRITE_BLOCK - 1)
                for sql in self._answer_sql:
                    cursor.execute(sql, (base, lo, hi))
                    total += cursor.rowcount
        finally:
            cursor.close()
        return total

    def refix_answers(self, col: int, item_id: str, after_answer: int) -> int:
        """Rewrite a column's values after its lookups changed; return its unreadable count.

        Touches only this import's answers (ids above ``after_answer``), in one scan.
        """
        run = self.conn.exec_driver_sql
        run("DROP TABLE IF EXISTS temp._refix")
        run(
            "CREATE TEMP TABLE _refix AS SELECT raw, min(value) AS value FROM temp._stage_lookup "
            "WHERE col = ? GROUP BY raw",
            (col,),
        )
        run(
            "UPDATE answer SET value = f.value FROM temp._refix AS f "
            "WHERE answer.id > ? AND answer.item_id = ? AND f.raw = answer.raw",
            (after_answer, item_id),
        )
        run("DROP TABLE temp._refix")
        return run(
            "SELECT count(*) FROM answer WHERE id > ? AND item_id = ? AND value IS NULL",
            (after_answer, item_id),
        ).scalar_one()

    def clear(self) -> None:
        self.conn.exec_driver_sql("DELETE FROM temp._stage_resp")

    def drop(self) -> None:
        self.conn.exec_driver_sql("DROP TABLE IF EXISTS temp._stage_resp")
        self.conn.exec_driver_sql("DROP TABLE IF EXISTS temp._stage_lookup")
