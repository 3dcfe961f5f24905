"""The file pass of a survey import: each chunk of rows staged, read, matched and written.

Per chunk of rows: rejected rows are set aside (no answer at all, an exact repeat); the rest go
into the staging table as one wide row of raw cells each; each column's texts not seen before
are parsed once (``survey.answers.ColumnReader``) into the lookup table; then SQL matches the
chunk's members and writes its responses and answers (``survey.response_stage``), and the
staging table is emptied. Memory and temporary tables stay the size of one chunk, however large
the file.
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter

from sqlalchemy import Connection

from survey import columns as C
from survey import values as V
from survey.answer_multi import UNTICKED
from survey.answer_text import clean_cell
from survey.answers import AnswerRow, ColumnReader
from survey.dialect_meta import EMAIL, MEMBER_ID, TIMESTAMP
from survey.dialects import Layout
from survey.importing import insert_rejects
from survey.mapping_toml import SurveyMapping
from survey.response_stage import ResponseStage
from survey.response_times import convert_times, decide_order
from survey.survey_mapping import ColumnPlan

Reject = tuple[int, list[object], list[str]]


class ResponsePass:
    """One import's pass over the file; counts what it saw for the summary."""

    def __init__(
        self,
        conn: Connection,
        layout: Layout,
        answers: list[ColumnPlan],
        roles: dict[str, int],
        user: SurveyMapping,
        sample: list[list[object]],
        batch: int,
    ) -> None:
        self.conn, self.batch, self.answers = conn, batch, answers
        self.stage = ResponseStage(conn, len(answers))
        self.readers = []
        for plan in answers:
            target = plan.target
            assert target is not None
            self.readers.append(
                ColumnReader(
                    target, separators=layout.separators, values=user.values_for(target.item_id),
                    scale=user.scale_for(target.item_id),
                    sample=[_text(r[plan.column.index]) for r in sample],
                )
            )  # fmt: skip
        cols = [p.column.index for p in answers]
        self.pick = itemgetter(*cols) if len(cols) > 1 else (lambda cells: (cells[cols[0]],))
        # Per-option columns (Kobo's 0/1, LimeSurvey's Y/blank) say "0" for an untouched question.
        self.flags = [j for j, p in enumerate(answers) if p.target.per_option]  # type: ignore[union-attr]
        self.others = [j for j in range(len(answers)) if j not in set(self.flags)]
        self.ts, self.id, self.email = roles.get(TIMESTAMP), roles.get(MEMBER_ID), roles.get(EMAIL)
        self.order = decide_order([r[self.ts] for r in sample] if self.ts is not None else [])
        self.as_text = layout.table.format.kind != "csv"  # XLSX cells may be numbers or dates
        consent = [j for j, p in enumerate(answers) if p.target.item_id == "consent"]  # type: ignore[union-attr]
        self.consent = consent[0] if consent else None
        self.known: list[set[str]] = [set() for _ in answers]  # texts already in the lookup
        self.bad_texts: list[set[str]] = [set() for _ in answers]  # texts that cannot be read
        self.bad_counts = [0] * len(answers)
        self.seen: dict[int, int] = {}  # row hash -> first row number, for exact repeats
        self.bad_times: Counter[str] = Counter()
        self.sid = 0
        self.first_time: str | None = None
        self.inserted = self.unmatched = self.declined = 0
        run = conn.exec_driver_sql
        self.base = run("SELECT coalesce(max(id), 0) FROM response").scalar_one()
        self.first_answer = run("SELECT coalesce(max(id), 0) FROM answer").scalar_one()

    def chunk(self, rows: list[tuple[int, list[object]]], wave_id: int) -> None:
        """Stage, read, match and write one chunk of data rows."""
        kept, rejects = self._sort(rows)
        if rejects:
            insert_rejects(self.conn, self.batch, rejects)
        if not kept:
            return
        times: list[str | None] = [None] * len(kept)
        if self.ts is not None:
            times, errors = convert_times([c[self.ts] for _, c, _ in kept], self.order)
            for i in errors:
                self.bad_times[str(kept[i][1][self.ts])] += 1
            present = [t for t in times if t is not None]
            if present and (self.first_time is None or min(present) < self.first_time):
                self.first_time = min(present)
        ids = emails = None
        if self.id is not None:  # texts() drops Excel's apostrophe and "n/a"
            ids = C.texts([c[self.id] for _, c, _ in kept])[0]
        if self.email is not None:
            emails = [_email(c[self.email]) for _, c, _ in kept]
        sid = self.sid
        self.stage.add_rows([
            (sid + i + 1, rn, times[i], ids[i] if ids else None, emails[i] if emails else None,
             *picked)
            for i, (rn, _, picked) in enumerate(kept)
        ])  # fmt: skip
        self.sid += len(kept)
        for j, column in enumerate(zip(*(p for _, _, p in kept), strict=True)):
            self._read_new(j, column)
        self.stage.match_members()
        if self.consent is not None:
            self.declined += self.stage.decline(self.consent)
        self.unmatched += self.stage.unmatched()
        self.inserted += self.stage.write_responses(self.base, wave_id, self.batch)
        self.stage.write_answers(self.base, sid + 1, self.sid)
        self.stage.clear()

    def _sort(
        self, rows: list[tuple[int, list[object]]]
    ) -> tuple[list[tuple[int, list[object], tuple[object, ...]]], list[Reject]]:
        """Rows to keep (with their answer cells) and rows to reject."""
        kept: list[tuple[int, list[object], tuple[object, ...]]] = []
        rejects: list[Reject] = []
        flags, others = self.flags, self.others
        for row_number, cells in rows:
            picked = self.pick(cells)
            if self.as_text:
                picked = tuple(c if c.__class__ is str else _text(c) for c in picked)
            if not any(picked) or (
                flags
                and not any(picked[j] for j in others)
                and all(str(picked[j]).strip().casefold() in UNTICKED for j in flags)
            ):
                rejects.append((row_number, cells, ["no answers: every question is blank"]))
                continue
            # A file pasted together twice; a 64-bit hash keeps memory flat for large files.
            first = self.seen.setdefault(hash(tuple(cells)), row_number)
            if first != row_number:
                rejects.append((row_number, cells, [f"duplicate of row {first} (same cells)"]))
                continue
            kept.append((row_number, cells, picked))
        return kept, rejects

    def _read_new(self, j: int, column: tuple[object, ...]) -> None:
        """Parse the column's texts not seen before; count the cells that cannot be read."""
        texts = set(column)
        new = texts - self.known[j]
        if new:
            rows = self.readers[j].read(new)  # type: ignore[arg-type]
            self.stage.add_lookups(j, rows)
            self.known[j] |= new  # type: ignore[arg-type]
            self.bad_texts[j] |= {t for t, answers in rows.items() if _unread(answers)}
        bad = self.bad_texts[j]
        if bad and not bad.isdisjoint(texts):
            self.bad_counts[j] += sum(map(bad.__contains__, column))

    def finish(self) -> list[str]:
        """Settle scales decided from a sample; return the readers' notes."""
        notes: list[str] = []
        for j, reader in enumerate(self.readers):
            changed = reader.finish()
            if changed:  # the whole column showed another scale than its first rows did
                self.stage.replace_lookups(j, changed)
                self.bad_counts[j] = self.stage.refix_answers(
                    j, reader.target.item_id, self.first_answer
                )
                self.bad_texts[j] = {t for t, rows in changed.items() if _unread(rows)}
            notes += [f"{self.answers[j].column.display}: {n}" for n in reader.notes]
        self.stage.drop()
        return notes

    def unread(self) -> dict[int, tuple[int, list[str]]]:
        """Per column with unreadable answers: how many cells, and up to three examples."""
        return {
            j: (count, sorted({clean_cell(t) for t in self.bad_texts[j]})[:3])
            for j, count in enumerate(self.bad_counts)
            if count
        }

    def time_warning(self) -> list[str]:
        if not self.bad_times:
            return []
        examples = ", ".join(repr(t) for t, _ in self.bad_times.most_common(3))
        return [
            f"{sum(self.bad_times.values()):,} submission time(s) could not be read "
            f"(e.g. {examples}); those responses have no time"
        ]


def _email(cell: object) -> str | None:
    """Normalised, kept even when invalid (it only fails to match); fast for plain addresses."""
    if cell.__class__ is str:
        low = cell.strip().lower()  # type: ignore[attr-defined]
        if "@" in low and " " not in low and low[:1] not in "'\"<m":
            return low
        if not low:
            return None
    return V.normalise_email(cell)  # type: ignore[arg-type]


def _unread(rows: list[AnswerRow]) -> bool:
    return any(r[3] for r in rows)


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if cell.__class__ is str:
        return cell  # type: ignore[return-value]
    return V.clean_text(cell) or ""  # type: ignore[arg-type]
