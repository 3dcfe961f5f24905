"""Counts and bands as people type them: ``150``, ``about 200``, ``200+``, ``1,200``, ``1.2k``,
``51-150`` (or with an en dash), ``more than 500``; and which option band a number falls in.

A band the questionnaire states (``51–150``, ``More than 500``) gives that band's stated
representative value (see ``questionnaire.REACH_BANDS``); any other range gives its midpoint;
``N+``, ``at least N`` and ``up to N`` give N; ``more than N`` gives N unless it is the
questionnaire's open top band; ``less than N`` gives the value of the band holding N - 1 (N / 2
without bands). Words such as ``lots`` are not a count: the parser returns None.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from survey.answer_text import label_key
from survey.questionnaire import Option

INF = math.inf


@dataclass(frozen=True)
class Band:
    lo: float
    hi: float
    value: float | None
    label: str


@dataclass(frozen=True, eq=False)  # hashed by identity: one per option set (see option_bands)
class Bands:
    """An item's options read as numeric ranges (reach bands, age bands, years)."""

    bands: tuple[Band, ...]
    by_key: dict[str, Band]

    def containing(self, x: float) -> Band | None:
        """The band x falls in; a value in a gap between bands goes to the nearer one."""
        los = [b.lo for b in self.bands]
        i = bisect_right(los, x) - 1
        if i < 0:
            return None
        band = self.bands[i]
        if x > band.hi and i + 1 < len(self.bands):
            following = self.bands[i + 1]
            if following.lo - x < x - band.hi:
                return following
        return band

    def exact(self, lo: float, hi: float) -> Band | None:
        for band in self.bands:
            if band.lo == lo and band.hi == hi:
                return band
        return None


_RANGE_LABEL = re.compile(r"^(\d+)\s*-\s*(\d+)\b")
_ABOVE_LABEL = re.compile(r"^(?:more than|over)\s+(\d+)\b")
_PLUS_LABEL = re.compile(r"^(\d+)\s*(?:\+|or older|or more|and over)")
_BELOW_LABEL = re.compile(r"^(?:less than|under)\s+(?:a|one|(\d+))\b")
_SINGLE_LABEL = re.compile(r"^(\d+)$")


@lru_cache(maxsize=64)
def option_bands(options: Sequence[Option]) -> Bands:
    """Read each option label as a range; labels that are not ranges are left out."""
    bands: list[Band] = []
    for opt in options:
        key = label_key(opt.label)
        lo = hi = None
        if m := _RANGE_LABEL.match(key):
            lo, hi = float(m.group(1)), float(m.group(2))
        elif m := _ABOVE_LABEL.match(key):
            lo, hi = float(m.group(1)) + 1, INF
        elif m := _PLUS_LABEL.match(key):
            lo, hi = float(m.group(1)), INF
        elif m := _BELOW_LABEL.match(key):
            lo, hi = 0.0, (float(m.group(1)) if m.group(1) else 1.0) - 1e-9
        elif m := _SINGLE_LABEL.match(key):
            lo = hi = float(m.group(1))
        if lo is not None and hi is not None:
            bands.append(Band(lo, hi, opt.value, opt.label))
    bands.sort(key=lambda b: b.lo)
    return Bands(tuple(bands), {label_key(b.label): b for b in bands})


NO_BANDS = Bands((), {})

# Numbers: 150, 1,200, 1.200, 1 200, 1'200, 2.5, 2,5, 1.2k, 3k, 1.5 million
_NUM = r"\d[\d,.'’ \u00a0\u202f]*\d|\d"
_NUM_RE = re.compile(rf"({_NUM})\s*(k|thousand|m|million)?")
_GROUPED = re.compile(r"\d{1,3}(?:[,.'’ \u00a0\u202f]\d{3})+")
_APPROX = re.compile(
    r"^(?:about|around|approx(?:imately)?|approx\.|roughly|circa|ca\.?|c\.|maybe|probably|"
    r"almost|nearly|estimated|est\.?|some|~|≈|±|\+/-|\+-)\s*"
)
_SUFFIX = re.compile(
    r"\s*(?:people|persons|contacts|friends|followers|connections|members|ish|or so|"
    r"approx\.?|roughly|max|total)\.?$"
)
_ZERO = frozenset({"0", "none", "no one", "nobody", "zero", "not any", "nil"})


def parse_number(token: str) -> float | None:
    """One number as typed, with thousands groups, a decimal comma or a k/million suffix."""
    m = _NUM_RE.fullmatch(token.strip())
    if m is None:
        return None
    digits, scale = m.group(1), m.group(2)
    if _GROUPED.fullmatch(digits) and not (scale and digits.count(",") + digits.count(".") == 1):
        value = float(re.sub(r"\D", "", digits))  # "1,200", "1.200", "1 200": thousands
    else:
        compact = digits.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        if compact.count(",") + compact.count(".") > 1 or "'" in compact or "’" in compact:
            return None
        try:
            value = float(compact.replace(",", "."))
        except ValueError:
            return None
    if scale in ("k", "thousand"):
        value *= 1000
    elif scale in ("m", "million"):
        value *= 1_000_000
    return value


def _normalise(text: str) -> str:
    text = text.casefold().translate(str.maketrans({"–": "-", "—": "-", "−": "-"})).strip()
    text = " ".join(text.split())
    for _ in range(2):  # "about ~200", "roughly 200 people"
        text = _APPROX.sub("", text)
        text = _SUFFIX.sub("", text).strip()
    return text


_BETWEEN = re.compile(rf"(?:between\s+)?({_NUM}\s*k?)\s*(?:-|to|and|/)\s*({_NUM}\s*k?)")
_MORE = re.compile(rf"(?:more than|over|above|greater than|>|>=)\s*({_NUM}\s*k?)")
_PLUS = re.compile(
    rf"({_NUM}\s*k?)\s*(?:\+|or more|and more|and up|and over|plus)|"
    rf"(?:at least|min\.?|minimum)\s*({_NUM}\s*k?)"
)
_LESS = re.compile(rf"(?:less than|under|fewer than|below|<)\s*({_NUM}\s*k?)")
_UP_TO = re.compile(rf"(?:up to|at most|max\.?|maximum|<=)\s*({_NUM}\s*k?)")


def parse_count(text: str, bands: Bands = NO_BANDS) -> float | None:
    """A count of people from what a respondent typed; None when it is not one (``lots``)."""
    if text.isascii() and text.isdigit():
        return float(text)  # most answers: no band is a single number other than its own
    return _parse_count(text, bands)


@lru_cache(maxsize=1 << 16)  # the same texts recur across the 13 reach columns
def _parse_count(text: str, bands: Bands) -> float | None:
    key = label_key(text)
    band = bands.by_key.get(key)
    if band is not None and band.value is not None:
        return band.value
    t = _normalise(text)
    if t in _ZERO:
        return 0.0
    value = parse_number(t)
    if value is not None:
        return value
    if m := _BETWEEN.fullmatch(t):
        a, b = parse_number(m.group(1)), parse_number(m.group(2))
        if a is None or b is None or a > b:
            return None
        exact = bands.exact(a, b)
        return exact.value if exact is not None and exact.value is not None else (a + b) / 2
    if m := _MORE.fullmatch(t):
        n = parse_number(m.group(1))
        if n is None:
            return None
        top = bands.exact(n + 1, INF)
        return top.value if top is not None and top.value is not None else n
    if m := _PLUS.fullmatch(t):
        return parse_number(m.group(1) or m.group(2))
    if m := _UP_TO.fullmatch(t):
        return parse_number(m.group(1))
    if m := _LESS.fullmatch(t):
        n = parse_number(m.group(1))
        if n is None or n <= 0:
            return None
        inside = bands.containing(n - 1) if bands.bands else None
        return inside.value if inside is not None and inside.value is not None else n / 2
    return None
