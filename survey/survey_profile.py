"""The user's part of a survey mapping: saved profile, mapping file and ``--map``, combined.

A profile is saved (kind ``survey``) when the user mapped anything, keyed by the file's column
names, and applied again when a file with the same columns comes: the next month's LimeSurvey
export with the same codes needs no mapping file. Later sources win: profile, then the mapping
file, then ``--map``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from scorecard.workspace import Workspace
from survey.dialects import Layout
from survey.mapping import load_profile, save_profile
from survey.mapping_toml import SurveyMapping, read_mapping_file, write_mapping_file
from survey.survey_mapping import ColumnPlan, parse_map_options

PROFILE_KIND = "survey"


def _signature_names(layout: Layout) -> list[str]:
    return [f"{layout.dialect}:{c.display}" for c in layout.columns]


def user_mapping(
    ws: Workspace,
    layout: Layout,
    map_options: list[str] | None,
    mapping_file: str | Path | None,
) -> tuple[SurveyMapping, bool]:
    """The combined mapping, and whether the user gave one now (then it is saved)."""
    mapping = SurveyMapping()
    saved = load_profile(ws, PROFILE_KIND, _signature_names(layout))
    if saved is not None:
        mapping = SurveyMapping.from_json(saved)
    given = SurveyMapping()
    if mapping_file is not None:
        given = read_mapping_file(mapping_file)
    if map_options:
        given = given.merged(SurveyMapping(columns=parse_map_options(map_options, layout)))
    return mapping.merged(given), bool(given)


def saved_profile(ws: Workspace, layout: Layout) -> dict[str, object] | None:
    """The mapping saved for files with this layout's columns, if any (the wizard shows it)."""
    return load_profile(ws, PROFILE_KIND, _signature_names(layout))  # type: ignore[return-value]


def save_user_mapping(conn: Connection, layout: Layout, mapping: SurveyMapping, name: str) -> None:
    save_profile(conn, PROFILE_KIND, _signature_names(layout), mapping.as_json(), name=name)  # type: ignore[arg-type]


def write_template(path: str | Path, plans: list[ColumnPlan], user: SurveyMapping) -> Path:
    """A mapping file with every column as this import reads it, to edit and pass back."""
    columns: dict[str, str] = {}
    notes: dict[str, str] = {}
    for plan in plans:
        name = plan.column.display
        columns[name] = plan.spec
        if plan.target is not None and plan.target.is_raw:
            notes[name] = "not recognised: put an item id here (scorecard questionnaire --json)"
        elif plan.dropped and not plan.chosen:
            notes[name] = "the survey tool's own column"
    return write_mapping_file(path, SurveyMapping(columns, user.values, user.scales), notes)
