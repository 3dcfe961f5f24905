"""Small text helpers shared by the answer parsers: label keys and leading/trailing numbers.

A *label key* is how two spellings of one answer are recognised as the same: "Strongly Agree",
"strongly_agree" (KoboToolbox choice names), "Strongly agree." and "Private, one to one" vs
"private one to one", "Very close-knit" and "very_close_knit" all give the same key. Digits,
"+" and "-" between digits are kept, so bands such as "51–150" and "51-150" share a key too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "‒": "-", "‐": "-", "’": "'", "‘": "'"})
_NOT_KEY = re.compile(r"[^\w\s+-]")
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")  # close-knit = close_knit = close knit
# "1 - Strongly disagree", "5 (Expert)", "7 = Strongly agree", "3. Monthly", "(1) Never"
_LEADING_NUMBER = re.compile(r"^\(?\s*(\d+(?:[.,]\d+)?)\s*(?:\)|[-=:.]\s|\s)\s*(.*)$")
_BARE_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")
# "Strongly disagree (1)", "Never - 0"
_TRAILING_NUMBER = re.compile(r"^(.*\D)\s*[(=-]\s*(\d+(?:[.,]\d+)?)\s*\)?$")


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """Case-folded, dashes unified, punctuation and underscores to spaces, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_DASHES)
    text = _WORD_HYPHEN.sub(" ", _NOT_KEY.sub(" ", folded).replace("_", " "))
    return " ".join(text.split())


def bare_number(text: str) -> float | None:
    """The number when the whole text is one ("5", "5.0", "7,5"), else None."""
    text = text.strip()
    if not _BARE_NUMBER.match(text):
        return None
    return float(text.replace(",", "."))


def numbered_label(text: str) -> tuple[float, str] | None:
    """A number written with a label, either side: ("1 - Not at all") -> (1, "Not at all")."""
    text = text.strip()
    match = _LEADING_NUMBER.match(text)
    if match and match.group(2):
        return float(match.group(1).replace(",", ".")), match.group(2).strip(" ()")
    match = _TRAILING_NUMBER.match(text)
    if match:
        return float(match.group(2).replace(",", ".")), match.group(1).strip(" -=(")
    return None


def clean_cell(text: str) -> str:
    """The cell as kept in ``answer.raw``: trimmed, Excel's leading apostrophe dropped."""
    text = text.strip()
    if text[:1] == "'":
        text = text[1:].strip()
    return text
