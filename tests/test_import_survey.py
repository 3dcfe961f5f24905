"""Survey import as a user does it: every tool's layout, mapping files, matching, waves, undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from scorecard.batches import export_rejects, undo_batch
from scorecard.errors import Cancelled, ScorecardError
from scorecard.workspace import Workspace
from survey.importing import AlreadyImported
from survey.members import import_members
from survey.responses import import_survey
from tests import member_files as mf
from tests import survey_files as sf

ZOE, LUKASZ, ZHANG = "7012345678901", "7012345678902", "7012345678903"


@pytest.fixture
def members(workspace: Workspace, tmp_path: Path) -> Workspace:
    import_members(workspace, mf.write_shopify(tmp_path / "customers.csv", mf.PEOPLE))
    return workspace


def responses(ws: Workspace, batch: int | None = None) -> dict[float, dict[str, object]]:
    """Responses keyed by their k_expertise value (unique per fixture respondent)."""
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT r.id, m.external_id, r.respondent_key, r.superseded, r.submitted_at "
            "FROM response r LEFT JOIN member m ON m.id = r.member_id"
            + (" WHERE r.batch_id = ?" if batch else ""),
            (batch,) if batch else (),
        ).all()
        out = {}
        for rid, member, key, superseded, when in rows:
            answers = {
                item: (raw, value)
                for item, raw, value in conn.exec_driver_sql(
                    "SELECT item_id, raw, value FROM answer WHERE response_id = ?", (rid,)
                ).all()
            }
            out[answers["k_expertise"][1]] = {
                "member": member, "key": key, "superseded": superseded, "when": when,
                "answers": answers,
            }
    return out


def value(resp: dict[str, object], item: str) -> object:
    return resp["answers"].get(item, (None, "missing"))[1]  # type: ignore[attr-defined]


def networks(resp: dict[str, object]) -> set[str]:
    return {k.split(":")[1] for k in resp["answers"] if k.startswith("c_networks:")}  # type: ignore[attr-defined]


def check_standard(ws: Workspace, batch: int, only: set[str] | None = None) -> None:
    """Where every fixture respondent's answers must land (see tests.survey_files)."""
    got = responses(ws, batch)
    assert set(got) == {7.0, 2.0, 4.0, 5.0, 6.0}

    def check(resp: dict[str, object], expected: dict[str, object]) -> None:
        for item, want in expected.items():
            if only is None or item in only:
                assert value(resp, item) == want, (item, resp["answers"])

    zoe, later = got[7.0], got[5.0]
    assert (zoe["member"], zoe["superseded"]) == (ZOE, 1)
    assert (later["member"], later["superseded"]) == (ZOE, 0)
    check(zoe, {"k_interest": 6, "k_years": 4, "p_reviews": 3, "p_photos": 0,
                "c_instagram_close": 4, "r_instagram": 200, "r_facebook": 100, "r_clubs": 1200,
                "nps": 9, "age_band": 40, "consent": 1, "k_brand": "missing"})
    if only is None or "c_networks" in only:
        assert networks(zoe) == {"facebook", "instagram", "clubs"}
        assert networks(later) == {"instagram"}
        assert networks(got[2.0]) == {"whatsapp", "family"}
    check(later, {"p_reviews": 2, "r_instagram": 100, "nps": 8})
    lukasz = got[2.0]
    assert lukasz["member"] == LUKASZ and lukasz["superseded"] == 0
    check(lukasz, {"p_reviews": 4, "r_whatsapp": 200, "r_family": 1200, "r_facebook": None,
                   "nps": 10, "age_band": None})
    if only is None or "r_facebook" in only:
        assert lukasz["answers"]["r_facebook"][0] == "lots"  # type: ignore[index]
    stranger = got[4.0]
    assert (stranger["member"], stranger["key"]) == (None, "stranger@example.com")
    check(stranger, {"r_x": 750})
    declined = got[6.0]
    assert (declined["member"], declined["key"]) == (None, None)
    check(declined, {"consent": 0})


LAYOUTS = {
    "google-forms": (lambda p: sf.write_google_forms(p / "responses.csv"), 2),
    "google-sheets": (lambda p: sf.write_google_forms(p / "sheet.csv", sheets=True), 2),
    "microsoft-forms": (lambda p: sf.write_microsoft_forms(p / "forms.xlsx"), 1),
    "surveymonkey": (lambda p: sf.write_surveymonkey(p / "monkey.csv"), 1),
    "surveymonkey-xlsx": (lambda p: sf.write_surveymonkey(p / "monkey.xlsx", xlsx=True), 1),
    "qualtrics": (lambda p: sf.write_qualtrics(p / "qualtrics.csv"), 1),
    "qualtrics-legacy": (lambda p: sf.write_qualtrics(p / "legacy.csv", legacy=True), 1),
    "typeform": (lambda p: sf.write_typeform(p / "typeform.csv"), 1),
    "plain": (lambda p: sf.write_plain(p / "paper.xlsx"), 1),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_tool_lands_answers_on_the_right_member_and_item(
    members: Workspace, tmp_path: Path, layout: str
) -> None:
    write, rejected = LAYOUTS[layout]
    result = import_survey(members, write(tmp_path))
    assert result.dialect == layout.removesuffix("-xlsx")
    assert (result.inserted, result.rejected, result.unmatched) == (5, rejected, 1)
    assert result.rows == 5 + rejected
    check_standard(members, result.batch)
    assert any("superseded" in w for w in result.warnings)
    assert any("answered No to linking" in w for w in result.warnings)
    assert any("could not be read" in w and "'lots'" in w for w in result.warnings)
    assert not any("not matched to a questionnaire item" in w for w in result.warnings)


@pytest.mark.parametrize("odk", [False, True], ids=["kobo", "odk"])
def test_kobo_and_odk_with_choice_names_and_a_values_table(
    members: Workspace, tmp_path: Path, odk: bool
) -> None:
    mapping = tmp_path / "kobo.toml"
    mapping.write_text(sf.KOBO_MAPPING, encoding="utf-8")
    path = sf.write_kobo(tmp_path / "kobo.csv", odk=odk)
    result = import_survey(members, path, mapping_file=mapping)
    assert result.dialect == ("odk" if odk else "kobo")
    assert (result.inserted, result.rejected, result.unmatched) == (5, 1, 1)
    check_standard(members, result.batch)


def test_limesurvey_codes_through_a_toml_mapping_then_the_saved_profile(
    members: Workspace, tmp_path: Path
) -> None:
    mapping = tmp_path / "lime.toml"
    mapping.write_text(sf.LIMESURVEY_MAPPING, encoding="utf-8")
    path = sf.write_limesurvey(tmp_path / "results-survey123.csv")
    with pytest.raises(ScorecardError, match="no column matches a question"):
        import_survey(members, path)  # codes alone mean nothing: a clear error, nothing written
    result = import_survey(members, path, mapping_file=mapping, wave="Coffee club 2026")
    assert result.dialect == "limesurvey"
    assert (result.inserted, result.rejected, result.unmatched) == (5, 1, 1)
    only = {"k_interest", "k_years", "p_reviews", "p_photos", "c_networks", "c_instagram_close",
            "r_instagram", "r_facebook", "r_clubs", "r_whatsapp", "r_family", "r_x", "nps",
            "age_band", "consent"}
    check_standard(members, result.batch, only)
    assert any("kept as raw answers" in w and "KNOW[SQ003]" in w for w in result.warnings)
    with members.engine.connect() as conn:
        raw = conn.exec_driver_sql(
            "SELECT raw, value FROM answer WHERE item_id = 'raw:CINSTAGRAMPUBLIC'"
        ).all()
    assert [tuple(r) for r in raw] == [("Mostly public", None)]  # unmapped: kept, not lost
    # Next month's export, same codes: the saved profile maps it without the file.
    again = import_survey(members, path, wave="Coffee club 2027", again=True)
    assert again.inserted == 5
    check_standard(members, again.batch, only)


def test_map_options_and_a_template_to_edit(members: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "paper.csv"
    path.write_text(
        "Lid,Mail,Q1,Q2,Netwerken\n"
        f"'{ZOE},,6,12,Instagram|Facebook\n"
        ",lukasz@example.pl,2,n.v.t.,Family and friends\n",
        encoding="utf-8",
    )
    template = tmp_path / "template.toml"
    with pytest.raises(ScorecardError, match="--save-mapping"):
        import_survey(members, path, save_mapping=template)
    assert '"Q1" = "raw"' in template.read_text(encoding="utf-8")
    result = import_survey(
        members, path, map_options=["Lid=member_id", "Mail=email", "Q1=k_expertise",
                                    "q2=r_instagram", "Netwerken=c_networks"],
    )
    got = responses(members, result.batch)
    assert got[6.0]["member"] == ZOE and networks(got[6.0]) == {"instagram", "facebook"}
    assert value(got[6.0], "r_instagram") == 12
    assert got[2.0]["member"] == LUKASZ and value(got[2.0], "r_instagram") is None
    assert any("'n.v.t.'" in w for w in result.warnings)
    with pytest.raises(ScorecardError, match='no column "Nope"'):
        import_survey(members, path, map_options=["Nope=k_expertise"], again=True)
    with pytest.raises(ScorecardError, match="unknown item 'expertize'"):
        import_survey(members, path, map_options=["Q1=expertize"], again=True)


def test_unmatched_responses_match_after_a_later_member_import(
    workspace: Workspace, tmp_path: Path
) -> None:
    result = import_survey(workspace, sf.write_google_forms(tmp_path / "r.csv"))
    assert result.unmatched == 4  # nobody is a member yet (the declined one has no key)
    customers = mf.write_shopify(tmp_path / "customers.csv", mf.PEOPLE)
    members = import_members(workspace, customers)
    assert any("Matched 3 survey responses" in w for w in members.warnings)
    check_standard(workspace, result.batch)  # Zoë's two answers now supersede by member


def test_undo_restores_the_earlier_answer_and_removes_the_wave(
    members: Workspace, tmp_path: Path
) -> None:
    first = import_survey(members, sf.write_google_forms(tmp_path / "a.csv"), wave="W")
    extra = tmp_path / "b.csv"
    extra.write_text(
        '"Timestamp","Email address","I know a lot about coffee."\n'
        '"2026/10/20 9:00:00 AM GMT+2","lukasz@example.pl","Strongly disagree"\n',
        encoding="utf-8",
    )
    second = import_survey(members, extra, wave="W")
    assert responses(members, first.batch)[2.0]["superseded"] == 1  # Łukasz answered again
    undo_batch(members, second.batch)
    assert responses(members, first.batch)[2.0]["superseded"] == 0
    undo_batch(members, first.batch)
    with members.engine.connect() as conn:
        left = conn.exec_driver_sql(
            "SELECT (SELECT count(*) FROM response), (SELECT count(*) FROM answer), "
            "(SELECT count(*) FROM survey_wave)"
        ).one()
    assert tuple(left) == (0, 0, 0)


def test_waves_duplicates_rejects_and_cancel(members: Workspace, tmp_path: Path) -> None:
    path = sf.write_google_forms(tmp_path / "responses.csv")
    result = import_survey(members, path)
    with members.engine.connect() as conn:
        wave = conn.exec_driver_sql("SELECT name, started FROM survey_wave").one()
    assert tuple(wave) == ("2026-10 survey", "2026-10-06")
    with pytest.raises(AlreadyImported, match="--again"):
        import_survey(members, path)
    out = tmp_path / "rejects.csv"
    assert export_rejects(members, result.batch, out) == 2
    text = out.read_text(encoding="utf-8-sig")
    assert "no answers: every question is blank" in text and "duplicate of row 3" in text
    before = members.info()
    with pytest.raises(Cancelled):
        import_survey(members, path, again=True, cancel=lambda: True)
    assert members.info() == before


def test_a_member_list_is_not_a_survey(workspace: Workspace, tmp_path: Path) -> None:
    path = mf.write_shopify(tmp_path / "customers.csv", mf.PEOPLE)
    with pytest.raises(ScorecardError, match="no column matches a question"):
        import_survey(workspace, path)


def test_cli_import_survey_and_questionnaire(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "shop.scorecard"
    assert main(["new", str(ws), "--category", "coffee"]) == 0
    path = sf.write_surveymonkey(tmp_path / "monkey.csv")
    capsys.readouterr()
    assert main(["import", "survey", str(ws), str(path), "--json", "--wave", "Autumn"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert list(summary) == ["batch", "dialect", "rows", "inserted", "updated", "rejected",
                             "unmatched", "warnings"]
    assert summary["dialect"] == "surveymonkey" and summary["inserted"] == 5
    assert main(["import", "survey", str(ws), str(path)]) == 1
    assert "already imported" in capsys.readouterr().err
    assert main(["questionnaire", "--json", "--workspace", str(ws)]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert len(items) == 60 and "coffee" in items[2]["text"]
    assert {"id", "component", "text", "kind", "options"} <= set(items[0])
    assert main(["questionnaire", "--kit", str(tmp_path / "kit")]) == 0
    assert (tmp_path / "kit" / "questionnaire_codebook.csv").exists()


def test_a_scale_decided_from_the_first_rows_is_settled_by_the_whole_file(
    members: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import survey.responses as responses_module

    monkeypatch.setattr(responses_module, "SAMPLE_ROWS", 3)  # small file, small chunks:
    monkeypatch.setattr(responses_module, "CHUNK", 2)  # the first rows say 1–5 ...
    path = tmp_path / "numbers.csv"
    answers = ["1", "3", "5", "2", "7", "6"]  # ... the rest reach 7: it was 1–7 all along
    path.write_text(
        "member id,k_expertise\n"
        + "".join(f"{7012345678901 + i},{a}\n" for i, a in enumerate(answers)),
        encoding="utf-8",
    )
    result = import_survey(members, path)
    with members.engine.connect() as conn:
        got = conn.exec_driver_sql(
            "SELECT raw, value FROM answer WHERE item_id = 'k_expertise' ORDER BY response_id"
        ).all()
    assert [tuple(r) for r in got] == [(a, float(a)) for a in answers]
    assert not any("rescaled" in w for w in result.warnings)
