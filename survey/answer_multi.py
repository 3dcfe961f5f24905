"""Multi-select answers: which options a cell names, and per-option columns' ticks.

Tools join ticked options with a separator (Google Forms ``;``, Google Sheets ``, ``, Microsoft
Forms ``;`` with a trailing one, Qualtrics ``,``, KoboToolbox a space between choice names).
Splitting on the separator breaks labels that contain it (``Clubs, societies or teams``), so the
known option labels are found first, longest first, each bounded by separators or the cell's
ends; only what is left over is split, and each leftover piece is an unknown option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from survey.answer_text import clean_cell, label_key
from survey.questionnaire import Item

# Other spellings people and tools use for the standard networks (label keys, see label_key).
NETWORK_SYNONYMS = {
    "twitter": "x",
    "x": "x",
    "x twitter": "x",
    "twitter x": "x",
    "e mail": "email",
    "mail": "email",
    "newsletter": "email",
    "online forums": "forums",
    "forums": "forums",
    "online communities": "forums",
    "communities": "forums",
    "reddit": "forums",
    "clubs": "clubs",
    "clubs or societies": "clubs",
    "sports clubs": "clubs",
    "societies": "clubs",
    "teams": "clubs",
    "neighborhood": "neighbourhood",
    "neighbours": "neighbourhood",
    "neighbors": "neighbourhood",
    "family": "family",
    "friends": "family",
    "family friends": "family",
    "whatsapp groups": "whatsapp",
    "fb": "facebook",
    "insta": "instagram",
    "ig": "instagram",
    "yt": "youtube",
    "tik tok": "tiktok",
    "workplace": "work",
    "colleagues": "work",
}
# Cells that tick an option in a per-option column (besides the option's own label).
TICKED = frozenset({"1", "1.0", "y", "yes", "true", "x", "✓", "✔", "checked", "selected", "ja"})
UNTICKED = frozenset({"0", "0.0", "n", "no", "false", "unchecked", "not selected", "nee", ""})


def option_code(item: Item, index: int) -> str:
    """The option's stable code: its own code, else a key made from its label."""
    opt = item.options[index]
    return opt.code or label_key(opt.label).replace(" ", "_")


@dataclass(frozen=True)
class MultiOptions:
    """How one multi item's options are recognised in text."""

    item: Item
    extra: tuple[tuple[str, str], ...] = ()  # (text key, option code) from a mapping's [values]

    @cached_property
    def by_key(self) -> dict[str, str]:
        """Label key (of a label, code or synonym) -> option code."""
        keys: dict[str, str] = {}
        codes = {option_code(self.item, i) for i in range(len(self.item.options))}
        if self.item.id == "c_networks":
            keys.update({k: v for k, v in NETWORK_SYNONYMS.items() if v in codes})
        for i, opt in enumerate(self.item.options):
            code = option_code(self.item, i)
            keys[label_key(code)] = code
            keys[label_key(opt.label)] = code
        keys.update(self.extra)
        return keys

    @cached_property
    def _finders(self) -> dict[bool, re.Pattern[str]]:
        """Known labels, codes and synonyms, longest first, bounded by separators (or spaces)."""
        texts = {o.label for o in self.item.options} | set(self.by_key)
        words = sorted(texts, key=len, reverse=True)
        alternatives = "|".join(r"[\s_]+".join(map(re.escape, w.split())) for w in words if w)
        return {
            spaced: re.compile(
                rf"(?:^|(?<={edge}))\s*({alternatives})\s*(?={edge}|$)", re.IGNORECASE
            )
            for spaced, edge in ((False, r"[;,|\n]"), (True, r"\s"))
        }

    def code_for(self, text: str) -> str | None:
        return self.by_key.get(label_key(text))

    def split(self, cell: str, separators: str) -> tuple[list[tuple[str, str]], list[str]]:
        """The ticked options in a cell as (code, text as given), and the unknown pieces.

        ``separators`` is the tool's joiner; a blank one (KoboToolbox) means whitespace.
        """
        text = clean_cell(cell)
        whole = self.code_for(text)
        if whole is not None:
            return [(whole, text)], []
        spaced = not separators.strip()
        found: list[tuple[str, str]] = []
        pieces: list[str] = []
        last = 0
        for match in self._finders[spaced].finditer(text):
            code = self.code_for(match.group(1))
            if code is not None:
                found.append((code, match.group(1)))
                pieces.append(text[last : match.start()])
                last = match.end()
        pieces.append(text[last:])
        unknown = [
            piece.strip()
            for piece in re.split(r"\s+" if spaced else r"[;,|\n]", "\n".join(pieces))
            if piece.strip()
        ]
        unique: dict[str, str] = {}
        for code, given in found:
            unique.setdefault(code, given)  # the same option twice counts once
        return list(unique.items()), unknown

    def ticked(self, cell: str, option_label: str | None) -> bool | None:
        """A per-option column's cell: True ticked, False not, None when it is other text."""
        key = label_key(cell)
        if key in UNTICKED:
            return False
        if key in TICKED:
            return True
        if option_label is not None and (
            key == label_key(option_label) or self.code_for(cell) == self.code_for(option_label)
        ):
            return True
        return None
