"""CSV specifics: encoding and delimiter detection, and streaming records with row numbers.

Decoding strategy, so a 1M-row file with one stray byte in row 800,000 neither crashes nor
silently garbles:
1. Detection samples the start, the middle and the end of the file: plain ASCII at the top
   and Windows-1252 further down is still seen. A UTF-8 file with a few stray legacy bytes
   (hand-edited or concatenated exports) stays UTF-8.
2. Reading is a strict text stream into the csv module (fast, C all the way). If it meets an
   undecodable byte, every record yielded so far was complete and correct, so reading
   restarts on a lenient path and skips those records. The lenient path splits the binary
   file into lines and decodes each on its own; a line that fails is decoded with a fallback
   (UTF-8: the offending bytes as Windows-1252, which is what they almost always are; other
   encodings: U+FFFD) and a warning names the exact row.
3. UTF-16/32 cannot be split into lines as bytes; there the lenient path is a text stream with
   a counting error handler, and the warning names the row being read when it fired.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from survey.readers import SAMPLE_BYTES, FileFormat, _fail

DELIMITERS = (",", ";", "\t", "|")
# Long enough for any real note (Excel's own cell limit is 32,767 characters) while a quote
# that is never closed still fails fast instead of swallowing a large file into one cell.
FIELD_SIZE_LIMIT = 8 * 1024 * 1024
_SNIFF_RECORDS = 50
_MAX_ROW_WARNINGS = 5
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Decode errors are counted per thread so a text-stream reader can tell that one happened.
_decode_errors = threading.local()


def _count_error() -> None:
    _decode_errors.count = getattr(_decode_errors, "count", 0) + 1


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 decoded as Windows-1252 instead."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _count_error()
    chunk = error.object[error.start : error.end]
    return bytes(chunk).decode("cp1252", errors="replace"), error.end


def _counted_replace(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: U+FFFD for undecodable bytes, counted."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _count_error()
    return "\ufffd", error.end


codecs.register_error("scorecard-cp1252", _cp1252_fallback)
codecs.register_error("scorecard-replace", _counted_replace)


# ---------------------------------------------------------------------------------------------
# Detection


def detect_text_format(
    path: Path, head: bytes, *, encoding: str | None, delimiter: str | None
) -> FileFormat:
    """Encoding and delimiter of a text file whose first bytes are ``head``."""
    encoding = _check_encoding(path, head, encoding) if encoding else _detect_encoding(path, head)
    text = head.decode(encoding, errors="replace")
    if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
        text = text.lstrip("\ufeff")
    complete = len(head) < SAMPLE_BYTES
    if complete and not text.strip(" \t\r\n\ufeff\x00\x1a"):
        raise _fail(path, "the file is empty")
    if delimiter:
        delimiter = _check_delimiter(path, delimiter)
    else:
        if not complete:
            # Drop the record cut off by the sample's end.
            cut = max(text.rfind("\n"), text.rfind("\r"))
            text = text[: cut + 1] if cut > 0 else text
        delimiter = sniff_delimiter(text)
    return FileFormat("csv", encoding=encoding, delimiter=delimiter)


def _check_encoding(path: Path, head: bytes, encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise _fail(path, f"{encoding!r} is not an encoding this program knows") from None
    if name == "utf-8" and head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return name


def _check_delimiter(path: Path, delimiter: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    delimiter = named.get(delimiter.lower(), delimiter)
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise _fail(path, f"{delimiter!r} cannot be used as a column separator")
    return delimiter


def _detect_encoding(path: Path, head: bytes) -> str:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16 is None:
            raise _fail(path, "this is not a text or spreadsheet file (it contains binary data)")
        return utf16
    controls = sum(head.count(bytes([b])) for b in (*range(1, 9), *range(14, 26), *range(28, 32)))
    if controls > max(2, len(head) // 100):
        raise _fail(path, "this is not a text or spreadsheet file (it contains binary data)")
    samples = [head, *_later_samples(path, len(head))]
    if all(_valid_utf8(sample, first=i == 0) for i, sample in enumerate(samples)):
        return "utf-8"
    if _mostly_utf8(samples):
        # A UTF-8 file with a few stray legacy bytes (a concatenated or hand-edited export):
        # reading it as UTF-8 keeps every valid character; the stray bytes are decoded as
        # Windows-1252 with a warning naming their rows.
        return "utf-8"
    return _legacy_encoding(b"\n".join(samples))


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _mostly_utf8(samples: list[bytes]) -> bool:
    """At least as many valid multi-byte UTF-8 characters as invalid bytes in the samples.

    Real Windows-1252 text almost never forms valid UTF-8 sequences ("Ã©" would be needed), so
    valid ones prove UTF-8 and the invalid ones are strays.
    """
    valid = invalid = 0
    for sample in samples:
        text = sample.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        invalid += bad
        valid += len(_NON_ASCII.findall(text)) - bad
    return valid > 0 and valid >= invalid


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when NULs sit in every other byte (mostly-ASCII UTF-16)."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
    if odd > 0.6 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.6 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _later_samples(path: Path, head_size: int) -> list[bytes]:
    """Non-overlapping chunks from the middle and the end of a file longer than its head."""
    size = path.stat().st_size
    if size <= head_size:
        return []
    if size <= head_size + 2 * SAMPLE_BYTES:
        ranges = [(head_size, size - head_size)]  # the rest, in one piece
    else:
        ranges = [(size // 2, SAMPLE_BYTES), (size - SAMPLE_BYTES, SAMPLE_BYTES)]
    chunks = []
    with path.open("rb") as handle:
        for offset, length in ranges:
            handle.seek(offset)
            chunks.append(handle.read(length))
    return chunks


def _valid_utf8(chunk: bytes, *, first: bool) -> bool:
    """Whether a chunk is UTF-8, tolerating sequences cut at either end of the chunk."""
    if not first:
        # Skip continuation bytes of a character that started before the chunk.
        skip = 0
        while skip < 3 and skip < len(chunk) and 0x80 <= chunk[skip] <= 0xBF:
            skip += 1
        chunk = chunk[skip:]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(chunk, final=False)
    except UnicodeDecodeError:
        return False
    return True


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{3,}")
_CP1250_TELLS = re.compile(r"(?<=[^\W\d_])[¹³¿¥Ÿ]")


def _legacy_encoding(sample: bytes) -> str:
    """Encoding of a non-UTF-8 sample: Windows-1252 unless the bytes clearly are another script.

    charset-normalizer is unreliable on the short, mostly-ASCII samples a member list gives
    (it calls a Dutch file "johab"), so Windows-1252, which decodes Western European text
    correctly, wins unless its reading looks wrong: undefined bytes, Central European letters
    turned into ³ ¹ ¿ inside words (then Windows-1250), or most non-ASCII characters sitting in
    runs of three or more ("Ïðèâåò" is Cyrillic read as cp1252; Western text has accents
    between plain letters). Only then is charset-normalizer asked.
    """
    try:
        western = sample.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None:
        if len(_CP1250_TELLS.findall(western)) >= 2:
            # Polish/Czech Windows-1250 read as 1252 puts ³ ¹ ¿ ¥ Ÿ inside words ("£ódŸ").
            return "cp1250"
        non_ascii = len(_NON_ASCII.findall(western))
        in_runs = sum(len(run) for run in _NON_ASCII_RUN.findall(western))
        if in_runs * 10 <= non_ascii * 3:
            return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        return "cp1252"
    return codecs.lookup(best.encoding).name


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first records most consistently into more than one field.

    Each candidate parses the sample with the csv module (so quoted separators do not count);
    the winner has the most records sharing one field count above 1, then the larger count.
    """
    best, best_score = ",", (0, 0)
    for candidate in DELIMITERS:
        counts: dict[int, int] = {}
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=candidate)
        try:
            for cells in islice(reader, _SNIFF_RECORDS):
                if len(cells) > 1 and any(cell.strip() for cell in cells):
                    counts[len(cells)] = counts.get(len(cells), 0) + 1
        except csv.Error:
            continue
        if not counts:
            continue
        fields, records = max(counts.items(), key=lambda item: (item[1], item[0]))
        if (records, fields) > best_score:
            best, best_score = candidate, (records, fields)
    return best


# ---------------------------------------------------------------------------------------------
# Reading


def iter_rows(
    path: Path, fmt: FileFormat, warnings: list[str]
) -> Generator[tuple[int, list[str]], None, None]:
    """Stream (row number, cells) for every record, blank ones included.

    The fast path is a strict text stream straight into the csv module. If it meets bytes the
    encoding cannot decode, every record yielded so far was already complete and
    correct, so reading restarts leniently and skips those records (see the module docstring).
    """
    encoding = fmt.encoding or "utf-8"
    delimiter = fmt.delimiter or ","
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(FIELD_SIZE_LIMIT)
    count = 0
    cells: list[str] = []
    try:
        with path.open(encoding=encoding, newline="") as stream:
            for cells in csv.reader(stream, delimiter=delimiter):
                count += 1
                yield count, cells
    except UnicodeDecodeError:
        pass
    except csv.Error as exc:
        raise _fail(path, f"row {count + 1} cannot be read: {_csv_problem(exc)}") from None
    except OSError as exc:
        raise _fail(path, f"cannot be opened ({exc.strerror or exc})") from None
    else:
        _check_last_record(warnings, count, cells)
        return
    yield from _lenient_rows(path, encoding, delimiter, warnings, skip=count)


def _check_last_record(warnings: list[str], count: int, cells: list[str]) -> None:
    if count and sum(cell.count("\n") for cell in cells) > 100:
        warnings.append(
            f'Row {count} runs over many lines to the end of the file: probably a quote (") '
            "that is never closed"
        )


def _lenient_rows(
    path: Path, encoding: str, delimiter: str, warnings: list[str], *, skip: int
) -> Iterator[tuple[int, list[str]]]:
    """The slow path: bytes that do not decode are replaced, and their rows reported."""
    located = _line_safe(encoding)
    problems: list[int] = []  # rows with undecodable bytes
    count = 0
    cells: list[str] = []
    try:
        with path.open("rb") as handle:
            if located:
                if encoding == "utf-8-sig":
                    encoding = "utf-8"
                    if handle.read(3) != codecs.BOM_UTF8:
                        handle.seek(0)
                lines: Iterable[str] = _decoded_lines(handle, encoding, lambda: count, problems)
            else:
                lines = io.TextIOWrapper(
                    handle, encoding=encoding, errors=_errors_for(encoding), newline=""
                )
            errors_before = getattr(_decode_errors, "count", 0)
            reported = 0
            for cells in csv.reader(lines, delimiter=delimiter):
                count += 1
                if count <= skip:
                    continue
                if not located and getattr(_decode_errors, "count", 0) != errors_before:
                    errors_before = _decode_errors.count
                    problems.append(count)
                if len(problems) > reported and reported < _MAX_ROW_WARNINGS:
                    for row in problems[reported:_MAX_ROW_WARNINGS]:
                        warnings.append(_decode_warning(encoding, row, located))
                    reported = min(len(problems), _MAX_ROW_WARNINGS)
                yield count, cells
    except csv.Error as exc:
        raise _fail(path, f"row {count + 1} cannot be read: {_csv_problem(exc)}") from None
    except OSError as exc:
        raise _fail(path, f"cannot be opened ({exc.strerror or exc})") from None
    if len(problems) > _MAX_ROW_WARNINGS:
        warnings.append(f"... and the same in {len(problems) - _MAX_ROW_WARNINGS} more rows")
    _check_last_record(warnings, count, cells)


def _line_safe(encoding: str) -> bool:
    """Whether the encoding's bytes can be split at b"\\n" and each line decoded alone."""
    name = codecs.lookup(encoding).name
    if name == "utf-8-sig":
        return True  # the BOM is skipped before splitting
    if name.startswith(("utf-16", "utf-32", "utf-7", "iso2022", "hz")):
        return False
    try:
        return '\n\r,;\t|"a'.encode(name) == b'\n\r,;\t|"a'
    except UnicodeError:
        return False


def _errors_for(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "scorecard-cp1252" if name in ("utf-8", "utf-8-sig") else "scorecard-replace"


_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def _decoded_lines(
    handle: BinaryIO,
    encoding: str,
    records: Callable[[], int],
    problems: list[int],
) -> Iterator[str]:
    """Lines of a binary file decoded one by one; a bad line is decoded leniently and noted.

    ``records()`` is the number of records the csv reader has produced so far, so a line read
    now belongs to record ``records() + 1`` (a quoted cell may span several lines).
    """
    fallback = _errors_for(encoding)
    for raw in handle:
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError:
            line = raw.decode(encoding, errors=fallback)
            row = records() + 1
            if not problems or problems[-1] != row:
                problems.append(row)
        cr = line.find("\r")
        if cr != -1 and cr != len(line) - 2:
            # A lone CR ends a record too (as in a text stream with newline=""); the csv module
            # would otherwise refuse it in an unquoted field.
            for part in _LONE_CR.split(line):
                if part:
                    yield part
            continue
        yield line


_DISPLAY = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


def _decode_warning(encoding: str, row: int, located: bool) -> str:
    where = f"row {row}" if located else f"row {row} (or just after it)"
    name = _DISPLAY.get(codecs.lookup(encoding).name, encoding)
    instead = "Windows-1252" if name == "UTF-8" else "'\ufffd'"
    return (
        f"Some characters in {where} are not valid {name} and were read as {instead}; "
        "check names with accents, or choose the file's encoding"
    )


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return 'a cell is longer than 8 MB; probably a quote (") that is never closed'
    return text
