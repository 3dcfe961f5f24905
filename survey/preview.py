"""What the import wizard shows before anything is imported: the kind of a file, its format,
its first rows and the column plan the import would follow (without importing).

Everything here reads the file (and the workspace's saved mapping profiles) only. The plan is
the one the import itself makes: the member import's ``resolve_member_mapping``, the survey
import's ``resolve_columns`` and the keyed imports' ``resolve_fields``; a user's choice goes
back to the import as ``map_options=["Header=target", ...]`` (see ``Preview.map_options``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace
from survey.dialect_meta import ROLES
from survey.dialects import DIALECTS, detect_dialect, read_layout
from survey.engagement import ENGAGEMENT_FIELDS
from survey.field_mapping import Aliases, guess_fields, resolve_fields
from survey.item_match import WordingIndex
from survey.mapping import IGNORE, MEMBER_FIELD_LABELS, guess_member_mapping, load_profile
from survey.members import SURVEY_MARKERS, detect_member_dialect, resolve_member_mapping
from survey.questionnaire import QUESTIONNAIRE
from survey.readers import Cell, Table, open_table
from survey.referrals import REFERRAL_FIELDS
from survey.survey_mapping import RAW, ColumnPlan, resolve_columns
from survey.survey_profile import saved_profile, user_mapping

KINDS = ("members", "survey", "referrals", "engagement")
KIND_LABELS = {"members": "Member list", "survey": "Survey responses", "referrals": "Referrals",
               "engagement": "Email engagement"}  # fmt: skip
PREVIEW_ROWS = 20
SAMPLE_ROWS = 2_000
_KEYED: dict[str, Aliases] = {"referrals": REFERRAL_FIELDS, "engagement": ENGAGEMENT_FIELDS}
_ROLE_LABELS = {"submitted_at": "Submission time", "email": "Respondent e-mail",
                "member_id": "Member id"}  # fmt: skip
_ACTIVITY = {"sends", "opens", "clicks", "forwards"}


@dataclass(frozen=True)
class TargetChoice:
    """One thing a column can feed: a field, an item (``item:option``), a role, raw or ignore."""

    id: str
    label: str


@dataclass(frozen=True)
class ColumnChoice:
    """One column of the file and what the import would do with it."""

    index: int
    header: str  # the name map_options uses
    label: str  # what the user reads (SurveyMonkey: "Question [Row]")
    target: str  # a TargetChoice id
    confidence: float  # 0..1; 1.0 for the user's own (saved) choice
    allowed: tuple[str, ...]  # the TargetChoice ids this column may take


@dataclass
class Preview:
    kind: str
    file_kind: str  # csv | xlsx
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    dialect: str  # the survey tool, or the member list's source (shopify, spreadsheet, ...)
    header: list[str]
    rows: list[list[str]]
    columns: list[ColumnChoice]
    targets: list[TargetChoice]
    profile: bool = False  # a mapping saved for these headers is in use
    warnings: list[str] = field(default_factory=list)

    def label_of(self, target: str) -> str:
        return next((t.label for t in self.targets if t.id == target), target)

    def map_options(self, chosen: dict[str, str]) -> list[str]:
        """``Header=target`` for each column whose target the user changed (header -> target)."""
        return [
            f"{c.header}={chosen[c.header]}"
            for c in self.columns
            if c.header in chosen and chosen[c.header] != c.target
        ]


def detect_kind(path: str | Path) -> tuple[str, float, str]:
    """(kind, confidence 0..1, reason) from a file's header; the user confirms it."""
    path = Path(path)
    probe = open_table(path, header_rows=3)
    dialect = detect_dialect(probe.header_rows)
    if dialect != "plain":
        return "survey", 0.95, f"laid out like a {dialect} export"
    header = open_table(path).header
    lowered = [h.strip().casefold() for h in header]
    long_questions = sum(1 for h in header if len(h) > 45 or h.rstrip().endswith("?"))
    index = WordingIndex()
    items = sum(1 for h in header if index.match(h) is not None)
    if items >= 3 or (lowered and lowered[0] in SURVEY_MARKERS):
        return "survey", 0.85, f"{items} column(s) match questions of the questionnaire"
    if long_questions >= max(3, len(header) // 3):
        return "survey", 0.6, "many columns are headed by questions"
    referral = {f for f in guess_fields(header, REFERRAL_FIELDS).values() if f != IGNORE}
    if any(f.startswith("referrer") for f in referral) and any(
        f.startswith("referred_") and f != "referred_at" for f in referral
    ):
        return "referrals", 0.9, "has a referrer and a referred friend column"
    engagement = {f for f in guess_fields(header, ENGAGEMENT_FIELDS).values() if f != IGNORE}
    member_dialect = detect_member_dialect(header)
    if (activity := sorted(engagement & _ACTIVITY)) and member_dialect != "shopify":
        return "engagement", 0.8, f"has e-mail activity columns ({', '.join(activity)})"
    members = [g for g in guess_member_mapping(header) if g.field != IGNORE]
    if member_dialect != "spreadsheet":
        return "members", 0.95, f"laid out like a {member_dialect} customer export"
    if {g.field for g in members} & {"email", "external_id"}:
        return "members", 0.8, f"{len(members)} column(s) look like member fields"
    return "members", 0.3, "not recognised; a member list is the most common file"


def preview(
    ws: Workspace,
    path: str | Path,
    kind: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    dialect: str | None = None,
) -> Preview:
    """The file as the ``kind`` import would read it: format, first rows and column plan."""
    if kind not in KINDS:
        raise ScorecardError(f"unknown kind of file {kind!r}; expected one of {', '.join(KINDS)}")
    path = Path(path)
    if kind == "survey":
        return _survey(ws, path, encoding, delimiter, sheet, dialect)
    table = open_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    headers = table.header
    if kind == "members":
        mapping, _ = resolve_member_mapping(ws, headers)
        guessed = {g.header: g.confidence for g in guess_member_mapping(headers)}
        labels = MEMBER_FIELD_LABELS
        source = detect_member_dialect(headers)
    else:
        mapping, _ = resolve_fields(ws, kind, headers, _KEYED[kind], None)
        guessed = {h: 0.0 if f == IGNORE else 1.0
                   for h, f in guess_fields(headers, _KEYED[kind]).items()}  # fmt: skip
        labels = {f: f.replace("_", " ").capitalize() for f in _KEYED[kind]}
        source = "spreadsheet"
    profile = load_profile(ws, kind, headers) is not None
    targets = [TargetChoice(IGNORE, "(ignore)")] + [TargetChoice(f, labels[f]) for f in labels]
    allowed = tuple(t.id for t in targets)
    columns = [
        ColumnChoice(i, h, h, mapping.get(h, IGNORE),
                     1.0 if profile and mapping.get(h, IGNORE) != IGNORE else guessed.get(h, 0.0),
                     allowed)
        for i, h in enumerate(headers)
    ]  # fmt: skip
    return _finish(kind, table, source, headers, columns, targets, profile)


def _survey(
    ws: Workspace, path: Path, encoding: str | None, delimiter: str | None, sheet: str | None,
    dialect: str | None,
) -> Preview:
    layout = read_layout(path, dialect=dialect, encoding=encoding, delimiter=delimiter,
                         sheet=sheet)  # fmt: skip
    sample = layout.table.peek(SAMPLE_ROWS)
    user, _ = user_mapping(ws, layout, None, None)
    index = WordingIndex(ws.settings().get("category", "products"))
    plans, warnings = resolve_columns(layout, index, user, sample)
    targets = survey_targets()
    allowed = tuple(t.id for t in targets)
    columns = [
        ColumnChoice(p.column.index, p.column.display, p.column.display, _spec(p),
                     _confidence(p), allowed)
        for p in plans
    ]  # fmt: skip
    result = _finish("survey", layout.table, layout.dialect, [c.label for c in columns],
                     columns, targets, saved_profile(ws, layout) is not None)  # fmt: skip
    result.warnings += warnings
    return result


def _spec(plan: ColumnPlan) -> str:
    spec = plan.spec
    if plan.target is not None and plan.target.per_option and plan.target.option is None:
        return RAW  # an "other" column of a multi item: its text is kept raw
    return spec


def _confidence(plan: ColumnPlan) -> float:
    if plan.chosen:
        return 1.0
    if plan.role is not None or plan.dropped:
        return 0.9  # the tool's own column, or a common name for an id / e-mail / time
    if plan.target is None or plan.target.is_raw:
        return 0.0
    return 0.85  # recognised by its wording


def survey_targets() -> list[TargetChoice]:
    """What a survey column may feed, for the wizard's drop-downs."""
    out = [TargetChoice(IGNORE, "(ignore)"), TargetChoice(RAW, "(keep raw, not scored)")]
    out += [TargetChoice(r, _ROLE_LABELS.get(r, r)) for r in ROLES]
    for it in QUESTIONNAIRE:
        if it.id == "member_id":
            continue
        text = _short(it.row or it.wording)
        out.append(TargetChoice(it.id, f"{it.id} — {text}"))
        if it.kind == "multi":
            out += [TargetChoice(f"{it.id}:{o.code}", f"{it.id}: {o.label}")
                    for o in it.options if o.code]  # fmt: skip
    return out


def _finish(
    kind: str, table: Table, dialect: str, header: list[str], columns: list[ColumnChoice],
    targets: list[TargetChoice], profile: bool,
) -> Preview:
    fmt = table.format
    return Preview(
        kind=kind, file_kind=fmt.kind, encoding=fmt.encoding, delimiter=fmt.delimiter,
        sheet=fmt.sheet, dialect=dialect, header=header,
        rows=[[cell_text(c) for c in row] for row in table.peek(PREVIEW_ROWS)],
        columns=columns, targets=targets, profile=profile, warnings=list(table.warnings),
    )  # fmt: skip


def cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="minutes")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.replace("{category}", "…").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["DIALECTS", "KINDS", "KIND_LABELS", "ColumnChoice", "Preview", "TargetChoice",
           "detect_kind", "preview", "survey_targets"]  # fmt: skip
