"""Which questionnaire item a survey column holds, recognised from the column's header.

A header carrying the standard wording maps with no user step. Matching forgives what form tools
and people do to a question's text: numbering (``3. ``, ``Q3) ``), required markers (`` *``,
``(required)``), case, punctuation and whitespace, and any category word (the wording was pasted
with "coffee" where the workspace says "products"). A column can also carry a part below the
question — a grid row (``Title [Row]``, ``Title - Row``, SurveyMonkey's second header row) or a
multi-select option — and plain item ids (``k_expertise``, ``c_networks/facebook``) map too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from survey.answer_multi import MultiOptions
from survey.answer_text import label_key
from survey.answers import Target
from survey.questionnaire import QUESTIONNAIRE, Item

_NUMBERING = re.compile(r"^(?:q(?:uestion)?\s*)?\d+(?:[._]\d+)*\s*[.):\-]\s*|^q\d+\s+", re.I)
_REQUIRED = re.compile(r"\s*(?:\*+|\((?:required|optional|verplicht)\))\s*$", re.I)
_TRANSLATE = str.maketrans({"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"'})
_NOT_WORD = re.compile(r"[^\w\s{}]")
_SUB_SUFFIX = re.compile(r"^(.*\S)\s*\[([^\[\]]+)\]$")  # "Title [Row]", "Q12[SQ001]"
_ID_PARTS = re.compile(r"[/\-\[\].:]+")  # item ids never contain these
_ITEMS = {it.id: it for it in QUESTIONNAIRE}
# Second-row labels SurveyMonkey writes under a single-answer question.
SINGLE_ANSWER_LABELS = frozenset({"response", "open-ended response", "open ended response"})


def wording_key(text: str) -> str:
    """A header or wording reduced to its words: numbering, markers, punctuation, case gone."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).strip()
    text = _REQUIRED.sub("", text)
    text = _NUMBERING.sub("", text, count=1)
    text = _NOT_WORD.sub(" ", text.casefold().replace("_", " "))
    return " ".join(text.split())


def _pattern(wording: str) -> re.Pattern[str]:
    """A wording with ``{category}`` as a wildcard for whatever category word the form used."""
    key = wording_key(wording)
    parts = [re.escape(p) for p in key.split("{category}")]
    return re.compile("^" + r"(?:[\w ]+?)".join(parts) + "$")


@dataclass(frozen=True)
class Part:
    """A header split into the question and the part below it (grid row, option), if any."""

    question: str
    sub: str | None = None


def split_header(header: str) -> list[Part]:
    """Ways to read a one-row header: whole, ``Title [Row]``, and at each `` - ``."""
    parts = [Part(header)]
    if m := _SUB_SUFFIX.match(header.strip()):
        parts.append(Part(m.group(1), m.group(2)))
    text = header.strip()
    start = 0
    while (i := text.find(" - ", start)) >= 0:
        parts.append(Part(text[:i], text[i + 3 :]))
        start = i + 3
    return parts


class WordingIndex:
    """The standard questionnaire's wordings, ready to recognise headers."""

    def __init__(self, category: str = "products") -> None:
        self.category = category

    @cached_property
    def _items(self) -> list[tuple[str, re.Pattern[str], Item]]:
        out = []
        for it in QUESTIONNAIRE:
            for wording in {it.wording, it.header("{category}")}:
                exact = wording_key(wording.format(category=self.category))
                out.append((exact, _pattern(wording), it))
        return out

    @cached_property
    def _grids(self) -> list[tuple[str, re.Pattern[str], dict[str, Item]]]:
        grids: dict[str, tuple[str, re.Pattern[str], dict[str, Item]]] = {}
        for it in QUESTIONNAIRE:
            if it.grid is None or it.row is None:
                continue
            title = it.grid.title
            if title not in grids:
                exact = wording_key(title.format(category=self.category))
                grids[title] = (exact, _pattern(title), {})
            grids[title][2][wording_key(it.row.format(category=self.category))] = it
            grids[title][2][it.row] = it  # pattern form, tried below
        return list(grids.values())

    @cached_property
    def _unique_rows(self) -> list[tuple[str, re.Pattern[str], Item]]:
        """Grid row labels that name one item on their own (not the network rows)."""
        seen: dict[str, list[Item]] = {}
        for it in QUESTIONNAIRE:
            if it.row is not None:
                seen.setdefault(it.row, []).append(it)
        return [
            (wording_key(row.format(category=self.category)), _pattern(row), items[0])
            for row, items in seen.items()
            if len(items) == 1
        ]

    def item_for(self, question: str) -> Item | None:
        """The item whose standalone wording (or Forms header) this is."""
        key = wording_key(question)
        if not key:
            return None
        for exact, _, it in self._items:
            if key == exact:
                return it
        for _, pattern, it in self._items:
            if pattern.match(key):
                return it
        return None

    def grid_row(self, question: str, row: str) -> Item | None:
        key, row_key = wording_key(question), wording_key(row)
        for exact, pattern, rows in self._grids:
            if key == exact or pattern.match(key):
                if row_key in rows:
                    return rows[row_key]
                for raw_row, it in rows.items():
                    if "{category}" in raw_row and _pattern(raw_row).match(row_key):
                        return it
        return None

    def row_alone(self, header: str) -> Item | None:
        """A grid row's label standing alone (Microsoft Forms' Likert columns)."""
        key = wording_key(header)
        for exact, _, it in self._unique_rows:
            if key == exact:
                return it
        for _, pattern, it in self._unique_rows:
            if pattern.match(key):
                return it
        return None

    def match(self, question: str, sub: str | None = None) -> Target | None:
        """The target of a column with this question (and part below it), or None."""
        if sub is not None and label_key(sub) in SINGLE_ANSWER_LABELS:
            sub = None
        if sub is None:
            for part in split_header(question):
                target = self._match_part(part.question, part.sub)
                if target is not None:
                    return target
            return self._by_id(question) or _as_target(self.row_alone(question))
        return self._match_part(question, sub) or self._by_id(f"{question}/{sub}")

    def _match_part(self, question: str, sub: str | None) -> Target | None:
        if sub is None:
            return _as_target(self.item_for(question))
        row_item = self.grid_row(question, sub)
        if row_item is not None:
            return Target(row_item.id)
        it = self.item_for(question)
        if it is not None and it.kind == "multi":
            return option_target(it, sub)
        return None

    def _by_id(self, header: str) -> Target | None:
        """Headers that are item ids: ``k_expertise``, Kobo's ``group/k_expertise`` and
        ``c_networks/facebook``, ODK's ``group-k_expertise``, ``c_networks[facebook]``."""
        plain = header.strip().casefold().replace(" ", "_")
        tokens = [t for t in _ID_PARTS.split(plain) if t]
        if not tokens:
            return None
        if tokens[-1] in _ITEMS:
            return Target(tokens[-1])
        if len(tokens) >= 2 and tokens[-2] in _ITEMS and _ITEMS[tokens[-2]].kind == "multi":
            return option_target(_ITEMS[tokens[-2]], tokens[-1])
        return None


def option_target(it: Item, label: str) -> Target:
    """A per-option column of a multi item; an unknown label is an "other" column."""
    code = MultiOptions(it).code_for(label)
    return Target(it.id, code, label, per_option=True)


def _as_target(it: Item | None) -> Target | None:
    return None if it is None else Target(it.id)
