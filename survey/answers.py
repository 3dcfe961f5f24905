"""Answer values: what a respondent ticked or typed, as the number the scoring reads.

The contract of the ``answer`` table (the scoring engine relies on it). One row per answer:

* **scale** items: ``item_id`` the item id (``k_expertise``), ``raw`` the cell as given (trimmed),
  ``value`` on the item's own scale: 1–7 agreement, 1–5 closeness and publicness, 0–10 NPS.
* **frequency** items (``p_reviews``): ``value`` 0–4, Never … Daily.
* **count** items (reach, ``r_instagram``): ``value`` the number of contacts; a band gives its
  stated value (0/3/10/30/100/300/750, ``questionnaire.REACH_BANDS``).
* **choice** items (``age_band``, ``k_years``): ``value`` the option's value (NULL for an option
  without one, "Prefer not to say"); a typed number goes to the option band holding it.
* **yesno** items (``consent``): ``value`` 1 yes, 0 no.
* **number** items: the number. **text** items: ``value`` NULL.
* **multi** items: one row per ticked option, ``item_id`` ``<item>:<option code>``
  (``c_networks:instagram``), ``raw`` the option's text as the file gives it, ``value`` 1. A
  piece that is no known option: ``item_id`` the bare item id, ``raw`` the text, ``value`` NULL.
* **columns not mapped** to an item: ``item_id`` ``raw:<column header>``, ``raw`` the cell,
  ``value`` NULL — nothing is thrown away, and the scoring never reads them.

* A blank cell gives no row; an unticked option gives no row (so "uses Instagram" is
  ``EXISTS (… item_id = 'c_networks:instagram')``, and a respondent who ticked nothing has none).
* ``value`` is NULL with ``raw`` kept when the text could not be read (``lots`` for a count, a
  label that is no option); the import counts those and names examples in a warning.
* The scoring engine normalises ``value`` with the item's option range from
  ``survey.questionnaire`` (lowest to highest option value), never with the raw text.
* Numbers on a scale item are read against the column's own scale: a column answered only
  1–5 on a 1–7 item is taken as a 1–5 scale and rescaled (1→1, 3→4, 5→7), with a warning; a
  mapping file's ``[scales]`` table can state the source scale instead. Labels are never
  rescaled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from survey import values as V
from survey.answer_counts import Bands, option_bands, parse_count, parse_number
from survey.answer_multi import MultiOptions
from survey.answer_text import bare_number, clean_cell, label_key, numbered_label
from survey.questionnaire import AGREE, CLOSENESS, FREQUENCY, PUBLICNESS, Item
from survey.questionnaire import item as questionnaire_item

RAW_PREFIX = "raw:"
AnswerRow = tuple[str, str, float | None, bool]  # item_id, raw, value, unparseable
Scale = tuple[float, float]

# Blank-ish cells that mean "not answered" ("none" is not here: it is a count, 0).
_BLANK_KEYS = frozenset({"", "-", "--", "n a", "na", "null", "#n a", "not answered", "skipped"})
_NONE_TICKED = frozenset({"none", "none of these", "none of the above", "nothing", "no"})
# Scales tools use for numbered answers, smallest first; the item's own range is also tried.
STANDARD_SCALES: tuple[Scale, ...] = ((0, 4), (1, 5), (1, 7), (1, 10), (0, 10))

# Other wordings of the standard option sets (label keys -> the set's value), keyed by the
# identity of the questionnaire's option tuples (module constants, so the ids are stable).
_WORDS: dict[int, dict[str, float]] = {
    id(AGREE): {
        "completely disagree": 1, "totally disagree": 1, "disagree strongly": 1,
        "mostly disagree": 2, "slightly disagree": 3, "disagree somewhat": 3,
        "neutral": 4, "neither agree or disagree": 4, "neither": 4, "undecided": 4,
        "neither disagree nor agree": 4, "slightly agree": 5, "agree somewhat": 5,
        "mostly agree": 6, "completely agree": 7, "totally agree": 7, "agree strongly": 7,
    },
    id(FREQUENCY): {
        "not at all": 0, "rarely": 1, "seldom": 1, "few times a year": 1, "once a year": 1,
        "yearly": 1, "less than monthly": 1, "every few months": 1, "less often": 1,
        "sometimes": 2, "once a month": 2, "a few times a month": 2, "every month": 2,
        "often": 3, "once a week": 3, "a few times a week": 3, "every week": 3,
        "very often": 4, "every day": 4, "several times a day": 4, "always": 4,
    },
    id(CLOSENESS): {"very close": 5, "close knit": 4, "tight": 4, "very tight": 5,
                    "tight knit": 4, "very tight knit": 5, "somewhat close": 3},
    id(PUBLICNESS): {"private": 1, "one to one": 1, "small circle": 2, "public": 4,
                     "mostly private": 2, "everyone": 5, "anyone": 5},
}  # fmt: skip


@dataclass(frozen=True)
class Target:
    """What one column of the file feeds."""

    item_id: str  # a questionnaire item id, or RAW_PREFIX + the column's header
    option: str | None = None  # per-option column of a multi item: the option code (None: other)
    option_label: str | None = None  # that option as the file names it
    per_option: bool = False  # one column per option (SurveyMonkey, Typeform, LimeSurvey, Kobo)

    @property
    def is_raw(self) -> bool:
        return self.item_id.startswith(RAW_PREFIX)


@dataclass
class ColumnParse:
    """Each distinct cell text of a column and the answer rows it gives."""

    rows: dict[str, list[AnswerRow]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def own_scale(item: Item) -> Scale:
    values = [o.value for o in item.options if o.value is not None]
    return (min(values), max(values)) if values else (0.0, 1.0)


def choose_scale(numbers: set[float], own: Scale) -> Scale | None:
    """The scale a column's numbers were given on: the smallest standard one holding them all.

    The item's own scale wins a tie, and wins outright when the numbers reach its top (NPS
    answers 1–10 are on 0–10); None when no scale holds them (the numbers are errors).
    """
    if not numbers:
        return own
    scales = (own, *STANDARD_SCALES)
    # Numbers no scale holds (11 on a 0–10 item, -1) are errors on their own; the rest decide.
    plausible = [n for n in numbers if any(s[0] <= n <= s[1] for s in scales)]
    if not plausible:
        return None
    lo, hi = min(plausible), max(plausible)
    if own[0] <= lo and hi == own[1]:
        return own  # reaches the item's own top: nobody picking its bottom proves nothing
    candidates = [s for s in scales if s[0] <= lo and hi <= s[1]]
    return min(candidates, key=lambda s: (s[1] - s[0], s != own, s[0] != own[0]))


def rescale(n: float, source: Scale, own: Scale) -> float:
    if source == own:
        return n
    return own[0] + (n - source[0]) * (own[1] - own[0]) / (source[1] - source[0])


class _Options:
    """Label keys of an item's options (and known other wordings) -> option value."""

    def __init__(self, item: Item) -> None:
        self.item = item
        self.values: dict[str, float | None] = {}
        self.values.update({k: float(v) for k, v in _WORDS.get(id(item.options), {}).items()})
        for opt in item.options:
            self.values[label_key(opt.label)] = None if opt.value is None else float(opt.value)
        self.bands: Bands = option_bands(item.options)

    def label(self, text: str) -> tuple[bool, float | None]:
        key = label_key(text)
        if key in self.values:
            return True, self.values[key]
        return False, None


def _mapped(text: str, values: dict[str, float | str]) -> float | str | None:
    return values.get(label_key(text)) if values else None


class ColumnReader:
    """Reads one column's texts into answer rows, a batch of new texts at a time.

    An import reads each distinct text once, as it first appears. Numbers on a scale or
    frequency item are read against a source scale decided from a sample of the column (its
    first rows); :meth:`finish` decides again from every number seen and returns the texts whose
    rows change (rarely any). ``values`` are a mapping file's ``[values]`` for the item (label ->
    value, or -> the label of an option); ``scale`` a stated source scale for numbers.
    """

    def __init__(
        self,
        target: Target,
        *,
        separators: str = ";",
        values: dict[str, float | str] | None = None,
        scale: Scale | None = None,
        sample: Iterable[str] = (),
    ) -> None:
        self.target = target
        self.separators = separators
        self.values = {label_key(k): v for k, v in (values or {}).items()}
        self.stated = scale
        self.notes: list[str] = []
        self.item = None if target.is_raw else questionnaire_item(target.item_id)
        self.opts = None if self.item is None else _Options(self.item)
        self.scaled = self.item is not None and self.item.kind in ("scale", "frequency")
        self.numbers: dict[str, tuple[str, float]] = {}  # text -> (kept, number), numbers seen
        self.own = own_scale(self.item) if self.item is not None else (0.0, 1.0)
        self.scale = scale
        if self.scaled and scale is None:
            found = {n for t in sample if (n := self._number(clean_cell(t))) is not None}
            self.scale = choose_scale(found, self.own)
        if self.item is not None and self.item.kind == "multi":
            base = MultiOptions(self.item)  # [values] may name an option by label or code
            self.multi = MultiOptions(
                self.item,
                tuple((k, base.code_for(v) or v) for k, v in self.values.items()
                      if isinstance(v, str)),
            )  # fmt: skip

    def read(self, texts: Iterable[str]) -> dict[str, list[AnswerRow]]:
        """The answer rows of each text (blank texts give none)."""
        if self.item is None:
            out: dict[str, list[AnswerRow]] = {}
            for text in texts:
                kept = clean_cell(text)
                out[text] = [(self.target.item_id, kept, None, False)] if kept else []
            return out
        if self.item.kind == "multi":
            return {text: self._multi(text) for text in texts}
        return {text: self._one(text) for text in texts}

    def finish(self) -> dict[str, list[AnswerRow]]:
        """Rows that change now that every number in the column was seen (usually none)."""
        if not self.scaled or not self.numbers:
            return {}
        final = self.stated or choose_scale({n for _, n in self.numbers.values()}, self.own)
        changed: dict[str, list[AnswerRow]] = {}
        if final != self.scale:
            self.scale = final
            changed = {t: self._scaled(kept, n) for t, (kept, n) in self.numbers.items()}
        if final is not None and final != self.own and self.stated is None:
            self.notes.append(
                f"{self.target.item_id}: numbers {_fmt(final)} read as a {_fmt(final)} scale "
                f"and rescaled to {_fmt(self.own)}"
            )
        return changed

    def _one(self, text: str) -> list[AnswerRow]:
        item, kept = self.item, clean_cell(text)
        assert item is not None and self.opts is not None
        if label_key(kept) in _BLANK_KEYS:
            return []
        mapped = _mapped(kept, self.values)
        if isinstance(mapped, int | float):
            return [(item.id, kept, float(mapped), False)]
        probe = mapped if isinstance(mapped, str) else kept
        if not self.scaled:
            value, ok = _single(item, self.opts, probe)
            return [(item.id, kept, value, not ok)]
        number = bare_number(probe)
        if number is None:
            known, value = self.opts.label(probe)
            if known:
                return [(item.id, kept, value, False)]
            labelled = numbered_label(probe)
            if labelled is not None:
                known, value = self.opts.label(labelled[1])
                if known:  # "7 - Strongly agree": the label says what the number meant
                    return [(item.id, kept, value, False)]
                number = labelled[0]
        if number is None:
            return [(item.id, kept, None, True)]
        self.numbers[text] = (kept, number)
        return self._scaled(kept, number)

    def _number(self, kept: str) -> float | None:
        """The number a scale answer gives, when it is one and not a known label."""
        if not kept or self.opts is None:
            return None
        number = bare_number(kept)
        if number is not None:
            return number
        if self.opts.label(kept)[0]:
            return None
        labelled = numbered_label(kept)
        return None if labelled is None or self.opts.label(labelled[1])[0] else labelled[0]

    def _scaled(self, kept: str, number: float) -> list[AnswerRow]:
        item_id, source = self.target.item_id, self.scale
        if source is None or not source[0] <= number <= source[1]:
            return [(item_id, kept, None, True)]
        return [(item_id, kept, round(rescale(number, source, self.own), 6), False)]

    def _multi(self, text: str) -> list[AnswerRow]:
        item, target, kept = self.item, self.target, clean_cell(text)
        assert item is not None
        if target.per_option:
            ticked = self.multi.ticked(kept, target.option_label)
            if ticked is False or (ticked is None and label_key(kept) in _BLANK_KEYS):
                return []
            if ticked and target.option is not None:
                return [(f"{item.id}:{target.option}", target.option_label or kept, 1.0, False)]
            # An "Other" column's text, or a tick in a column for no known option.
            code = self.multi.code_for(kept)
            if code is not None:
                return [(f"{item.id}:{code}", kept, 1.0, False)]
            shown = target.option_label if ticked else kept
            return [(item.id, shown or kept, None, True)]
        if label_key(kept) in _BLANK_KEYS or label_key(kept) in _NONE_TICKED:
            return []
        found, unknown = self.multi.split(kept, self.separators)
        rows: list[AnswerRow] = [(f"{item.id}:{code}", given, 1.0, False) for code, given in found]
        return rows + [(item.id, piece, None, True) for piece in unknown]


def parse_column(
    target: Target,
    texts: Iterable[str],
    *,
    separators: str = ";",
    values: dict[str, float | str] | None = None,
    scale: Scale | None = None,
) -> ColumnParse:
    """All of a column's distinct texts at once (see ColumnReader)."""
    texts = list(texts)
    reader = ColumnReader(target, separators=separators, values=values, scale=scale, sample=texts)
    rows = reader.read(texts)
    rows.update(reader.finish())
    return ColumnParse(rows, reader.notes)


def _single(item: Item, opts: _Options, text: str) -> tuple[float | None, bool]:
    """(value, understood) for the kinds that need no column-wide decision."""
    if item.kind == "text":
        return None, True
    if item.kind == "count":
        value = parse_count(text, opts.bands)
        return (value, True) if value is not None and value >= 0 else (None, False)
    if item.kind == "number":
        value = parse_number(text.replace("−", "-"))
        return (value, value is not None)
    known, value = opts.label(text)
    if known:
        return value, True
    if item.kind == "yesno":
        try:
            flag = V.parse_bool(text)
        except ValueError:
            return None, False
        return (None if flag is None else float(flag)), flag is not None
    # choice: a number, maybe with a unit ("7 years", "37"), falls in one of the option bands
    number = bare_number(text)
    if number is None:
        labelled = numbered_label(text)
        number = labelled[0] if labelled else parse_count(text)
    band = opts.bands.containing(number) if number is not None and opts.bands.bands else None
    return (band.value, True) if band is not None else (None, False)


def _fmt(scale: Scale) -> str:
    return f"{scale[0]:g}–{scale[1]:g}"
