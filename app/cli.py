"""The ``scorecard`` command line: thin over the workspace facade and the import/report layers.

Commands that change a workspace accept ``--json`` and then print one JSON object. User errors
print one line to stderr and exit 1; they never show a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.cli_common import emit
from scorecard import __version__
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace

Handler = Callable[[argparse.Namespace], int]

EPILOG = """\
examples:
  scorecard demo                      build a sample coffee-roaster workspace in ./demo
  scorecard new shop.scorecard        start an empty workspace
  scorecard import members shop.scorecard customers_export.csv
  scorecard info shop.scorecard       what the workspace holds
  scorecard gui shop.scorecard        open it in the desktop app
"""


def cmd_new(args: argparse.Namespace) -> int:
    settings = {}
    if args.category:
        settings["category"] = args.category
    if args.currency:
        settings["currency"] = args.currency
    if args.margin is not None:
        settings["gross_margin"] = str(args.margin)
    with Workspace.create(args.path, settings) as ws:
        info = ws.info()
    emit(args, {"workspace": str(info.path), "schema": info.schema}, f"Created {info.path}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        info = ws.info()
        settings = ws.settings()
        report = ws.report
    if args.json:
        print(json.dumps({**info.as_dict(), "settings": settings}, ensure_ascii=False))
        return 0
    if report.backup_path:
        print(f"Upgraded from schema {report.migrated_from}; backup at {report.backup_path}")
    rows = [
        ("Workspace", str(info.path)),
        ("Schema", info.schema),
        ("Members", f"{info.members:,}"),
        ("Financial snapshots", f"{info.financial_snapshots:,}"),
        ("Survey waves", f"{info.survey_waves:,}"),
        ("Responses", f"{info.responses:,}"),
        ("Answers", f"{info.answers:,}"),
        ("Referrals", f"{info.referrals:,}"),
        ("Engagement records", f"{info.engagement_records:,}"),
        ("Import batches", f"{info.batches:,}"),
        ("Rejected rows", f"{info.rejected_rows:,}"),
        ("Score runs", f"{info.score_runs:,}"),
        ("Category word", settings["category"]),
        ("Currency", settings["currency"]),
        ("Gross margin", settings["gross_margin"]),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import build_demo

    result = build_demo(Path(args.dir), n_members=args.members, progress=_progress(args))
    emit(args, result.as_dict(), result.describe())
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from app.gui.main import run_gui  # Qt is imported only when the GUI is asked for

    return run_gui(args.workspace, screenshot_dir=args.screenshot)


def _progress(args: argparse.Namespace) -> Callable[[str], None] | None:
    if getattr(args, "json", False) or getattr(args, "quiet", False):
        return None
    return lambda message: print(message, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    from app.cli_import import add_import_commands
    from app.cli_report import add_report_command
    from app.cli_score import add_score_commands

    parser = argparse.ArgumentParser(
        prog="scorecard",
        description="Social Scorecard: lay a social score over each loyalty member's financial "
        "value and find your Ambassadors.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("new", help="create an empty workspace file (.scorecard)")
    p.add_argument("path", help="where to create it; the .scorecard suffix is added if missing")
    p.add_argument("--category", help='the word questions use, e.g. "coffee" (default: products)')
    p.add_argument("--currency", help="currency code for reports, e.g. EUR, USD (default: EUR)")
    p.add_argument("--margin", type=float, help="gross margin as a fraction, e.g. 0.4")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("info", help="show what a workspace holds")
    p.add_argument("workspace")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser(
        "demo",
        help="generate a sample coffee-roaster programme and build a workspace from it",
        description="Writes a Shopify customers export, a Google Forms survey export, a "
        "referrals file and a Mailchimp export into DIR, then builds DIR/demo.scorecard from "
        "them through the same importers a user's files go through.",
    )
    p.add_argument("dir", nargs="?", default="demo", help="output folder (default: ./demo)")
    p.add_argument("--members", type=int, default=5000, help="members to generate (default 5000)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("gui", help="open the desktop app")
    p.add_argument("workspace", nargs="?", help="workspace to open")
    p.add_argument("--screenshot", metavar="DIR", help="render each page to DIR/*.png and exit")
    p.set_defaults(func=cmd_gui)

    add_import_commands(sub)
    add_report_command(sub)
    add_score_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.func
    try:
        return handler(args)
    except ScorecardError as exc:
        print(f"scorecard: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("scorecard: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `scorecard batches ws | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
