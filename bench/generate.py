"""Benchmark inputs: Shopify-style customer exports of 100k and 1M members, optionally with a
Google Forms survey answered by 25% of them, all from the demo generator (``survey.demo``).

    python -m bench.generate                      # 100k and 1M member files into bench/data
    python -m bench.generate --members 1000000 --survey --out bench/data

Files are deterministic for a seed, so an existing file is reused unless ``--force``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from survey.demo_shopify import write_customers
from survey.demo_survey import write_survey

DEFAULT_SIZES = (100_000, 1_000_000)
DEFAULT_OUT = Path(__file__).resolve().parent / "data"


def label(n: int) -> str:
    """1000000 → "1m", 100000 → "100k", anything else as digits."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def customers_path(out: Path, n: int) -> Path:
    return Path(out) / f"customers_{label(n)}.csv"


def survey_path(out: Path, n: int) -> Path:
    return Path(out) / f"survey_{label(n)}.csv"


def generate(
    out: Path, n: int, seed: int = 7, survey: bool = False, force: bool = False
) -> list[Path]:
    """Write (or reuse) the member file for ``n`` members, and the survey file if asked."""
    out.mkdir(parents=True, exist_ok=True)
    customers, answers = customers_path(out, n), survey_path(out, n)
    wanted = [customers, answers] if survey else [customers]
    if not force and all(p.exists() for p in wanted):
        return wanted
    start = time.perf_counter()
    rows, directory = write_customers(customers, n, seed, keep=survey)
    print(f"{customers}: {rows:,} rows in {time.perf_counter() - start:.1f} s")
    if survey:
        assert directory is not None
        start = time.perf_counter()
        result = write_survey(answers, directory, seed)
        print(f"{answers}: {result.rows:,} rows in {time.perf_counter() - start:.1f} s")
    return wanted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--members",
        type=int,
        action="append",
        help="members in the file (repeatable; default 100000 and 1000000)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the files")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--survey",
        action="store_true",
        help="also write a Google Forms survey answered by 25%% of members",
    )
    parser.add_argument("--force", action="store_true", help="rewrite files that exist")
    args = parser.parse_args(argv)
    for n in args.members or DEFAULT_SIZES:
        if n < 1:
            parser.error("--members must be at least 1")
        for path in generate(args.out, n, args.seed, args.survey, args.force):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
