"""Member scorecards PDF: a card per member (or four a page), read back with pypdf."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER

import reports.scorecard_data as scorecard_data
from reports.fonts import unembedded_fonts
from reports.scorecards_pdf import write_scorecards
from scorecard.errors import Cancelled, ScorecardError
from scorecard.workspace import Workspace

NUMBER = re.compile(r"Member number (\S+)")


def flat(s: str) -> str:
    return " ".join(s.split())


def page_texts(path: Path) -> list[str]:
    return [flat(p.extract_text()) for p in PdfReader(path).pages]


def rows(ws: Workspace, sql: str, *params: object) -> list[tuple]:
    with ws.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql, params).fetchall()]


def numbers_of_segment(ws: Workspace, segment: str) -> list[str]:
    return [r[0] for r in rows(
        ws, "SELECT m.external_id FROM member_score s JOIN member m ON m.id = s.member_id "
        "WHERE s.run_id = (SELECT max(id) FROM score_run) AND s.segment = ?", segment)]


def test_card_shows_name_number_segment_and_the_stored_s(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    member_id, number, first, last, social, stability, financial = rows(
        demo_workspace,
        "SELECT m.id, m.external_id, m.first_name, m.last_name, s.social, s.stability, "
        "s.financial FROM member_score s JOIN member m ON m.id = s.member_id "
        "WHERE s.segment = 'Ambassadors' ORDER BY s.social DESC LIMIT 1")[0]
    result = write_scorecards(demo_workspace, tmp_path / "one.pdf", member_ids=[number])
    assert (result.pages, result.members, result.unknown_ids) == (1, 1, ())
    [text] = page_texts(result.path)
    assert f"{first} {last}" in text
    assert f"Member number {number}" in text
    assert "Ambassadors" in text
    assert f"{social:.1f}" in text and f"Total: S = {social:.2f}" in text
    assert f"{financial:.1f}" in text
    assert f"holds in {stability * 100:.0f}% of perturbed runs" in text
    assert "Page 1 of 1" in text
    # the receipt lists the member's answers with the points they add to S
    answered = rows(demo_workspace,
                    "SELECT count(*) FROM answer a JOIN response r ON r.id = a.response_id "
                    "WHERE r.member_id = ? AND NOT r.superseded AND a.value IS NOT NULL "
                    "AND (a.item_id LIKE 'k\\_%' ESCAPE '\\' OR a.item_id LIKE 'p\\_%' "
                    "ESCAPE '\\')", member_id)[0][0]
    assert answered > 0
    assert "Receipt: the points each answer adds to S" in text
    assert "Knowledge (K)" in text and "Asked for advice" in text


@pytest.mark.parametrize(("per_page", "segment"), [(1, "Advocates"), (4, "Ambassadors")])
def test_segment_gives_exactly_its_members(
    demo_workspace: Workspace, tmp_path: Path, per_page: int, segment: str
) -> None:
    expected = numbers_of_segment(demo_workspace, segment)
    assert expected
    result = write_scorecards(demo_workspace, tmp_path / "seg.pdf", segment=segment.lower(),
                              per_page=per_page)
    texts = page_texts(result.path)
    assert len(texts) == result.pages == math.ceil(len(expected) / per_page)
    assert result.members == len(expected)
    printed = [n for t in texts for n in NUMBER.findall(t)]
    assert sorted(printed) == sorted(expected)
    assert all(t.count(segment) >= min(per_page, 1) for t in texts)
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]


def test_members_by_id_or_number_in_the_order_given_unknown_reported(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    (a_id, a_number), (b_id, b_number) = rows(
        demo_workspace, "SELECT id, external_id FROM member ORDER BY id DESC LIMIT 2")
    result = write_scorecards(
        demo_workspace, tmp_path / "ids.pdf",
        member_ids=[b_number, "no-such-member", a_id, 987654, str(b_id), f" {a_number} "])
    assert result.members == 2 and result.pages == 2
    assert result.unknown_ids == ("no-such-member", "987654")
    texts = page_texts(result.path)
    assert NUMBER.findall(texts[0]) == [b_number]
    assert NUMBER.findall(texts[1]) == [a_number]


def test_members_added_after_the_run_are_named(demo_workspace: Workspace, tmp_path: Path) -> None:
    with demo_workspace.transaction() as conn:
        conn.exec_driver_sql("INSERT INTO member (external_id, first_name) VALUES ('NEW-1', 'N')")
    (number,) = rows(demo_workspace, "SELECT external_id FROM member WHERE id = 1")[0]
    result = write_scorecards(demo_workspace, tmp_path / "new.pdf", member_ids=["NEW-1", number])
    assert result.not_in_run == ("NEW-1",) and result.members == 1
    with pytest.raises(ScorecardError, match=r"none of the members asked for.*NEW-1"):
        write_scorecards(demo_workspace, tmp_path / "none.pdf", member_ids=["NEW-1", "x"])


def test_no_selection_is_a_clear_error(demo_workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "none.pdf"
    with pytest.raises(ScorecardError, match=r"choose whose scorecards.*segment.*Ambassadors"):
        write_scorecards(demo_workspace, out)
    with pytest.raises(ScorecardError, match="choose whose scorecards"):
        write_scorecards(demo_workspace, out, member_ids=[])
    with pytest.raises(ScorecardError, match="not both"):
        write_scorecards(demo_workspace, out, segment="Base", member_ids=[1])
    with pytest.raises(ScorecardError, match="no segment 'VIPs'; segments: Ambassadors"):
        write_scorecards(demo_workspace, out, segment="VIPs")
    with pytest.raises(ScorecardError, match="per_page must be 1 or 4"):
        write_scorecards(demo_workspace, out, segment="Base", per_page=2)
    with pytest.raises(ScorecardError, match="there is no score run 99"):
        write_scorecards(demo_workspace, out, segment="Base", run_id=99)
    assert not out.exists()


def test_not_surveyed_card_says_so_with_f_and_revenue(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    number, financial, revenue = rows(
        demo_workspace,
        "SELECT m.external_id, s.financial, f.revenue FROM member_score s "
        "JOIN member m ON m.id = s.member_id JOIN financial_snapshot f ON f.member_id = m.id "
        "WHERE s.segment = 'Not surveyed' AND s.financial >= 75 AND f.revenue > 0 "
        "ORDER BY s.financial DESC LIMIT 1")[0]
    result = write_scorecards(demo_workspace, tmp_path / "ns.pdf", member_ids=[number])
    [text] = page_texts(result.path)
    assert "Not surveyed" in text and "has not answered the survey" in text
    assert f"{financial:.1f}" in text
    assert f"€{revenue:,.0f}" in text
    assert "a good member to survey next" in text and f"--members {number}" in text
    assert "Receipt" not in text


def test_letter_four_a_page_and_fonts_embedded_for_any_script(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    with demo_workspace.transaction() as conn:
        conn.exec_driver_sql(
            "UPDATE member SET first_name = 'Zoë Łukasz', last_name = 'Nguyễn 張偉' WHERE id = "
            "(SELECT member_id FROM member_score WHERE segment = 'Ambassadors' LIMIT 1)")
    result = write_scorecards(demo_workspace, tmp_path / "letter.pdf", segment="Ambassadors",
                              per_page=4, paper="letter")
    reader = PdfReader(result.path)
    assert len(reader.pages) == result.pages
    for page in reader.pages:
        assert [float(v) for v in page.mediabox[2:]] == pytest.approx(LETTER)
    text = " ".join(page_texts(result.path))
    for part in ("Zoë", "Łukasz", "Nguyễn", "張偉"):
        assert part in text
    assert unembedded_fonts(result.path) == []


def test_cards_fetched_in_chunks_stay_in_page_order(
    demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scorecard_data, "CHUNK", 3)
    numbers = [r[0] for r in rows(demo_workspace, "SELECT external_id FROM member "
                                  "ORDER BY id DESC LIMIT 10")]
    seen: list[float] = []
    result = write_scorecards(demo_workspace, tmp_path / "chunks.pdf", member_ids=numbers,
                              per_page=4, progress=lambda f, _msg: seen.append(f))
    printed = [n for t in page_texts(result.path) for n in NUMBER.findall(t)]
    assert printed == numbers
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 4  # 4 chunks, then done


def test_cancel_stops_without_a_file(demo_workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        write_scorecards(demo_workspace, out, segment="Base", cancel=lambda: True)
    assert not out.exists()


def test_long_name_and_email_are_cut_not_overflowing(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    long_name = "Maximiliana-Josephina " * 8
    (member,) = rows(demo_workspace, "SELECT member_id FROM member_score "
                     "WHERE segment = 'Ambassadors' LIMIT 1")[0]
    with demo_workspace.transaction() as conn:
        conn.exec_driver_sql("UPDATE member SET first_name = ?, last_name = 'X', email = ? "
                             "WHERE id = ?", (long_name.strip(), "a" * 120 + "@example.com",
                                              member))
    result = write_scorecards(demo_workspace, tmp_path / "long.pdf", member_ids=[member],
                              per_page=4)
    [text] = page_texts(result.path)
    assert "Maximiliana-Josephina" in text and "…" in text
    assert long_name.strip() not in text  # cut to the card's width


def test_write_report_names_members_added_after_the_run(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    from reports.outputs import ReportRequest, write_report

    with demo_workspace.transaction() as conn:
        conn.exec_driver_sql("INSERT INTO member (external_id, first_name) VALUES ('NEW-1', 'N')")
    (number,) = rows(demo_workspace, "SELECT external_id FROM member WHERE id = 1")[0]
    out = write_report(demo_workspace, ReportRequest("cards", tmp_path / "c.pdf",
                                                     members=["NEW-1", number, "nobody"]))
    assert out.notes == ("not in this workspace: nobody",
                         "joined after run 1, so not scored yet: NEW-1")
