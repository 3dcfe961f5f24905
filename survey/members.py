"""Member-list import: a shop or CRM export into members and a financial snapshot.

One streaming pass turns each row into typed values (or a rejected row with reasons naming the
column), bulk-inserted into a temporary staging table; then a handful of set-based statements
match staged rows to existing members (by external id, then by email), record the values they
replace (for undo), update, insert the new ones and add the snapshot. All in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection

from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace
from survey import columns as C
from survey import values as V
from survey.field_mapping import convert_chunk
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
from survey.member_upsert import STAGED, apply_staged
from survey.readers import Table, open_table

CHUNK = 5_000  # rows per pass step: small enough that a GUI thread gets the GIL often
SAMPLE_ROWS = 5_000

DATE_FIELDS = ("birthday", "join_date", "first_order", "last_order")
AMOUNT_FIELDS = ("revenue", "cost_to_serve")
SURVEY_MARKERS = {"timestamp", "respondent id", "responseid", "startdate", "submitdate", "#"}


@dataclass(frozen=True)
class _Plan:
    """How each mapped column is read in this import."""

    columns: dict[str, int]  # field -> column index
    headers: dict[str, str]  # field -> the column's header, for messages
    date_order: dict[str, V.DateOrder]
    decimal: str


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
    plan = _Plan(columns, named, *_sample_decisions(table, columns))
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
                plan = _Plan(columns, named, redo.date_order, redo.decimal)
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


def _sample_decisions(table: Table, columns: dict[str, int]) -> tuple[dict[str, V.DateOrder], str]:
    sample = table.peek(SAMPLE_ROWS)
    return _decide(lambda col: (r[col] for r in sample), columns)


def _decide(
    column_values: Callable[[int], Iterator[object]], columns: dict[str, int]
) -> tuple[dict[str, V.DateOrder], str]:
    orders: dict[str, V.DateOrder] = {}
    for f in DATE_FIELDS:
        if f in columns:
            texts = [v for v in column_values(columns[f]) if isinstance(v, str) and v.strip()]
            try:
                orders[f] = V.infer_date_order(texts)
            except ValueError:
                orders[f] = "ymd"  # mixed formats: each row is tried and rejected if impossible
    amounts: list[str] = []
    for f in AMOUNT_FIELDS:
        if f in columns:
            amounts += [v for v in column_values(columns[f]) if isinstance(v, str) and v.strip()]
    return orders, V.detect_decimal_separator(amounts) if amounts else "."


def _full_decisions(table: Table, columns: dict[str, int]) -> tuple[dict[str, V.DateOrder], str]:
    return _decide(lambda col: (r[col] for _, r in table.rows()), columns)


def _stage(
    conn: Connection,
    table: Table,
    plan: _Plan,
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
    filled = _filled_columns(plan)  # binding parameters is the costly part: only real ones
    insert_sql = (
        f"INSERT INTO temp._stage_member ({', '.join(filled)}) "
        f"VALUES ({', '.join('?' * len(filled))})"
    )
    converters = _column_converters(plan, as_of)
    seen: tuple[dict[object, int], dict[object, int]] = ({}, {})
    failures: dict[str, int] = {}
    result.rows = 0
    rows = table.rows()
    while chunk := list(islice(rows, CHUNK)):
        result.rows += len(chunk)
        staged, rejects = _convert_chunk(
            chunk, converters, plan, failures, seen, filled, table.header
        )
        if staged:
            conn.exec_driver_sql(insert_sql, staged)
        if rejects:
            insert_rejects(conn, batch, rejects)
        ticker.tick(result.rows, f"Reading row {chunk[-1][0]:,}")
    if failures:
        _maybe_redecide(table, plan, failures)


def _maybe_redecide(table: Table, plan: _Plan, failures: dict[str, int]) -> None:
    """When dates or amounts failed, decide again from the whole column; re-run if it changes."""
    if not any(f in failures for f in (*DATE_FIELDS, *AMOUNT_FIELDS)):
        return
    orders, decimal = _full_decisions(table, plan.columns)
    if orders != plan.date_order or decimal != plan.decimal:
        raise _Redecide(orders, decimal)


def _filled_columns(plan: _Plan) -> list[str]:
    """Staged columns this file fills: its mapped fields and what they imply."""
    fields = set(plan.columns)
    if "full_name" in fields:
        fields |= {"first_name", "last_name"}
    if fields & {"birthday", "age", "tags"}:
        fields.add("birth_year")
    return ["row_number", *(c for c in STAGED[1:] if c in fields)]


def _column_converters(plan: _Plan, as_of: date) -> list[tuple[str, int, C.ColumnFn]]:
    def converter(field: str) -> C.ColumnFn:
        order = plan.date_order.get(field, "ymd")
        if field in AMOUNT_FIELDS:
            return C.amounts(plan.decimal)
        if field == "orders":
            return C.integers
        if field in ("consent_email", "consent_sms"):
            return C.booleans
        if field == "email":
            return C.emails
        if field == "country":
            return C.countries
        if field == "birthday":
            return C.each(lambda cell: _iso(_birthday(cell, order)))
        if field in DATE_FIELDS:
            return C.each(lambda cell: _iso(V.parse_date(cell, order)))  # type: ignore[arg-type]
        if field == "birth_year":
            return C.each(_birth_year)
        if field == "age":
            return C.each(lambda cell: _age_to_birth_year(cell, as_of))
        return C.texts

    return [(field, col, converter(field)) for field, col in plan.columns.items()]


def _convert_chunk(
    chunk: list[tuple[int, list[object]]],
    converters: list[tuple[str, int, C.ColumnFn]],
    plan: _Plan,
    failures: dict[str, int],
    seen: tuple[dict[object, int], dict[object, int]],
    filled: list[str],
    headers: list[str],
) -> tuple[list[tuple[object, ...]], list[tuple[int, list[object], list[str]]]]:
    """Convert a chunk column by column; return staged rows and rejected rows with reasons."""
    n = len(chunk)
    converted = convert_chunk(chunk, converters, headers)
    cols, reasons = converted.columns, converted.reasons
    for field, count in converted.failures.items():
        failures[field] = failures.get(field, 0) + count
    blank: list[object] = [None] * n
    _derive(cols, blank)
    row_numbers = [row_number for row_number, _ in chunk]
    _identify(row_numbers, cols.get("external_id", blank), cols.get("email", blank), reasons, seen)
    typed = list(zip(row_numbers, *(cols.get(name, blank) for name in filled[1:]), strict=True))
    if not reasons:
        return typed, []
    staged = [row for i, row in enumerate(typed) if i not in reasons]
    rejects = [(chunk[i][0], chunk[i][1], reasons[i]) for i in sorted(reasons)]
    return staged, rejects


def _derive(cols: dict[str, list[object]], blank: list[object]) -> None:
    """Fields other fields imply: names from a full name, birth year from a birthday or age."""
    names = cols.pop("full_name", None)
    if names is not None and "first_name" not in cols and "last_name" not in cols:
        split = [str(n).partition(" ") if n else ("", "", "") for n in names]
        cols["first_name"] = [f if last else None for f, _, last in split]
        cols["last_name"] = [(last or f) or None for f, _, last in split]
    birthdays = cols.pop("birthday", None)
    ages = cols.pop("age", None)  # already turned into birth years
    if "birth_year" not in cols and "tags" in cols:
        # Shops without a birthday field often keep it as a tag: "vip, born:1978".
        cols["birth_year"] = _tagged_birth_years(cols["tags"])  # type: ignore[assignment]
    if birthdays is None and ages is None:
        return
    years = cols.get("birth_year", blank)
    cols["birth_year"] = [
        y if y is not None else (int(b[:4]) if b else a)  # type: ignore[index]
        for y, b, a in zip(years, birthdays or blank, ages or blank, strict=True)
    ]


def _identify(
    row_numbers: list[int],
    ids: list[object],
    emails: list[object],
    reasons: dict[int, list[str]],
    seen: tuple[dict[object, int], dict[object, int]],
) -> None:
    """Reject rows that name nobody, and later rows that repeat an id or email in the file."""
    seen_ids, seen_emails = seen
    for i, (row_number, ext, email) in enumerate(zip(row_numbers, ids, emails, strict=True)):
        if i in reasons:
            continue
        if ext is None and email is None:
            reasons[i] = ["no customer id and no email: the member cannot be identified"]
        elif ext is not None:
            first = seen_ids.setdefault(ext, row_number)
            if first != row_number:
                reasons[i] = [f"duplicate of row {first} (same customer id {ext})"]
        else:
            first = seen_emails.setdefault(email, row_number)
            if first != row_number:
                reasons[i] = [f"duplicate of row {first} (same email {email})"]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _birthday(cell: object, order: V.DateOrder) -> date | None:
    """A birthday; Mailchimp's "03/05" and Square's "0000-03-05" carry no year, so no birth year."""
    try:
        return V.parse_date(cell, order)
    except ValueError:
        text = V.clean_text(cell) or ""
        if len([p for p in text.replace("-", "/").replace(".", "/").split("/") if p]) == 2:
            return None
        raise


_BORN_TAG = re.compile(r"(?:^|[,;\s])(?:born|birth ?year|geboren|né|nee)[:=\s]\s*(\d{4})\b", re.I)


def _tagged_birth_years(tags: list[object]) -> list[int | None]:
    """Birth years kept as a tag, for a column of tag cells (None where there is none)."""
    search, this_year = _BORN_TAG.search, date.today().year
    out: list[int | None] = []
    for cell in tags:
        match = search(str(cell)) if cell else None
        year = int(match.group(1)) if match else None
        out.append(year if year is not None and 1900 <= year <= this_year else None)
    return out


def _birth_year(cell: object) -> int | None:
    year = V.parse_int(cell)
    if year is not None and not 1900 <= year <= date.today().year:
        raise ValueError(f"not a plausible birth year: {year}")
    return year


def _age_to_birth_year(cell: object, as_of: date) -> int | None:
    age = V.parse_int(cell)
    if age is None:
        return None
    if not 0 < age < 120:
        raise ValueError(f"not a plausible age: {age}")
    return as_of.year - age
