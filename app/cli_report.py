"""``scorecard report``: the printable outputs of a workspace.

For now the paper questionnaire; the executive report, member scorecards and the Excel workbook
join here as they are built (issue "Reports").
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace


def cmd_report(args: argparse.Namespace) -> int:
    from reports.questionnaire_pdf import questionnaire_for_workspace

    if not args.questionnaire:
        raise ScorecardError("nothing to write: give --questionnaire OUT.pdf")
    members = [m.strip() for m in args.members.split(",") if m.strip()] if args.members else None
    with Workspace.open(args.workspace) as ws:
        result = questionnaire_for_workspace(
            ws, Path(args.questionnaire), per_member=args.per_member, member_ids=members,
            paper=args.paper,
        )
    summary = {
        "questionnaire": str(result.path), "pages": result.pages, "members": result.members,
        "without_id": result.without_id, "unknown_ids": list(result.unknown_ids),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    who = f"for {result.members:,} member(s)" if result.members else "blank"
    print(f"Wrote {result.path} ({result.pages} pages, {who})")
    if result.without_id:
        print(f"  {result.without_id:,} member(s) have no member number and were left out")
    if result.unknown_ids:
        print(f"  not in this workspace: {', '.join(result.unknown_ids[:10])}")
    return 0


def add_report_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="write printable outputs (now: the paper questionnaire)",
        description="Write the paper questionnaire for in-store or event surveys: blank, or one "
        "copy per member with the member number and a QR code so answers can be typed back in.",
    )
    p.add_argument("workspace")
    p.add_argument("--questionnaire", metavar="OUT.pdf", help="the paper questionnaire")
    p.add_argument("--per-member", action="store_true", help="one copy per member")
    p.add_argument("--members", metavar="IDS", help="comma-separated member ids (one copy each)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_report)
