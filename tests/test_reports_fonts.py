"""Fonts: every script a member list brings prints in an embedded face, never in a black box."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak

from reports import fonts
from reports.fonts import BOLD, REGULAR, MissingGlyphsWarning, font_set, unembedded_fonts
from reports.pdf_base import (
    PRODUCT,
    ReportDoc,
    bar,
    data_table,
    heading,
    page_size,
    para,
    table_of_contents,
)

LATIN_CYRILLIC = ["Zoë Müller", "Łukasz Wiśniewski", "Nguyễn Thị Minh", "Дмитрий Иванов", "Ωμέγα"]
CJK = "張偉"


def needs_cjk() -> None:
    if font_set().missing(CJK):
        pytest.skip(f"no CJK TrueType font installed here. {fonts.FONT_HELP}")


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_primary_faces_are_registered_truetype_files() -> None:
    fs = font_set()
    assert fs.regular == REGULAR and fs.bold == BOLD
    for path in fs.faces.values():
        assert path.suffix.lower() in (".ttf", ".ttc") and path.exists()
    assert font_set() is fs  # registered once per process


@pytest.mark.parametrize("name", LATIN_CYRILLIC)
def test_latin_greek_and_cyrillic_names_need_no_fallback(name: str) -> None:
    fs = font_set()
    assert fs.missing(name) == ""
    assert fs.runs(name) == [(REGULAR, name)]
    assert fs.runs(name, bold=True) == [(BOLD, name)]


def test_cjk_runs_fall_back_and_latin_stays_in_the_primary_face() -> None:
    needs_cjk()
    fs = font_set()
    runs = fs.runs(f"Zoë {CJK} Дмитрий")
    assert [run for _, run in runs] == ["Zoë ", f"{CJK} ", "Дмитрий"]
    assert runs[0][0] == REGULAR and runs[2][0] == REGULAR
    assert runs[1][0] in fs.fallbacks


def test_markup_escapes_and_wraps_fallback_runs() -> None:
    fs = font_set()
    assert fs.markup("Bean & <Co>") == "Bean &amp; &lt;Co&gt;"
    if not fs.missing(CJK):
        fallback = fs.font_for(CJK[0])
        assert fs.markup(f"Mr {CJK}") == f'Mr <font face="{fallback}">{CJK}</font>'


def test_decomposed_accents_are_composed_first() -> None:
    fs = font_set()
    decomposed = "Nguye\u0302\u0303n"
    assert fonts.prepare(decomposed) == "Nguyễn"
    assert fs.missing(decomposed) == ""


def test_a_character_no_font_has_warns_once_and_says_what_to_install() -> None:
    fs = font_set()
    private = "\U0010fffd"
    with pytest.warns(MissingGlyphsWarning, match="apt install fonts-wqy-microhei"):
        fs.runs(f"x{private}")
    assert fs.missing(private) == private
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fs.runs(private)  # already reported: no second warning


def test_fit_shrinks_then_cuts_with_an_ellipsis() -> None:
    fs = font_set()
    text, size = fs.fit("Zoë Müller", 1000, 12, min_size=8.5)
    assert (text, size) == ("Zoë Müller", 12)
    long = "Maximiliane Zoë Katharina von Müller-Lüdenscheidt"
    text, size = fs.fit(long, 100, 12, min_size=8.5)
    assert size == 8.5 and text.endswith("…") and fs.width(text, size) <= 100


def test_arabic_is_shaped_and_reordered_or_warned_about(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts._visual.cache_clear()
    try:
        import arabic_reshaper  # noqa: F401
        import bidi  # noqa: F401
    except ImportError:
        with pytest.warns(MissingGlyphsWarning, match="arabic-reshaper"):
            assert fonts.prepare("محمد") == "محمد"
    else:
        shown = fonts.prepare("محمد")
        assert shown != "محمد" and len(shown) == 4
        assert all(0xFE70 <= ord(ch) <= 0xFEFF for ch in shown)  # joined presentation forms
    fonts._visual.cache_clear()


def test_drawn_names_are_embedded_and_extract_as_written(tmp_path: Path) -> None:
    names = [*LATIN_CYRILLIC, *([] if font_set().missing(CJK) else [CJK])]
    out = tmp_path / "names.pdf"
    canv = Canvas(str(out), initialFontName=REGULAR)
    for i, name in enumerate(names):
        font_set().draw(canv, 72, 700 - 20 * i, name, 11, bold=i % 2 == 1)
    canv.save()
    assert unembedded_fonts(out) == []
    text = text_of(out)
    for name in names:
        assert name in text


def test_unembedded_fonts_finds_the_standard_fonts(tmp_path: Path) -> None:
    out = tmp_path / "helvetica.pdf"
    canv = Canvas(str(out))
    canv.setFont("Helvetica", 12)
    canv.drawString(72, 720, "plain")
    canv.save()
    assert "/Helvetica" in unembedded_fonts(out)


def test_report_base_pages_embed_every_font_and_number_the_pages(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    doc = ReportDoc(
        out, title="Executive report", workspace="Café Zoë", paper="letter", day=dt.date(2026, 3, 5)
    )
    rows: list[list[object]] = [["Member", "Name", "Revenue"]]
    rows += [[f"M{i:04d}", LATIN_CYRILLIC[i % 5], 1234.5 * i] for i in range(120)]
    story = [
        para("Executive report", "title"),
        table_of_contents(),
        PageBreak(),
        heading("Segments"),
        data_table(rows),
        heading("Components", 1),
        bar(0.4, label="0.40"),
    ]
    doc.build(story)
    reader = PdfReader(out)
    pages = len(reader.pages)
    assert pages >= 4
    assert [float(v) for v in reader.pages[0].mediabox[2:]] == pytest.approx(page_size("letter"))
    assert unembedded_fonts(out) == []
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} of {pages}" in last and "Café Zoë" in last and PRODUCT in last
    assert "5 March 2026" in last
    continued = reader.pages[2].extract_text()  # the table's second page
    assert "Revenue" in continued and "Segments" not in continued  # header row repeated
    toc = reader.pages[0].extract_text()
    assert "Segments" in toc and "Components" in toc


def test_unknown_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="a4, letter"):
        page_size("a5")
