"""What the import wizard shows before importing: kind, format, first rows, column plan."""

from __future__ import annotations

from pathlib import Path

from scorecard.workspace import Workspace
from survey.members import import_members
from survey.preview import detect_kind, preview
from tests.member_files import PEOPLE, write_european, write_shopify, write_xlsx_with_title
from tests.survey_files import write_google_forms, write_surveymonkey


def test_detect_kind_of_member_and_survey_files(tmp_path: Path):
    assert detect_kind(write_shopify(tmp_path / "s.csv", PEOPLE))[0] == "members"
    assert detect_kind(write_european(tmp_path / "e.csv", PEOPLE))[0] == "members"
    assert detect_kind(write_xlsx_with_title(tmp_path / "x.xlsx", PEOPLE))[0] == "members"
    kind, confidence, reason = detect_kind(write_surveymonkey(tmp_path / "m.csv"))
    assert kind == "survey" and confidence > 0.9 and "surveymonkey" in reason
    assert detect_kind(write_google_forms(tmp_path / "g.csv"))[0] == "survey"


def test_detect_kind_of_referrals_and_engagement(tmp_path: Path):
    ref = tmp_path / "r.csv"
    ref.write_text("Advocate Email,Friend Email,Referral Date\na@x.nl,b@x.nl,2024-01-02\n")
    assert detect_kind(ref)[0] == "referrals"
    eng = tmp_path / "e.csv"
    eng.write_text("Email Address,Opens,Clicks\na@x.nl,3,1\n")
    assert detect_kind(eng)[0] == "engagement"


def test_member_preview_has_format_rows_and_plan(workspace: Workspace, tmp_path: Path):
    p = preview(workspace, write_european(tmp_path / "e.csv", PEOPLE), "members")
    assert (p.file_kind, p.encoding, p.delimiter) == ("csv", "cp1252", ";")
    assert p.header[0] == "Kundennummer" and len(p.rows) == len(PEOPLE)
    plan = {c.header: (c.target, c.confidence) for c in p.columns}
    assert plan["Kundennummer"] == ("external_id", 1.0)
    assert plan["E-Mail"][0] == "email"
    assert "ignore" in p.columns[0].allowed and not p.profile
    assert p.map_options({"Umsatz": "ignore", "E-Mail": "email"}) == ["Umsatz=ignore"]


def test_a_saved_profile_is_reported(workspace: Workspace, tmp_path: Path):
    path = write_shopify(tmp_path / "s.csv", PEOPLE)
    import_members(workspace, path, map_options=["Note=tags"])
    p = preview(workspace, path, "members")
    assert p.profile
    assert next(c for c in p.columns if c.header == "Note").target == "tags"


def test_survey_preview_plans_columns_without_importing(workspace: Workspace, tmp_path: Path):
    p = preview(workspace, write_surveymonkey(tmp_path / "m.csv"), "survey")
    assert p.dialect == "surveymonkey" and p.rows
    plan = {c.header: c.target for c in p.columns}
    assert plan["Respondent ID"] == "ignore" and plan["Custom Data 1"] == "member_id"
    assert "k_expertise" in plan.values()
    assert any(":" in t for t in plan.values())  # per-option columns of a multi item
    assert workspace.info().responses == 0 and workspace.info().batches == 0
