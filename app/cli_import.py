"""``scorecard import …``, ``batches``, ``rejects`` and ``undo``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from app.cli_common import delimiter, emit
from app.cli_survey import add_questionnaire_command, add_survey_import_commands
from scorecard.batches import export_rejects, list_batches, undo_batch
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace


def _progress_printer(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    if args.json or not sys.stderr.isatty():
        return None
    last = [-1]

    def show(fraction: float, message: str) -> None:
        pct = int(fraction * 100)
        if pct != last[0]:
            last[0] = pct
            print(f"\r{pct:3d}%  {message[:60]:<60}", end="", file=sys.stderr, flush=True)
            if fraction >= 1.0:
                print(file=sys.stderr)

    return show


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ScorecardError(f"--as-of {value!r}: expected a date like 2026-11-23") from exc


def cmd_import_members(args: argparse.Namespace) -> int:
    from survey.members import import_members

    with Workspace.open(args.workspace) as ws:
        result = import_members(
            ws, Path(args.file), map_options=args.map, encoding=args.encoding,
            delimiter=delimiter(args.delimiter),
            sheet=args.sheet, as_of=_as_of(args.as_of),
            again=args.again, dry_run=args.dry_run, progress=_progress_printer(args),
        )
    dry = "\nDry run: nothing was written." if args.dry_run else ""
    emit(args, result.as_dict(), result.describe() + dry)
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        batches = list_batches(ws)
    if args.json:
        print(json.dumps([b.as_dict() for b in batches], ensure_ascii=False))
        return 0
    if not batches:
        print("No imports yet.")
        return 0
    print(f"{'batch':>5}  {'kind':<10} {'when':<16}  {'rows':>9} {'new':>9} {'updated':>9} "
          f"{'rejected':>8}  {'status':<9} file")
    for b in batches:
        print(
            f"{b.id:>5}  {b.kind:<10} {b.created_at:%Y-%m-%d %H:%M}  {b.rows:>9,} "
            f"{b.inserted:>9,} {b.updated:>9,} {b.rejected:>8,}  {b.status:<9} {b.file_name}"
        )
    return 0


def cmd_rejects(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        count = export_rejects(ws, args.batch, Path(args.out))
    print(f"Wrote {count:,} rejected rows of batch {args.batch} to {args.out}")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        batch = undo_batch(ws, args.batch)
    emit(args, batch.as_dict(), f"Undid batch {batch.id} ({batch.kind}, {batch.file_name})")
    return 0


def add_import_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import", help="import a member list, survey responses, referrals or email engagement"
    )
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    m = kinds.add_parser(
        "members",
        help="a customer/member export (Shopify, Square, HubSpot, Mailchimp, WooCommerce, "
        "or any CSV/XLSX sheet)",
        description="Import a member list. Columns of Shopify, Square, HubSpot, Mailchimp and "
        "WooCommerce exports and of ordinary spreadsheets are recognised; map others with "
        "--map. Members are matched by customer id, then by email; nobody is ever deleted. "
        "Rows that cannot be imported are kept with their reasons (see: scorecard rejects).",
    )
    m.add_argument("workspace")
    m.add_argument("file", help="CSV, TSV or XLSX file")
    m.add_argument(
        "--map", action="append", default=[], metavar='"HEADER=FIELD"',
        help="map a column to a field (repeatable); FIELD 'ignore' skips it. Fields: "
        "external_id, email, first_name, last_name, full_name, phone, birthday, birth_year, "
        "age, age_band, join_date, city, country, postcode, consent_email, consent_sms, "
        "referral_code, tags, revenue, orders, cost_to_serve, first_order, last_order, currency",
    )
    m.add_argument("--encoding", help="force the text encoding, e.g. cp1252, utf-16")
    m.add_argument("--delimiter", help="force the separator: ',' ';' 'tab' or '|'")
    m.add_argument("--sheet", help="XLSX: the sheet to read (default: the first visible one)")
    m.add_argument("--as-of", help="date of the export for the financial snapshot (default today)")
    m.add_argument("--again", action="store_true", help="import even if this file was imported")
    m.add_argument(
        "--dry-run", action="store_true",
        help="check the file and report what the import would do, without writing anything",
    )
    m.add_argument("--json", action="store_true", help="print one JSON object")
    m.set_defaults(func=cmd_import_members)
    add_survey_import_commands(kinds)
    add_questionnaire_command(sub)

    p = sub.add_parser("batches", help="list the imports made into a workspace")
    p.add_argument("workspace")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_batches)

    p = sub.add_parser("rejects", help="export a batch's rejected rows to CSV, with reasons")
    p.add_argument("workspace")
    p.add_argument("batch", type=int)
    p.add_argument("out", help="CSV file to write")
    p.set_defaults(func=cmd_rejects)

    p = sub.add_parser("undo", help="undo an import batch")
    p.add_argument("workspace")
    p.add_argument("batch", type=int)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_undo)
