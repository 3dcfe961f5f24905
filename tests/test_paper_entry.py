"""Paper survey entry, domain side: the entry model, checks, member look-up and saving a sitting."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reports.questionnaire_blocks import PAGE_TWO_FROM, printed_item_ids
from scorecard.batches import list_batches, undo_batch
from scorecard.errors import ScorecardError
from scorecard.scoring.runs import score
from scorecard.workspace import Workspace
from survey import questionnaire as q
from survey.members import import_members
from survey.paper import (
    Field,
    Sheet,
    check,
    find_member,
    paper_fields,
    save_sitting,
)
from survey.responses import import_survey
from tests import member_files as mf

ZOE, LUKASZ = "7012345678901", "7012345678902"
FIELDS = {f.key: f for f in paper_fields("products")}

# One returned form as the typist types it, and the same ticks as a form tool's export
# labels them (written out here, not derived from the code under test).
TYPED = {
    "consent": "y", "k_expertise": "7", "k_interest": "6", "k_brand": "4", "k_advice": "5",
    "k_influence": "3", "k_maven": "2", "k_years": "3", "p_read": "4", "p_reviews": "3",
    "p_photos": "0", "p_share": "2", "p_recommend": "1",
    "c_networks:facebook": "1", "c_networks:instagram": "x", "c_networks:clubs": "1",
    "c_networks:email": "0",
    "c_facebook_close": "4", "c_facebook_public": "2", "c_instagram_close": "5",
    "c_instagram_public": "4", "r_facebook": "51-150", "r_instagram": "about 200",
    "r_clubs": "12", "nps": "10", "age_band": "3",
}
LABELLED = {
    "consent": "Yes", "k_expertise": "Strongly agree", "k_interest": "Agree",
    "k_brand": "Neither agree nor disagree", "k_advice": "Somewhat agree",
    "k_influence": "Somewhat disagree", "k_maven": "Disagree", "k_years": "3–5 years",
    "p_read": "Daily", "p_reviews": "Weekly", "p_photos": "Never", "p_share": "Monthly",
    "p_recommend": "A few times a year",
    "c_networks": "Facebook;Instagram;Clubs, societies or teams",
    "c_facebook_close": "Close", "c_facebook_public": "A small circle",
    "c_instagram_close": "Very close-knit", "c_instagram_public": "Mostly public",
    "r_facebook": "51-150", "r_instagram": "about 200", "r_clubs": "12", "nps": "10",
    "age_band": "35–44",
}


@pytest.fixture
def members(workspace: Workspace, tmp_path: Path) -> Workspace:
    import_members(workspace, mf.write_shopify(tmp_path / "customers.csv", mf.PEOPLE))
    return workspace


def answers_of(ws: Workspace, batch: int) -> list[tuple[str | None, int, list[tuple]]]:
    """(member number, superseded, sorted answer rows) per response of a batch, in order."""
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT r.id, m.external_id, r.superseded FROM response r "
            "LEFT JOIN member m ON m.id = r.member_id WHERE r.batch_id = ? ORDER BY r.id",
            (batch,),
        ).all()
        return [
            (member, superseded, sorted(conn.exec_driver_sql(
                "SELECT item_id, raw, value FROM answer WHERE response_id = ?", (rid,)
            ).all()))
            for rid, member, superseded in rows
        ]  # fmt: skip


def one_row_csv(path: Path, member_number: str, cells: dict[str, str]) -> Path:
    """A form tool's export of one response, headed as the standard questionnaire words it."""
    header = [q.item("member_id").header("products")] + [
        q.item(k).header("products") for k in cells
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, [member_number, *cells.values()]])
    return path


# -- the entry model ---------------------------------------------------------------------------


def test_fields_follow_the_printed_form() -> None:
    fields = paper_fields("coffee")
    printed = printed_item_ids("coffee")
    items = [f.item.id for f in fields]
    # Every printed item is typed, nothing else; the network table's "I use it" boxes are the
    # tick-all question, typed row by row where the form prints them.
    assert set(items) == set(printed)
    assert [i for i in dict.fromkeys(items) if i != "c_networks"] == [
        i for i in printed if i != "c_networks"
    ]
    row = [f.key for f in fields if f.row == "Facebook"]
    assert row == ["c_networks:facebook", "c_facebook_close", "c_facebook_public", "r_facebook"]
    assert [f.column for f in fields if f.row == "Facebook"] == ["a", "b", "c", "d"]
    assert {f.number for f in fields} == set(range(1, 8))
    first_side_two = next(f for f in fields if f.side == 2)
    assert first_side_two.item.section == PAGE_TWO_FROM
    assert len(fields) == 1 + 6 + 1 + 9 + 4 * len(q.NETWORKS) + 2


@pytest.mark.parametrize(
    ("key", "typed", "raw", "value", "shown"),
    [
        ("k_expertise", "6", "Agree", 6.0, "Agree"),
        ("p_reviews", "0", "Never", 0.0, "Never"),
        ("p_reviews", "4", "Daily", 4.0, "Daily"),
        ("c_work_close", "5", "Very close-knit", 5.0, "Very close-knit"),
        ("k_years", "1", "Less than a year", 0.5, "Less than a year"),
        ("age_band", "8", "Prefer not to say", None, "Prefer not to say"),
        ("consent", "n", "No", 0.0, "No"),
        ("consent", "1", "Yes", 1.0, "Yes"),
        ("nps", "10", "10", 10.0, "10"),
        ("r_facebook", "51–150", "51–150", 100.0, "51–150 → 100"),
        ("r_facebook", "1,200", "1,200", 1200.0, "1,200 → 1200"),
        ("r_facebook", "0", "0", 0.0, "0"),
        ("c_networks:tiktok", "x", "TikTok", 1.0, "ticked"),
    ],
)
def test_typed_answers_become_answer_rows(
    key: str, typed: str, raw: str, value: float | None, shown: str
) -> None:
    got = check(FIELDS[key], f" {typed} ")
    assert got.ok and got.shown == shown
    assert got.rows == ((key, raw, value),)


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("k_expertise", "8", "Question 2 (I know a lot about products): '8' is not an answer "
                             "here; type 1–7 (1 Strongly disagree … 7 Strongly agree)"),
        ("p_photos", "5", "Question 4 (Post photos or videos): '5' is not an answer here; "
                          "type 0–4 (0 Never … 4 Daily)"),
        ("c_x_public", "0", "Question 5c (X (Twitter), how public): '0' is not an answer here; "
                            "type 1–5 (1 Private, one to one … 5 Fully public)"),
        ("r_email", "lots", "Question 5d (Email, how many people): 'lots' is not an answer "
                            "here; type a number or a band such as 51–150"),
        ("c_networks:work", "7", "Question 5a (Work, I use it): '7' is not an answer here; "
                                 "type 1 or x if ticked"),
        ("consent", "2", "Question 1 (May we link your answers to your membership so…): '2' is "
                         "not an answer here; type 1/y Yes · 0/n No"),
        ("nps", "11", "type 0–10"),
        ("age_band", "9", "Question 7 (What is your age?): '9' is not an answer here; type 1–8"),
    ],
)
def test_wrong_answers_name_the_question(key: str, typed: str, message: str) -> None:
    got = check(FIELDS[key], typed)
    assert not got.ok and not got.rows
    assert message in got.error  # type: ignore[operator]


def test_one_digit_answers_are_complete_unless_a_longer_one_starts_with_them() -> None:
    assert check(FIELDS["k_brand"], "3").complete
    assert check(FIELDS["nps"], "7").complete
    assert not check(FIELDS["nps"], "1").complete  # could still become 10
    assert check(FIELDS["nps"], "10").complete
    assert check(FIELDS["c_networks:email"], "0").complete
    assert not check(FIELDS["r_email"], "5").complete  # a count may have more digits
    assert not check(FIELDS["k_brand"], "").complete


def test_a_tick_all_question_is_typed_as_option_numbers() -> None:
    multi = Field(  # the tick-all question as one field, as a form without the network table has
        "c_networks", q.item("c_networks"), "multi", 9, "", "", "Where…", 2
    )
    got = check(multi, "1, 13 2 2")
    assert got.ok
    assert [r[0] for r in got.rows] == ["c_networks:facebook", "c_networks:instagram",
                                        "c_networks:family"]
    assert got.shown == "Facebook, Instagram, Family and friends"
    assert "'14' is not an option number (1–13)" in check(multi, "1 14").error  # type: ignore[operator]


# -- members -----------------------------------------------------------------------------------


def test_member_found_by_number_qr_payload_case_and_email(members: Workspace) -> None:
    zoe = find_member(members, ZOE)
    assert zoe is not None and zoe.name == "Zoë de Vries" and zoe.key == ZOE
    assert "zoe.devries@example.nl" in zoe.describe()
    # What a scanner types from the form's QR code: the number, maybe with its symbology prefix
    # or a control character, and Excel's apostrophe when pasted from a sheet.
    for typed in (f"{ZOE}\r", f"\t{ZOE} ", f"]Q1{ZOE}", f"'{ZOE}"):
        found = find_member(members, typed)
        assert found is not None and found.id == zoe.id, typed
    lukasz = find_member(members, " LUKASZ@example.PL ")
    assert lukasz is not None and lukasz.name == "Łukasz Nowak" and lukasz.key == LUKASZ
    assert find_member(members, "7012345678999") is None
    assert find_member(members, "   ") is None


def test_member_numbers_in_another_letter_case(workspace: Workspace, tmp_path: Path) -> None:
    people = [mf.Person("AB-1234", "Ann", "Lee", "ann@example.com", 10.0, 1)]
    import_members(workspace, mf.write_shopify(tmp_path / "c.csv", people))
    found = find_member(workspace, "ab-1234")
    assert found is not None and found.external_id == "AB-1234"


# -- saving a sitting --------------------------------------------------------------------------


def test_a_sheet_stores_what_the_survey_import_stores(members: Workspace, tmp_path: Path) -> None:
    imported = import_survey(members, one_row_csv(tmp_path / "one.csv", ZOE, LABELLED), wave="W")
    assert imported.warnings == []  # every label read, nothing rescaled
    saved = save_sitting(members, "W", [Sheet(ZOE, TYPED)], entered_by="Anna")
    csv_rows, paper_rows = answers_of(members, imported.batch), answers_of(members, saved.batch)
    assert csv_rows[0][2] == paper_rows[0][2]  # same items, same raw text, same values
    assert len(paper_rows[0][2]) == len(TYPED) - 1  # email's "0" (not ticked) gives no row
    assert (csv_rows[0][:2], paper_rows[0][:2]) == ((ZOE, 1), (ZOE, 0))  # paper is the later
    assert (saved.rows, saved.inserted, saved.unmatched, saved.dialect) == (1, 1, 0, "paper")
    assert any("answered again" in w for w in saved.warnings)
    batch = list_batches(members)[-1]
    assert batch.kind == "paper"
    assert batch.file_name == "Paper questionnaires, 1 sheet, typed by Anna"


def test_a_sitting_is_one_batch_and_undo_takes_it_out(members: Workspace, tmp_path: Path) -> None:
    first = import_survey(members, one_row_csv(tmp_path / "one.csv", ZOE, LABELLED), wave="W")
    t0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    sheets = [
        Sheet(ZOE, {"consent": "1", "k_expertise": "2"}, t0),
        Sheet("lukasz@example.pl", {"k_expertise": "5", "p_read": "1"}, t0 + timedelta(minutes=1)),
        Sheet("7012345678999", {"k_expertise": "4"}, t0 + timedelta(minutes=2)),  # unknown
        Sheet("7012345678903", {"consent": "n", "k_expertise": "6"}, t0 + timedelta(minutes=3)),
        Sheet(f"]Q1{ZOE}\r", {"k_expertise": "3"}, t0 + timedelta(minutes=4)),  # scanned again
    ]
    result = save_sitting(members, "W", sheets)
    assert (result.rows, result.inserted, result.unmatched) == (5, 5, 1)
    got = answers_of(members, result.batch)
    assert [(m, s) for m, s, _ in got] == [
        (ZOE, 1), (LUKASZ, 0), (None, 0), (None, 0), (ZOE, 0)
    ]
    assert got[3][2] == [("consent", "No", 0.0), ("k_expertise", "Agree", 6.0)]
    with members.engine.connect() as conn:
        keys = conn.exec_driver_sql(
            "SELECT respondent_key FROM response WHERE batch_id = ? ORDER BY id", (result.batch,)
        ).scalars().all()
    # Each as the member list has it; unknown as typed; declined: no key at all.
    assert keys == [ZOE, LUKASZ, "7012345678999", None, ZOE]
    assert answers_of(members, first.batch)[0][1] == 1  # the CSV answer is superseded
    assert len(result.warnings) == 3  # superseded, unmatched, declined
    assert len([b for b in list_batches(members) if b.kind == "paper"]) == 1

    undo_batch(members, result.batch)
    assert answers_of(members, result.batch) == []
    assert answers_of(members, first.batch)[0][1] == 0  # counts again
    with members.engine.connect() as conn:
        left = conn.exec_driver_sql(
            "SELECT count(*) FROM answer a JOIN response r ON r.id = a.response_id "
            "WHERE r.batch_id = ?", (result.batch,)
        ).scalar_one()
    assert left == 0


def test_a_new_wave_is_made_and_goes_again_on_undo(members: Workspace) -> None:
    result = save_sitting(members, "  Shop days   autumn ", [Sheet(ZOE, {"k_brand": "7"})])
    with members.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM survey_wave").scalars().all() == [
            "Shop days autumn"
        ]
    undo_batch(members, result.batch)
    with members.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM survey_wave").scalar_one() == 0


def test_bad_sheets_write_nothing(members: Workspace) -> None:
    before = members.info()
    with pytest.raises(ScorecardError, match=r"sheet 2: Question 2 \(I know a lot about"):
        save_sitting(members, "W", [Sheet(ZOE, {"k_brand": "1"}), Sheet(ZOE, {"k_expertise": "9"})])
    with pytest.raises(ScorecardError, match="sheet 1: no answers"):
        save_sitting(members, "W", [Sheet(ZOE, {"c_networks:x": "0"})])
    with pytest.raises(ScorecardError, match="no sheets"):
        save_sitting(members, "W", [])
    assert members.info() == before


def test_a_paper_sheet_gives_an_unsurveyed_member_a_social_score(
    demo_workspace: Workspace,
) -> None:
    ws = demo_workspace
    with ws.engine.connect() as conn:
        member_id, number = conn.exec_driver_sql(
            "SELECT m.id, m.external_id FROM member m WHERE m.external_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM response r WHERE r.member_id = m.id) "
            "ORDER BY m.id LIMIT 1"
        ).one()

    def latest_score() -> tuple[float | None, str]:
        with ws.engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT social, segment FROM member_score WHERE member_id = ? "
                "AND run_id = (SELECT max(id) FROM score_run)", (member_id,)
            ).one()

    result = save_sitting(ws, "Paper", [Sheet(number, TYPED)])
    score(ws)
    social, segment = latest_score()
    assert social is not None and 0 < social <= 100
    assert segment != "Not surveyed"
    undo_batch(ws, result.batch)
    score(ws)
    social, segment = latest_score()
    assert social is None and segment == "Not surveyed"
