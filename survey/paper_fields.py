"""What a paper questionnaire asks the typist: one field per answer box row, and its check.

The paper form (``reports.questionnaire_pdf``) prints the standard questionnaire as numbered
questions: tick-box rows, grids of statements, and on side two one table with a row per network
(a: I use it, b: how close-knit 1–5, c: how public 1–5, d: how many people). :func:`paper_fields`
lists what a typist types, in the order the eye meets it on paper. Each answer is typed as the
number of the box ticked (scale and frequency items by their value: 1–7 agreement, 0–4 Never …
Daily, 0–10; choices by the option's position, 1 = the first box), a count as written (a number
or a band), yes/no as 1/y or 0/n, a network row's tick as 1 or x, and a tick-all question as its
option numbers. :func:`check` reads one typed text into the answer rows ``survey.answers``
defines, with the option's label as ``raw`` (what a form tool's export of the same tick holds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from survey.answer_counts import option_bands, parse_count, parse_number
from survey.answer_multi import option_code
from survey.answer_text import clean_cell
from survey.questionnaire import NETWORKS, QUESTIONNAIRE, S_NET, Item, Option

TICKS = frozenset({"1", "x", "y", "+", "✓", "✔"})  # a ticked "I use it" box
NO_TICKS = frozenset({"0", "n", "-"})
YES = frozenset({"1", "y", "yes", "j", "ja"})
NO = frozenset({"0", "n", "no", "nee"})

AnswerRow = tuple[str, str, float | None]  # item_id, raw, value: one row of the answer table


@dataclass(frozen=True)
class Field:
    """One answer box row of the paper form, as the typist meets it."""

    key: str  # the item id; "<multi item>:<option code>" for a network row's tick
    item: Item
    kind: str  # the item's kind, or "tick" for one network's "I use it" box
    number: int  # the printed question number
    column: str  # "a"–"d" in the network table, else ""
    row: str  # the grid row or network the box row belongs to ("" for a single question)
    question: str  # the printed question, category filled in
    side: int  # side 1 or 2 of the sheet
    codes: tuple[str, ...] = ()  # what to type for each option (numbered kinds)
    option: Option | None = None  # the option a tick field ticks

    @property
    def name(self) -> str:
        """How messages name this field: 'Question 5b (Facebook, how close-knit)'."""
        if self.column:
            grid = self.item.grid.id if self.item.grid else ""
            asks = _COLUMN_WORDS.get(self.kind) or _COLUMN_WORDS.get(grid, self.item.id)
            what = f"{self.row}, {asks}"
        else:
            what = self.row or _short(self.question)
        return f"Question {self.number}{self.column} ({what})"

    @property
    def hint(self) -> str:
        """What may be typed, briefly ("1–7", "0–4", "1 or x", "a number or a band")."""
        if self.kind == "tick":
            return "1 or x if ticked"
        if self.kind == "yesno":
            return "1/y Yes · 0/n No"
        if self.kind == "count":
            return "a number or a band such as 51–150"
        if self.kind == "multi":
            return f"option numbers 1–{len(self.item.options)}, e.g. 1 3"
        if self.kind in ("number", "text"):
            return "as written"
        return f"{self.codes[0]}–{self.codes[-1]}"

    @property
    def expected(self) -> str:
        """The hint with the ends spelled out: '1–7 (1 Strongly disagree … 7 Strongly agree)'."""
        opts = self.item.options
        if self.codes and opts[0].label != self.codes[0]:
            return (f"{self.hint} ({self.codes[0]} {opts[0].label} … "
                    f"{self.codes[-1]} {opts[-1].label})")
        return self.hint

    @property
    def legend(self) -> str:
        """Every option with what to type for it: '1 Strongly disagree · … · 7 Strongly agree'."""
        if self.kind == "multi":
            return " · ".join(f"{i} {o.label}" for i, o in enumerate(self.item.options, 1))
        if not self.codes:
            return self.hint
        return " · ".join(
            c if c == o.label else f"{c} {o.label}"
            for c, o in zip(self.codes, self.item.options, strict=True)
        )

    @property
    def width(self) -> int:
        """Characters a typical answer takes (to size its box)."""
        if self.codes:
            return max(map(len, self.codes))
        return {"tick": 1, "yesno": 1, "count": 7, "multi": 9}.get(self.kind, 12)


@dataclass(frozen=True)
class Checked:
    """What one typed text means for its field."""

    rows: tuple[AnswerRow, ...] = ()
    shown: str = ""  # what it was read as ("Agree", "51–150 → 100")
    error: str | None = None
    complete: bool = False  # nothing longer could be typed: the cursor may move on

    @property
    def ok(self) -> bool:
        return self.error is None


BLANK = Checked(complete=False)


# What a network table column asks, as its printed heading says it.
_COLUMN_WORDS = {"tick": "I use it", "count": "how many people", "closeness": "how close-knit",
                 "publicness": "how public"}


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _codes(it: Item) -> tuple[str, ...]:
    """Scale and frequency boxes are typed as their value, choices as their position."""
    if it.kind in ("scale", "frequency") and all(o.value is not None for o in it.options):
        return tuple(f"{o.value:g}" for o in it.options)
    if it.kind == "choice":
        return tuple(str(i) for i in range(1, len(it.options) + 1))
    return ()


def _is_network_multi(it: Item) -> bool:
    keys = {n.key for n in NETWORKS}
    return it.kind == "multi" and bool(it.options) and {o.code for o in it.options} <= keys


@cache
def paper_fields(category: str = "products") -> tuple[Field, ...]:
    """The answer fields of the paper form, in paper order (see reports.questionnaire_blocks)."""
    out: list[Field] = []
    visible = [it for it in QUESTIONNAIRE if not it.hidden]
    number, side, i = 0, 1, 0
    while i < len(visible):
        it = visible[i]
        number += 1
        if it.section == S_NET:
            side = 2  # the network section starts side two, as printed
        if it.network is not None or _is_network_multi(it):
            j = i
            while j < len(visible) and (visible[j].network is not None or visible[j] is it):
                j += 1
            out += _network_rows(visible[i:j], number, side, category)
        elif it.grid is not None:
            j = i
            while j < len(visible) and visible[j].grid == it.grid:
                row = visible[j]
                out.append(_field(row, number, side, category, row=row.row_label(category) or ""))
                j += 1
        else:
            j = i + 1
            out.append(_field(it, number, side, category))
        i = j
    return tuple(out)


def _field(it: Item, number: int, side: int, category: str, *, row: str = "", column: str = ""
           ) -> Field:
    question = it.grid.title.format(category=category) if it.grid else it.text(category)
    return Field(it.id, it, it.kind, number, column, row, question, side, _codes(it))


def _network_rows(items: list[Item], number: int, side: int, category: str) -> list[Field]:
    """The network table row by row: a (the tick-all item's box), then b, c, d."""
    multi = next((it for it in items if it.network is None), None)
    out: list[Field] = []
    for net in NETWORKS:
        its = [it for it in items if it.network == net.key]
        if not its:
            continue
        if multi is not None:
            index = next(k for k, o in enumerate(multi.options) if o.code == net.key)
            tick = Field(
                f"{multi.id}:{option_code(multi, index)}", multi, "tick", number, "a", net.label,
                multi.text(category), side, option=multi.options[index],
            )
            out.append(tick)
        for letter, it in zip("bcdefgh", its, strict=False):
            out.append(_field(it, number, side, category, row=net.label, column=letter))
    return out


def check(f: Field, text: str) -> Checked:
    """Read one typed answer; a blank gives no rows and no error."""
    kept = clean_cell(text)
    if not kept:
        return BLANK
    key = kept.casefold()
    if f.kind == "tick":
        if key in TICKS:
            assert f.option is not None
            return Checked(((f.key, f.option.label, 1.0),), "ticked", complete=True)
        if key in NO_TICKS:
            return Checked((), "not ticked", complete=True)
        return _error(f, kept)
    if f.kind == "yesno":
        wanted = 1 if key in YES else 0 if key in NO else None
        if wanted is None:
            return _error(f, kept)
        opt = next(o for o in f.item.options if o.value == wanted)
        return Checked(((f.key, opt.label, float(wanted)),), opt.label, complete=len(kept) == 1)
    if f.codes:
        if kept not in f.codes:
            return _error(f, kept)
        opt = f.item.options[f.codes.index(kept)]
        longer = any(c != kept and c.startswith(kept) for c in f.codes)
        value = None if opt.value is None else float(opt.value)
        return Checked(((f.key, opt.label, value),), opt.label, complete=not longer)
    if f.kind == "count":
        count = parse_count(kept, option_bands(f.item.options))
        if count is None or count < 0:
            return _error(f, kept)
        shown = f"{count:g}" if f"{count:g}" == kept else f"{kept} → {count:g}"
        return Checked(((f.key, kept, float(count)),), shown)
    if f.kind == "multi":
        return _multi(f, kept)
    if f.kind == "number":
        number = parse_number(kept)
        return _error(f, kept) if number is None else Checked(((f.key, kept, number),), kept)
    return Checked(((f.key, kept, None),), kept)  # text: kept as written


def _multi(f: Field, kept: str) -> Checked:
    options = f.item.options
    pieces = [p for p in re.split(r"[\s,;+/.]+", kept) if p]
    if len(pieces) == 1 and len(options) <= 9 and pieces[0].isdigit():
        pieces = list(pieces[0])  # "135" when every option number is one digit
    chosen: set[int] = set()
    for piece in pieces:
        if not piece.isdigit() or not 1 <= int(piece) <= len(options):
            return Checked(error=f"{f.name}: {piece!r} is not an option number (1–{len(options)})")
        chosen.add(int(piece) - 1)
    rows = tuple(
        (f"{f.item.id}:{option_code(f.item, k)}", options[k].label, 1.0) for k in sorted(chosen)
    )
    return Checked(rows, ", ".join(options[k].label for k in sorted(chosen)))


def _error(f: Field, kept: str) -> Checked:
    return Checked(error=f"{f.name}: {kept!r} is not an answer here; type {f.expected}")
