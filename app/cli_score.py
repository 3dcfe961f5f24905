"""``scorecard score``, ``config``, ``runs``, ``compare`` and ``export``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.cli_common import emit
from scorecard.errors import ScorecardError
from scorecard.scoring import configs, export, runs
from scorecard.workspace import Workspace


def _say(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return None if args.json else (lambda message: print(message, file=sys.stderr))


def cmd_score(args: argparse.Namespace) -> int:
    config = configs.read_config(args.config) if args.config else None
    with Workspace.open(args.workspace) as ws:
        summary = runs.score(ws, config, wave_id=args.wave_id, progress=_say(args))
    emit(args, summary.as_dict(), summary.describe())
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        if args.action == "export":
            text = configs.export_config(ws, args.file)
            if args.file is None:
                print(text, end="")
            else:
                print(f"Wrote the scoring config to {args.file}")
            return 0
        if args.file is None:
            raise ScorecardError("config import: give the TOML file to import")
        info = configs.import_config(ws, args.file, name=args.name)
    emit(args, info.as_dict(), f"Saved config {info.id} ({info.name}); the next score run uses it")
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        found = runs.list_runs(ws)
    if args.json:
        print(json.dumps([r.as_dict() for r in found], ensure_ascii=False))
        return 0
    if not found:
        print("No score runs yet: scorecard score WORKSPACE")
        return 0
    for r in found:
        segments = ", ".join(f"{k} {v:,}" for k, v in r.segments.items())
        print(f"run {r.id:>3}  {r.created_at:%Y-%m-%d %H:%M}  {r.config_name:<20} "
              f"{r.members_scored:>9,} members  {segments}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        comparison = runs.compare_runs(ws, args.run_a, args.run_b)
    emit(args, comparison.as_dict(), comparison.describe())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with Workspace.open(args.workspace) as ws:
        result = export.export_run(ws, Path(args.out), args.run, args.format, args.segment)
    emit(args, result.as_dict(), result.describe())
    return 0


def add_score_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "score", help="score every member and save the run",
        description="Compute knowledge (K), participation (P), reach (R), the social score S, "
        "financial value F, network value NV, segments and their stability, with the saved "
        "config (or --config FILE), and save the run.",
    )
    p.add_argument("workspace")
    p.add_argument("--config", metavar="FILE.toml", help="score with this config (not saved)")
    p.add_argument("--wave-id", type=int, help="use only this survey wave's answers")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("config", help="export or import the scoring config as TOML")
    p.add_argument("action", choices=("export", "import"))
    p.add_argument("workspace")
    p.add_argument("file", nargs="?", help="TOML file (export: default prints it)")
    p.add_argument("--name", help="import: a name for the config")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser("runs", help="list the score runs")
    p.add_argument("workspace")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("compare", help="who moved between segments from one run to another")
    p.add_argument("workspace")
    p.add_argument("run_a", type=int)
    p.add_argument("run_b", type=int)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "export", help="members with scores and segment, for Mailchimp, Shopify, HubSpot or CSV"
    )
    p.add_argument("workspace")
    p.add_argument("out", help="CSV file to write")
    p.add_argument("--run", type=int, help="run id (default: the latest)")
    p.add_argument("--format", choices=tuple(export.LAYOUTS), default="generic")
    p.add_argument("--segment", action="append", metavar="NAME",
                   help="only this segment's members (repeat for several), e.g. Ambassadors")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_export)
