"""``scorecard import survey|referrals|engagement …`` and ``scorecard questionnaire``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli_common import delimiter, emit
from scorecard.workspace import Workspace


def _emit_result(args: argparse.Namespace, result) -> int:  # type: ignore[no-untyped-def]
    emit(args, result.as_dict(), result.describe())
    return 0


def cmd_import_survey(args: argparse.Namespace) -> int:
    from app.cli_import import _progress_printer
    from survey.responses import import_survey

    with Workspace.open(args.workspace) as ws:
        result = import_survey(
            ws, Path(args.file), wave=args.wave, dialect=args.dialect, map_options=args.map,
            mapping_file=args.mapping, save_mapping=args.save_mapping, encoding=args.encoding,
            delimiter=delimiter(args.delimiter), sheet=args.sheet, again=args.again,
            progress=_progress_printer(args),
        )  # fmt: skip
    return _emit_result(args, result)


def cmd_import_referrals(args: argparse.Namespace) -> int:
    from app.cli_import import _progress_printer
    from survey.referrals import import_referrals

    with Workspace.open(args.workspace) as ws:
        result = import_referrals(
            ws, Path(args.file), map_options=args.map, encoding=args.encoding,
            delimiter=delimiter(args.delimiter), sheet=args.sheet, again=args.again,
            progress=_progress_printer(args),
        )  # fmt: skip
    return _emit_result(args, result)


def cmd_import_engagement(args: argparse.Namespace) -> int:
    from app.cli_import import _as_of, _progress_printer
    from survey.engagement import import_engagement

    with Workspace.open(args.workspace) as ws:
        result = import_engagement(
            ws, Path(args.file), map_options=args.map, as_of=_as_of(args.as_of),
            encoding=args.encoding, delimiter=delimiter(args.delimiter), sheet=args.sheet,
            again=args.again, progress=_progress_printer(args),
        )  # fmt: skip
    return _emit_result(args, result)


def cmd_questionnaire(args: argparse.Namespace) -> int:
    from survey import questionnaire as q
    from survey.questionnaire_kit import forms_text

    category = args.category
    if category is None and args.workspace:
        with Workspace.open(args.workspace) as ws:
            category = ws.settings()["category"]
    category = category or "products"
    if args.kit:
        files = q.write_kit(args.kit, category)
        summary = {"forms_text": str(files.forms_text), "codebook": str(files.codebook)}
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
        else:
            print(f"Wrote {files.forms_text} and {files.codebook}")
        return 0
    if args.json:
        print(json.dumps(q.to_json(category), ensure_ascii=False))
    else:
        print(forms_text(category), end="")
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("workspace")
    p.add_argument("file", help="CSV, TSV or XLSX file")
    p.add_argument("--encoding", help="force the text encoding, e.g. cp1252, utf-16")
    p.add_argument("--delimiter", help="force the separator: ',' ';' 'tab' or '|'")
    p.add_argument("--sheet", help="XLSX: the sheet to read (default: the first visible one)")
    p.add_argument("--again", action="store_true", help="import even if this file was imported")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def add_survey_import_commands(kinds: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``survey``, ``referrals`` and ``engagement`` under ``scorecard import``."""
    from survey.dialects import DIALECTS

    s = kinds.add_parser(
        "survey",
        help="survey responses (Google Forms/Sheets, Microsoft Forms, SurveyMonkey, Qualtrics, "
        "LimeSurvey, Typeform, KoboToolbox/ODK, or a plain sheet)",
        description="Import survey responses into a wave. The tool's layout is detected; "
        "columns worded as in the standard questionnaire map by themselves, others with --map "
        "or --mapping. Responses match members by member id, then e-mail; unmatched ones are "
        "kept and matched after a later member import.",
    )
    _common(s)
    s.add_argument("--wave", help='the survey wave, e.g. "Autumn 2026" (default: "YYYY-MM '
                   'survey" from the first answer\'s date)')  # fmt: skip
    s.add_argument("--dialect", choices=DIALECTS, help="skip detection: the tool that wrote it")
    s.add_argument(
        "--map", action="append", default=[], metavar='"HEADER=ITEM"',
        help="map a column to an item id (repeatable); also ITEM:OPTION for one option of a "
        "multi-select, member_id, email, submitted_at, ignore, raw",
    )  # fmt: skip
    s.add_argument("--mapping", metavar="FILE.toml", help="a mapping file ([columns], [values])")
    s.add_argument("--save-mapping", metavar="FILE.toml",
                   help="write the mapping as used (every column) to edit and pass back")
    s.set_defaults(func=cmd_import_survey)

    r = kinds.add_parser(
        "referrals",
        help="referrals: who brought in whom (referral tool report or sheet)",
        description="Import referrals. Referrer and friend are matched by member id, e-mail or "
        "referral code. Fields for --map: referrer_id, referrer_email, referrer_code, "
        "referred_id, referred_email, referred_at, status.",
    )
    _common(r)
    r.add_argument("--map", action="append", default=[], metavar='"HEADER=FIELD"',
                   help="map a column to a field (repeatable); 'ignore' skips it")
    r.set_defaults(func=cmd_import_referrals)

    e = kinds.add_parser(
        "engagement",
        help="email engagement (Mailchimp MEMBER_RATING, or opens/clicks/forwards per member)",
        description="Import email engagement per member. Fields for --map: email, member_id, "
        "rating, sends, opens, clicks, forwards.",
    )
    _common(e)
    e.add_argument("--map", action="append", default=[], metavar='"HEADER=FIELD"',
                   help="map a column to a field (repeatable); 'ignore' skips it")
    e.add_argument("--as-of", help="date of the export (default today)")
    e.set_defaults(func=cmd_import_engagement)


def add_questionnaire_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "questionnaire",
        help="the standard questionnaire: wording, JSON, or a kit for Google/Microsoft Forms",
        description="Print the standard questionnaire (paste-ready wording), its items as JSON, "
        "or write a kit: the wording for Google Forms / Microsoft Forms and a codebook CSV.",
    )
    p.add_argument("--category", help='the word questions use, e.g. "coffee" (default: the '
                   "workspace's, else products)")  # fmt: skip
    p.add_argument("--workspace", help="take the category word from this workspace")
    p.add_argument("--kit", metavar="DIR", help="write the kit files into DIR")
    p.add_argument("--json", action="store_true",
                   help='print {"items": [{"id", "component", "text", "kind", "options"}]}')
    p.set_defaults(func=cmd_questionnaire)
