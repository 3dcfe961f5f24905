"""Survey import benchmark: N responses × 40 items, against a raw insert of the same answer rows.

    python -m bench.bench_survey --responses 250000

Standalone (not registered with ``bench.runner``; its ``setup``/``measured``/``baseline`` have
the runner's signatures, so registering it is one decorator). Steps, in one run:

1. setup (untimed): a workspace with N members, and a Google Forms export of N responses to 40
   items of the standard questionnaire — labels, counts typed sloppily, bands, blanks, checkbox
   answers joined with ``;``, 70% with the pre-filled member id, the rest by e-mail, 1% unknown.
2. measured: ``survey.responses.import_survey`` into a copy of that workspace — reading the CSV,
   parsing, matching, responses and answers, one transaction.
3. baseline: plain ``sqlite3`` ``executemany`` of the very answer rows the import wrote
   (``response_id, item_id, raw, value``) into another copy (same schema, indexes, pragmas), in
   one transaction. Only the ``executemany`` calls and the commit are timed; the rows are
   fetched from the measured workspace in chunks between them.

Target: measured / baseline ≤ 2.0.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from scorecard.workspace import Workspace
from survey import questionnaire as q
from survey.demo_survey import google_timestamp

CATEGORY = "coffee"
SEED = 20261130
CHUNK = 200_000
NETWORK_KEYS = [n.key for n in q.NETWORKS]
ITEMS: tuple[str, ...] = (
    *(it.id for it in q.items_for("knowledge")),  # 6 agreement + years
    *(it.id for it in q.items_for("participation")),  # 9 frequencies
    "c_networks",
    *(f"c_{k}_close" for k in NETWORK_KEYS[:7]),
    *(f"r_{k}" for k in NETWORK_KEYS),  # 13 counts
    "nps", "age_band", "consent",
)  # fmt: skip
assert len(ITEMS) == 40


@dataclass(frozen=True)
class Inputs:
    folder: Path
    template: Path  # workspace with the members, never written to after setup
    survey: Path
    responses: int


def _count_texts(rng: np.random.Generator, n: int) -> np.ndarray:
    """Contact counts as typed: numbers, bands, "about N", "N+", "1,200", "lots", blanks."""
    raw = np.exp(rng.normal(4.2, 1.1, n))
    # People round: to 5 below 50, to 10 below 500, to 100 above (as the demo survey does).
    value = np.where(raw < 50, np.round(raw / 5) * 5,
                     np.where(raw < 500, np.round(raw / 10) * 10, np.round(raw / 100) * 100))
    value = np.maximum(value, 1).astype(np.int64)
    style = rng.random(n)
    bands = np.array([o.label for o in q.REACH_BANDS], dtype=object)
    out = value.astype(str).astype(object)
    out[style < 0.3] = ""
    pick = (style >= 0.70) & (style < 0.80)
    out[pick] = bands[rng.integers(0, len(bands), int(pick.sum()))]
    pick = (style >= 0.80) & (style < 0.88)
    out[pick] = "about " + value[pick].astype(str).astype(object)
    pick = (style >= 0.88) & (style < 0.93)
    out[pick] = value[pick].astype(str).astype(object) + "+"
    pick = (style >= 0.93) & (style < 0.99)
    out[pick] = [f"{v:,}" for v in (value[pick] * 10).tolist()]
    out[style >= 0.995] = "lots"
    return out


def write_survey(path: Path, n: int, seed: int = SEED) -> None:
    rng = np.random.default_rng(seed)
    cols: list[np.ndarray] = []
    for item_id in ITEMS:
        it = q.item(item_id)
        if it.kind == "multi":
            masks = (rng.random((n, len(it.options))) < 0.35) @ (1 << np.arange(len(it.options)))
            joined = np.array(
                [";".join(o.label for b, o in enumerate(it.options) if m >> b & 1)
                 for m in range(1 << len(it.options))],
                dtype=object,
            )  # fmt: skip
            cols.append(joined[masks])
        elif it.kind == "count":
            cols.append(_count_texts(rng, n))
        else:
            labels = np.array([o.label for o in it.options] + [""], dtype=object)
            codes = rng.integers(0, len(it.options), n)
            codes[rng.random(n) < 0.08] = len(it.options)  # skipped
            cols.append(labels[codes])
    start = datetime(2026, 10, 6, 9, 0)
    seconds = np.sort(rng.integers(0, 30 * 86400, n))
    by_id = rng.random(n) < 0.7
    unknown = rng.random(n) < 0.01
    header = ["Timestamp", "Email address", q.item("member_id").header(CATEGORY)]
    header += [q.item(i).header(CATEGORY) for i in ITEMS]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        for lo in range(0, n, 20_000):
            hi = min(n, lo + 20_000)
            rows = []
            for i in range(lo, hi):
                email = f"stranger{i}@example.org" if unknown[i] else f"member{i}@example.com"
                member = f"M{i:07d}" if by_id[i] and not unknown[i] else ""
                stamp = google_timestamp(start + timedelta(seconds=int(seconds[i])))
                rows.append([stamp, email, member, *(c[i] for c in cols)])
            writer.writerows(rows)


def setup(n: int) -> Inputs:
    folder = Path(tempfile.mkdtemp(prefix="bench_survey_"))
    template = folder / "template.scorecard"
    Workspace.create(template, {"category": CATEGORY}).close()
    con = sqlite3.connect(template)
    with con:
        con.executemany(
            "INSERT INTO member (id, external_id, email) VALUES (?, ?, ?)",
            ((i + 1, f"M{i:07d}", f"member{i}@example.com") for i in range(n)),
        )
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    survey = folder / "survey_responses.csv"
    write_survey(survey, n)
    return Inputs(folder, template, survey, n)


def measured(inputs: Inputs, workdir: Path) -> Path:
    """The project's survey import of the whole file into a copy of the template."""
    from survey.responses import import_survey

    target = workdir / "measured.scorecard"
    shutil.copy(inputs.template, target)
    with Workspace.open(target) as ws:
        import_survey(ws, inputs.survey)
    return target


def baseline(inputs: Inputs, workdir: Path, source: Path | None = None) -> float:
    """Raw executemany of the answer rows ``source`` holds; returns the seconds it took.

    Into a copy of the template holding the same import batch, wave and responses (copied
    untimed), with the pragmas every workspace connection has (foreign keys on, WAL,
    synchronous NORMAL): the same rows into the same state, minus everything else an import does.
    """
    source = source or workdir / "measured.scorecard"
    target = workdir / "baseline.scorecard"
    shutil.copy(inputs.template, target)
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode = WAL")
    dst.execute("PRAGMA synchronous = NORMAL")
    dst.execute("PRAGMA foreign_keys = ON")
    dst.execute("ATTACH DATABASE ? AS src", (str(source),))
    dst.execute("BEGIN")
    for table in ("survey_wave", "import_batch", "response"):
        dst.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table}")
    dst.execute("COMMIT")
    dst.execute("DETACH DATABASE src")
    src = sqlite3.connect(source)
    rows = src.execute("SELECT response_id, item_id, raw, value FROM answer ORDER BY id")
    spent = 0.0
    t = time.perf_counter()
    dst.execute("BEGIN")
    spent += time.perf_counter() - t
    while chunk := rows.fetchmany(CHUNK):
        t = time.perf_counter()
        dst.executemany(
            "INSERT INTO answer (response_id, item_id, raw, value) VALUES (?, ?, ?, ?)", chunk
        )
        spent += time.perf_counter() - t
    t = time.perf_counter()
    dst.execute("COMMIT")
    spent += time.perf_counter() - t
    src.close()
    dst.close()
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_survey", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=250_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    t = time.perf_counter()
    inputs = setup(args.responses)
    prepared = time.perf_counter() - t
    size = inputs.survey.stat().st_size / 1e6
    print(f"setup: {args.responses:,} responses × {len(ITEMS)} items, {size:,.0f} MB CSV, "
          f"{prepared:.1f} s (untimed)", flush=True)
    work = inputs.folder / "work"
    work.mkdir()
    t = time.perf_counter()
    result = measured(inputs, work)
    import_s = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with sqlite3.connect(result) as con:
        answers, responses = con.execute(
            "SELECT (SELECT count(*) FROM answer), (SELECT count(*) FROM response)"
        ).fetchone()
    raw_s = baseline(inputs, work, result)
    ratio = import_s / raw_s
    print()
    print("| step | seconds | rows | rows/s |")
    print("|---|---:|---:|---:|")
    print(f"| import_survey ({responses:,} responses, CSV → answers) | {import_s:.1f} | "
          f"{answers:,} | {answers / import_s:,.0f} |")
    print(f"| raw sqlite3 executemany of the same answer rows | {raw_s:.1f} | {answers:,} | "
          f"{answers / raw_s:,.0f} |")
    print(f"| **ratio** (target ≤ 2.0) | **{ratio:.2f}** | | |")
    print(f"\npeak RSS of this process: {peak_mb:,.0f} MiB")
    if args.keep:
        print(f"kept: {inputs.folder}")
    else:
        shutil.rmtree(inputs.folder, ignore_errors=True)
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
