"""The paper questionnaire: two sides of A4 or Letter, every item once, member copies with QR."""

from __future__ import annotations

import random
import shutil
import string
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics.barcode import qrencoder
from sqlalchemy import text

from reports.fonts import font_set, unembedded_fonts
from reports.pdf_base import page_size
from reports.qr import FastQRCode
from reports.questionnaire_blocks import printed_item_ids
from reports.questionnaire_pdf import member_qr, questionnaire_for_workspace, write_questionnaire
from scorecard.errors import ScorecardError
from scorecard.workspace import Workspace
from survey.questionnaire import G_FREQ, G_KNOW, NETWORKS, QUESTIONNAIRE, REACH_BANDS, item

CJK_NAME = "張偉"


def flat(s: str) -> str:
    """Whitespace-normalised: wrapped lines read as one."""
    return " ".join(s.split())


def page_texts(path: Path) -> list[str]:
    return [flat(p.extract_text()) for p in PdfReader(path).pages]


def font_sizes(path: Path) -> list[float]:
    sizes: list[float] = []

    def visit(txt: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if txt.strip():
            sizes.append(size * (tm[3] or 1) * (cm[3] or 1))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.fixture(scope="module", params=["a4", "letter"])
def blank(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    paper = request.param
    out = tmp_path_factory.mktemp("q") / f"blank-{paper}.pdf"
    assert write_questionnaire(out, category="coffee", paper=paper) == 2
    return out, paper


def test_blank_form_is_two_pages_of_the_chosen_paper(blank: tuple[Path, str]) -> None:
    out, paper = blank
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert [float(v) for v in page.mediabox[2:]] == pytest.approx(page_size(paper))


def test_blank_form_prints_the_items_in_the_category_word(blank: tuple[Path, str]) -> None:
    side1, side2 = page_texts(blank[0])
    cat = "coffee"
    assert "coffee" in side1 and "{category}" not in side1 + side2
    for wording in (
        item("consent").text(cat),
        G_KNOW.title,
        item("k_advice").row_label(cat),
        item("k_years").text(cat),
        G_FREQ.title.format(category=cat),
        item("p_recommend").row_label(cat),
    ):
        assert flat(wording or "") in side1
    for wording in (
        item("c_networks").text(cat),
        item("c_facebook_close").grid.title,  # type: ignore[union-attr]
        item("c_facebook_public").grid.title,  # type: ignore[union-attr]
        item("nps").text(cat),
        item("age_band").text(cat),
        *(net.label for net in NETWORKS),
    ):
        assert flat(wording) in side2
    assert " · ".join(o.label for o in REACH_BANDS) in side2  # the bands as guidance
    assert "Member number" in side1 and "Page 1 of 2" in side1 and "Page 2 of 2" in side2


def test_every_visible_item_is_printed_exactly_once() -> None:
    printed = printed_item_ids("coffee")
    visible = [it.id for it in QUESTIONNAIRE if not it.hidden]
    assert sorted(printed) == sorted(visible)


def test_blank_form_is_legible_and_embeds_its_fonts(blank: tuple[Path, str]) -> None:
    assert unembedded_fonts(blank[0]) == []
    sizes = font_sizes(blank[0])
    assert len(sizes) > 100
    assert min(sizes) >= 8.5


MEMBERS = [("M0001", "Zoë Müller"), ("M0002", "Дмитрий Иванов"), ("M0003", "Łukasz Nguyễn")]


@pytest.fixture(scope="module")
def per_member(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str]]]:
    members = list(MEMBERS)
    if not font_set().missing(CJK_NAME):
        members.append(("M0004", CJK_NAME))
    out = tmp_path_factory.mktemp("q") / "members.pdf"
    assert write_questionnaire(out, category="tea", paper="letter", members=members) == 2 * len(
        members
    )
    return out, members


def test_member_copies_print_number_and_name_on_both_sides(
    per_member: tuple[Path, list[tuple[str, str]]],
) -> None:
    out, members = per_member
    texts = page_texts(out)
    assert len(texts) == 2 * len(members)
    for n, (member_id, name) in enumerate(members):
        side1, side2 = texts[2 * n], texts[2 * n + 1]
        assert member_id in side1 and name in side1
        assert f"Member number {member_id}" in side2 and name in side2
        assert "tea" in side1
    assert unembedded_fonts(out) == []


def test_a_cjk_name_prints_in_an_embedded_face(tmp_path: Path) -> None:
    if font_set().missing(CJK_NAME):
        pytest.skip("no CJK TrueType font installed (see reports.fonts.FONT_HELP)")
    out = tmp_path / "cjk.pdf"
    write_questionnaire(out, category="茶", members=[("M9", CJK_NAME)])
    side1, side2 = page_texts(out)
    assert CJK_NAME in side1 and CJK_NAME in side2 and "About you and 茶" in side1
    assert unembedded_fonts(out) == []


def test_the_qr_code_encodes_the_member_number_only() -> None:
    widget = member_qr("M0002")
    assert widget.value == "M0002"
    assert isinstance(widget.qr, FastQRCode)


def test_fast_mask_choice_matches_reportlab() -> None:
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + "-_ /"
    ids = [f"M{i:07d}" for i in range(40)]
    ids += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 90))) for _ in range(60)]
    for value in ids:
        slow = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        fast = FastQRCode(None, qrencoder.QRErrorCorrectLevel.M)
        for code in (slow, fast):
            code.addData(value)
            code.make()
        assert fast.modules == slow.modules, value


def test_the_printed_qr_code_scans(
    per_member: tuple[Path, list[tuple[str, str]]], tmp_path: Path
) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="decoding needs zxing-cpp (optional)")
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    out, members = per_member
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "3", "-l", "3", str(out), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    found = [r.text for r in zxingcpp.read_barcodes(Image.open(png))]
    assert found == [members[1][0]]


def test_a_thousand_member_forms_stay_fast(tmp_path: Path) -> None:
    font_set()
    members = [(f"M{i:07d}", MEMBERS[i % 3][1]) for i in range(1000)]
    out = tmp_path / "many.pdf"
    start = time.perf_counter()
    pages = write_questionnaire(out, category="coffee", members=members)
    elapsed = time.perf_counter() - start
    assert pages == 2000
    assert elapsed < 15, f"{elapsed:.1f} s for 1,000 members"
    assert out.stat().st_size < 4_000_000  # the two sides are shared forms, not 2,000 layouts


def test_no_members_is_an_error_not_an_empty_file(tmp_path: Path) -> None:
    out = tmp_path / "none.pdf"
    with pytest.raises(ScorecardError, match="no members"):
        write_questionnaire(out, category="coffee", members=[])
    assert not out.exists()


def add_members(ws: Workspace, rows: list[tuple[str | None, str | None, str | None]]) -> None:
    with ws.transaction() as conn:
        for ext, first, last in rows:
            conn.execute(
                text("INSERT INTO member (external_id, first_name, last_name) VALUES (:e, :f, :l)"),
                {"e": ext, "f": first, "l": last},
            )


def test_workspace_questionnaire_uses_its_category_and_members(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.set_settings({"category": "tea", "programme_name": "Leaf & Co."})
    add_members(workspace, [("A1", "Zoë", "Müller"), ("B2", "Дмитрий", None), (None, "No", "Id")])

    blank = questionnaire_for_workspace(workspace, tmp_path / "blank.pdf", paper="letter")
    assert (blank.pages, blank.members) == (2, 0)
    side1, _ = page_texts(blank.path)
    assert "About you and tea" in side1 and "Leaf & Co." in side1

    everyone = questionnaire_for_workspace(workspace, tmp_path / "all.pdf", per_member=True)
    assert (everyone.pages, everyone.members, everyone.without_id) == (4, 2, 1)
    texts = page_texts(everyone.path)
    assert "A1" in texts[0] and "Zoë Müller" in texts[0] and "Дмитрий" in texts[2]

    some = questionnaire_for_workspace(workspace, tmp_path / "some.pdf", member_ids=["B2", "Z9"])
    assert (some.pages, some.members, some.unknown_ids) == (2, 1, ("Z9",))
    with pytest.raises(ScorecardError, match="Z9"):
        questionnaire_for_workspace(workspace, tmp_path / "none.pdf", member_ids=["Z9"])
