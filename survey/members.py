"""Member-list import: a shop or CRM export into members and a financial snapshot.

One streaming pass turns each row into typed values (or a rejected row with reasons naming the
column), bulk-inserted into a temporary staging table; then a handful of set-based statements
match staged rows to existing members (by external id, then by email), record the values they
replace (for undo), update, insert the new ones and add the snapshot. All in one transaction.
"""

from __future__ import annotations

from datetime import date
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection

from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace
from survey import values as V
from survey.importing import (
    CancelFn,
    ImportResult,
    ProgressFn,
    Ticker,
    estimate_rows,
    finish_batch,
    import_transaction,
    insert_rejects,
    new_file_hash,
    start_batch,
)
from survey.mapping import (
    IGNORE,
    MEMBER_FIELDS,
    guess_member_mapping,
    resolve_mapping,
    save_profile,
)
from survey.matching import rematch_unmatched
from survey.member_rows import (
    AMOUNT_FIELDS,
    DATE_FIELDS,
    STAGED,
    Plan,
    column_converters,
    convert_rows,
    filled_columns,
    full_decisions,
    sample_decisions,
)
from survey.member_upsert import apply_staged
from survey.readers import Table, open_table

CHUNK = 5_000  # rows per pass step: small enough that a GUI thread gets the GIL often

SURVEY_MARKERS = {"timestamp", "respondent id", "responseid", "startdate", "submitdate", "#"}


class _Redecide(Exception):
    """A sampled date order or decimal separator proved wrong; re-run with these."""

    def __init__(self, date_order: dict[str, V.DateOrder], decimal: str) -> None:
        self.date_order = date_order
        self.decimal = decimal


def detect_member_dialect(headers: list[str]) -> str:
    h = {x.strip().casefold() for x in headers}
    if "total spent" in h and ({"accepts email marketing", "accepts marketing"} & h):
        return "shopify"
    if "square customer id" in h or "lifetime spend" in h:
        return "square"
    if "member_rating" in h or "leid" in h or "euid" in h:
        return "mailchimp"
    if "record id" in h and ("contact owner" in h or "lifecycle stage" in h):
        return "hubspot"
    if "date registered" in h and ("total spend" in h or "aov" in h):
        return "woocommerce"
    return "spreadsheet"


def resolve_member_mapping(
    ws: Workspace, headers: list[str], map_options: list[str] | None = None
) -> tuple[dict[str, str], bool]:
    """The mapping for these headers and whether the user chose any of it (then it is saved)."""
    return resolve_mapping(
        ws, "members", headers, set(MEMBER_FIELDS),
        lambda hs: {g.header: g.field for g in guess_member_mapping(hs)}, map_options,
    )


def import_members(
    ws: Workspace,
    path: str | Path,
    *,
    map_options: list[str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    as_of: date | None = None,
    again: bool = False,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportResult:
    """Import a member list. Raises ScorecardError (nothing written) on unusable input."""
    path = Path(path)
    table = open_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    headers = table.header
    _refuse_wrong_kind(path, headers)
    file_hash = new_file_hash(ws, path, "members", again=again)
    mapping, chosen = resolve_member_mapping(ws, headers, map_options)
    columns = {f: headers.index(h) for h, f in mapping.items() if f != IGNORE}
    named = {f: h for h, f in mapping.items() if f != IGNORE}
    if "external_id" not in columns and "email" not in columns:
        raise ScorecardError(
            f"{path.name}: no column for a customer id or an email, so members cannot be "
            'identified; map one with --map "Column header=email" or "…=external_id"'
        )
    as_of = as_of or date.today()
    dialect = detect_member_dialect(headers)
    plan = Plan(columns, named, *sample_decisions(table, columns))
    ticker = Ticker(progress, cancel, estimate_rows(path, table))

    with import_transaction(ws, dry_run=dry_run) as conn:
        batch = start_batch(
            conn,
            "members",
            path,
            file_hash,
            dialect=dialect,
            encoding=table.format.encoding,
            delimiter=table.format.delimiter,
        )
        result = ImportResult(batch=batch, dialect=dialect, warnings=list(table.warnings))
        for _attempt in range(3):
            savepoint = conn.begin_nested()
            try:
                _stage(conn, table, plan, batch, result, ticker, as_of)
            except _Redecide as redo:
                savepoint.rollback()
                plan = Plan(columns, named, redo.date_order, redo.decimal)
                continue
            savepoint.commit()
            break
        ticker.tick(result.rows, "Matching members")
        apply_staged(conn, batch, as_of, result)
        rematch_unmatched(conn, result.warnings)  # survey answers etc. waiting for these members
        unmapped = [h for h, f in mapping.items() if f == IGNORE]
        if unmapped:
            result.warnings.append(f"Columns not imported: {', '.join(unmapped)}")
        finish_batch(conn, result, {"headers": headers, "columns": mapping})
        if chosen:
            save_profile(conn, "members", headers, mapping, name=path.name)
        conn.exec_driver_sql("DROP TABLE temp._stage_member")
    if progress is not None:
        progress(1.0, "Done")
    return result


def _refuse_wrong_kind(path: Path, headers: list[str]) -> None:
    lowered = [h.strip().casefold() for h in headers]
    long_questions = sum(1 for h in headers if len(h) > 45 or h.rstrip().endswith("?"))
    if (lowered and lowered[0] in SURVEY_MARKERS) or long_questions >= max(3, len(headers) // 3):
        raise ScorecardError(
            f"{path.name}: looks like a survey export, not a member list; "
            "import it with: scorecard import survey WORKSPACE FILE"
        )


def _stage(
    conn: Connection,
    table: Table,
    plan: Plan,
    batch: int,
    result: ImportResult,
    ticker: Ticker,
    as_of: date,
) -> None:
    """Pass over the file: typed rows into the staging table, the rest into rejects."""
    conn.exec_driver_sql("DROP TABLE IF EXISTS temp._stage_member")
    conn.exec_driver_sql(
        "CREATE TEMP TABLE _stage_member (sid INTEGER PRIMARY KEY, "
        + ", ".join(STAGED)
        + ", member_id INTEGER)"
    )
    filled = filled_columns(plan)  # binding parameters is the costly part: only real ones
    insert_sql = (
        f"INSERT INTO temp._stage_member ({', '.join(filled)}) "
        f"VALUES ({', '.join('?' * len(filled))})"
    )
    converters = column_converters(plan, as_of)
    seen: tuple[dict[object, int], dict[object, int]] = ({}, {})
    failures: dict[str, int] = {}
    result.rows = 0
    rows = table.rows()
    while chunk := list(islice(rows, CHUNK)):
        result.rows += len(chunk)
        staged, rejects = convert_rows(
            chunk, converters, plan, failures, seen, filled, table.header
        )
        if staged:
            conn.exec_driver_sql(insert_sql, staged)
        if rejects:
            insert_rejects(conn, batch, rejects)
        ticker.tick(result.rows, f"Reading row {chunk[-1][0]:,}")
    if failures:
        _maybe_redecide(table, plan, failures)


def _maybe_redecide(table: Table, plan: Plan, failures: dict[str, int]) -> None:
    """When dates or amounts failed, decide again from the whole column; re-run if it changes."""
    if not any(f in failures for f in (*DATE_FIELDS, *AMOUNT_FIELDS)):
        return
    orders, decimal = full_decisions(table, plan.columns)
    if orders != plan.date_order or decimal != plan.decimal:
        raise _Redecide(orders, decimal)

