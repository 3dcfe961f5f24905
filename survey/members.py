"""Member-list import: a shop or CRM export into members and a financial snapshot.

One streaming pass turns each row into typed values (or a rejected row with reasons naming the
column), bulk-inserted into a temporary staging table; then a handful of set-based statements
match staged rows to existing members (by external id, then by email), record the values they
replace (for undo), update, insert the new ones and add the snapshot. All in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
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
    check_not_imported,
    file_sha256,
    finish_batch,
    insert_rejects,
    start_batch,
)
from survey.mapping import (
    IGNORE,
    MEMBER_FIELDS,
    guess_member_mapping,
    load_profile,
    parse_map_options,
    save_profile,
)
from survey.readers import Table, open_table

CHUNK = 20_000
SAMPLE_ROWS = 5_000

# Staged columns, in order. Dates are ISO text (what SQLAlchemy's Date type stores in SQLite).
STAGED = (
    "row_number", "external_id", "email", "first_name", "last_name", "phone", "birth_year",
    "age_band", "join_date", "city", "country", "postcode", "consent_email", "consent_sms",
    "referral_code", "tags", "revenue", "orders", "cost_to_serve", "first_order", "last_order",
    "currency",
)
# Member columns an import may overwrite (never with a blank: an empty cell keeps what we know).
MEMBER_COLUMNS = (
    "external_id", "email", "first_name", "last_name", "phone", "birth_year", "age_band",
    "join_date", "city", "country", "postcode", "consent_email", "consent_sms",
    "referral_code", "tags",
)
FINANCE_COLUMNS = ("revenue", "orders", "cost_to_serve", "first_order", "last_order", "currency")
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
    if "customer id" in h and ("total spent" in h or "accepts email marketing" in h):
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
    """The mapping for these headers: saved profile or guesses, then the user's ``--map``.

    Returns the mapping and whether the user chose any part of it (then it is saved).
    """
    profile = load_profile(ws, "members", headers)
    if profile is not None:
        mapping = {h: profile.get(h, IGNORE) for h in headers}
    else:
        mapping = {g.header: g.field for g in guess_member_mapping(headers)}
    overrides = parse_map_options(map_options or [], headers, set(MEMBER_FIELDS))
    for header, field in overrides.items():
        if field != IGNORE:  # a field is fed by one column: the user's choice replaces a guess
            for other, f in mapping.items():
                if f == field and other != header:
                    mapping[other] = IGNORE
        mapping[header] = field
    return mapping, profile is not None or bool(overrides)


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
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportResult:
    """Import a member list. Raises ScorecardError (nothing written) on unusable input."""
    path = Path(path)
    table = open_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    headers = table.header
    _refuse_wrong_kind(path, headers)
    file_hash = file_sha256(path)
    if not again:
        check_not_imported(ws, path, "members", file_hash)
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
    ticker = Ticker(progress, cancel, _estimate_rows(path, table))

    with ws.transaction() as conn:
        batch = start_batch(
            conn, "members", path, file_hash, dialect=dialect,
            encoding=table.format.encoding, delimiter=table.format.delimiter,
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
        _apply(conn, batch, as_of, result)
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


def _estimate_rows(path: Path, table: Table) -> int | None:
    if table.format.kind != "csv":
        return None
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    lines = head.count(b"\n")
    if lines < 2:
        return None
    return max(1, int(path.stat().st_size / (len(head) / lines)))


def _sample_decisions(
    table: Table, columns: dict[str, int]
) -> tuple[dict[str, V.DateOrder], str]:
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
        + ", member_id INTEGER, is_new INTEGER DEFAULT 0)"
    )
    insert_sql = (
        f"INSERT INTO temp._stage_member ({', '.join(STAGED)}) "
        f"VALUES ({', '.join('?' * len(STAGED))})"
    )
    convert = _row_converter(plan, as_of)
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    staged: list[tuple[object, ...]] = []
    rejects: list[tuple[int, list[object], list[str]]] = []
    failures: dict[str, int] = {}
    result.rows = result.rejected = 0
    for row_number, cells in table.rows():
        result.rows += 1
        values, reasons = convert(row_number, cells, failures)
        if not reasons:
            reasons = _duplicate_reasons(values, row_number, seen_ids, seen_emails)
        if reasons:
            rejects.append((row_number, cells, reasons))
        else:
            staged.append(values)
        if len(staged) >= CHUNK or len(rejects) >= CHUNK:
            _flush(conn, insert_sql, staged, batch, rejects)
            ticker.tick(result.rows, f"Reading row {row_number:,}")
    _flush(conn, insert_sql, staged, batch, rejects)
    if failures:
        _maybe_redecide(table, plan, failures)
    result.rejected = conn.exec_driver_sql(
        "SELECT count(*) FROM rejected_row WHERE batch_id = ?", (batch,)
    ).scalar_one()


def _flush(
    conn: Connection, sql: str, staged: list[tuple[object, ...]], batch: int,
    rejects: list[tuple[int, list[object], list[str]]],
) -> None:
    if staged:
        conn.exec_driver_sql(sql, staged)
        staged.clear()
    if rejects:
        insert_rejects(conn, batch, rejects)
        rejects.clear()


def _maybe_redecide(table: Table, plan: _Plan, failures: dict[str, int]) -> None:
    """When dates or amounts failed, decide again from the whole column; re-run if it changes."""
    if not any(f in failures for f in (*DATE_FIELDS, *AMOUNT_FIELDS)):
        return
    orders, decimal = _full_decisions(table, plan.columns)
    if orders != plan.date_order or decimal != plan.decimal:
        raise _Redecide(orders, decimal)


def _duplicate_reasons(
    values: tuple[object, ...], row_number: int, seen_ids: dict[str, int],
    seen_emails: dict[str, int],
) -> list[str]:
    ext, email = values[1], values[2]
    reasons = []
    if ext is not None:
        first = seen_ids.setdefault(ext, row_number)  # type: ignore[arg-type]
        if first != row_number:
            reasons.append(f"duplicate of row {first} (same customer id {ext})")
    if email is not None and not reasons:
        first = seen_emails.setdefault(email, row_number)  # type: ignore[arg-type]
        if first != row_number:
            reasons.append(f"duplicate of row {first} (same email {email})")
    return reasons


def _row_converter(
    plan: _Plan, as_of: date
) -> Callable[[int, list[object], dict[str, int]], tuple[tuple[object, ...], list[str]]]:
    """Build the per-row function once, with every lookup resolved outside the loop."""
    cols = plan.columns
    headers_of = plan.headers

    def parser(field: str) -> Callable[[object], object]:
        if field in ("revenue", "cost_to_serve"):
            dec = plan.decimal
            return lambda cell: V.parse_amount(cell, dec)
        if field == "orders":
            return V.parse_int
        if field in ("consent_email", "consent_sms"):
            return V.parse_bool
        if field in DATE_FIELDS:
            order = plan.date_order.get(field, "ymd")
            return lambda cell: _iso(V.parse_date(cell, order))
        if field == "birth_year":
            return _birth_year
        if field == "age":
            return lambda cell: _age_to_birth_year(cell, as_of)
        if field == "email":
            return V.normalise_email
        return V.clean_text

    readers = [(f, i, parser(f)) for f, i in cols.items()]
    slot = {name: k for k, name in enumerate(STAGED)}
    width = len(STAGED)

    def convert(
        row_number: int, cells: list[object], failures: dict[str, int]
    ) -> tuple[tuple[object, ...], list[str]]:
        out: list[object] = [None] * width
        out[0] = row_number
        extra: dict[str, object] = {}
        reasons: list[str] = []
        for field, col, parse in readers:
            try:
                value = parse(cells[col])
            except ValueError as exc:
                failures[field] = failures.get(field, 0) + 1
                reasons.append(f"{headers_of.get(field, field)}: {exc}")
                continue
            k = slot.get(field)
            if k is None:
                extra[field] = value
            else:
                out[k] = value
        _finish(out, extra, reasons, slot, headers_of)
        return tuple(out), reasons

    return convert


def _finish(  # type: ignore[no-untyped-def]
    out: list[object], extra: dict[str, object], reasons: list[str], slot, headers_of
) -> None:
    email = out[slot["email"]]
    if email is not None and not V.is_valid_email(email):  # type: ignore[arg-type]
        reasons.append(f"{headers_of['email']}: {email!r} is not a valid email address")
    if out[slot["external_id"]] is None and email is None:
        reasons.append("no customer id and no email: the member cannot be identified")
    name = extra.get("full_name")
    if name and out[slot["first_name"]] is None and out[slot["last_name"]] is None:
        first, _, last = str(name).partition(" ")
        out[slot["first_name"]], out[slot["last_name"]] = (first, last) if last else (None, first)
    if out[slot["birth_year"]] is None:
        birthday = extra.get("birthday")
        out[slot["birth_year"]] = int(birthday[:4]) if birthday else extra.get("age")  # type: ignore[index]
    for k in (slot["consent_email"], slot["consent_sms"]):
        if out[k] is not None:
            out[k] = int(out[k])  # type: ignore[call-overload]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


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


# -- the set-based part ------------------------------------------------------------------------

_MATCH_BY_ID = """
UPDATE temp._stage_member SET member_id = m.id
FROM member AS m WHERE m.external_id = _stage_member.external_id
"""
_MATCH_BY_EMAIL = """
UPDATE temp._stage_member SET member_id = m.id
FROM (SELECT email, min(id) AS id FROM member WHERE email IS NOT NULL GROUP BY email) AS m
WHERE _stage_member.member_id IS NULL AND m.email = _stage_member.email
"""


def _apply(conn: Connection, batch: int, as_of: date, result: ImportResult) -> None:
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
    base = run("SELECT coalesce(max(id), 0) FROM member").scalar_one()
    run("UPDATE temp._stage_member SET member_id = ? + sid, is_new = 1 WHERE member_id IS NULL",
        (base,))
    before = ", ".join(f"'{c}', m.{c}" for c in MEMBER_COLUMNS)
    run(
        "INSERT INTO member_change (batch_id, member_id, before_json) "
        f"SELECT ?, m.id, json_object({before}) FROM member m "
        "JOIN temp._stage_member s ON s.member_id = m.id WHERE s.is_new = 0",
        (batch,),
    )
    assign = ", ".join(f"{c} = coalesce(s.{c}, member.{c})" for c in MEMBER_COLUMNS)
    result.updated = run(
        f"UPDATE member SET {assign}, updated_batch_id = ? "
        "FROM temp._stage_member s WHERE s.member_id = member.id AND s.is_new = 0",
        (batch,),
    ).rowcount
    cols = ", ".join(MEMBER_COLUMNS)
    result.inserted = run(
        f"INSERT INTO member (id, {cols}, created_batch_id) "
        f"SELECT member_id, {cols}, ? FROM temp._stage_member WHERE is_new = 1 ORDER BY sid",
        (batch,),
    ).rowcount
    fin = ", ".join(FINANCE_COLUMNS)
    has_money = " OR ".join(f"{c} IS NOT NULL" for c in FINANCE_COLUMNS[:3])
    run(
        f"INSERT INTO financial_snapshot (member_id, batch_id, as_of, {fin}) "
        f"SELECT member_id, ?, ?, {fin} FROM temp._stage_member WHERE {has_money} ORDER BY sid",
        (batch, as_of.isoformat()),
    )
    result.rejected = run(
        "SELECT count(*) FROM rejected_row WHERE batch_id = ?", (batch,)
    ).scalar_one()
    emails_taken = run(
        "SELECT count(*) FROM (SELECT email FROM member WHERE email IS NOT NULL "
        "GROUP BY email HAVING count(*) > 1)"
    ).scalar_one()
    if emails_taken:
        result.warnings.append(
            f"{emails_taken} email address(es) are now shared by two members with different "
            "customer ids; check them on the Members page"
        )


def _reject_staged(conn: Connection, batch: int, dupes: list) -> None:  # type: ignore[type-arg]
    raw = conn.exec_driver_sql  # the original cells are gone; keep the typed values as text
    for row_number, sid, first_row in dupes:
        values = raw(
            f"SELECT {', '.join(STAGED[1:])} FROM temp._stage_member WHERE sid = ?", (sid,)
        ).one()
        insert_rejects(
            conn, batch,
            [(row_number, list(values), [f"same member as row {first_row} (id or email)"])],
        )
        raw("DELETE FROM temp._stage_member WHERE sid = ?", (sid,))
