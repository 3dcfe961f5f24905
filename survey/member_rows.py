"""A member list's rows as typed values: what each mapped column means and how it is read.

The Qt- and database-free half of the member import (``survey.members`` is the other): decide
date orders and the decimal mark from the file, convert a chunk of rows a column at a time,
derive fields other fields imply, and give each row that cannot be a member its reasons.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from survey import columns as C
from survey import values as V
from survey.columns import convert_chunk
from survey.readers import Table

SAMPLE_ROWS = 5_000
DATE_FIELDS = ("birthday", "join_date", "first_order", "last_order")
AMOUNT_FIELDS = ("revenue", "cost_to_serve")
# Staged columns, in order. Dates are ISO text (what SQLAlchemy's Date type stores in SQLite).
STAGED = (
    "row_number", "external_id", "email", "first_name", "last_name", "phone", "birth_year",
    "age_band", "join_date", "city", "country", "postcode", "consent_email", "consent_sms",
    "referral_code", "tags", "revenue", "orders", "cost_to_serve", "first_order", "last_order",
    "currency",
)
Reject = tuple[int, list[object], list[str]]  # row number, the cells as given, reasons


@dataclass(frozen=True)
class Plan:
    """How each mapped column is read in this import."""

    columns: dict[str, int]  # field -> column index
    headers: dict[str, str]  # field -> the column's header, for messages
    date_order: dict[str, V.DateOrder]
    decimal: str


def sample_decisions(table: Table, columns: dict[str, int]) -> tuple[dict[str, V.DateOrder], str]:
    """Each date column's day/month order and the decimal mark, from the first rows."""
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


def full_decisions(table: Table, columns: dict[str, int]) -> tuple[dict[str, V.DateOrder], str]:
    """The same decisions from every row (when the sample's proved wrong)."""
    return _decide(lambda col: (r[col] for _, r in table.rows()), columns)


def filled_columns(plan: Plan) -> list[str]:
    """Staged columns this file fills: its mapped fields and what they imply."""
    fields = set(plan.columns)
    if "full_name" in fields:
        fields |= {"first_name", "last_name"}
    if fields & {"birthday", "age", "tags"}:
        fields.add("birth_year")
    return ["row_number", *(c for c in STAGED[1:] if c in fields)]


def column_converters(plan: Plan, as_of: date) -> list[tuple[str, int, C.ColumnFn]]:
    """(field, column index, converter) for each mapped column."""
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


def convert_rows(
    chunk: list[tuple[int, list[object]]],
    converters: list[tuple[str, int, C.ColumnFn]],
    plan: Plan,
    failures: dict[str, int],
    seen: tuple[dict[object, int], dict[object, int]],
    filled: list[str],
    headers: list[str],
) -> tuple[list[tuple[object, ...]], list[Reject]]:
    """Convert a chunk column by column; return staged rows (``filled`` columns, in order) and
    rejected rows with reasons. ``failures`` counts unreadable cells per field; ``seen`` holds
    the ids and emails met so far in the file."""
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
