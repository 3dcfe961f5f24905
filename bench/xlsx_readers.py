"""Time reading a large member XLSX: openpyxl read-only vs python-calamine.

    .venv/bin/python bench/xlsx_readers.py [--rows 100000] [--columns 20] [--file PATH]

Writes a member workbook with openpyxl's write-only mode (text, numbers, real dates, booleans,
some blanks), then reads every row with each reader, each in a fresh subprocess so the peak
memory (max RSS) of one does not hide behind another. calamine is measured only when
``python_calamine`` is importable; it is not a project dependency.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

READERS = ("openpyxl", "survey.iter_raw_rows", "survey.Table.rows", "calamine")


def write_workbook(path: Path, rows: int, columns: int) -> float:
    """Write the benchmark workbook; returns seconds taken."""
    from openpyxl import Workbook

    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Members")
    fixed = ["Member ID", "Email", "First Name", "Last Name", "City", "Joined", "Total Spent"]
    fixed += ["Orders", "Accepts Marketing"]
    extra = [f"Field {n}" for n in range(len(fixed) + 1, columns + 1)]
    sheet.append((fixed + extra)[:columns])
    cities = ["Utrecht", "Köln", "Liège", "Malmö", "Kraków", "Porto"]
    start = date(2015, 1, 1)
    for n in range(rows):
        values = [
            100000 + n,
            f"member{n}@example.com",
            f"First{n % 1000}",
            f"Last{n % 7919}",
            cities[n % len(cities)],
            start + timedelta(days=n % 3650),
            round((n % 5000) * 1.37, 2),
            n % 40,
            n % 3 != 0,
        ]
        values += [None if (n + k) % 5 == 0 else f"value {k}" for k in range(len(extra))]
        sheet.append(values[:columns])
    workbook.save(path)
    return time.perf_counter() - started


_INLINE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t>([^<]*)</t></is></c>'
)
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def to_shared_strings(source: Path, target: Path) -> None:
    """Copy of an openpyxl write-only workbook with its inline strings moved to a shared-string
    table, as Excel itself saves them (openpyxl parses inline strings far more slowly)."""
    index: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        number = index.setdefault(match[3], len(index))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match[1], match[2], number)

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = _INLINE.sub(shared, data)
            elif item.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="rIdSst" Type="{_SST_REL}" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            new.writestr(item, data)
        strings = b"".join(b"<si><t>%s</t></si>" % text for text in index)
        new.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">%s</sst>' % (len(index), len(index), strings),
        )


def measure(reader: str, path: Path) -> dict[str, float | int | str]:
    """Read every row of the first sheet with one reader (runs in its own process)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = cells = 0
    if reader == "openpyxl":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            rows += 1
            cells += len(values)
        workbook.close()
    elif reader == "survey.iter_raw_rows":
        from survey.readers import detect_format, iter_raw_rows

        for _number, values in iter_raw_rows(path, detect_format(path)):
            rows += 1
            cells += len(values)
    elif reader == "survey.Table.rows":
        from survey.readers import open_table

        for _number, values in open_table(path).rows():
            rows += 1
            cells += len(values)
    elif reader == "calamine":
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        for values in workbook.get_sheet_by_index(0).iter_rows():
            rows += 1
            cells += len(values)
        workbook.close()
    else:
        raise ValueError(reader)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "reader": reader,
        "seconds": seconds,
        "cpu": cpu,
        "rows": rows,
        "cells": cells,
        "peak_mb": _peak_mb(),
    }


def _peak_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: the latter keeps the peak of
    the parent process across fork and exec, so every child would report the writer's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _calamine_available() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def _readers() -> list[str]:
    if _calamine_available():
        return list(READERS)
    print("python-calamine is not installed: skipped")
    return [reader for reader in READERS if reader != "calamine"]


def _run(reader: str, path: Path, repeat: int) -> dict[str, float | int | str]:
    """Best of ``repeat`` runs, each in a fresh process (other work on the machine adds noise)."""
    runs = []
    for _ in range(max(1, repeat)):
        output = subprocess.run(
            [sys.executable, __file__, "--measure", reader, "--file", str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    return min(runs, key=lambda run: float(run["cpu"]))


def _print_table(results: list[dict[str, float | int | str]]) -> None:
    base = next((float(r["cpu"]) for r in results if r["reader"] == "openpyxl"), None)
    print(
        f"{'reader':<22}{'rows':>9}{'wall s':>9}{'CPU s':>8}{'rows/CPU s':>12}"
        f"{'peak MB':>9}{'vs openpyxl':>13}"
    )
    for r in results:
        cpu = float(r["cpu"])
        ratio = f"{base / cpu:.1f}x" if base else "-"
        print(
            f"{r['reader']:<22}{r['rows']:>9}{float(r['seconds']):>9.2f}{cpu:>8.2f}"
            f"{int(r['rows']) / cpu:>12.0f}{float(r['peak_mb']):>9.0f}{ratio:>13}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--file", type=Path, default=Path("/tmp/bench_members.xlsx"))
    parser.add_argument("--repeat", type=int, default=1, help="runs per reader; the best counts")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: one reader, as JSON
    args = parser.parse_args(argv)

    if args.measure:
        print(json.dumps(measure(args.measure, args.file)))
        return 0

    if not args.file.exists():
        seconds = write_workbook(args.file, args.rows, args.columns)
        size = args.file.stat().st_size / 1e6
        print(
            f"wrote {args.file} ({args.rows} rows x {args.columns} columns, {size:.1f} MB) "
            f"in {seconds:.1f} s"
        )
    else:
        print(f"reusing {args.file} (delete it to regenerate)")

    shared = args.file.with_name(args.file.stem + "-shared" + args.file.suffix)
    if not shared.exists():
        to_shared_strings(args.file, shared)
    for label, path in (
        ("inline strings (openpyxl write-only, many web exporters)", args.file),
        ("shared strings (as Excel saves)", shared),
    ):
        print(f"\n{label}: {path}")
        _print_table([_run(reader, path, args.repeat) for reader in _readers()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
