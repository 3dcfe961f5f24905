"""Email engagement import: a Mailchimp audience export's ``MEMBER_RATING``, or per-member
counts of sends, opens, clicks and forwards from any e-mail tool's report.

Each row names a member by e-mail or member id; the values are recorded as of the export date
(``as_of``, default today), so a later export adds a newer record rather than overwriting.
Rejected rows: no e-mail and no id, an invalid e-mail, a repeated person, a value that is not a
number (or a rating outside 1–5), and a row with no engagement value at all.
"""

from __future__ import annotations

from datetime import date
from itertools import islice
from pathlib import Path

from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace
from survey import columns as C
from survey import values as V
from survey.columns import convert_chunk
from survey.field_mapping import Aliases, chosen_columns, resolve_fields
from survey.importing import (
    CancelFn,
    ImportResult,
    ProgressFn,
    Ticker,
    finish_batch,
    import_transaction,
    insert_rejects,
    new_file_hash,
    start_batch,
)
from survey.mapping import IGNORE, save_profile
from survey.matching import match_person
from survey.readers import open_table

CHUNK = 20_000
KIND = "engagement"

ENGAGEMENT_FIELDS: Aliases = {
    "email": ("email address", "email", "e-mail", "e-mail address", "email addr",
              "subscriber email", "contact email", "recipient"),
    "member_id": ("member id", "member_id", "customer id", "external id", "member number",
                  "customer number", "loyalty id"),
    "rating": ("member rating", "member_rating", "rating", "engagement rating",
               "contact rating", "engagement score"),
    "sends": ("sends", "sent", "emails sent", "total sent", "delivered", "emails delivered",
              "received", "messages sent"),
    "opens": ("opens", "total opens", "unique opens", "emails opened", "opened", "open count",
              "opens count"),
    "clicks": ("clicks", "total clicks", "unique clicks", "emails clicked", "clicked",
               "click count", "clicks count"),
    "forwards": ("forwards", "forwarded", "forward count", "forwards count", "shares",
                 "emails forwarded", "shared"),
}  # fmt: skip
VALUES = ("rating", "sends", "opens", "clicks", "forwards")
_STAGED = ("row_number", "member_key", "email", "member_id_text", *VALUES)


def _rating(cell: object) -> float | None:
    value = V.parse_amount(cell)  # type: ignore[arg-type]
    if value is not None and not 0 <= value <= 5:
        raise ValueError(f"not a rating from 1 to 5: {cell!r}")
    return value


def import_engagement(
    ws: Workspace,
    path: str | Path,
    *,
    map_options: list[str] | None = None,
    as_of: date | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    again: bool = False,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportResult:
    """Import an engagement export. Raises ScorecardError (nothing written) on unusable input."""
    path = Path(path)
    table = open_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    headers = table.header
    mapping, chosen = resolve_fields(ws, KIND, headers, ENGAGEMENT_FIELDS, map_options)
    columns = chosen_columns(mapping, headers)
    if "email" not in columns and "member_id" not in columns:
        raise ScorecardError(
            f"{path.name}: no e-mail or member id column; map one with "
            '--map "Column header=email" (or member_id)'
        )
    if not set(VALUES) & set(columns):
        raise ScorecardError(
            f"{path.name}: no engagement column (MEMBER_RATING, opens, clicks, forwards, sends); "
            'map one with --map "Column header=opens"'
        )
    dialect = "mailchimp" if "rating" in columns and any(
        h.strip().upper() in ("MEMBER_RATING", "LEID", "EUID") for h in headers
    ) else "engagement"
    file_hash = new_file_hash(ws, path, KIND, again=again)
    as_of = as_of or date.today()
    converters = [
        (f, col, C.emails if f == "email" else C.texts if f == "member_id"
         else C.each(_rating) if f == "rating" else C.integers)
        for f, col in columns.items()
    ]  # fmt: skip
    ticker = Ticker(progress, cancel, None)
    with import_transaction(ws, dry_run=dry_run) as conn:
        run = conn.exec_driver_sql
        batch = start_batch(conn, KIND, path, file_hash, dialect=dialect,
                            encoding=table.format.encoding, delimiter=table.format.delimiter)
        result = ImportResult(batch=batch, dialect=dialect, warnings=list(table.warnings))
        run("DROP TABLE IF EXISTS temp._stage_eng")
        run(f"CREATE TEMP TABLE _stage_eng (sid INTEGER PRIMARY KEY, {', '.join(_STAGED)}, "
            "member INTEGER)")
        insert = (f"INSERT INTO temp._stage_eng ({', '.join(_STAGED)}) "
                  f"VALUES ({', '.join('?' * len(_STAGED))})")
        seen: dict[object, int] = {}
        rows = table.rows()
        while chunk := list(islice(rows, CHUNK)):
            result.rows += len(chunk)
            staged, rejects = _convert(chunk, converters, headers, seen)
            if staged:
                run(insert, staged)
            if rejects:
                insert_rejects(conn, batch, rejects)
            ticker.tick(result.rows, f"Reading row {chunk[-1][0]:,}")
        match_person(conn, "temp._stage_eng", "member", "member_id_text", by=("id",))
        match_person(conn, "temp._stage_eng", "member", "email", by=("email",))
        result.inserted = run(
            "INSERT INTO engagement (batch_id, member_id, member_key, as_of, rating, sends, opens, "
            "clicks, forwards) SELECT ?, member, member_key, ?, rating, sends, opens, clicks, "
            "forwards FROM temp._stage_eng ORDER BY sid",
            (batch, as_of.isoformat()),
        ).rowcount
        result.unmatched = run(
            "SELECT count(*) FROM temp._stage_eng WHERE member IS NULL"
        ).scalar_one()
        if result.unmatched:
            result.warnings.append(
                f"{result.unmatched:,} row(s) name someone not in the member list; kept, and "
                "matched when a member list that has them is imported"
            )
        result.rejected = run(
            "SELECT count(*) FROM rejected_row WHERE batch_id = ?", (batch,)
        ).scalar_one()
        unmapped = [h for h, f in mapping.items() if f == IGNORE]
        if unmapped:
            result.warnings.append(f"Columns not imported: {', '.join(unmapped)}")
        finish_batch(conn, result, {"headers": headers, "columns": mapping})
        if chosen:
            save_profile(conn, KIND, headers, mapping, name=path.name)
        run("DROP TABLE temp._stage_eng")
    if progress is not None:
        progress(1.0, "Done")
    return result


def _convert(
    chunk: list[tuple[int, list[object]]],
    converters: list[tuple[str, int, C.ColumnFn]],
    headers: list[str],
    seen: dict[object, int],
) -> tuple[list[tuple[object, ...]], list[tuple[int, list[object], list[str]]]]:
    conv = convert_chunk(chunk, converters, headers)
    cols, reasons = conv.columns, conv.reasons
    blank: list[object] = [None] * len(chunk)
    ids, emails = cols.get("member_id", blank), cols.get("email", blank)
    for i, (row_number, _) in enumerate(chunk):
        if i in reasons:
            continue
        key = ids[i] if ids[i] is not None else emails[i]
        if key is None:
            reasons[i] = ["no e-mail and no member id: the member cannot be identified"]
        elif all(cols.get(v, blank)[i] is None for v in VALUES):
            reasons[i] = ["no engagement value (rating, sends, opens, clicks, forwards)"]
        else:
            first = seen.setdefault(key, row_number)
            if first != row_number:
                reasons[i] = [f"duplicate of row {first} (same person {key})"]
    staged = [
        (rn, ids[i] if ids[i] is not None else emails[i], emails[i], ids[i],
         *(cols.get(v, blank)[i] for v in VALUES))
        for i, (rn, _) in enumerate(chunk)
        if i not in reasons
    ]  # fmt: skip
    rejects = [(chunk[i][0], chunk[i][1], reasons[i]) for i in sorted(reasons)]
    return staged, rejects
