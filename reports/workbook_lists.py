"""The list sheets: Ambassadors, Not yet surveyed (who to survey next) and Network.

They list the run as it was scored (values, not formulas: only the Members sheet follows the
Weights sheet). Positions are chosen with NumPy over all members; identity comes from what the
Members pass kept (:func:`reports.workbook_members.write_members`), so nothing is read twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from openpyxl.workbook import Workbook

from reports.run_data import RunData
from reports.workbook_cells import (
    MONEY,
    SCORE,
    WHOLE,
    ColumnSheet,
    add_column_sheet,
    floats,
    header_row,
    print_wide,
    set_widths,
)
from reports.workbook_members import Identity, finish_sheet
from scorecard.scoring.segments import SEGMENTS
from scorecard.workspace import Workspace

LIST_LIMIT = 100_000  # rows of a list sheet; the Members sheet has everyone
NETWORK_TOP = 100

AMBASSADORS = "Ambassadors"
NOT_SURVEYED = "Not yet surveyed"
NETWORK = "Network"

_WHO = ("Rank", "Member number", "Name", "E-mail", "City", "Country")
_WHO_FORMATS = (None, None, None, None, None, None)
_WHO_WIDTHS = (6, 16, 26, 30, 16, 9)


@dataclass(frozen=True)
class ListPlan:
    """Which members each list sheet shows, in order (positions into the run's arrays)."""

    ambassadors: np.ndarray
    ambassadors_total: int
    not_surveyed: np.ndarray
    not_surveyed_total: int
    network: np.ndarray

    def wanted(self, n: int) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        for rows in (self.ambassadors, self.not_surveyed, self.network):
            mask[rows] = True
        return mask


def plan_lists(run: RunData) -> ListPlan:
    """All Ambassadors (highest S first) and the unsurveyed high-F members, up to LIST_LIMIT."""
    total_amb = run.segment_counts()[SEGMENTS[0]]
    nv = np.nan_to_num(run.network_value)
    referrers = np.flatnonzero(nv > 0)
    order = np.lexsort((run.member_ids[referrers], -nv[referrers]))
    return ListPlan(
        ambassadors=run.top_ambassadors(LIST_LIMIT),
        ambassadors_total=total_amb,
        not_surveyed=run.not_surveyed_high_value(LIST_LIMIT),
        not_surveyed_total=run.not_surveyed_high_value_count(),
        network=referrers[order[:NETWORK_TOP]],
    )


def add_list_sheets(wb: Workbook, currency: str) -> dict[str, ColumnSheet]:
    """The three list sheets with their headers, in workbook order."""
    money = f" ({currency})" if currency else ""
    specs = {
        AMBASSADORS: (("S", "F", "NV", "K", "P", "R", "Stability", f"Revenue{money}",
                       f"Profit{money}"),
                      (SCORE,) * 6 + ("0%", MONEY, MONEY), (7,) * 7 + (13, 13)),
        NOT_SURVEYED: (("F", "NV", f"Revenue{money}", f"Profit{money}", "Orders"),
                       (SCORE, SCORE, MONEY, MONEY, WHOLE), (7, 7, 13, 13, 8)),
        NETWORK: (("NV", "Members referred", "S", "F", "Segment", f"Revenue{money}"),
                  (SCORE, WHOLE, SCORE, SCORE, None, MONEY), (7, 11, 7, 7, 14, 13)),
    }
    sheets = {}
    for title, (labels, formats, widths) in specs.items():
        sheet = add_column_sheet(wb, title, _WHO_FORMATS + formats)
        set_widths(sheet, _WHO_WIDTHS + widths)
        print_wide(sheet)
        sheet.row_dimensions[1].height = 30  # two-line headers (set before the row is written)
        sheet.freeze_panes = "D2"
        sheet.append(header_row(sheet, _WHO + labels))
        sheets[title] = sheet
    return sheets


def _write(sheet: ColumnSheet, rows: np.ndarray, identity: dict[int, Identity],
           columns: Sequence[list[object]]) -> None:
    for rank, (pos, *values) in enumerate(zip(rows.tolist(), *columns, strict=True), 1):
        sheet.append((rank, *identity[pos], *values))


def write_lists(ws: Workspace, run: RunData, plan: ListPlan, sheets: dict[str, ColumnSheet],
                identity: dict[int, Identity]) -> None:
    """Fill the three list sheets."""
    amb = plan.ambassadors
    _write(sheets[AMBASSADORS], amb, identity,
           [floats(a[amb]) for a in (run.social, run.financial, run.network_value,
                                     run.knowledge, run.participation, run.reach,
                                     run.stability, run.revenue, run.profit)])
    finish_sheet(sheets[AMBASSADORS], len(amb), 15, ("G", "L"))

    nxt = plan.not_surveyed
    _write(sheets[NOT_SURVEYED], nxt, identity,
           [floats(a[nxt]) for a in (run.financial, run.network_value, run.revenue,
                                     run.profit, run.orders)])
    finish_sheet(sheets[NOT_SURVEYED], len(nxt), 11, ("G", "H"))

    net = plan.network
    referred = referral_counts(ws, run.member_ids[net].tolist())
    _write(sheets[NETWORK], net, identity,
           [floats(run.network_value[net]),
            [referred.get(int(m), 0) for m in run.member_ids[net].tolist()],
            floats(run.social[net]), floats(run.financial[net]),
            [SEGMENTS[c] for c in run.segment[net].tolist()],
            floats(run.revenue[net])])
    finish_sheet(sheets[NETWORK], len(net), 12, ("G", "G"))


def referral_counts(ws: Workspace, member_ids: Sequence[int]) -> dict[int, int]:
    """How many distinct members each of ``member_ids`` referred (the referral table)."""
    out: dict[int, int] = {}
    with ws.read_cursor() as cur:
        for lo in range(0, len(member_ids), 900):  # under SQLite's bound-parameter limit
            chunk = list(member_ids[lo:lo + 900])
            marks = ", ".join("?" * len(chunk))
            for member, count in cur.execute(
                "SELECT referrer_id, count(DISTINCT referred_id) FROM referral "
                f"WHERE referrer_id IN ({marks}) GROUP BY referrer_id", chunk,
            ):
                out[int(member)] = int(count)
    return out
