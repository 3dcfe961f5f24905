"""The executive PDF: what a loyalty manager hands their boss, checked against the database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from reports.charts import nice_ticks, quadrant_chart, short_count
from reports.executive_pdf import ExecutiveResult, write_executive
from reports.fonts import font_set, pdf_fonts, unembedded_fonts
from scorecard.errors import ScorecardError
from scorecard.scoring.config import SegmentConfig, SocialConfig, default_config
from scorecard.scoring.runs import score
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace
from survey.members import import_members

CJK_NAME = "張偉"
POLISH_NAME = "Łukasz Wiśniewski"


def flat(text: str) -> str:
    """Whitespace-normalised: table cells and wrapped lines read as one line."""
    return " ".join(text.split())


def pages(path: Path) -> list[str]:
    return [flat(p.extract_text()) for p in PdfReader(path).pages]


def section(texts: list[str], title: str, next_title: str) -> str:
    """The text from one heading to the next (headings may repeat in the contents: skip page 1)."""
    body = " ".join(texts[1:])
    start = body.index(title)
    end = body.index(next_title, start)
    return body[start:end]


def segment_counts(ws: Workspace, run_id: int) -> dict[str, int]:
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT segment, count(*) FROM member_score WHERE run_id = ? GROUP BY segment",
            (run_id,)).all()
    return {name: 0 for name in SEGMENTS} | {str(s): int(n) for s, n in rows}


def top_ambassador(ws: Workspace, run_id: int) -> tuple[int, str]:
    with ws.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT m.id, trim(coalesce(m.first_name, '') || ' ' || coalesce(m.last_name, '')) "
            "FROM member_score s JOIN member m ON m.id = s.member_id "
            "WHERE s.run_id = ? AND s.segment = 'Ambassadors' "
            "ORDER BY s.social DESC, s.financial DESC, coalesce(s.network_value, 0) DESC, m.id "
            "LIMIT 1", (run_id,)).one()
    return int(row[0]), str(row[1])


def latest_run(ws: Workspace) -> int:
    with ws.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT max(id) FROM score_run").scalar_one())


def test_report_matches_the_database(demo_workspace: Workspace, tmp_path: Path) -> None:
    said: list[str] = []
    out = tmp_path / "executive.pdf"
    result = write_executive(demo_workspace, out, progress=said.append)
    run_id = latest_run(demo_workspace)
    assert isinstance(result, ExecutiveResult)
    assert result.path == out and result.run_id == run_id
    texts = pages(out)
    assert result.pages == len(texts)
    assert 5 <= len(texts) <= 20
    assert all(f"Page {i} of {len(texts)}" in t for i, t in enumerate(texts, 1))
    assert said and said[-1].startswith("Wrote")

    cover = texts[0]
    assert "Executive report" in cover and "Bean & Co. Coffee Club" in cover
    assert demo_workspace.path.name in cover and f"Run {run_id} of" in cover
    assert "Configuration Default" in cover and "A4 (210 × 297 mm)" in cover
    for title in ("Financial × Social quadrant", "Segments", "Component distributions",
                  "Top Ambassadors", "Who to survey next", "Age-band check",
                  "Stated versus observed", "Data quality", "Methodology"):
        assert title in cover  # the table of contents
        assert any(title in t for t in texts[1:])

    counts = segment_counts(demo_workspace, run_id)
    members = sum(counts.values())
    assert counts["Ambassadors"] > 0
    assert f"{members:,} members" in cover
    assert f"{counts['Ambassadors']:,} Ambassadors" in cover
    table = section(texts, "Every member falls in one segment", "Share of members")
    for name, n in counts.items():
        assert f"{name} {n:,} {n / members * 100:.1f}%" in table
    assert f"All members {members:,} 100.0%" in table

    member_id, name = top_ambassador(demo_workspace, run_id)
    ambassadors = section(texts, "The 25 Ambassadors with the highest", "Who to survey next")
    assert f"1 {name}" in ambassadors
    with demo_workspace.engine.connect() as conn:
        external = conn.exec_driver_sql(
            "SELECT external_id FROM member WHERE id = ?", (member_id,)).scalar_one()
    assert str(external) in ambassadors


def test_sections_report_the_run_figures(demo_built, tmp_path: Path) -> None:
    out = tmp_path / "executive.pdf"
    with Workspace.open(demo_built.workspace) as ws:
        write_executive(ws, out)
        run_id = latest_run(ws)
    texts = pages(out)
    summary = demo_built.score
    validity = summary.validity
    nxt = section(texts, "Who to survey next", "Age-band check")
    assert "high-value members (F ≥ 75) have not answered" in nxt
    check = section(texts, "Age-band check", "Stated versus observed")
    for band in validity["age_bands"]:
        assert f"{band['band']} {band['members']:,} {band['scored']:,}" in check
    observed = section(texts, "Stated versus observed", "Data quality")
    rho = validity["correlations"]["referrals"]["social"]
    assert f"Members they referred {validity['correlations']['referrals']['n']:,} {rho:+.2f}" \
        in observed
    assert f"Cronbach's alpha of the knowledge statements is " \
           f"{validity['cronbach_alpha_knowledge']:.2f}" in observed
    quality = section(texts, "Data quality", "Methodology")
    assert "customers_export.csv" in quality and "survey_responses.csv" in quality
    assert "match no member" in quality
    method = " ".join(texts[texts.index(next(t for t in texts[1:] if "Methodology" in t)):])
    assert f"run {run_id} (configuration “Default”)" in method
    assert "S ≥ 60" in method and "F ≥ 75" in method and "ln(1 + 150)" in method


def test_fonts_are_embedded_and_letter_is_letter(demo_built, tmp_path: Path) -> None:
    a4, letter = tmp_path / "a4.pdf", tmp_path / "letter.pdf"
    with Workspace.open(demo_built.workspace) as ws:
        write_executive(ws, a4)
        write_executive(ws, letter, paper="Letter")
    assert unembedded_fonts(a4) == [] and unembedded_fonts(letter) == []
    for path, (w, h) in ((a4, (595.28, 841.89)), (letter, (612.0, 792.0))):
        for page in PdfReader(path).pages:
            box = page.mediabox
            assert (round(float(box.width), 2), round(float(box.height), 2)) == (w, h)
    assert "US Letter (8.5 × 11 in)" in pages(letter)[0]


def test_names_in_any_script_print(demo_workspace: Workspace, tmp_path: Path) -> None:
    if font_set().missing(CJK_NAME):
        pytest.skip("no CJK TrueType font installed (see reports.fonts.FONT_HELP)")
    run_id = latest_run(demo_workspace)
    top, _ = top_ambassador(demo_workspace, run_id)
    with demo_workspace.transaction() as conn:  # the two best Ambassadors get the names
        conn.exec_driver_sql(
            "UPDATE member SET first_name = ?, last_name = NULL WHERE id = ?", (CJK_NAME, top))
        second = conn.exec_driver_sql(
            "SELECT member_id FROM member_score WHERE run_id = ? AND segment = 'Ambassadors' "
            "AND member_id != ? ORDER BY social DESC LIMIT 1", (run_id, top)).scalar_one()
        first, last = POLISH_NAME.split()
        conn.exec_driver_sql("UPDATE member SET first_name = ?, last_name = ?, city = ? "
                             "WHERE id = ?", (first, last, "Łódź", second))
    out = tmp_path / "names.pdf"
    write_executive(demo_workspace, out)
    ambassadors = section(pages(out), "The 25 Ambassadors with the highest",
                          "Who to survey next")
    assert f"1 {CJK_NAME}" in ambassadors
    assert POLISH_NAME in ambassadors and "Łódź" in ambassadors
    assert unembedded_fonts(out) == []
    assert len(pdf_fonts(out)) >= 2  # the CJK name is set in a fallback face, not boxes


def test_a_run_without_ambassadors_says_so(demo_workspace: Workspace, tmp_path: Path) -> None:
    config = default_config()
    strict = config.with_(segments=SegmentConfig(social_threshold=60, financial_threshold=100),
                          stability=replace(config.stability, draws=10))
    run = score(demo_workspace, strict)
    assert run.segments["Ambassadors"] == 0
    out = tmp_path / "none.pdf"
    result = write_executive(demo_workspace, out)
    assert result.run_id == run.run_id
    texts = pages(out)
    assert "No member clears both thresholds yet" in texts[0]
    top = section(texts, "Top Ambassadors", "Who to survey next")
    assert "None yet: no member clears both thresholds (S ≥ 60 and F ≥ 100)" in top
    nxt = section(texts, "Who to survey next", "Age-band check")
    assert "None: every member with F ≥ 100 has answered the survey" in nxt
    assert "None of the" in " ".join(texts) and "is an Ambassador yet" in " ".join(texts)


def test_a_workspace_without_a_survey_still_reports(
    demo_built, workspace: Workspace, tmp_path: Path
) -> None:
    import_members(workspace, demo_built.files["customers"])
    config = default_config()
    run = score(workspace, config.with_(stability=replace(config.stability, draws=0)))
    assert run.with_social_score == 0
    out = tmp_path / "no-survey.pdf"
    result = write_executive(workspace, out, paper="letter")
    texts = pages(out)
    assert result.pages == len(texts) >= 4
    joined = " ".join(texts)
    assert "Nobody has a social score yet" in texts[0]
    assert "No member has both a social and a financial score yet" in joined
    assert "None yet: no survey answers" in joined  # the K, P, R, S histograms
    assert "None yet: no member clears both thresholds" in joined
    assert "None yet: no scored member has a known age" in joined
    assert "None yet: the workspace has no referrals" in joined
    assert f"Not surveyed {run.members_scored:,} 100.0%" in joined
    assert unembedded_fonts(out) == []


def test_run_ids_pick_the_config_they_were_scored_with(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    first = latest_run(demo_workspace)
    config = default_config()
    custom = config.with_(social=SocialConfig(knowledge=2.0, participation=1.0, reach=0.5),
                          segments=SegmentConfig(social_threshold=55, financial_threshold=80),
                          stability=replace(config.stability, draws=10))
    second = score(demo_workspace, custom).run_id
    old, new = tmp_path / "old.pdf", tmp_path / "new.pdf"
    assert write_executive(demo_workspace, old, run_id=first).run_id == first
    assert write_executive(demo_workspace, new).run_id == second
    old_text, new_text = " ".join(pages(old)), " ".join(pages(new))
    assert "S ≥ 60" in old_text and "S ≥ 55" not in old_text
    assert "S ≥ 55" in new_text and "F ≥ 80" in new_text
    assert "K · Knowledge and involvement 2 " in new_text
    assert "R · Reach 0.5 " in new_text


def test_an_unknown_run_is_a_scorecard_error(demo_workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "missing.pdf"
    with pytest.raises(ScorecardError, match="no score run 999"):
        write_executive(demo_workspace, out, run_id=999)
    assert not out.exists()


def test_no_run_at_all_is_a_scorecard_error(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ScorecardError, match="no score runs yet"):
        write_executive(workspace, tmp_path / "x.pdf")


def test_the_quadrant_is_a_density_image_not_a_dot_per_member() -> None:
    rng = np.random.default_rng(7)
    social = np.clip(rng.normal(50, 12, 1_000_000), 0, 100)
    financial = rng.uniform(0, 100, 1_000_000)
    density = np.histogram2d(social, financial, bins=50, range=[[0, 100], [0, 100]])[0]
    drawing = quadrant_chart(density, social_threshold=60, financial_threshold=75,
                             width=500, height=360, counts=[1, 2, 3, 4])

    def shapes(node: object) -> int:
        kids = getattr(node, "contents", None)
        return 1 if kids is None else sum(shapes(k) for k in kids)

    assert shapes(drawing) <= 50 * 50 + 150  # one cell per grid square, plus axes and labels
    assert density.sum() == 1_000_000


def test_tick_helpers() -> None:
    assert nice_ticks(47) == [0, 20, 40, 60]
    assert nice_ticks(6_400, 3) == [0, 2_500, 5_000, 7_500]
    assert nice_ticks(0) == [0.0, 1.0]
    assert [short_count(v) for v in (7, 950, 12_500, 1_200_000)] == ["7", "950", "12.5k", "1.2M"]

