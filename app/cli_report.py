"""``scorecard report``: the printable outputs of a workspace, several in one call.

    scorecard report WS --pdf report.pdf --xlsx scorecard.xlsx --cards cards.pdf
    scorecard report WS --questionnaire paper.pdf --per-member --paper letter

Each output is one ``reports.outputs.ReportRequest`` handed to ``write_report``, the same call
the Reports page makes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli_common import emit
from reports.outputs import ReportOutput, ReportRequest, write_report
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace

DEFAULT_CARDS_SEGMENT = "Ambassadors"


def requests_from(args: argparse.Namespace) -> list[ReportRequest]:
    """The outputs the command line asks for, in the order a person reads them."""
    members = [m for m in args.members.replace(",", " ").split()] if args.members else None
    common = {"run_id": args.run, "paper": args.paper}
    asked: list[ReportRequest] = []
    if args.pdf:
        asked.append(ReportRequest("executive", Path(args.pdf), **common))
    if args.cards:
        segment = args.segment or (None if members else DEFAULT_CARDS_SEGMENT)
        asked.append(ReportRequest("cards", Path(args.cards), segment=segment, members=members,
                                   per_page=args.per_page, **common))
    if args.xlsx:
        asked.append(ReportRequest("workbook", Path(args.xlsx), run_id=args.run))
    if args.questionnaire:
        asked.append(ReportRequest("questionnaire", Path(args.questionnaire), paper=args.paper,
                                   members=members, per_member=args.per_member))
    if not asked:
        raise ScorecardError("nothing to write: give --pdf, --xlsx, --cards or --questionnaire")
    return asked


def cmd_report(args: argparse.Namespace) -> int:
    asked = requests_from(args)
    done: list[ReportOutput] = []
    with Workspace.open(args.workspace) as ws:
        for request in asked:
            if not args.json:
                print(f"Writing {request.out} …", file=sys.stderr)
            done.append(write_report(ws, request))
    lines = []
    for out in done:
        lines.append(f"Wrote {out.path}: {out.summary}")
        lines += [f"  {note}" for note in out.notes]
    emit(args, {"outputs": [o.as_dict() for o in done]}, "\n".join(lines))
    return 0


def add_report_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="write the executive PDF, member scorecards, Excel workbook, paper questionnaire",
        description="Write the printable outputs of a score run (default: the latest): the "
        "executive report, member scorecards for a segment or a list of members, the Excel "
        "workbook with live weights, and the paper questionnaire (blank, or one per member "
        "with the member number and a QR code).",
    )
    p.add_argument("workspace")
    p.add_argument("--run", type=int, help="score run id (default: the latest)")
    p.add_argument("--pdf", metavar="OUT.pdf", help="the executive report")
    p.add_argument("--xlsx", metavar="OUT.xlsx", help="the Excel workbook")
    p.add_argument("--cards", metavar="OUT.pdf",
                   help=f"member scorecards (default: the {DEFAULT_CARDS_SEGMENT})")
    p.add_argument("--segment", metavar="NAME", help="scorecards for this segment's members")
    p.add_argument("--members", metavar="IDS",
                   help="comma-separated member numbers (scorecards, questionnaire copies)")
    p.add_argument("--per-page", type=int, choices=(1, 4), default=1,
                   help="scorecards a page (default 1)")
    p.add_argument("--questionnaire", metavar="OUT.pdf", help="the paper questionnaire")
    p.add_argument("--per-member", action="store_true", help="one questionnaire per member")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_report)
