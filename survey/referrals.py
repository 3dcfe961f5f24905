"""Referrals import: who brought in whom, from a referral tool's report or a hand-made sheet.

Each side (the referrer or advocate, and the referred friend) is named by member id, e-mail or
the referrer's referral code. The columns of ReferralCandy-, Friendbuy- and Smile.io-style
reports (``Advocate Email``, ``Referrer Email``, ``Friend Email``, ``Referral Code``,
``Referral Date`` …) map without asking; others map with ``--map "Header=field"``.

A referral is a link between two people: a friend's second order repeats the link and is not
recorded twice (nor is a link already in the workspace from an earlier report); the earliest
date is kept. Rows rejected with reasons: no referrer or no friend, someone referring themself,
an invalid e-mail, an unreadable date, a cancelled or refunded referral. People not yet in the
member list stay unmatched (their key kept) and match after a later member import.
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
KIND = "referrals"

REFERRAL_FIELDS: Aliases = {
    "referrer_email": (
        "advocate email", "referrer email", "referrer e-mail", "advocate e-mail",
        "referring customer email", "ambassador email", "sender email", "inviter email",
        "referred by email", "referred by", "referrer", "advocate",
    ),
    "referrer_id": (
        "advocate customer id", "advocate id", "referrer id", "referrer customer id",
        "referring customer id", "referrer member id", "ambassador id", "referred by id",
        "advocate external id", "referrer external id",
    ),
    "referrer_code": (
        "referral code", "referrer code", "advocate code", "advocate referral code",
        "referrer referral code", "share code", "invite code", "referral link code",
    ),
    "referred_email": (
        "friend email", "friend e-mail", "referred email", "referee email",
        "referred customer email", "referred friend email", "new customer email",
        "invitee email", "referred", "friend",
    ),
    "referred_id": (
        "friend customer id", "friend id", "referee id", "referred customer id", "referred id",
        "new customer id", "invitee id", "referred member id", "friend external id",
    ),
    "referred_at": (
        "referral date", "date referred", "referred at", "referred on", "created at", "created",
        "date", "order date", "purchase date", "conversion date", "timestamp", "date created",
    ),
    "status": ("status", "referral status", "state"),
}  # fmt: skip
# Statuses of a referral that did not happen (Pending and Approved ones did).
_VOID = frozenset(
    {"cancelled", "canceled", "rejected", "refunded", "void", "voided", "declined", "fraud",
     "fraudulent", "invalid", "reversed"}
)  # fmt: skip
# How each side may be named (a referral code is the referrer's own).
_WAYS = {"referrer": ("id", "email", "code"), "referred": ("id", "email")}
_STAGED = ("row_number", "referrer_id", "referrer_email", "referrer_code", "referred_id",
           "referred_email", "referred_at")  # fmt: skip


def import_referrals(
    ws: Workspace,
    path: str | Path,
    *,
    map_options: list[str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    again: bool = False,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportResult:
    """Import a referrals report. Raises ScorecardError (nothing written) on unusable input."""
    path = Path(path)
    table = open_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    headers = table.header
    mapping, chosen = resolve_fields(ws, KIND, headers, REFERRAL_FIELDS, map_options)
    columns = chosen_columns(mapping, headers)
    for side, label in (("referrer", "referrer (advocate)"), ("referred", "referred friend")):
        if not {f"{side}_{w}" for w in _WAYS[side]} & set(columns):
            raise ScorecardError(
                f"{path.name}: no column names the {label}; map one with "
                f'--map "Column header={side}_email" (or {side}_id'
                + (", referrer_code)" if side == "referrer" else ")")
            )
    file_hash = new_file_hash(ws, path, KIND, again=again)
    sample = table.peek(2000)
    order: V.DateOrder = "ymd"
    if "referred_at" in columns:
        texts = [str(r[columns["referred_at"]]) for r in sample if r[columns["referred_at"]]]
        try:
            order = V.infer_date_order(texts)
        except ValueError:
            order = "ymd"
    converters = [
        (f, col, _converter(f, order)) for f, col in columns.items() if f != "status"
    ]
    ticker = Ticker(progress, cancel, None)

    with import_transaction(ws, dry_run=dry_run) as conn:
        run = conn.exec_driver_sql
        batch = start_batch(conn, KIND, path, file_hash, dialect="referrals",
                            encoding=table.format.encoding, delimiter=table.format.delimiter)
        result = ImportResult(batch=batch, dialect="referrals", warnings=list(table.warnings))
        run("DROP TABLE IF EXISTS temp._stage_ref")
        run(
            f"CREATE TEMP TABLE _stage_ref (sid INTEGER PRIMARY KEY, {', '.join(_STAGED)}, "
            "referrer_member INTEGER, referred_member INTEGER)"
        )
        insert = (
            f"INSERT INTO temp._stage_ref ({', '.join(_STAGED)}) "
            f"VALUES ({', '.join('?' * len(_STAGED))})"
        )
        rows = table.rows()
        while chunk := list(islice(rows, CHUNK)):
            result.rows += len(chunk)
            staged, rejects = _convert(chunk, converters, columns, headers)
            if staged:
                run(insert, staged)
            if rejects:
                insert_rejects(conn, batch, rejects)
            ticker.tick(result.rows, f"Reading row {chunk[-1][0]:,}")
        for side, ways in _WAYS.items():
            for way in ways:
                match_person(conn, "temp._stage_ref", f"{side}_member", f"{side}_{way}", by=(way,))
        _reject_self(conn, batch)
        _insert_links(conn, batch, result)
        result.rejected = run(
            "SELECT count(*) FROM rejected_row WHERE batch_id = ?", (batch,)
        ).scalar_one()
        unmapped = [h for h, f in mapping.items() if f == IGNORE]
        if unmapped:
            result.warnings.append(f"Columns not imported: {', '.join(unmapped)}")
        finish_batch(conn, result, {"headers": headers, "columns": mapping})
        if chosen:
            save_profile(conn, KIND, headers, mapping, name=path.name)
        run("DROP TABLE temp._stage_ref")
    if progress is not None:
        progress(1.0, "Done")
    return result


def _converter(field: str, order: V.DateOrder) -> C.ColumnFn:
    if field.endswith("_email"):
        return C.emails
    if field == "referred_at":
        return C.each(lambda cell: _iso(V.parse_date(cell, order)))  # type: ignore[arg-type]
    return C.texts  # ids (Excel's apostrophe dropped) and codes


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _convert(
    chunk: list[tuple[int, list[object]]],
    converters: list[tuple[str, int, C.ColumnFn]],
    columns: dict[str, int],
    headers: list[str],
) -> tuple[list[tuple[object, ...]], list[tuple[int, list[object], list[str]]]]:
    conv = convert_chunk(chunk, converters, headers)
    cols, reasons = conv.columns, conv.reasons
    blank: list[object] = [None] * len(chunk)
    status_col = columns.get("status")
    for i, (_, cells) in enumerate(chunk):
        if status_col is not None:
            status = (V.clean_text(cells[status_col]) or "").casefold()  # type: ignore[arg-type]
            if status in _VOID:
                reasons.setdefault(i, []).append(
                    f"{headers[status_col]}: {status!r}, so no referral happened"
                )
        if i in reasons:  # an unreadable cell already says why; "blank" would mislead
            continue
        for side, label in (("referrer", "referrer"), ("referred", "referred friend")):
            if all(cols.get(f"{side}_{w}", blank)[i] is None for w in _WAYS[side]):
                reasons.setdefault(i, []).append(f"no {label}: its columns are blank")
    staged = [
        (rn, *(cols.get(name, blank)[i] for name in _STAGED[1:]))
        for i, (rn, _) in enumerate(chunk)
        if i not in reasons
    ]
    rejects = [(chunk[i][0], chunk[i][1], reasons[i]) for i in sorted(reasons)]
    return staged, rejects


def _reject_self(conn, batch: int) -> None:  # type: ignore[no-untyped-def]
    rows = conn.exec_driver_sql(
        f"SELECT sid, {', '.join(_STAGED)} FROM temp._stage_ref "
        "WHERE referrer_member IS NOT NULL AND referrer_member = referred_member"
    ).all()
    if rows:
        insert_rejects(
            conn, batch,
            [(r[1], list(r[2:]), ["referrer and friend are the same member"]) for r in rows],
        )  # fmt: skip
        conn.exec_driver_sql(
            "DELETE FROM temp._stage_ref WHERE referrer_member IS NOT NULL "
            "AND referrer_member = referred_member"
        )


def _insert_links(conn, batch: int, result: ImportResult) -> None:  # type: ignore[no-untyped-def]
    """One referral per (referrer, friend), the earliest; none already in the workspace."""
    run = conn.exec_driver_sql
    key = {s: f"coalesce({', '.join(f'{s}_{w}' for w in ways)})" for s, ways in _WAYS.items()}
    who = {s: f"coalesce('m' || {s}_member, 'k' || {key[s]})" for s in _WAYS}
    run(
        f"CREATE TEMP TABLE _stage_link AS SELECT {who['referrer']} AS a, {who['referred']} AS b, "
        "min(sid) AS sid, min(referred_at) AS referred_at, count(*) AS n "
        "FROM temp._stage_ref GROUP BY a, b"
    )
    # Links already recorded, keyed the same way (SQLite builds one index for the IN list).
    existing = (
        "(l.a, l.b) IN (SELECT coalesce('m' || referrer_id, 'k' || referrer_key) AS a, "
        "coalesce('m' || referred_id, 'k' || referred_key) AS b FROM referral "
        "WHERE coalesce(referrer_id, referrer_key) IS NOT NULL "
        "AND coalesce(referred_id, referred_key) IS NOT NULL)"
    )
    already = run(f"SELECT count(*) FROM temp._stage_link l WHERE {existing}").scalar_one()
    result.inserted = run(
        "INSERT INTO referral (batch_id, referrer_id, referred_id, referrer_key, referred_key, "
        f"referred_at) SELECT ?, s.referrer_member, s.referred_member, {key['referrer']}, "
        f"{key['referred']}, l.referred_at "
        "FROM temp._stage_link l JOIN temp._stage_ref s ON s.sid = l.sid "
        f"WHERE NOT {existing} ORDER BY l.sid",
        (batch,),
    ).rowcount
    repeats = run("SELECT coalesce(sum(n - 1), 0) FROM temp._stage_link").scalar_one()
    result.unmatched = run(
        "SELECT count(*) FROM referral WHERE batch_id = ? "
        "AND (referrer_id IS NULL OR referred_id IS NULL)",
        (batch,),
    ).scalar_one()
    if repeats:
        result.warnings.append(
            f"{repeats:,} row(s) repeat a referral earlier in the file (a friend's later "
            "orders); each referral is recorded once, with its earliest date"
        )
    if already:
        result.warnings.append(
            f"{already:,} referral(s) were already in the workspace from an earlier import"
        )
    if result.unmatched:
        result.warnings.append(
            f"{result.unmatched:,} referral(s) name someone not in the member list; kept, and "
            "matched when a member list that has them is imported"
        )
    run("DROP TABLE temp._stage_link")
