"""Survey tools' export layouts: detect which tool wrote a file and describe its columns.

Detection reads the first three rows (and the first data cell) and looks for what only that tool
writes; ``--dialect`` skips it. Rules, in order:

* ``qualtrics`` — a third header row of ``{"ImportId": …}`` JSON (three header rows: ids such
  as ``Q5_1``, labels such as ``Question - Option``, JSON).
* ``qualtrics-legacy`` — ``V1,V2,V3…`` or ``ResponseID,ResponseSet`` ids with a label row.
* ``surveymonkey`` — ``Respondent ID`` and ``Collector ID``; two header rows, a question's text
  above its first sub-column only, ``Response`` or an option/row label in row 2.
* ``limesurvey`` — ``id,submitdate,lastpage,startlanguage`` (or the full-text headings).
* ``typeform`` — a first column ``#`` or the trailing ``Network ID`` / ``Submit Date (UTC)``.
* ``kobo`` — ``_uuid`` or ``_submission_time``; ``odk`` — ``SubmissionDate`` with
  ``meta-instanceID`` or ``KEY``.
* ``microsoft-forms`` — ``ID,Start time,Completion time``.
* ``google-forms`` / ``google-sheets`` — a first column ``Timestamp`` (or its translations);
  Forms' own CSV writes ``2026/10/03 4:05:06 PM GMT+1``, a linked Sheet the sheet's locale.
* ``plain`` — anything else: one header row of question texts, item ids or whatever the user
  maps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scorecard.errors import ScorecardError
from survey.answer_text import label_key
from survey.dialect_meta import name_key, role_of
from survey.item_match import SINGLE_ANSWER_LABELS
from survey.readers import Table, open_table

HEADER_ROWS = {
    "google-forms": 1,
    "google-sheets": 1,
    "microsoft-forms": 1,
    "surveymonkey": 2,
    "qualtrics": 3,
    "qualtrics-legacy": 2,
    "limesurvey": 1,
    "typeform": 1,
    "kobo": 1,
    "odk": 1,
    "plain": 1,
}
DIALECTS = tuple(HEADER_ROWS)
# How each tool joins the options of a multi-select answer in one cell ("" = whitespace).
SEPARATORS = {"kobo": " ", "odk": " ", "qualtrics": ",", "qualtrics-legacy": ",",
              "google-sheets": ","}  # fmt: skip
_GOOGLE_FIRST = frozenset(
    {"timestamp", "tijdstempel", "marca temporal", "zeitstempel", "horodateur", "horodatage",
     "carimbo de data/hora", "informazioni cronologiche"}
)  # fmt: skip


@dataclass(frozen=True)
class SourceColumn:
    """One column of a survey export, as the tool laid it out."""

    index: int
    header: str  # the unique first-row name (``Column 12`` for a blank one)
    question: str  # the question text (carried over SurveyMonkey's blank sub-column cells)
    sub: str | None = None  # the part below the question: grid row or option (row 2)
    code: str | None = None  # the tool's own id for the column (Qualtrics ``Q5_1``)

    @property
    def display(self) -> str:
        """The name the user sees in messages, mapping files and ``raw:`` item ids."""
        if self.sub and label_key(self.sub) not in SINGLE_ANSWER_LABELS:
            return f"{self.question} [{self.sub}]"
        return self.question or self.header

    def names(self) -> list[str]:
        """Every name a ``--map`` or a mapping file may use for this column, best first."""
        out = [self.display, self.header, self.question]
        if self.code:
            out.insert(1, self.code)
        return list(dict.fromkeys(n for n in out if n))


@dataclass
class Layout:
    """A survey export opened with the right number of header rows, and its columns."""

    dialect: str
    table: Table
    columns: list[SourceColumn]
    separators: str


def detect_dialect(rows: list[list[str]]) -> str:
    """The tool that wrote a file, from its first three rows (texts)."""
    first = [name_key(c) for c in rows[0]] if rows else []
    names = set(first)
    below = [row for row in rows[1:3]]
    if any(c.strip().casefold().startswith('{"importid"') for row in below for c in row):
        return "qualtrics"
    if {"responseid", "responseset"} <= names or first[:3] == ["v1", "v2", "v3"]:
        return "qualtrics-legacy"
    if {"respondent id", "collector id"} <= names:
        return "surveymonkey"
    if {"id", "submitdate", "lastpage", "startlanguage"} <= names or {
        "response id", "date submitted", "last page", "start language"
    } <= names:
        return "limesurvey"
    if (first and first[0] == "#") or {"network id", "submit date (utc)"} <= names:
        return "typeform"
    if "_uuid" in names or "_submission_time" in names:
        return "kobo"
    if "submissiondate" in names and ({"meta-instanceid", "key"} & names):
        return "odk"
    if {"id", "start time", "completion time"} <= names:
        return "microsoft-forms"
    if first and first[0] in _GOOGLE_FIRST:
        stamp = rows[1][0] if len(rows) > 1 and rows[1] else ""
        # Forms' own CSV: "2026/10/03 4:05:06 PM GMT+1"; a linked Sheet uses the sheet's locale.
        return "google-forms" if ("GMT" in stamp or stamp[4:5] == "/") else "google-sheets"
    return "plain"


def read_layout(
    path: Path,
    *,
    dialect: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Layout:
    """Open a survey export, detect (or take) its dialect and describe its columns."""
    if dialect is not None and dialect not in HEADER_ROWS:
        raise ScorecardError(f"--dialect {dialect!r}: expected one of {', '.join(DIALECTS)}")
    # A three-row look finds the header of SurveyMonkey's sparse first row (its union with the
    # rows below is wide) and shows what lies below it; one-row layouts are then opened on
    # their own, which also skips title rows above a hand-made sheet's header.
    opts = {"encoding": encoding, "delimiter": delimiter, "sheet": sheet}
    probe = open_table(path, header_rows=3, **opts)  # type: ignore[arg-type]
    chosen = dialect or detect_dialect(probe.header_rows)
    rows = HEADER_ROWS[chosen]
    if rows == 1:
        table = open_table(path, **opts)  # type: ignore[arg-type]
    else:
        table = open_table(path, header_rows=rows, header_row=probe.header_row, **opts)  # type: ignore[arg-type]
    if chosen == "surveymonkey":
        columns = _surveymonkey_columns(table)
    elif chosen.startswith("qualtrics"):
        columns = _qualtrics_columns(table)
    else:
        columns = [SourceColumn(i, h, h) for i, h in enumerate(table.header)]
    return Layout(chosen, table, columns, SEPARATORS.get(chosen, ";"))


def _surveymonkey_columns(table: Table) -> list[SourceColumn]:
    top, below = table.header_rows[0], table.header_rows[1]
    columns: list[SourceColumn] = []
    question = ""
    for i, header in enumerate(table.header):
        text, sub = top[i].strip(), below[i].strip() or None
        if text:
            question = " ".join(text.split())
            meta, _ = role_of("surveymonkey", question)
            if meta:  # metadata: the question above does not carry over into it
                columns.append(SourceColumn(i, header, question))
                question = ""
                continue
        columns.append(SourceColumn(i, header, question or header, sub))
    return columns


def _qualtrics_columns(table: Table) -> list[SourceColumn]:
    ids, labels = table.header_rows[0], table.header_rows[1]
    columns = []
    for i, header in enumerate(table.header):
        label = " ".join(labels[i].split()).replace(" - Selected Choice", "")
        label = label.removesuffix(" - Selected Choice")
        code = ids[i].strip() or None
        columns.append(SourceColumn(i, header, label or header, None, code))
    return columns
