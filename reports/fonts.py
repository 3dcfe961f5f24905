"""Fonts for every PDF: embedded TrueType faces, chosen per run of text by glyph coverage.

Names come from member lists in any script (Zoë, Łukasz, Nguyễn, 張偉, Дмитрий, محمد), so no
PDF may fall back to the unembedded standard fonts or print black boxes. :func:`font_set`
registers, once per process, a *primary* family (regular and bold: DejaVu Sans, Noto Sans or
Arial, whichever is installed; reportlab's own Bitstream Vera as the last resort) and, the first
time a character needs one, a *fallback* face (CJK TrueType faces such as WenQuanYi Micro Hei,
Droid Sans Fallback, Microsoft YaHei, Arial Unicode). Each run of text is set in the primary
face when it has the glyphs, else in the first fallback that does (:meth:`FontSet.runs`).

reportlab embeds TrueType (``glyf``) outlines only: CFF-based ``.otf`` faces such as Noto Sans
CJK are skipped. Fonts are found in ``$SCORECARD_FONT_DIRS`` (``os.pathsep``-separated), in
``reports/font_files/`` (for fonts shipped with the app), in pip packages that carry font files
(``paperang-p2-fonts-cjk``: WenQuanYi Micro Hei; ``matplotlib``: DejaVu Sans) and in the usual
system folders of Linux, Windows and macOS.

Arabic and Hebrew are reordered for display and Arabic letters joined when the optional
``arabic-reshaper`` and ``python-bidi`` packages are installed; without them such text prints in
logical order with unjoined letters and a warning says what to install. Reordering is done per
string, so it is right for one-line strings (names, labels), not for wrapped RTL paragraphs.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

REGULAR = "Scorecard"  # registered names: styles use these, whichever files were found
BOLD = "Scorecard-Bold"
FONT_HELP = (
    "Install a TrueType font that has them: on Debian/Ubuntu `apt install fonts-wqy-microhei` "
    "(Chinese, Japanese, Korean) and `fonts-dejavu-core` (Latin, Greek, Cyrillic, Arabic); "
    "with pip, `pip install paperang-p2-fonts-cjk`; or put .ttf/.ttc files in a folder named "
    "by $SCORECARD_FONT_DIRS. Windows and macOS ship Microsoft YaHei and Arial Unicode."
)
BIDI_HELP = "pip install arabic-reshaper python-bidi"


class MissingGlyphsWarning(UserWarning):
    """Some characters have no glyph in any font found; they print as empty boxes."""


class FontsUnavailable(RuntimeError):
    """No usable TrueType font was found (not even reportlab's own)."""


@dataclass(frozen=True)
class Family:
    """A candidate face: file names to look for (first found wins), regular and bold."""

    name: str
    regular: tuple[str, ...]
    bold: tuple[str, ...] = ()


PRIMARY = (
    Family("DejaVu Sans", ("DejaVuSans.ttf",), ("DejaVuSans-Bold.ttf",)),
    Family("Noto Sans", ("NotoSans-Regular.ttf",), ("NotoSans-Bold.ttf",)),
    Family("Arial", ("arial.ttf", "Arial.ttf"), ("arialbd.ttf", "Arial Bold.ttf")),
    Family("Bitstream Vera", ("Vera.ttf",), ("VeraBd.ttf",)),  # ships inside reportlab
)
FALLBACK = (
    Family("DejaVu Sans", ("DejaVuSans.ttf",)),
    Family("Arial", ("arial.ttf", "Arial.ttf")),
    Family("Arial Unicode MS", ("Arial Unicode.ttf", "ARIALUNI.TTF")),
    Family("WenQuanYi Micro Hei", ("wqy-microhei.ttc",)),
    Family("WenQuanYi Zen Hei", ("wqy-zenhei.ttc",)),
    Family("Droid Sans Fallback", ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf")),
    Family("Microsoft YaHei", ("msyh.ttc", "msyh.ttf")),
    Family("SimSun", ("simsun.ttc",)),
    Family("Malgun Gothic", ("malgun.ttf",)),
    Family("Noto Sans Arabic", ("NotoSansArabic-Regular.ttf",)),
)
_FONT_SUFFIXES = (".ttf", ".ttc")
_STICKY = frozenset({"Mn", "Me", "Cf", "Zs", "Cc"})  # marks, joiners, spaces: stay in the run


def font_dirs() -> list[Path]:
    """Where fonts are looked for, most specific first."""
    dirs = [Path(p) for p in os.environ.get("SCORECARD_FONT_DIRS", "").split(os.pathsep) if p]
    dirs.append(Path(__file__).with_name("font_files"))
    for package, sub in (("paperang_p2_fonts_cjk", "fonts"), ("matplotlib", "mpl-data/fonts/ttf")):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            dirs.extend(Path(loc) / sub for loc in spec.submodule_search_locations)
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        dirs += [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    elif sys.platform == "darwin":
        dirs += [
            Path("/System/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
            Path("/Library/Fonts"),
            home / "Library" / "Fonts",
        ]
    else:
        dirs += [home / ".local/share/fonts", home / ".fonts", Path("/usr/local/share/fonts")]
        dirs.append(Path("/usr/share/fonts"))
    dirs.append(Path(reportlab.__file__).parent / "fonts")
    return dirs


def _index(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-cased file name → first path with that name (earlier folders win)."""
    found: dict[str, Path] = {}
    for top in dirs:
        if not top.is_dir():
            continue
        for root, _subdirs, files in os.walk(top):
            for name in files:
                if name.lower().endswith(_FONT_SUFFIXES):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def _load(name: str, index: dict[str, Path], files: tuple[str, ...]) -> TTFont | None:
    for file in files:
        path = index.get(file.lower())
        if path is None:
            continue
        try:
            return TTFont(name, str(path), subfontIndex=0)
        except (TTFError, OSError, ValueError):
            continue  # CFF outlines, no embedding allowed, or unreadable: try the next
    return None


@dataclass
class FontSet:
    """The registered faces and the per-character choice between them.

    Fallback faces are parsed and registered only when a character needs one, so Latin-only
    documents never pay for a 20 MB CJK collection.
    """

    regular: str
    bold: str
    faces: dict[str, Path]  # registered name → file, primary first, then fallbacks as loaded
    _cmaps: dict[str, Any] = field(repr=False)
    _pending: list[tuple[str, Family]] = field(repr=False)  # fallbacks not yet loaded
    _index: dict[str, Path] = field(repr=False)
    _fallbacks: list[str] = field(default_factory=list, repr=False)
    _choice: dict[tuple[str, bool], str | None] = field(default_factory=dict, repr=False)
    _warned: set[str] = field(default_factory=set, repr=False)

    @property
    def fallbacks(self) -> tuple[str, ...]:
        """The fallback faces registered so far (see :meth:`load_all`)."""
        return tuple(self._fallbacks)

    def load_all(self) -> FontSet:
        """Load every fallback face found (for diagnostics: which fonts would be used)."""
        while self._load_next():
            pass
        return self

    def font_for(self, ch: str, bold: bool = False) -> str | None:
        """The face that prints ``ch`` (primary first); None when no face has it."""
        key = (ch, bold)
        if key in self._choice:
            return self._choice[key]
        code = ord(ch)
        primary = self.bold if bold else self.regular
        choice = primary if code in self._cmaps[primary] else None
        if choice is None:
            choice = next((f for f in self._fallbacks if code in self._cmaps[f]), None)
        while choice is None and self._load_next():
            if code in self._cmaps[self._fallbacks[-1]]:
                choice = self._fallbacks[-1]
        self._choice[key] = choice
        return choice

    def _load_next(self) -> bool:
        """Register the next fallback face that exists and is new; False when none is left."""
        used = {path.resolve() for path in self.faces.values()}
        while self._pending:
            name, family = self._pending.pop(0)
            font = _load(name, self._index, family.regular)
            if font is None or Path(font.face.filename).resolve() in used:
                continue
            pdfmetrics.registerFont(font)
            pdfmetrics.registerFontFamily(
                name, normal=name, bold=name, italic=name, boldItalic=name
            )
            self.faces[name] = Path(font.face.filename)
            self._cmaps[name] = font.face.charToGlyph
            self._fallbacks.append(name)
            self._choice = {k: v for k, v in self._choice.items() if v is not None}
            return True
        return False

    def missing(self, text: str) -> str:
        """The characters of ``text`` that no registered face can print."""
        return "".join(
            sorted({ch for ch in prepare(text) if not _sticky(ch) and self.font_for(ch) is None})
        )

    def runs(self, text: str, bold: bool = False) -> list[tuple[str, str]]:
        """Split ``text`` (already in display order) into (font, run) pairs."""
        primary = self.bold if bold else self.regular
        out: list[tuple[str, str]] = []
        font, buf = primary, ""
        missing = ""
        for ch in text:
            if _sticky(ch) and buf:
                buf += ch
                continue
            chosen = self.font_for(ch, bold)
            if chosen is None:
                missing += ch
                chosen = primary
            if chosen != font and buf:
                out.append((font, buf))
                buf = ""
            font = chosen
            buf += ch
        if buf:
            out.append((font, buf))
        if missing:
            self._warn_missing(missing)
        return out

    def markup(self, text: str, bold: bool = False) -> str:
        """Paragraph markup for plain ``text``: escaped, fallback runs wrapped in ``<font>``."""
        primary = self.bold if bold else self.regular
        parts = []
        for font, run in self.runs(prepare(text), bold):
            run = escape(run)
            parts.append(run if font == primary else f'<font face="{font}">{run}</font>')
        return "".join(parts)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return sum(
            pdfmetrics.stringWidth(run, font, size) for font, run in self.runs(prepare(text), bold)
        )

    def draw(
        self,
        canv: Canvas,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: str = "left",
    ) -> float:
        """Draw one line at (x, y), left/centre/right aligned; return its width."""
        runs = self.runs(prepare(text), bold)
        total = sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs)
        if align == "right":
            x -= total
        elif align == "centre":
            x -= total / 2
        obj = canv.beginText(x, y)
        for font, run in runs:
            obj.setFont(font, size)
            obj.textOut(run)
        canv.drawText(obj)
        return total

    def fit(
        self, text: str, max_width: float, size: float, *, min_size: float, bold: bool = False
    ) -> tuple[str, float]:
        """Shrink to fit ``max_width`` down to ``min_size``; past that, cut and add an ellipsis."""
        while size > min_size and self.width(text, size, bold) > max_width:
            size = max(min_size, size - 0.5)
        if self.width(text, size, bold) <= max_width:
            return text, size
        while text and self.width(text + "…", size, bold) > max_width:
            text = text[:-1]
        return text.rstrip() + "…", size

    def _warn_missing(self, chars: str) -> None:
        new = set(chars) - self._warned
        if new:
            self._warned |= new
            shown = "".join(sorted(new))
            warnings.warn(
                f"No font found has glyphs for {shown!r}; they print as empty boxes. {FONT_HELP}",
                MissingGlyphsWarning,
                stacklevel=3,
            )


def _sticky(ch: str) -> bool:
    return unicodedata.category(ch) in _STICKY


@functools.cache
def font_set() -> FontSet:
    """Find and register (once per process) the fonts every PDF uses."""
    index = _index(font_dirs())
    for family in PRIMARY:
        regular = _load(REGULAR, index, family.regular)
        if regular is not None:
            bold = _load(BOLD, index, family.bold) or _load(BOLD, index, family.regular)
            break
    else:
        raise FontsUnavailable(f"No usable TrueType font found in {font_dirs()}. {FONT_HELP}")
    assert bold is not None
    faces: dict[str, Path] = {}
    cmaps: dict[str, Any] = {}
    for font in (regular, bold):
        pdfmetrics.registerFont(font)
        faces[font.fontName] = Path(font.face.filename)
        cmaps[font.fontName] = font.face.charToGlyph
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    pending = [(f"Scorecard-Fallback{n}", family) for n, family in enumerate(FALLBACK, 1)]
    return FontSet(REGULAR, BOLD, faces, cmaps, pending, index)


# -- right-to-left text ------------------------------------------------------------------------


def prepare(text: str) -> str:
    """NFC-normalise; put right-to-left text (Arabic, Hebrew) into display order and shape it."""
    text = unicodedata.normalize("NFC", text)
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return text
    return _visual(text)


@functools.lru_cache(maxsize=4096)
def _visual(text: str) -> str:
    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:
        _warn_bidi()
        return text
    return str(get_display(arabic_reshaper.reshape(text)))


def _warn_bidi() -> None:
    warnings.warn(
        "Right-to-left text (Arabic, Hebrew) prints in logical order with unjoined letters: "
        f"{BIDI_HELP} to print it correctly.",
        MissingGlyphsWarning,
        stacklevel=4,
    )


# -- checking a PDF ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfFont:
    name: str
    subtype: str
    embedded: bool


def pdf_fonts(path: str | Path) -> list[PdfFont]:
    """Every font a PDF uses (pages and the forms they draw), and whether it is embedded.

    Needs ``pypdf`` (a test dependency); raises ImportError with a hint when it is missing.
    """
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover - pypdf is in the test extras
        raise ImportError("checking PDF fonts needs pypdf: pip install pypdf") from exc
    found: dict[str, PdfFont] = {}
    seen: set[int] = set()
    for page in PdfReader(str(path)).pages:
        for res in _resources(page.get("/Resources"), seen):
            for font in (res.get("/Font") or {}).values():
                font = font.get_object()
                found.setdefault(str(font.get("/BaseFont")), _describe(font))
    return sorted(found.values(), key=lambda f: f.name)


def unembedded_fonts(path: str | Path) -> list[str]:
    """Names of the fonts a PDF uses without embedding them (empty: all embedded)."""
    return [f.name for f in pdf_fonts(path) if not f.embedded]


def _resources(res: Any, seen: set[int]) -> Iterator[Any]:
    if res is None:
        return
    res = res.get_object()
    if id(res) in seen:
        return
    seen.add(id(res))
    yield res
    for xobj in (res.get("/XObject") or {}).values():
        xobj = xobj.get_object()
        if xobj.get("/Subtype") == "/Form":
            yield from _resources(xobj.get("/Resources"), seen)


def _describe(font: Any) -> PdfFont:
    subtype = str(font.get("/Subtype"))
    if subtype == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant.get("/FontDescriptor")
    else:
        descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return PdfFont(str(font.get("/BaseFont")), subtype, embedded)
