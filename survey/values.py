"""Value parsers for imported cells: text, e-mail, amounts, integers, booleans, dates.

Pure functions that run once per cell, so a million times per import: each tries the cheap
common case first and only falls back to regular expressions for the odd value. They never
raise anything but ``ValueError`` with a short reason that names the value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Literal

__all__ = [
    "Cell",
    "DateOrder",
    "clean_text",
    "detect_decimal_separator",
    "infer_date_order",
    "is_valid_email",
    "normalise_email",
    "parse_amount",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_excel_serial",
    "parse_int",
]

# Same alias as survey.readers.Cell; repeated so this module stays import-free.
Cell = str | int | float | bool | datetime | date | None
DateOrder = Literal["ymd", "dmy", "mdy"]

# Compared after casefold(). Deliberately short: "none" and "na" are here because tools write
# them for "no value"; "nan" is not, because Nan is a first name.
_MISSING = frozenset({"", "-", "--", "n/a", "na", "null", "none", "#n/a"})
# Invisible characters that survive str.strip(): BOM, zero-width space/joiners, word joiner.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


def _repr(value: object) -> str:
    """Short quoted form of a value for error messages."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# ---------------------------------------------------------------------------------------------
# Text


def clean_text(cell: Cell) -> str | None:
    """Cell as trimmed text; None for blanks and the usual "no value" markers."""
    if cell is None:
        return None
    if isinstance(cell, str):
        text = cell.strip()
        if text and (text[0] in _INVISIBLE or text[-1] in _INVISIBLE):
            text = text.strip(_INVISIBLE).strip()
        # Excel (and Shopify) prefix a cell with ' to keep it text: '0612, '+31...
        if text[:1] == "'":
            text = text[1:].strip()
        if len(text) <= 4 and text.casefold() in _MISSING:
            return None
        return text
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"  # as Excel shows them
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return None
        if cell.is_integer() and abs(cell) < 1e16:
            return str(int(cell))  # XLSX gives 612.0 for 612
        return repr(cell)
    if isinstance(cell, datetime):
        if cell.time() == time(0) and cell.tzinfo is None:
            return cell.date().isoformat()
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return clean_text(str(cell))


# ---------------------------------------------------------------------------------------------
# E-mail


def normalise_email(cell: Cell) -> str | None:
    """Trimmed, lower-cased address without "mailto:", quotes or <>; None when blank.

    Uses lower() rather than casefold(): casefold turns "ß" into "ss", which is a different
    address.
    """
    text = clean_text(cell)
    if text is None:
        return None
    if "<" in text and text.endswith(">"):
        # "Jan Jansen <jan@example.nl>" or "<jan@example.nl>"
        text = text[text.rfind("<") + 1 : -1]
    text = text.strip().strip("\"'").strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].split("?", 1)[0].strip()
    text = text.rstrip(".,;").strip()
    return text.lower() or None


# One regular expression, so the check costs one call: a local part without spaces, controls
# or the characters that separate addresses, not starting or ending with a dot; a domain of
# dotted labels (any letters, so IDN works) that do not start or end with a hyphen.
_EMAIL_RE = re.compile(
    r'(?!\.)(?!.*\.\.)[^\s\x00-\x1f\x7f@<>()\[\]\\,;:"]+(?<!\.)'
    r"@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W_](?:[\w-]*[^\W_])?"
)


def is_valid_email(email: str) -> bool:
    """Pragmatic check: one @, something before it, a dotted domain after it, no spaces."""
    return _EMAIL_RE.fullmatch(email) is not None


# ---------------------------------------------------------------------------------------------
# Numbers

_CURRENCY_SYMBOLS = "$¢£¤¥֏฿₠₡₢₣₤₥₦₧₨₩₪₫€₭₮₯₰₱₲₳₴₵₶₷₸₹₺₻₼₽₾₿﷼"
# Currency words seen before or after amounts. Three-letter upper-case ISO codes are accepted
# generally; lower-case words only from this list so that "12 kg" is not an amount.
_CURRENCY_WORDS = (
    r"kr\.?|kn|zł|zl|kč|kc|ft|lei|lv|s?fr\.?|chf|eur|euros?|usd|gbp|sek|nok|dkk|pln|czk"
    r"|huf|ron|dollars?|pounds?|руб\.?|р\."
)
_AFFIX = rf"(?:[A-Z]{{3}}|[A-Za-z]{{1,3}}\$|(?i:{_CURRENCY_WORDS})|[{_CURRENCY_SYMBOLS}])"
# Thousands separators: dot, comma, apostrophes (Swiss 1'234.50), spaces incl. nbsp variants.
_GROUP_CHARS = ".,'’ \u00a0\u202f\u2009"
_AMOUNT_RE = re.compile(
    rf"""
    (?P<lead>[-−+]|\()?\s*
    (?:{_AFFIX}\s*)?
    (?P<sign>[-−+])?\s*
    (?P<num>[.,]?\d[\d{_GROUP_CHARS}]*)
    \s*(?:{_AFFIX})?\s*
    (?P<trail>\)|-)?
    """,
    re.VERBOSE,
)
_COMMON_AMOUNT = {
    ".": re.compile(r"(-?)[$€£]?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s?[$€£])?"),
    ",": re.compile(r"(-?)[$€£]?\s?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?:\s?[$€£])?"),
}
_GROUP_SPLIT = re.compile(f"[{_GROUP_CHARS}]")


def _digits_with_groups(text: str, original: object, what: str = "an amount") -> str:
    """Integer part with thousands separators removed; groups must look like thousands."""
    if text.isdigit():
        return text
    groups = _GROUP_SPLIT.split(text)
    first, *middle, last = groups
    # 1,234,567 and the Indian 12,34,567: the last group has 3 digits, others 1-3 / 2-3.
    if (
        not (1 <= len(first) <= 3 and first.isdigit())
        or not (len(last) == 3 and last.isdigit())
        or not all(2 <= len(g) <= 3 and g.isdigit() for g in middle)
    ):
        raise ValueError(f"not {what}: {_repr(original)}")
    return "".join(groups)


def _parse_number(num: str, decimal: str, original: object) -> float:
    """Number text (digits and separators only) under the given decimal separator."""
    whole, sep, fraction = num.rpartition(decimal)
    if not sep:
        whole, fraction = num, ""
    elif not fraction.isdigit() and fraction != "":
        raise ValueError(f"not an amount: {_repr(original)}")
    if whole == "":
        if not fraction:
            raise ValueError(f"not an amount: {_repr(original)}")
        whole = "0"
    return float(_digits_with_groups(whole, original) + "." + (fraction or "0"))


def parse_amount(cell: Cell, decimal: str = ".") -> float | None:
    """Money or other amount: "$1,234.50", "1.234,50 €", "(12.00)" -> -12.0; None if blank."""
    if isinstance(cell, str):
        text = cell.strip()
        # Fast path: plain numbers. float() also accepts "1_0", "nan", "inf": guarded below;
        # the pre-checks skip values float() would refuse anyway (a failed float() is slow).
        if (
            text
            and (text[0].isdigit() or text[0] in "-+.")
            and "_" not in text
            and ("," not in text if decimal == "." else "." not in text and text.count(",") < 2)
        ):
            try:
                value = float(text if decimal == "." else text.replace(",", ".", 1))
            except ValueError:
                pass
            else:
                if math.isfinite(value):
                    return value
        # Middle path: the common shapes "$1,234.50" and "1.234,50 €" with one regex.
        common = _COMMON_AMOUNT[decimal].fullmatch(text) if decimal in _COMMON_AMOUNT else None
        if common is not None:
            sign, whole, fraction = common.groups()
            value = float(
                whole.replace("," if decimal == "." else ".", "") + "." + (fraction or "0")
            )
            return -value if sign else value
        return _parse_amount_slow(cell, decimal)
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(f"not an amount: {_repr(cell)}")
    if isinstance(cell, int | float):
        value = float(cell)
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise ValueError(f"not an amount: {_repr(cell)}")
        return value
    raise ValueError(f"not an amount: {_repr(cell)}")


def _parse_amount_slow(cell: str, decimal: str) -> float | None:
    if decimal not in (".", ","):
        raise ValueError(f"decimal separator must be '.' or ',', not {decimal!r}")
    text = clean_text(cell)
    if text is None:
        return None
    match = _AMOUNT_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"not an amount: {_repr(cell)}")
    lead, sign, trail = match["lead"], match["sign"], match["trail"]
    if (lead == "(") != (trail == ")"):
        raise ValueError(f"not an amount: {_repr(cell)}")
    negatives = (lead in ("-", "−", "(")) + (sign in ("-", "−")) + (trail == "-")
    if negatives > 1:
        raise ValueError(f"not an amount: {_repr(cell)}")
    num = match["num"].rstrip(_GROUP_CHARS.replace(decimal, ""))
    value = _parse_number(num, decimal, cell)
    return -value if negatives else value


def parse_int(cell: Cell) -> int | None:
    """Whole number: "12", "12.0", "1,200", "'12"; "1.5" is an error; None if blank."""
    if isinstance(cell, str):
        text = cell.strip()
        if text.isdigit() and text.isascii():
            return int(text)
        if _GROUPED_INT.fullmatch(text):  # 1,200 or 1.200
            return int(text.replace(",", "").replace(".", ""))
        return _parse_int_slow(cell)
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(f"not a whole number: {_repr(cell)}")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        if math.isnan(cell):
            return None
        if cell.is_integer():
            return int(cell)
    raise ValueError(f"not a whole number: {_repr(cell)}")


_GROUPED_INT = re.compile(r"-?\d{1,3}(?:(?:,\d{3})+|(?:\.\d{3})+)")
_INT_RE = re.compile(rf"(?P<sign>[-−+])?\s*(?P<num>\d[\d{_GROUP_CHARS}]*)")


def _parse_int_slow(cell: str) -> int | None:
    text = clean_text(cell)
    if text is None:
        return None
    match = _INT_RE.fullmatch(text)
    if match is None:
        # Exponent forms such as Excel's "1.2E+3" are accepted when whole.
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"not a whole number: {_repr(cell)}") from None
        if not value.is_integer() or "_" in text:
            raise ValueError(f"not a whole number: {_repr(cell)}")
        return int(value)
    num = match["num"].rstrip(_GROUP_CHARS)
    if not num.isdigit():
        try:
            # "1,200", "1.200", "1 200", "1'200": separators grouping thousands.
            num = _digits_with_groups(num, cell, "a whole number")
        except ValueError:
            # "12.0", "1,200.00", "12,00": a decimal part of zeros only.
            cut = max(num.rfind("."), num.rfind(","))
            whole, fraction = num[:cut], num[cut + 1 :]
            if cut <= 0 or fraction.strip("0") or num[cut] in whole:
                raise ValueError(f"not a whole number: {_repr(cell)}") from None
            num = whole if whole.isdigit() else _digits_with_groups(whole, cell, "a whole number")
    value = int(num)
    return -value if match["sign"] in ("-", "−") else value


def detect_decimal_separator(samples: Iterable[str]) -> str:
    """Decimal separator, "." or ",", for a column of amounts, decided from all values given.

    Proof for a separator: both marks present (the later one is the decimal), a mark repeated
    (it is the thousands mark), or a single mark not followed by exactly three digits. "1,234"
    or "1.234" alone prove nothing. Without proof, or on a tie, the answer is ".".
    """
    comma = dot = 0
    for sample in samples:
        if not isinstance(sample, str):
            continue
        last_dot, last_comma = sample.rfind("."), sample.rfind(",")
        if last_dot < 0 and last_comma < 0:
            continue
        if last_dot >= 0 and last_comma >= 0:
            if last_comma > last_dot:
                comma += 1
            else:
                dot += 1
            continue
        mark, pos = (".", last_dot) if last_dot >= 0 else (",", last_comma)
        if sample.count(mark) > 1:
            # 1.234.567 -> thousands dots -> decimal comma, and vice versa.
            if mark == ".":
                comma += 1
            else:
                dot += 1
            continue
        digits_after = 0
        for ch in sample[pos + 1 :]:
            if not ch.isdigit():
                break
            digits_after += 1
        if digits_after == 3:
            continue  # ambiguous
        if mark == ",":
            comma += 1
        else:
            dot += 1
    return "," if comma > dot else "."


# ---------------------------------------------------------------------------------------------
# Booleans

_TRUE = frozenset(
    {
        "yes", "y", "true", "t", "1", "1.0", "ja", "j", "oui", "sí", "si", "x", "✓", "✔",
        "☑", "✅", "on", "checked", "subscribed", "opted in", "opted-in", "opt-in", "opt in",
        # Excel TRUE in Dutch, German, French, Spanish/Italian, Danish/Norwegian, Swedish.
        "waar", "wahr", "vrai", "verdadero", "vero", "sand", "sant",
    }
)  # fmt: skip
_FALSE = frozenset(
    {
        "no", "n", "false", "f", "0", "0.0", "nee", "nein", "non", "off", "unchecked",
        "unsubscribed", "not subscribed", "not_subscribed", "never subscribed", "opted out",
        "opted-out", "opt-out", "opt out", "onwaar", "falsch", "faux", "falso", "falsk", "falskt",
    }
)  # fmt: skip


def parse_bool(cell: Cell) -> bool | None:
    """Yes/no in the usual spellings and languages; None if blank; ValueError otherwise."""
    if isinstance(cell, str):
        key = cell.strip().casefold()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        text = clean_text(cell)
        if text is None:
            return None
        key = " ".join(text.casefold().split())
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueError(f"not yes or no: {_repr(cell)}")
    if cell is None:
        return None
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    raise ValueError(f"not yes or no: {_repr(cell)}")


# ---------------------------------------------------------------------------------------------
# Dates

# First three numbers of a numeric date and what follows: 05.03.2024, 5/3/24, 2024-03-05 10:00
_NUMERIC_DATE = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})\.?(?:[T\s,]+(.*))?")
_ORDINAL = r"(?:st|nd|rd|th|er|e|\.)?"
_MONTH_WORD = r"([^\W\d_]{3,10})\.?"
_TEXT_DMY = re.compile(
    rf"(\d{{1,2}}){_ORDINAL}[\s/-]*{_MONTH_WORD},?[\s/-]*(\d{{2}}|\d{{4}})\b,?\s*(.*)"
)
_TEXT_MDY = re.compile(rf"{_MONTH_WORD}[\s/-]*(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})\b,?\s*(.*)")
_WEEKDAY = re.compile(r"([^\W\d_]{2,10})\.?,?\s+(?=\d|[^\W\d_]{3})")
_TIME = re.compile(
    r"""
    (\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?      # 4:05:06.123
    \s*([AaPp])?(?(5)\.?[Mm]\.?)                                       # AM / p.m.
    \s*(?:(Z|UTC|GMT)?\s*(?:([-+−])(\d{1,2})(?::?(\d{2}))?)?)          # Z, GMT+1, +05:30
    """,
    re.VERBOSE,
)

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january januari januar janvier janv enero ene gennaio gen",
        "feb february februari februar fevrier fevr febrero febbraio",
        "mar march maart mrt marz maerz mrz mars marzo",
        "apr april avril avr abril aprile",
        "may mei mai mayo maggio mag",
        "jun june juni juin junio giugno giu",
        "jul july juli juillet juil julio luglio lug",
        "aug august augustus aout agosto ago",
        "sep sept september septembre septiembre settembre set",
        "oct october oktober okt octobre octubre ottobre ott",
        "nov november novembre noviembre",
        "dec december dezember dez decembre diciembre dic dicembre",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_ACCENTS = str.maketrans("éèêëûüäöàâîôç", "eeeeuuaoaaioc")


def _month_number(word: str) -> int | None:
    return _MONTHS.get(word.casefold().translate(_ACCENTS).rstrip("."))


# Two-digit years: 20yy unless that is more than 20 years ahead (then 19yy), so birthdays
# like 5/3/62 land in 1962 and 5/3/24 in 2024.
_PIVOT_YEAR = date.today().year + 20


def _full_year(year: int, digits: int) -> int:
    if digits > 2:
        return year
    full = 2000 + year
    return full if full <= _PIVOT_YEAR else full - 100


def _default_order(separator: str) -> DateOrder:
    """Order for a date whose day and month are both <= 12 when no order is known.

    "." and "-" are day-first (German, Dutch, Scandinavian dd.mm.yyyy, dd-mm-yyyy); "/" is
    month-first, as in US exports (SurveyMonkey, Google Forms in en-US, Shopify).
    """
    return "mdy" if separator == "/" else "dmy"


def _make_date(year: int, month: int, day: int, original: object) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"not a valid date: {_repr(original)}") from None


def _split_date(text: str, order: DateOrder, original: object) -> tuple[date | None, str]:
    """Date part of a text value and the rest (time, zone); date None when the year is 0000."""
    match = _NUMERIC_DATE.fullmatch(text)
    if match is not None:
        a, sep, b, c, rest = match.groups()
        if len(a) >= 3:
            year, month, day = int(a), int(b), int(c)
            if len(a) == 3 or len(c) > 2:
                raise ValueError(f"not a valid date: {_repr(original)}")
            if year == 0:
                return None, rest or ""  # Square birthdays: 0000-03-05, year unknown
        elif len(c) in (2, 4):
            first, second = int(a), int(b)
            if order == "ymd":
                # "ymd" means no day/month order known: use what the value proves, then the
                # separator's convention.
                if first > 12 >= second:
                    order = "dmy"
                elif second > 12 >= first:
                    order = "mdy"
                else:
                    order = _default_order(sep)
            day, month = (first, second) if order == "dmy" else (second, first)
            year = int(c)
            if year == 0 and len(c) == 4:
                return None, rest or ""
            year = _full_year(year, len(c))
        else:
            raise ValueError(f"not a valid date: {_repr(original)}")
        return _make_date(year, month, day, original), rest or ""
    if len(text) == 8 and text.isdigit() and text[:2] in ("19", "20"):
        return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]), original), ""
    stripped = text
    if text[:1].isalpha():
        weekday = _WEEKDAY.match(text)
        if weekday is not None and _month_number(weekday[1]) is None:
            stripped = text[weekday.end() :]  # "Tue, 5 Mar 2024"
    for pattern, day_group, month_group in ((_TEXT_DMY, 1, 2), (_TEXT_MDY, 2, 1)):
        match = pattern.fullmatch(stripped)
        if match is None:
            continue
        month = _month_number(match[month_group])
        if month is None:
            continue
        year_text = match[3]
        year = _full_year(int(year_text), len(year_text))
        return _make_date(year, month, int(match[day_group]), original), match[4]
    raise ValueError(f"not a date: {_repr(original)}")


def parse_excel_serial(cell: Cell) -> datetime | None:
    """Excel serial day number (1900 system) as a naive datetime: 45356 -> 2024-03-05.

    For XLSX numbers and for digit strings in a column known to hold serials. Serials 1-59
    predate Excel's phantom 29 February 1900 and are shifted accordingly.
    """
    if cell is None:
        return None
    if isinstance(cell, bool) or not isinstance(cell, int | float | str):
        raise ValueError(f"not an Excel date number: {_repr(cell)}")
    if isinstance(cell, str):
        text = clean_text(cell)
        if text is None:
            return None
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"not an Excel date number: {_repr(cell)}") from None
    else:
        value = float(cell)
    if not (1 <= value < 2958466):  # 2958465 = 9999-12-31
        raise ValueError(f"not an Excel date number: {_repr(cell)}")
    base = datetime(1899, 12, 31) if value < 60 else datetime(1899, 12, 30)
    # Round to the millisecond: serial fractions carry binary noise.
    return base + timedelta(milliseconds=round(value * 86_400_000))


def _serial_from_number(cell: int | float) -> datetime:
    if isinstance(cell, bool) or not (20000 <= cell <= 80000):
        raise ValueError(f"not a date: {_repr(cell)}")
    result = parse_excel_serial(cell)
    assert result is not None
    return result


def _parse_time(rest: str, original: object) -> tuple[time, timezone | None]:
    match = _TIME.fullmatch(rest.strip())
    if match is None:
        raise ValueError(f"not a valid time: {_repr(original)}")
    hour_t, minute_t, second_t, frac_t, ampm, zone_name, zsign, zhours, zminutes = match.groups()
    if minute_t is None and ampm is None:
        raise ValueError(f"not a valid time: {_repr(original)}")  # a bare number is no time
    hour, minute, second = int(hour_t), int(minute_t or 0), int(second_t or 0)
    micro = int((frac_t or "0")[:6].ljust(6, "0"))
    if ampm is not None:
        if not 1 <= hour <= 12:
            raise ValueError(f"not a valid time: {_repr(original)}")
        hour = hour % 12 + (12 if ampm in "Pp" else 0)
    tz: timezone | None = None
    if zsign is not None:
        offset = timedelta(hours=int(zhours), minutes=int(zminutes or 0))
        if offset >= timedelta(hours=24):
            raise ValueError(f"not a valid time zone: {_repr(original)}")
        tz = timezone(-offset if zsign in "-−" else offset)
    elif zone_name is not None:
        tz = UTC
    try:
        return time(hour, minute, second, micro), tz
    except ValueError:
        raise ValueError(f"not a valid time: {_repr(original)}") from None


def _iso_fast(text: str) -> datetime | None:
    """datetime.fromisoformat for the ISO shapes tools write; None when not ISO."""
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    return None


def parse_date(cell: Cell, order: DateOrder = "ymd") -> date | None:
    """Calendar date from text, a date/datetime cell or an XLSX serial number; None if blank.

    ``order`` says how to read d/m/y values whose day and month are both 12 or less; the default
    "ymd" means "not known": year-first values are always read as year-month-day, and others use
    what the value itself proves, then the separator's convention ("." and "-" day-first, "/"
    month-first). A time part after the date is ignored. "0000-03-05" gives None: the year is
    unknown.
    """
    if isinstance(cell, str):
        text = cell.strip()
        # Fast path: ISO 2024-03-05, with or without a time after it (C-level parsing).
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            tail = text[10:11]
            if not tail or (tail in "T " and text[11:12].isdigit()):
                try:
                    return date.fromisoformat(text[:10])
                except ValueError:
                    pass  # year 0000, 30 February, stray characters: the slow path says which
        text = clean_text(cell) or ""
        if not text:
            return None
        day, rest = _split_date(text, order, cell)
        if rest and not rest.lstrip()[:1].isdigit():
            raise ValueError(f"not a date: {_repr(cell)}")  # only a time may follow
        return day
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if isinstance(cell, float) and math.isnan(cell):
            return None
        return _serial_from_number(cell).date()
    raise ValueError(f"not a date: {_repr(cell)}")


def parse_datetime(cell: Cell, order: DateOrder = "ymd") -> datetime | None:
    """Date and time; aware when the value names a zone ("GMT+1", "Z", "+02:00"), else naive.

    Dates are read as in :func:`parse_date`; a date without a time gives midnight.
    """
    if isinstance(cell, str):
        text = cell.strip()
        fast = _iso_fast(text)
        if fast is not None:
            return fast
        text = clean_text(cell) or ""
        if not text:
            return None
        day, rest = _split_date(text, order, cell)
        if day is None:
            return None
        if not rest.strip():
            return datetime(day.year, day.month, day.day)
        clock, tz = _parse_time(rest, cell)
        return datetime.combine(day, clock, tzinfo=tz)
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell
    if isinstance(cell, date):
        return datetime(cell.year, cell.month, cell.day)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if isinstance(cell, float) and math.isnan(cell):
            return None
        return _serial_from_number(cell)
    raise ValueError(f"not a date and time: {_repr(cell)}")


def infer_date_order(samples: Iterable[str], default: DateOrder | None = None) -> DateOrder:
    """Day/month order of a date column, decided from all values given.

    A first number above 12 proves day-first, a second above 12 proves month-first; both in
    one column is a ValueError naming an example of each. Without proof: "ymd" when every
    value is year-first, else ``default`` when given, else the separator's convention
    ("." and "-" day-first, "/" month-first; the most common separator decides).
    """
    dmy_example = mdy_example = None
    year_first = other = 0
    separators: dict[str, int] = {}
    for sample in samples:
        if not isinstance(sample, str):
            continue
        match = _NUMERIC_DATE.match(sample.strip())
        if match is None:
            continue
        a, sep, b, c = match.group(1, 2, 3, 4)
        if len(a) >= 3:
            year_first += 1
            continue
        if len(c) not in (2, 4):
            continue
        other += 1
        separators[sep] = separators.get(sep, 0) + 1
        first, second = int(a), int(b)
        if 12 < first <= 31 and second <= 12:
            dmy_example = dmy_example or sample
        elif 12 < second <= 31 and first <= 12:
            mdy_example = mdy_example or sample
    if dmy_example and mdy_example:
        raise ValueError(
            f"dates disagree: {dmy_example!r} is day-first but {mdy_example!r} is month-first"
        )
    if dmy_example:
        return "dmy"
    if mdy_example:
        return "mdy"
    if year_first and not other:
        return "ymd"
    if default is not None:
        return default
    if separators:
        return _default_order(max(separators, key=separators.__getitem__))
    return "ymd"
